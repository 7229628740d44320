// The fixed twin of ../staleVmHandle.ts (a module of its own, so that `vmmsim explore` can load it).
import { staleVmHandleScenario } from '../staleVmHandle.js';

export default staleVmHandleScenario(true);
