/**
 * `npm run mutants`: applies each mutant of catalogue.ts to a temporary copy of the repository
 * (never the working tree), and asks two judges whether they notice:
 *   (a) the core's tests (test/vmm, test/devices; also test/shared for a mutant of src/shared,
 *       the layouts the core shares with the threaded runtime), and
 *   (b) the runtime checker: `vmmsim run --runtime sim` on a few seeds, of the built-in machine
 *       and of the mutant's own checker scenario where it names one (exit code 1 = an invariant
 *       broke; a checker scenario runs with --vmm-only, so the device bugs it makes on purpose
 *       are reported and do not count).
 * Prints the kill rate of each judge, and every survivor. Exits 1 if a mutant that breaks a
 * SPEC §7 invariant escapes the runtime checker, 2 if a mutant no longer applies.
 *
 *   npm run mutants [-- --jobs 2] [--only id,id] [--seeds 1,2,3] [--json]
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MUTANTS, type Mutant } from './catalogue.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHECKER_SCENARIOS = [...new Set(MUTANTS.flatMap((m) => (m.checkerScenario === undefined ? [] : [m.checkerScenario])))];
/** What a copy needs to test and run the simulator from source. */
const COPIED = ['src', 'test', 'examples', 'scripts', 'bench', 'workers', 'bin', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'vitest.config.ts'];
const TEST_DIRS = ['test/vmm', 'test/devices'];
/** The tests of src/shared: a mutant there is judged by them too. */
const SHARED_TEST_DIR = 'test/shared';

/** The test directories that judge a mutant of `file`. */
function testDirsFor(file: string): string[] {
  return file.startsWith('src/shared/') ? [...TEST_DIRS, SHARED_TEST_DIR] : TEST_DIRS;
}
// The whole of test/vmm + test/devices takes 5-6 minutes on a loaded 2-core machine: a kill must
// not turn into a "timeout" (a survivor in the report) because the machine is busy.
const TEST_TIMEOUT_MS = 900_000;
const RUN_TIMEOUT_MS = 120_000;

/** The verbose reporter's line for a failed test, printed as the test ends: " × test/x.test.ts > name 36ms". */
const FAILED_TEST = /^ *× /m;

type Verdict = 'killed' | 'survived' | 'crashed' | 'timeout';

interface Outcome {
  mutant: Mutant;
  tests: Verdict;
  checker: Verdict;
  /** The first invariant the checker reported, or why the run failed. */
  detail: string;
}

interface Options {
  jobs: number;
  only: Set<string> | null;
  seeds: number[];
  json: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { jobs: 2, only: null, seeds: [1, 2, 3], json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) fail(`${arg} needs a value`);
      return v;
    };
    if (arg === '--jobs') options.jobs = Math.max(1, Number.parseInt(value(), 10) || 1);
    else if (arg === '--only') options.only = new Set(value().split(','));
    else if (arg === '--seeds') options.seeds = value().split(',').map((s) => Number.parseInt(s, 10));
    else if (arg === '--json') options.json = true;
    else fail(`unknown option ${arg}`);
  }
  if (options.seeds.some((s) => !Number.isInteger(s))) fail('--seeds takes integers, e.g. 1,2,3');
  return options;
}

function fail(message: string): never {
  process.stderr.write(`mutants: ${message}\n`);
  process.exit(2);
}

/**
 * Runs node with `args`. `failedWhen`: output that settles the verdict before the end; the child
 * is stopped there and the result reads as a failure (exit code 1).
 */
function run(cwd: string, args: string[], timeoutMs: number, failedWhen?: RegExp): Promise<{ code: number | null; stdout: string; timedOut: boolean }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', CI: '1' }, detached: true });
    let stdout = '';
    let failedEarly = false;
    // The whole group: vitest's forked workers must not outlive it.
    const stop = (): void => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < 4_000_000) stdout += chunk.toString();
      if (failedWhen !== undefined && !failedEarly && failedWhen.test(stdout)) {
        failedEarly = true;
        stop();
      }
    });
    const timer = setTimeout(stop, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failedEarly) done({ code: 1, stdout, timedOut: false });
      else done({ code, stdout, timedOut: signal === 'SIGKILL' });
    });
  });
}

/** A copy of the repository for one job; node_modules is shared through a symlink. */
function makeCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vmmsim-mutant-'));
  for (const entry of COPIED) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function apply(dir: string, mutant: Mutant): string {
  const path = join(dir, mutant.file);
  const original = readFileSync(path, 'utf8');
  const at = original.indexOf(mutant.search);
  if (at < 0 || original.indexOf(mutant.search, at + 1) >= 0) {
    throw new Error(`mutant ${mutant.id}: its search text must occur exactly once in ${mutant.file}`);
  }
  writeFileSync(path, original.slice(0, at) + mutant.replace + original.slice(at + mutant.search.length));
  return original;
}

/** `dirs`: the test directories to run (the baseline runs those of every selected mutant). */
async function judgeTests(dir: string, mutant: Mutant | null, dirs: readonly string[]): Promise<Verdict> {
  if (mutant?.quotedIn !== undefined) {
    const first = await run(dir, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...mutant.quotedIn, '--reporter=verbose'], TEST_TIMEOUT_MS, FAILED_TEST);
    if (!first.timedOut && first.code !== 0) return 'killed';
  }
  // One failing test is a kill, and the judge stops at the first one (the verbose reporter prints
  // a test's line as soon as it ends): a mutant that also makes another test very slow (the
  // livelock bound × 1000 on the zoo's livelock scenario: a million dispatches per pass,
  // gigabytes of records) is judged by the failure, not by the clock. --bail alone cannot: it
  // waits for the test files already running.
  const result = await run(dir, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...dirs, '--reporter=verbose', '--bail=1'], TEST_TIMEOUT_MS, FAILED_TEST);
  if (result.timedOut) return 'timeout';
  return result.code === 0 ? 'survived' : 'killed';
}

/**
 * The runtime checker: the built-in machine in the simulator, and the mutant's own checker
 * scenario where it names one; exit code 1 = an invariant broke.
 */
async function judgeChecker(dir: string, seeds: number[], scenarios: readonly string[]): Promise<{ verdict: Verdict; detail: string }> {
  let crashed = '';
  for (const scenario of ['', ...scenarios]) {
    for (const seed of seeds) {
      const on = scenario === '' ? `seed ${seed}` : `${scenario} seed ${seed}`;
      const args = [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/main.ts', 'run', '--runtime', 'sim', '--seed', String(seed), '--json', '--no-trace'];
      // A checker scenario may make device bugs on purpose (a refused call is one): the checker judge counts VMM invariants only.
      if (scenario !== '') args.push('--scenario', scenario, '--vmm-only');
      const result = await run(dir, args, RUN_TIMEOUT_MS);
      if (result.timedOut) return { verdict: 'timeout', detail: `${on} did not finish` };
      if (result.code === 1) return { verdict: 'killed', detail: `${on}: ${firstVmmViolation(result.stdout)}` };
      if (result.code !== 0) crashed ||= `${on} exited ${result.code}`;
    }
  }
  return crashed !== '' ? { verdict: 'crashed', detail: crashed } : { verdict: 'survived', detail: '' };
}

function firstVmmViolation(stdout: string): string {
  try {
    const report = JSON.parse(stdout) as { violations?: { kind: string; severity: string }[] };
    return report.violations?.find((v) => v.severity === 'vmm')?.kind ?? 'invariantsOk false';
  } catch {
    return 'invariantsOk false';
  }
}

async function judge(dir: string, mutant: Mutant | null, seeds: number[], testDirs: readonly string[]): Promise<{ tests: Verdict; checker: Verdict; detail: string }> {
  const original = mutant === null ? null : apply(dir, mutant);
  // The unmutated code must pass every checker scenario a mutant names.
  const scenarios = mutant === null ? CHECKER_SCENARIOS : mutant.checkerScenario === undefined ? [] : [mutant.checkerScenario];
  try {
    const [tests, checker] = [await judgeTests(dir, mutant, testDirs), await judgeChecker(dir, seeds, scenarios)];
    return { tests, checker: checker.verdict, detail: checker.detail };
  } finally {
    if (mutant !== null && original !== null) writeFileSync(join(dir, mutant.file), original);
  }
}

function rate(outcomes: Outcome[], key: 'tests' | 'checker'): string {
  const killed = outcomes.filter((o) => o[key] === 'killed').length;
  return `${killed}/${outcomes.length} (${((100 * killed) / Math.max(1, outcomes.length)).toFixed(0)}%)`;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const mutants = MUTANTS.filter((m) => options.only === null || options.only.has(m.id));
  if (mutants.length === 0) fail('no mutant selected');
  const copies = Array.from({ length: Math.min(options.jobs, mutants.length) }, makeCopy);
  try {
    // The unmutated copy must pass both judges, or every "kill" would mean nothing.
    const baselineDirs = [...new Set(mutants.flatMap((m) => testDirsFor(m.file)))];
    const baseline = await judge(copies[0]!, null, options.seeds, baselineDirs);
    if (baseline.tests !== 'survived' || baseline.checker !== 'survived') {
      for (const dir of copies) rmSync(dir, { recursive: true, force: true });
    }
    if (baseline.tests !== 'survived' || baseline.checker !== 'survived') fail(`the unmutated code does not pass: tests ${baseline.tests}, checker ${baseline.checker} ${baseline.detail}`);
    const outcomes: Outcome[] = [];
    let next = 0;
    await Promise.all(copies.map(async (dir) => {
      for (let i = next++; i < mutants.length; i = next++) {
        const mutant = mutants[i]!;
        const verdict = await judge(dir, mutant, options.seeds, testDirsFor(mutant.file));
        outcomes[i] = { mutant, ...verdict };
        if (!options.json) process.stderr.write(`  ${mutant.id}: tests ${verdict.tests}, checker ${verdict.checker}${verdict.detail ? ` (${verdict.detail})` : ''}\n`);
      }
    }));
    report(outcomes, options);
    const escaped = outcomes.filter((o) => o.mutant.invariant && o.checker !== 'killed');
    process.exitCode = escaped.length > 0 ? 1 : 0;
  } finally {
    for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  }
}

function report(outcomes: Outcome[], options: Options): void {
  const invariant = outcomes.filter((o) => o.mutant.invariant);
  const summary = {
    mutants: outcomes.length,
    seeds: options.seeds,
    testsKillRate: rate(outcomes, 'tests'),
    checkerKillRate: rate(outcomes, 'checker'),
    invariantMutantsCheckerKillRate: rate(invariant, 'checker'),
    killedByEither: outcomes.filter((o) => o.tests === 'killed' || o.checker === 'killed').length,
    survivors: {
      tests: outcomes.filter((o) => o.tests !== 'killed').map((o) => ({ id: o.mutant.id, spec: o.mutant.spec, tests: o.tests, checker: o.checker })),
      checker: outcomes.filter((o) => o.checker !== 'killed').map((o) => ({ id: o.mutant.id, spec: o.mutant.spec, invariant: o.mutant.invariant, checker: o.checker, detail: o.detail })),
    },
    outcomes: outcomes.map((o) => ({ id: o.mutant.id, invariant: o.mutant.invariant, tests: o.tests, checker: o.checker, detail: o.detail })),
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const lines = [
    `${outcomes.length} mutants of src/vmm and src/shared, runtime checker on seeds ${options.seeds.join(', ')}`,
    `  killed by the tests (${TEST_DIRS.join(', ')}; ${SHARED_TEST_DIR} for src/shared): ${summary.testsKillRate}`,
    `  killed by the runtime checker:               ${summary.checkerKillRate}`,
    `  SPEC §7 invariant mutants killed by the runtime checker: ${summary.invariantMutantsCheckerKillRate}`,
    `  killed by either: ${summary.killedByEither}/${outcomes.length}`,
    'survivors of the tests:',
    ...summary.survivors.tests.map((s) => `  ${s.id} (${s.tests}) — ${s.spec}`),
    'survivors of the runtime checker:',
    ...summary.survivors.checker.map((s) => `  ${s.invariant ? '[§7] ' : ''}${s.id} (${s.checker}) — ${s.spec}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
