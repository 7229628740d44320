/**
 * The vmmsim command line. Every command returns its exit code; bad input becomes one line on
 * stderr and exit 2 (never a stack trace); an unexpected error is reported as a bug, exit 70.
 */
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ScenarioError } from '../scenario/scenarioError.js';
import { addRunOptions, runCommand, type RunFlags } from './commands/run.js';
import { addStressOptions, stressCommand, type StressFlags } from './commands/stress.js';
import { addExploreCommand } from './commands/explore.js';
import { addWorkerCommand } from './commands/worker.js';
import { addShrinkCommand } from './commands/shrink.js';
import { queueFailure } from '../distributed/options.js';
import { addTraceOptions, checkTraceOutput, type TraceFlags } from './commands/traceOptions.js';
import type { BenchFlags } from './commands/bench.js';
import { EXIT, ioFailureMessage, UsageError, userCodeFailure } from './errors.js';
import { checkOutputDir, checkOutputFile } from './outputPaths.js';
import { BENCH_FILES } from './benchFiles.js';
import { addExamples } from './examples.js';
import { integer } from './parse.js';
import { refuseRepeatedOptions } from './onceOptions.js';
import { refuseControlCharacters } from './printableArguments.js';
import { packageVersion } from '../shared/packageInfo.js';
import { RunFaultError } from './runFaultReport.js';
import { watchdogOption } from './machineOptions.js';
import { runWatched } from './watched.js';
import { registerZoo } from '../scenario/zooRegistry.js';
import { oneLine } from '../shared/oneLine.js';
import { checkEnvironment } from './environment.js';
import { interrupted, stopSignal } from './interrupt.js';
import { stopTraceReadsWhen, TraceReadStopped } from '../shared/traceReadStop.js';

// The bug zoo is loaded when a scenario names it (a zoo trace replayed, `explore --zoo`), not with
// every command: each command loads what it runs when it runs (its options are all that load first).
registerZoo(async (name, fixed) => (await import('../../examples/zoo/index.js')).zooEntry(name)?.scenario(fixed));

export function buildProgram(setExit: (code: number) => void, argv: string[]): Command {
  const program = new Command('vmmsim')
    .description('Simulate the Windows VMM event services (Call_Global_Event and family): stress, explore, benchmark.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`vmmsim: ${usageLine(text)}\n`) })
    .showSuggestionAfterError();

  addRunOptions(program.command('run').description('run the built-in machine (or a scenario) and check every invariant'))
    .action(async (flags: RunFlags, command: Command) => setExit(await runCommand(flags, command, argv)));

  addStressOptions(program.command('stress').description('a long threaded run (minutes, hours): live invariant checks, progress, a final report'))
    .action(async (flags: StressFlags, command: Command) => setExit(await stressCommand(flags, command, argv)));

  program
    .command('replay <trace>')
    .description('reproduce a recorded run exactly and show its first violation')
    .option('--json', 'one JSON object on stdout')
    .option('--context <n>', 'records shown before the violation', integer('--context', 0, 10_000), 24)
    // Shown as typed, as run's is: '3s', never '3000'.
    .addOption(watchdogOption('replay'))
    .action(async (trace: string, flags: { json?: boolean; context: number; watchdog: number }) => {
      setExit(await runWatched('replay', [trace, { json: flags.json, context: flags.context }], { ring0TimeoutMs: flags.watchdog }));
    });

  program
    .command('bench')
    .description('measure the event path on threads, its latency, the simulator and the explorer, next to the raw transports')
    .option('--quick', 'one short measurement of each figure (under a minute on a quiet machine)')
    .option('--json', 'one JSON object on stdout')
    .option('--out <dir>', 'write bench.json, bench.md and bench.svg there')
    // Loaded on demand: the bench brings fast-check, piscina pools and workers of its own.
    .action(async (flags: BenchFlags) => {
      if (flags.out !== undefined) {
        checkOutputDir('--out', flags.out);
        // The files it writes there, checked too (a directory named bench.json failed after the measurements).
        for (const name of BENCH_FILES) checkOutputFile('--out', join(flags.out, name));
      }
      setExit(await (await import('./commands/bench.js')).benchCommand(flags));
    });

  addTraceOptions(program.command('trace <trace-file>').description('draw a recorded run: Chrome trace JSON (Perfetto) or an HTML timeline'))
    // trace replays the run, device code included, so the watchdog bounds it as replay's.
    .addOption(watchdogOption('drawing'))
    .action(async (trace: string, flags: TraceFlags & { watchdog: number }) => {
      checkTraceOutput(trace, flags);
      const { watchdog, ...drawing } = flags;
      setExit(await runWatched('trace', [trace, drawing], { ring0TimeoutMs: watchdog }));
    });

  addExploreCommand(program, setExit, argv);
  addWorkerCommand(program, setExit);
  addShrinkCommand(program, setExit);
  addExamples(program);
  refuseRepeatedOptions(program);
  program.hook('preAction', (_program, command) => refuseControlCharacters(command));

  return program;
}

/**
 * Commander's complaint as vmmsim's one line: `error: option '--steps <n>' argument '0' is
 * invalid. --steps must be from 1 to …` says the flag twice; our parsers' message names the flag
 * and the value alone. A suggestion (`(Did you mean --seed?)`, on a line of its own) joins it.
 */
export function usageLine(text: string): string {
  const [first = '', ...rest] = text.trim().split('\n');
  const line = first.replace(/^error: /, '');
  const ours = /^option '[^']*' argument '.*' is invalid\. (.+)$/.exec(line)?.[1];
  const hint = rest.map((l) => l.trim()).find((l) => /^\(Did you mean/.test(l));
  const help = /^(unknown option|unknown command|too many arguments|missing required argument|required option)/.test(line) ? ' (see --help)' : '';
  return `${ours ?? line}${hint !== undefined ? ` ${hint.replace('Did', 'did')}` : ''}${help}`;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0) {
    process.stderr.write('vmmsim: no command given (vmmsim --help lists them)\n');
    return EXIT.usage;
  }
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c), argv);
  stopTraceReadsWhen(interrupted);
  try {
    checkEnvironment();
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof TraceReadStopped) {
      process.stderr.write(`vmmsim: ${stopSignal()}: ${oneLine(error.message)}\n`);
      return EXIT.interrupted;
    }
    if (error instanceof CommanderError) {
      // Help and version exit 0; everything else commander rejects is bad input.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof RunFaultError) {
      process.stderr.write(`vmmsim: ${oneLine(error.message)}\n`);
      return error.exitCode;
    }
    if (error instanceof UsageError || error instanceof ScenarioError) {
      process.stderr.write(`vmmsim: ${oneLine(error.message)}\n`);
      return EXIT.usage;
    }
    const io = ioFailureMessage(error);
    if (io !== null) {
      process.stderr.write(`vmmsim: ${io}\n`);
      return EXIT.crash;
    }
    const user = userCodeFailure(error);
    if (user !== null) {
      process.stderr.write(`vmmsim: ${user}\n`);
      return EXIT.violation;
    }
    const queued = queueFailure(error);
    if (queued !== null) {
      process.stderr.write(`vmmsim: ${oneLine(queued.message)}\n`);
      return queued.code;
    }
    process.stderr.write(`vmmsim: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 70;
  }
  return code;
}
