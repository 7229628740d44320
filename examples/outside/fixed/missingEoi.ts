// The fixed twin of ../missingEoi.ts (a module of its own, so that `vmmsim explore` can load it).
import { missingEoiScenario } from '../missingEoi.js';

export default missingEoiScenario(true);
