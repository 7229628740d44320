// The fixed twin of ../swappedBoostFlags.ts (a module of its own, so that `vmmsim explore` can load it).
import { swappedBoostFlagsScenario } from '../swappedBoostFlags.js';

export default swappedBoostFlagsScenario(true);
