/** The vmmsim executable: the program (program.ts) on this process's arguments. */
import { EXIT, ioFailureMessage } from './errors.js';
import { main } from './program.js';
import { relaunch, relaunchArgs, stopWhenOrphaned, thisProcess } from './relaunch.js';

// A reader that stops early (`vmmsim replay t.json | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

// An output that fails mid-run where no caller can catch it (a trace or log written from an
// actor's message handler; the disk is full): one line, exit 3. Anything else is a bug of ours.
process.on('uncaughtException', (error) => {
  const io = ioFailureMessage(error);
  process.stderr.write(io !== null ? `vmmsim: ${io}; the run is ended\n` : `vmmsim: internal error: ${error.stack ?? String(error)}\n`);
  process.exit(io !== null ? EXIT.crash : 70);
});

const argv = process.argv.slice(2);
stopWhenOrphaned();
const relaunched = relaunchArgs(argv, thisProcess());
const code = relaunched === null ? await main(argv) : await relaunch(relaunched);
process.exitCode = code;
// The command is over: a scenario module may have left timers or sockets behind, which must not
// keep the process alive. Exit once what was written to stdout and stderr is out.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
