// The fixed twin of ../hwIntEdi.ts (a module of its own, so that `vmmsim explore` can load it).
import { hwIntEdiScenario } from '../hwIntEdi.js';

export default hwIntEdiScenario(true);
