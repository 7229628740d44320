/**
 * The environment variables the commands read, checked before any work: a value vmmsim cannot use
 * is one line naming it, exit 2. `VMMSIM_LOAD_BOUND_MS=99999999999` was past a timer's range, so
 * Node fired the bound after 1 ms and a valid module was refused as an endless loop; `abc` and
 * `-5` were ignored in silence.
 */
import { LOAD_BOUND_MAX_MS } from '../scenario/importModule.js';
import { oneLine } from '../shared/oneLine.js';
import { MEMORY_BOUND_MAX_MB, MEMORY_BOUND_MIN_MB } from '../shared/memoryBound.js';
import { UsageError } from './errors.js';

export function checkEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  const bound = env['VMMSIM_LOAD_BOUND_MS'];
  if (bound !== undefined && bound !== '') {
    const ms = Number(bound);
    if (!/^\d+$/.test(bound) || ms < 1 || ms > LOAD_BOUND_MAX_MS) {
      throw new UsageError(`VMMSIM_LOAD_BOUND_MS must be a whole number of milliseconds from 1 to ${LOAD_BOUND_MAX_MS}, got '${oneLine(bound, 100)}'`);
    }
  }
  const memory = env['VMMSIM_MEMORY_BOUND_MB'];
  if (memory !== undefined && memory !== '' && (!/^\d+$/.test(memory) || Number(memory) < MEMORY_BOUND_MIN_MB || Number(memory) > MEMORY_BOUND_MAX_MB)) {
    throw new UsageError(`VMMSIM_MEMORY_BOUND_MB must be a whole number of megabytes from ${MEMORY_BOUND_MIN_MB} to ${MEMORY_BOUND_MAX_MB}, got '${oneLine(memory, 100)}'`);
  }
}
