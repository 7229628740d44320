// The fixed twin of ../critBoostNeverRuns.ts (a module of its own, so that `vmmsim explore` can load it).
import { critBoostNeverRunsScenario } from '../critBoostNeverRuns.js';

export default critBoostNeverRunsScenario(true);
