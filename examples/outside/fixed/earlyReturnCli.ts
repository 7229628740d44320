// The fixed twin of ../earlyReturnCli.ts (a module of its own, so that `vmmsim explore` can load it).
import { earlyReturnCliScenario } from '../earlyReturnCli.js';

export default earlyReturnCliScenario(true);
