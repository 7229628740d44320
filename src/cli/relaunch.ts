/**
 * The commands that run the threaded runtime (`run`, `stress`) start Node again, once, with one
 * V8 platform thread (`--v8-pool-size=1`) on a machine with few cores.
 *
 * Why: V8 compiles and collects garbage on its platform threads (four by default), shared by
 * every isolate of the process; a threaded run has seven or more isolates (the VMM, PIC and VM
 * actors), all compiling their code as the run starts. On 2 cores those threads take the VMM
 * actor's core, and an interrupt waits for the VMM as long as the VMM waits for a CPU. Measured
 * on 2 cores (4 s runs of the built-in machine, `npx vmmsim bench`, README "Benchmarks"): the
 * VMM thread on a CPU ~87% → ~93-97% of the run, interrupt → callback p99 ~3 ms → ~1 ms; the
 * decisions are the core's either way. The flag exists only at Node's start, hence the relaunch.
 *
 * Not relaunched: other commands, `--runtime sim`, `stress --queue` (no local threads), more
 * than FEW_CORES_MAX cores, a `--v8-pool-size` the user gave (in NODE_OPTIONS or to node),
 * VMMSIM_RELAUNCH=0, Windows (no process groups to hand Ctrl-C on with). The child runs in its
 * own process group, so a Ctrl-C at the terminal reaches this process only, which passes it on
 * once: the child's first SIGINT stops the run with a report, as without the relaunch.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, constants } from 'node:os';
import { EXIT } from './errors.js';
import { interrupted, onStopSignal, stopSignal } from './interrupt.js';

export const V8_POOL_FLAG = '--v8-pool-size=1';
/** Up to this many cores, the run's isolates outnumber the cores enough for V8's threads to matter. */
export const FEW_CORES_MAX = 4;
const THREADED_COMMANDS = new Set(['run', 'stress']);
const MARK = 'VMMSIM_RELAUNCH';

function flagValue(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  if (at >= 0) return argv[at + 1];
  return argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** The node arguments of the relaunch, or null when this process runs the command itself. */
export function relaunchArgs(
  argv: readonly string[], context: { execArgv: readonly string[]; script: string; env: NodeJS.ProcessEnv; cores: number; platform: NodeJS.Platform },
): string[] | null {
  const { execArgv, env } = context;
  if (env[MARK] !== undefined || context.platform === 'win32' || context.cores > FEW_CORES_MAX) return null;
  const command = argv[0];
  if (command === undefined || !THREADED_COMMANDS.has(command)) return null;
  if (flagValue(argv, '--runtime') === 'sim' || flagValue(argv, '--queue') !== undefined) return null;
  const nodeOptions = (env['NODE_OPTIONS'] ?? '').split(/\s+/);
  if ([...execArgv, ...nodeOptions].some((a) => a.startsWith('--v8-pool-size'))) return null;
  return [...execArgv, V8_POOL_FLAG, context.script, ...argv];
}

/**
 * In the relaunched node: if the first one goes away without passing a signal on (killed with
 * SIGKILL, or a hang-up), stop the run as Ctrl-C would, rather than run on alone for the rest of
 * its duration. Once: a second SIGINT means "exit now" (interrupt.ts), which lost the report and
 * the trace the first one was still writing.
 */
export function stopWhenOrphaned(): void {
  if (process.env[MARK] !== '0') return;
  const parent = process.ppid;
  const check = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(check);
    process.kill(process.pid, 'SIGINT');
  }, ORPHAN_CHECK_MS).unref();
}

const ORPHAN_CHECK_MS = 500;

/** The same process's arguments, for relaunchArgs. */
export function thisProcess(): Parameters<typeof relaunchArgs>[1] {
  return { execArgv: process.execArgv, script: process.argv[1] ?? '', env: process.env, cores: availableParallelism(), platform: process.platform };
}

/** Runs node with `args`, passing on the stop signals (SIGINT, SIGTERM, SIGHUP); resolves to its exit code (128 + n for a signal). */
export function relaunch(args: readonly string[]): Promise<number> {
  // A signal taken while this process started: nothing ran yet, and a child started now could take
  // it before it listens (and die of it, exit 143).
  if (interrupted()) {
    process.stderr.write(`vmmsim: interrupted by ${stopSignal()} before the run started: nothing ran\n`);
    return Promise.resolve(EXIT.interrupted);
  }
  return new Promise((done) => {
    let passed: NodeJS.Signals | null = null;
    const child = spawn(process.execPath, args, { stdio: 'inherit', detached: true, env: { ...process.env, [MARK]: '0' } });
    const pass = (signal: NodeJS.Signals): void => {
      passed = signal;
      child.kill(signal);
    };
    const stopPassing = onStopSignal(pass);
    const settle = (code: number): void => {
      stopPassing();
      done(code);
    };
    child.on('error', (error) => {
      process.stderr.write(`vmmsim: could not start node again (${error.message})\n`);
      settle(3);
    });
    child.on('exit', (code, signal) => {
      // Killed by the signal passed on, before it listened (while it started): an interruption all the same.
      if (signal !== null && signal === passed) {
        process.stderr.write(`vmmsim: interrupted by ${signal} while the run started: nothing ran\n`);
        settle(EXIT.interrupted);
        return;
      }
      settle(code ?? 128 + (signal === null ? 0 : constants.signals[signal] ?? 0));
    });
  });
}
