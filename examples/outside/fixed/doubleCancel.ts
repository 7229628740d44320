// The fixed twin of ../doubleCancel.ts (a module of its own, so that `vmmsim explore` can load it).
import { doubleCancelScenario } from '../doubleCancel.js';

export default doubleCancelScenario(true);
