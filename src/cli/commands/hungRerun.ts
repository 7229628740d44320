/**
 * The watched worker's side of re-running an execution that hung (explore/hungRerun.ts): its
 * chunks go to the main thread, which writes the trace and, when the watchdog ends the re-run
 * again, says where (cli/hungExecution.ts). Reached only if the re-run did not hang: exit 0.
 */
import { rerunHungExecution, type HungRerunTask } from '../../explore/hungRerun.js';
import { interrupted } from '../interrupt.js';
import { postChunk } from '../watchedWorker.js';

export async function hungRerunCommand(task: HungRerunTask): Promise<number> {
  const end = await rerunHungExecution(task, (chunk) => postChunk({ t: 'chunk', chunk }), interrupted);
  process.stderr.write(`vmmsim: the re-run ended after ${end.steps} steps without hanging${end.fault !== null ? ` (on ${end.fault})` : ''}\n`);
  return 0;
}
