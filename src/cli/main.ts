/**
 * The vmmsim command line. Every command returns its exit code; bad input becomes one line on
 * stderr and exit 2 (never a stack trace); an unexpected error is reported as a bug, exit 70.
 */
import { Command, CommanderError } from 'commander';
import { ScenarioError } from '../scenario/load.js';
import { addRunOptions, runCommand, type RunFlags } from './commands/run.js';
import { addStressOptions, stressCommand, type StressFlags } from './commands/stress.js';
import { replayCommand } from './commands/replay.js';
import { addExploreCommand } from './commands/explore.js';
import { addTraceOptions, traceCommand, type TraceFlags } from './commands/trace.js';
import type { BenchFlags } from './commands/bench.js';
import { EXIT, UsageError } from './errors.js';
import { addExamples } from './examples.js';
import { integer } from './parse.js';
import { packageVersion } from './version.js';

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('vmmsim')
    .description('Simulate the Windows VMM event services (Call_Global_Event and family): stress, explore, benchmark.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.split('\n')[0]! + '\n') })
    .showSuggestionAfterError();

  addRunOptions(program.command('run').description('run the built-in machine (or a scenario) and check every invariant'))
    .action(async (flags: RunFlags) => setExit(await runCommand(flags, process.argv.slice(2))));

  addStressOptions(program.command('stress').description('a long threaded run (minutes, hours): live invariant checks, progress, a final report'))
    .action(async (flags: StressFlags) => setExit(await stressCommand(flags, process.argv.slice(2))));

  program
    .command('replay <trace>')
    .description('reproduce a recorded run exactly and show its first violation')
    .option('--json', 'one JSON object on stdout')
    .option('--context <n>', 'records shown before the violation', integer('--context', 0, 10_000), 24)
    .action(async (trace: string, flags: { json?: boolean; context: number }) => setExit(await replayCommand(trace, flags)));

  program
    .command('bench')
    .description('measure the event path on threads, its latency, the simulator and the explorer, next to the raw transports')
    .option('--quick', 'one short measurement of each figure (under a minute)')
    .option('--json', 'one JSON object on stdout')
    .option('--out <dir>', 'write bench.json, bench.md and bench.svg there')
    // Loaded on demand: the bench brings fast-check, piscina pools and workers of its own.
    .action(async (flags: BenchFlags) => setExit(await (await import('./commands/bench.js')).benchCommand(flags)));

  addTraceOptions(program.command('trace <trace-file>').description('draw a recorded run: Chrome trace JSON (Perfetto) or an HTML timeline'))
    .action(async (trace: string, flags: TraceFlags) => setExit(await traceCommand(trace, flags)));

  addExploreCommand(program, setExit);
  addExamples(program);

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; everything else commander rejects is bad input.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError || error instanceof ScenarioError) {
      process.stderr.write(`vmmsim: ${error.message.split('\n')[0]}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`vmmsim: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 70;
  }
  return code;
}

// A reader that stops early (`vmmsim replay t.json | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv.slice(2));
