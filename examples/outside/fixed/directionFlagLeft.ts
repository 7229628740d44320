// The fixed twin of ../directionFlagLeft.ts (a module of its own, so that `vmmsim explore` can load it).
import { directionFlagLeftScenario } from '../directionFlagLeft.js';

export default directionFlagLeftScenario(true);
