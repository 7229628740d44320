/**
 * Scenario code may not signal vmmsim's own process. A device that called
 * `process.kill(process.pid, 'SIGTERM')` was reported as the user's SIGTERM (INTERRUPTED, exit
 * 130, no device named), and its replay was killed the same way (an outside audit). On the
 * threads that run scenario code, such a call throws: reported as that procedure's throw, with its
 * location, exit 1, and replayed as such. Signals to other processes go through.
 */
const { kill } = process;

export function refuseOwnProcessSignals(): void {
  process.kill = function guardedKill(pid: number, signal?: string | number): true {
    // 0 and -pid reach this process's group; process.ppid is not ours to refuse.
    if (Number(pid) === process.pid || Number(pid) === 0 || Number(pid) === -process.pid) {
      // No pid in the words: a replay runs in another process and must end on the same message.
      const target = Number(pid) === 0 ? '0' : Number(pid) < 0 ? '-process.pid' : 'process.pid';
      throw new Error(`scenario code may not send a signal to vmmsim's own process (process.kill(${target}, ${JSON.stringify(signal ?? 'SIGTERM')}))`);
    }
    return kill.call(process, pid, signal);
  };
}
