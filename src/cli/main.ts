/** The vmmsim executable: the program (program.ts) on this process's arguments. */
// First: a stop signal while the rest loads is held for the command (a SIGTERM then was exit 143, no report).
import './earlySignals.js';
import { errnoText } from '../shared/errnoText.js';
import { exitNow, guardExits } from '../shared/exitGuard.js';
import { isOwnStreamWrite } from '../shared/commandStdout.js';
import { EXIT, ioFailureMessage, userCodeFailure } from './errors.js';
import { main } from './program.js';
import { relaunch, relaunchArgs, stopWhenOrphaned, thisProcess } from './relaunch.js';

// A reader that stops early (`vmmsim replay t.json | head`) is not an error: the command goes on
// without its stdout and exits with its own code (it exited 0 at once, before the command had a
// code, so `vmmsim replay t.json | head -1` of a reproduced violation "passed" under pipefail).
// Any other failed write of stdout (a full disk) is an error, even one that reports only as the
// command ends. (A relaunching parent writes nothing itself: its child, on the same stdout, has said it.)
let relaunching = false;
let readerGone = false;
function stdoutFailed(error: NodeJS.ErrnoException): void {
  if (relaunching) exitNow(Number(process.exitCode ?? 0));
  if (error.code === 'EPIPE' || readerGone) {
    readerGone = true;
    return;
  }
  process.stderr.write(`vmmsim: cannot write stdout: ${errnoText(error)}; the report is lost\n`);
  exitNow(EXIT.crash);
}
process.stdout.on('error', stdoutFailed);

// The report and the error lines go out through these two, whatever a scenario module does: one
// that set `process.stdout.write = () => true` made the report vanish, exit 1 and not a word (an
// outside audit). Guarded before any module is imported, such an assignment throws instead (at
// a module's top level: "cannot load scenario", exit 2); vmmsim's own redirection still sets it.
for (const [stream, name] of [[process.stdout, 'stdout'], [process.stderr, 'stderr']] as const) {
  const original = stream.write;
  let current = original;
  Object.defineProperty(stream, 'write', {
    configurable: false,
    enumerable: false,
    get: () => current,
    set: (write: typeof original) => {
      if (write !== original && !isOwnStreamWrite(write)) throw new TypeError(`a scenario module may not replace process.${name}.write (vmmsim's report goes out through it)`);
      current = write;
    },
  });
}
// A stderr that cannot be written (a full disk, /dev/full) leaves nowhere to say anything: the
// command goes on and exits with its own code (bad input stayed exit 2; it became exit 3).
process.stderr.on('error', () => undefined);

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
relaunching = relaunched !== null;
const code = relaunched === null ? await main(argv) : await relaunch(relaunched);
guard.done();
process.exitCode = code;
// The command is over: a scenario module may have left timers or sockets behind, which must not
// keep the process alive. Exit once what was written to stdout and stderr is out.
const exitOnceWritten = (): void => void process.stderr.write('', () => exitNow(code));
if (readerGone) exitOnceWritten();
else process.stdout.write('', (error) => (error && !readerGone ? stdoutFailed(error) : exitOnceWritten()));
