/** Candidate runs a shrink tries at most unless told (`vmmsim shrink --max-candidates`). Apart from shrink.ts so that the command line can show it without loading the shrinker. */
export const DEFAULT_MAX_CANDIDATES = 20_000;
