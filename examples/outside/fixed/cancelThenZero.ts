// The fixed twin of ../cancelThenZero.ts (a module of its own, so that `vmmsim explore` can load it).
import { cancelThenZeroScenario } from '../cancelThenZero.js';

export default cancelThenZeroScenario(true);
