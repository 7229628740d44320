// The command line fuzzed: fast-check generates command lines (every command, flags given or
// not, good values and bad ones, files of every shape, output paths that cannot be written)
// and runs each in this process. The README's promise, for every one: exit 0, 1, 2 or 3; for 2,
// exactly one line on stderr; never a stack trace; never a hang. Known inputs have known codes.
// `npm run fuzz` runs many more (FUZZ_RUNS, default 400) and prints the tally.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLine } from './support/commandLines.js';
import { makeFiles } from './support/files.js';
import { contractBreaches, runInProcess } from './support/inProcess.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
// The seed's 30 default runs reach exit codes 0, 1 and 2 with the corpus as it is (checked below).
const SEED = Number(process.env.FUZZ_SEED ?? 42);
/** Generous: the slowest generated input (an explore of 15 executions on a loaded machine) takes seconds. */
const BOUND_MS = 90_000;

let dir = '';
let files: Record<string, string> = {};
let fresh = 0;
/** The checkout: a generated command line without --trace (or --out) writes its default path under the cwd, which is then `dir`. */
const checkout = process.cwd();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vmmsim-fuzz-'));
  // Test files run in processes of their own (vitest's forks pool): the cwd is this file's alone.
  process.chdir(dir);
  const made = await runInProcess(['run', '--runtime', 'sim', '--steps', '600', '--trace', join(dir, 'valid.json')]);
  expect(made.code).toBe(0);
  files = makeFiles(dir, join(dir, 'valid.json'));
}, 120_000);

afterAll(() => {
  process.chdir(checkout);
  rmSync(dir, { recursive: true, force: true });
});

const paths = {
  file: (names: string[]) => fc.constantFrom(...names).map((n) => files[n]!),
  named: (name: string) => files[name]!,
  output: fc.oneof(
    { weight: 4, arbitrary: fc.constant(null).map(() => join(dir, 'out', `o${fresh++}.json`)) },
    { weight: 1, arbitrary: fc.constantFrom('a-directory', 'underAFile', 'existing.output', 'a-fifo').map((n) => files[n]!) },
    { weight: 1, arbitrary: fc.constant('') },
  ),
  outputDir: fc.oneof(
    { weight: 3, arbitrary: fc.constant(null).map(() => join(dir, 'outdir', `d${fresh++}`)) },
    { weight: 1, arbitrary: fc.constantFrom('existing.output', 'underAFile').map((n) => files[n]!) },
  ),
};

interface Tally {
  tried: number;
  clean: number;
  stackTraces: number;
  hangs: number;
  wrongCodes: number;
  byCode: Record<string, number>;
  failures: { argv: string[]; breaches: string[]; stderr: string }[];
}

/** Codes certain inputs must give, whatever else the command line says. */
function expectedCode(argv: string[]): number | null {
  if (argv[0] !== 'replay' || argv.length !== 2) return null;
  const file = argv[1]!;
  if (file === files['trace.valid']) return 0;
  if (file === files['trace.tamperedCheckpoint']) return 1;
  return 2; // every other file given to replay is not a readable trace
}

describe('fuzzing the command line', () => {
  it(`${RUNS} generated command lines keep the exit-code contract (seed ${SEED})`, async () => {
    const tally: Tally = { tried: 0, clean: 0, stackTraces: 0, hangs: 0, wrongCodes: 0, byCode: {}, failures: [] };
    await fc.assert(fc.asyncProperty(commandLine(paths), async (argv) => {
      const result = await runInProcess(argv, BOUND_MS);
      const breaches = contractBreaches(result);
      const expected = expectedCode(argv);
      if (expected !== null && result.code !== expected) breaches.push(`exit ${result.code}, expected ${expected}`);
      tally.tried++;
      tally.byCode[String(result.code)] = (tally.byCode[String(result.code)] ?? 0) + 1;
      if (breaches.includes('stack trace')) tally.stackTraces++;
      if (breaches.includes('hang')) tally.hangs++;
      if (breaches.some((b) => b.startsWith('exit') || b.startsWith('not one line'))) tally.wrongCodes++;
      if (breaches.length === 0) tally.clean++;
      else tally.failures.push({ argv, breaches, stderr: result.stderr.slice(0, 2000) });
      return true; // the tally is asserted below, all at once, with every failing input
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
    const { failures, ...numbers } = tally;
    console.log(`vmmsim fuzz: ${JSON.stringify(numbers)}`);
    expect(failures).toEqual([]);
    expect(tally.tried).toBe(RUNS);
    // The inputs reached every outcome, not only usage errors.
    if (RUNS >= 30) expect(Object.keys(tally.byCode).sort()).toEqual(expect.arrayContaining(['0', '1', '2']));
  }, RUNS * BOUND_MS);
});
