// The fixed twin of ../lostCancel.ts (a module of its own, so that `vmmsim explore` can load it).
import { lostCancelScenario } from '../lostCancel.js';

export default lostCancelScenario(true);
