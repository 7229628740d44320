// The fixed twin of ../syncInCallback.ts (a module of its own, so that `vmmsim explore` can load it).
import { syncInCallbackScenario } from '../syncInCallback.js';

export default syncInCallbackScenario(true);
