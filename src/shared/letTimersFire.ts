/**
 * Lets the timers the scenario's code set while it ran fire (a `setTimeout(fn, 0)` in a device
 * procedure): a simulated run or a batch of executions never yields to the event loop, and its
 * thread was then ended, or went on to the next task, with the timer's throw never seen (exit 0
 * on the simulator, exit 1 on threads for the same scenario). Two turns of the loop: the
 * timers phase comes between them. A throw there is the thread's uncaught error, the user's,
 * reported as a throw outside a device procedure (shared/scenarioCodeFailure.ts).
 */
export async function letTimersFire(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}
