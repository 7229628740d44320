/**
 * The watched worker's side of re-running an execution that hung (explore/hungRerun.ts): its
 * chunks go to the main thread, which writes the trace and, when the watchdog ends the re-run
 * again, says where (cli/hungExecution.ts). Reached only if the re-run did not hang: exit 0, or
 * RERUN_RAN_AWAY when it ran away at the call the execution did (its trace ends there).
 */
import { rerunHungExecution, type HungRerunTask } from '../../explore/hungRerun.js';
import { interrupted } from '../interrupt.js';
import { postChunk } from '../watchedWorker.js';

/** The re-run's code when it ran away (the service-call budget) as the execution did: its trace is the runaway's. */
export const RERUN_RAN_AWAY = 4;

export async function hungRerunCommand(task: HungRerunTask, runawayMessage: string | null = null): Promise<number> {
  const end = await rerunHungExecution(task, (chunk) => postChunk({ t: 'chunk', chunk }), interrupted);
  if (runawayMessage !== null && end.fault === runawayMessage) return RERUN_RAN_AWAY;
  process.stderr.write(`vmmsim: the re-run ended after ${end.steps} steps without hanging${end.fault !== null ? ` (on ${end.fault})` : ''}\n`);
  return 0;
}
