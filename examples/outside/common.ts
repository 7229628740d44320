/**
 * What the outside drivers share: a workload of mostly traps into the devices with short
 * computations between (so ring-0 code, where interrupts cut in, is frequent), and the built-in
 * system timer as a correct neighbour. Written against the public API only (`src/index.ts`, what
 * `import ... from 'vmmsim'` gives a user).
 */
import { timer } from '../../src/index.js';

export const OUTSIDE_MIX = { run: 25, trap: 65, interruptFlag: 5, iret: 0, eoi: 0, mask: 0, mode: 0, runTicksMean: 20 };

export const NEIGHBOURS = [timer];
