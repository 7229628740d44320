// The fixed twin of ../sharedCounter.ts (a module of its own, so that `vmmsim explore` can load it).
import { sharedCounterScenario } from '../sharedCounter.js';

export default sharedCounterScenario(true);
