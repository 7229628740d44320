// The fixed twin of ../tornShadow.ts (a module of its own, so that `vmmsim explore` can load it).
import { tornShadowScenario } from '../tornShadow.js';

export default tornShadowScenario(true);
