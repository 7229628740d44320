// The fixed twin of ../eoiBeforeRead.ts (a module of its own, so that `vmmsim explore` can load it).
import { eoiBeforeReadScenario } from '../eoiBeforeRead.js';

export default eoiBeforeReadScenario(true);
