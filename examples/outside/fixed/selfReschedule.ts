// The fixed twin of ../selfReschedule.ts (a module of its own, so that `vmmsim explore` can load it).
import { selfRescheduleScenario } from '../selfReschedule.js';

export default selfRescheduleScenario(true);
