// The fixed twin of ../sharedIrqClaimAll.ts (a module of its own, so that `vmmsim explore` can load it).
import { sharedIrqClaimAllScenario } from '../sharedIrqClaimAll.js';

export default sharedIrqClaimAllScenario(true);
