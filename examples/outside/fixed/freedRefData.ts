// The fixed twin of ../freedRefData.ts (a module of its own, so that `vmmsim explore` can load it).
import { freedRefDataScenario } from '../freedRefData.js';

export default freedRefDataScenario(true);
