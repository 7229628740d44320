// The fixed twin of ../callNowReentry.ts (a module of its own, so that `vmmsim explore` can load it).
import { callNowReentryScenario } from '../callNowReentry.js';

export default callNowReentryScenario(true);
