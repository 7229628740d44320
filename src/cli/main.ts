/** The vmmsim executable: the program (program.ts) on this process's arguments. */
import { exitNow, guardExits } from '../shared/exitGuard.js';
import { EXIT, ioFailureMessage, userCodeFailure } from './errors.js';
import { main } from './program.js';
import { relaunch, relaunchArgs, stopWhenOrphaned, thisProcess } from './relaunch.js';

// A reader that stops early (`vmmsim replay t.json | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  exitNow(Number(process.exitCode ?? 0));
});

// An output that fails mid-run where no caller can catch it (a trace or log written from an
// actor's message handler; the disk is full): one line, exit 3. A scenario module's own code
// that threw outside any procedure (a timer of its own): the user's error, exit 1. Anything
// else is a bug of ours.
process.on('uncaughtException', (error) => {
  const io = ioFailureMessage(error);
  const user = io === null ? userCodeFailure(error) : null;
  if (io !== null) process.stderr.write(`vmmsim: ${io}; the run is ended\n`);
  else if (user !== null) process.stderr.write(`vmmsim: ${user}; the run is ended\n`);
  else process.stderr.write(`vmmsim: internal error: ${error.stack ?? String(error)}\n`);
  exitNow(io !== null ? EXIT.crash : user !== null ? EXIT.violation : 70);
});

const argv = process.argv.slice(2);
stopWhenOrphaned();
const guard = guardExits();
const relaunched = relaunchArgs(argv, thisProcess());
const code = relaunched === null ? await main(argv) : await relaunch(relaunched);
guard.done();
process.exitCode = code;
// The command is over: a scenario module may have left timers or sockets behind, which must not
// keep the process alive. Exit once what was written to stdout and stderr is out.
process.stdout.write('', () => process.stderr.write('', () => exitNow(code)));
