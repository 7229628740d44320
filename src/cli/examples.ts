/**
 * The examples that end each command's --help: real command lines, each one runs as written
 * from a clone or an installed package (the trace paths are the ones a run prints).
 */
import type { Command } from 'commander';

const EXAMPLES: Record<string, [string, string][]> = {
  vmmsim: [
    ['a 3-second threaded run of the built-in machine', 'npx vmmsim run --duration 3'],
    ['hunt race conditions in your own scenario', 'npx vmmsim explore my-scenario.ts --strategy pct --iterations 2000'],
    ['draw a recorded run as an HTML timeline', 'npx vmmsim trace vmmsim-traces/<trace>.json --format html'],
  ],
  run: [
    ['3 seconds on worker threads (the default), 6 VMs', 'npx vmmsim run --vms 6 --duration 3'],
    ['the same machine in virtual time, 50,000 client steps, as JSON', 'npx vmmsim run --runtime sim --steps 50000 --json'],
    ['your scenario, pooled handles, a structured log', 'npx vmmsim run --scenario my-scenario.ts --handles pooled --log run.log'],
  ],
  stress: [
    ['ten minutes with a progress bar (the default duration)', 'npx vmmsim stress'],
    ['an hour on 8 VMs, interrupts twice as often', 'npx vmmsim stress --duration 1h --vms 8 --irq-scale 0.5'],
    ['check the crash path: VM 2 fails after 2 seconds', 'npx vmmsim stress --duration 10s --fault crash:vm2@2s'],
  ],
  replay: [
    ['reproduce a recorded run and show its first violation', 'npx vmmsim replay vmmsim-traces/<trace>.json'],
    ['with the 100 records before it, as JSON', 'npx vmmsim replay vmmsim-traces/<trace>.json --context 100 --json'],
  ],
  bench: [
    ['every figure, quickly (under a minute on a quiet machine)', 'npx vmmsim bench --quick'],
    ['the full measurement, with a table, JSON and a chart', 'npx vmmsim bench --out bench-results'],
  ],
  trace: [
    ['an HTML timeline next to the trace (whole run + detail on zoom)', 'npx vmmsim trace vmmsim-traces/<trace>.json --format html'],
    ['the 2,000 records before the first violation, for Perfetto', 'npx vmmsim trace vmmsim-traces/<trace>.json --format chrome --window 2000'],
    ['every record of one stretch', 'npx vmmsim trace vmmsim-traces/<trace>.json --format html --from 120000 --to 150000 -o stretch.html'],
  ],
  explore: [
    ['search your scenario with the default portfolio (pct, pos, random, guided)', 'npx vmmsim explore my-scenario.ts --iterations 2000'],
    ['bounded exhaustive search of the built-in machine on 2 VMs', 'npx vmmsim explore default --strategy dfs --vms 2 --steps 40'],
    ['hunt every bug of the zoo, each with its documented budget', 'npx vmmsim explore --zoo'],
  ],
  shrink: [
    ['shrink a recorded run (threaded ones too) to a 1-minimal trace', 'npx vmmsim shrink vmmsim-traces/<trace>.json -o small.json'],
    ['the sizes before and after, as JSON', 'npx vmmsim shrink vmmsim-traces/<trace>.json --json'],
  ],
  worker: [
    ['run campaign chunks for any coordinator on this Redis, 2 at a time', 'npx vmmsim worker --queue redis://127.0.0.1:6379/0 --concurrency 2'],
    ['log each chunk to a file', 'npx vmmsim worker --queue redis://127.0.0.1:6379/0 --log worker.log --log-level info'],
  ],
};

function examplesText(lines: readonly [string, string][]): string {
  return `\nExamples:\n${lines.map(([what, command]) => `  # ${what}\n  $ ${command}`).join('\n')}\n`;
}

/** Adds the examples to the program's help and to each command's that has some. */
export function addExamples(program: Command): void {
  program.addHelpText('after', examplesText(EXAMPLES.vmmsim!));
  for (const command of program.commands) {
    const lines = EXAMPLES[command.name()];
    if (lines !== undefined) command.addHelpText('after', examplesText(lines));
  }
}
