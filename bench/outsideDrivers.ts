/**
 * The outside drivers' tables in the README ("Outside drivers"): for each driver, the execution
 * at which each strategy first finds its bug (null: not found), and the portfolio's find shrunk
 * (steps before → after). Each campaign is the CLI's own `vmmsim explore --json`, so the figures
 * are what a user gets. The README's first round ran on the seed's own workload (workloads 1),
 * the later rounds on the default workloads.
 *
 *   npm run build && node dist/bench/outsideDrivers.js [seed] [budget] [workloads|default] [driver,driver,...]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUTSIDE_DRIVERS, OUTSIDE_DRIVERS_THIRD_ROUND } from '../examples/outside/index.js';
import { runIfEntry } from './transport/runDirectly.js';

const STRATEGIES = ['portfolio', 'pct', 'pos', 'random', 'guided', 'dfs'] as const;
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../examples/outside/', import.meta.url));
/** The drivers beside this module: compiled (.js) in dist, or the sources under tsx. */
const EXTENSION = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

export interface OutsideRow {
  driver: string;
  kind: string;
  /** Strategy → the execution of the first find of the driver's kind, or null. */
  firstFind: Record<(typeof STRATEGIES)[number], number | null>;
  /** The portfolio's find, shrunk: steps before and after. */
  shrunkSteps: { before: number; after: number } | null;
}

interface ExploreJson {
  found: boolean;
  violation: { kind: string; execution: number } | null;
  shrink: { before: { steps: number }; after: { steps: number } } | null;
}

function explore(file: string, strategy: string, seed: number, budget: number, workloads: number | null, out: string): ExploreJson {
  const args = [CLI, 'explore', join(EXAMPLES, `${file}.${EXTENSION}`), '--strategy', strategy, '--seed', String(seed), '--iterations', String(budget), '--json', '--out', out];
  if (workloads !== null) args.push('--workloads', String(workloads));
  if (strategy !== 'portfolio') args.push('--no-shrink');
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`explore ${file} --strategy ${strategy}: exit ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as ExploreJson;
}

/** `workloads` null: the strategy's default; `only`: these drivers (by file name), else every one. */
export function measureOutsideDrivers(seed: number, budget: number, workloads: number | null = null, only: readonly string[] | null = null): OutsideRow[] {
  const out = mkdtempSync(join(tmpdir(), 'vmmsim-outside-'));
  try {
    const drivers = [...OUTSIDE_DRIVERS, ...OUTSIDE_DRIVERS_THIRD_ROUND].filter((d) => only === null || only.includes(d.file));
    return drivers.map((driver) => {
      const firstFind = {} as OutsideRow['firstFind'];
      let shrunkSteps: OutsideRow['shrunkSteps'] = null;
      for (const strategy of STRATEGIES) {
        const report = explore(driver.file, strategy, seed, budget, workloads, out);
        // A find of another kind is not this driver's bug.
        firstFind[strategy] = report.found && report.violation?.kind === driver.kind ? report.violation.execution : null;
        if (strategy === 'portfolio' && report.shrink !== null && firstFind.portfolio !== null) {
          shrunkSteps = { before: report.shrink.before.steps, after: report.shrink.after.steps };
        }
      }
      return { driver: driver.file, kind: driver.kind, firstFind, shrunkSteps };
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

runIfEntry(import.meta.url, async () => {
  const [seed = '1', budget = '2000', workloads = 'default', only] = process.argv.slice(2);
  return measureOutsideDrivers(Number(seed), Number(budget), workloads === 'default' ? null : Number(workloads), only === undefined ? null : only.split(','));
});
