/**
 * `vmmsim bench [--quick] [--json] [--out DIR]`: the event path's figures measured side by side
 * (bench/suite.ts). Progress goes to stderr; the table (or, with --json, one object) to stdout;
 * --out writes bench.json, bench.md and bench.svg.
 */
import { writeFileSync } from 'node:fs';
import { makeDirs } from '../../shared/makeDirs.js';
import { join } from 'node:path';
import { benchSvg } from '../../../bench/chart.js';
import { benchTable } from '../../../bench/report.js';
import { BenchInterrupted, runBench, type BenchReport } from '../../../bench/suite.js';
import { EXIT } from '../errors.js';
import { interrupted, onSigint, stopSignal } from '../interrupt.js';
import { namingFile, printJson } from '../io.js';
import { BENCH_FILES } from '../benchFiles.js';
import { writeStdout } from '../../shared/commandStdout.js';

export interface BenchFlags {
  quick?: boolean;
  json?: boolean;
  out?: string;
}

/** Ctrl-C stops between two measurements and prints what was measured (exit 130); a second exits at once. */
export async function benchCommand(flags: BenchFlags): Promise<number> {
  const dispose = onSigint();
  let report: BenchReport;
  try {
    report = await runBench({
      quick: flags.quick ?? false,
      onProgress: (what) => process.stderr.write(`vmmsim bench: ${what}\n`),
      cancelled: interrupted,
    });
  } catch (error) {
    if (!(error instanceof BenchInterrupted)) throw error;
    if (flags.json) printJson({ interrupted: true, measured: error.measured });
    else {
      writeStdout(`vmmsim bench: INTERRUPTED by ${stopSignal()}; the figures measured so far:\n`);
      writeStdout(`${JSON.stringify(error.measured, null, 2)}\n`);
    }
    return EXIT.interrupted;
  } finally {
    dispose();
  }
  const table = benchTable(report).join('\n');
  // The report first: a file that cannot be written then loses nothing measured.
  if (flags.json) printJson(report);
  else writeStdout(`${table}\n`);
  if (flags.out !== undefined) {
    makeDirs(flags.out);
    const texts: Record<(typeof BENCH_FILES)[number], string> = { 'bench.json': `${JSON.stringify(report, null, 2)}\n`, 'bench.md': `${table}\n`, 'bench.svg': benchSvg(report) };
    for (const name of BENCH_FILES) {
      const path = join(flags.out, name);
      namingFile(path, () => writeFileSync(path, texts[name]));
    }
    process.stderr.write(`vmmsim bench: wrote ${join(flags.out, 'bench.json')}, bench.md and bench.svg\n`);
  }
  return EXIT.ok;
}
