// The fixed twin of ../cancelOtherVm.ts (a module of its own, so that `vmmsim explore` can load it).
import { cancelOtherVmScenario } from '../cancelOtherVm.js';

export default cancelOtherVmScenario(true);
