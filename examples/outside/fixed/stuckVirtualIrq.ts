// The fixed twin of ../stuckVirtualIrq.ts (a module of its own, so that `vmmsim explore` can load it).
import { stuckVirtualIrqScenario } from '../stuckVirtualIrq.js';

export default stuckVirtualIrqScenario(true);
