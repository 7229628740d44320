// The fixed twin of ../criticalDoubleRelease.ts (a module of its own, so that `vmmsim explore` can load it).
import { criticalDoubleReleaseScenario } from '../criticalDoubleRelease.js';

export default criticalDoubleReleaseScenario(true);
