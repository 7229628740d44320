// The fixed twin of ../orderAssumption.ts (a module of its own, so that `vmmsim explore` can load it).
import { orderAssumptionScenario } from '../orderAssumption.js';

export default orderAssumptionScenario(true);
