// The fixed twin of ../globalEventEbx.ts (a module of its own, so that `vmmsim explore` can load it).
import { globalEventEbxScenario } from '../globalEventEbx.js';

export default globalEventEbxScenario(true);
