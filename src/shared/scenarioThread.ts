/**
 * What every worker thread that runs scenario code (an actor, a pool thread, a fresh replay) sets
 * up first: what the scenario prints goes to stderr, at once (commandStdout.ts), and a signal to
 * vmmsim's own process throws (ownProcessSignals.ts).
 */
import { scenarioStdoutToStderr } from './commandStdout.js';
import { refuseOwnProcessSignals } from './ownProcessSignals.js';

export function setUpScenarioThread(): void {
  scenarioStdoutToStderr();
  refuseOwnProcessSignals();
}
