// The fixed twin of ../boostLeak.ts (a module of its own, so that `vmmsim explore` can load it).
import { boostLeakScenario } from '../boostLeak.js';

export default boostLeakScenario(true);
