// The fixed twin of ../focusRace.ts (a module of its own, so that `vmmsim explore` can load it).
import { focusRaceScenario } from '../focusRace.js';

export default focusRaceScenario(true);
