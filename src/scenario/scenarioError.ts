/** A scenario that cannot be found or loaded: the user's error (exit 2). Apart from load.ts so the command line can recognize it without loading scenarios. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}
