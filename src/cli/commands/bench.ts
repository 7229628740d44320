/**
 * `vmmsim bench [--quick] [--json] [--out DIR]`: the event path's figures measured side by side
 * (bench/suite.ts). Progress goes to stderr; the table (or, with --json, one object) to stdout;
 * --out writes bench.json, bench.md and bench.svg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchSvg } from '../../../bench/chart.js';
import { benchTable } from '../../../bench/report.js';
import { runBench } from '../../../bench/suite.js';
import { EXIT } from '../errors.js';
import { printJson } from '../io.js';

export interface BenchFlags {
  quick?: boolean;
  json?: boolean;
  out?: string;
}

export async function benchCommand(flags: BenchFlags): Promise<number> {
  const report = await runBench({
    quick: flags.quick ?? false,
    onProgress: (what) => process.stderr.write(`vmmsim bench: ${what}\n`),
  });
  const table = benchTable(report).join('\n');
  if (flags.out !== undefined) {
    mkdirSync(flags.out, { recursive: true });
    writeFileSync(join(flags.out, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(flags.out, 'bench.md'), `${table}\n`);
    writeFileSync(join(flags.out, 'bench.svg'), benchSvg(report));
    process.stderr.write(`vmmsim bench: wrote ${join(flags.out, 'bench.json')}, bench.md and bench.svg\n`);
  }
  if (flags.json) printJson(report);
  else process.stdout.write(`${table}\n`);
  return EXIT.ok;
}
