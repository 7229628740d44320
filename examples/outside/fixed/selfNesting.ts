// The fixed twin of ../selfNesting.ts (a module of its own, so that `vmmsim explore` can load it).
import { selfNestingScenario } from '../selfNesting.js';

export default selfNestingScenario(true);
