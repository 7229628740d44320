// The fixed twin of ../handleAsFlag.ts (a module of its own, so that `vmmsim explore` can load it).
import { handleAsFlagScenario } from '../handleAsFlag.js';

export default handleAsFlagScenario(true);
