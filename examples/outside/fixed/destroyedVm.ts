// The fixed twin of ../destroyedVm.ts (a module of its own, so that `vmmsim explore` can load it).
import { destroyedVmScenario } from '../destroyedVm.js';

export default destroyedVmScenario(true);
