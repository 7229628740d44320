// Worker entry of the simulated commands that the main thread watches (src/cli/watched.ts).
import '../examples/zoo/index.js';
import { runWatchedTask } from '../src/cli/watchedWorker.js';

await runWatchedTask({
  'run-sim': async () => (await import('../src/cli/commands/runSim.js')).runSimTask,
  replay: async () => (await import('../src/cli/commands/replay.js')).replayCommand,
  explore: async () => (await import('../src/cli/commands/exploreTask.js')).exploreTask,
  trace: async () => (await import('../src/cli/commands/trace.js')).traceCommand,
  shrink: async () => (await import('../src/cli/commands/shrinkTask.js')).shrinkCommand,
  'hung-rerun': async () => (await import('../src/cli/commands/hungRerun.js')).hungRerunCommand,
});
