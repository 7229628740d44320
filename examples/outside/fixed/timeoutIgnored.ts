// The fixed twin of ../timeoutIgnored.ts (a module of its own, so that `vmmsim explore` can load it).
import { timeoutIgnoredScenario } from '../timeoutIgnored.js';

export default timeoutIgnoredScenario(true);
