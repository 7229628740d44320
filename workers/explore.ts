// Piscina worker entry of `vmmsim explore --workers W`: thin by design (see src/explore/batch.ts).
// The zoo registers itself so that zoo scenarios load by reference here too.
import '../examples/zoo/index.js';
import { setUpScenarioThread } from '../src/shared/scenarioThread.js';

// A pool thread writes no command output: a print of the scenario's goes to stderr.
setUpScenarioThread();

export { runBatch as default } from '../src/explore/batch.js';
export { runDfsWorkload } from '../src/explore/dfsPool.js';
