// The fixed twin of ../staleVmEvent.ts (a module of its own, so that `vmmsim explore` can load it).
import { staleVmEventScenario } from '../staleVmEvent.js';

export default staleVmEventScenario(true);
