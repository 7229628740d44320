// The fixed twin of ../sharedRequestBlock.ts (a module of its own, so that `vmmsim explore` can load it).
import { sharedRequestBlockScenario } from '../sharedRequestBlock.js';

export default sharedRequestBlockScenario(true);
