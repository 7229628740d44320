// A flag the chosen run would ignore is bad input, not silence: one line naming the flag and
// why, exit 2, before any work (README "Command line": "a flag that does not apply to the chosen
// strategy or mode is an error"). Flags a portfolio member reads are accepted for the portfolio.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarioModule } from './support/files.js';
import { contractBreaches, runInProcess, type CliResult } from './support/inProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'vmmsim-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (...argv: string[]): Promise<CliResult> => runInProcess(argv);
const out = ['--out', join(dir, 'out')];

function refused(result: CliResult, mentions: RegExp): void {
  expect(contractBreaches(result)).toEqual([]);
  expect({ code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({ code: 2, stderr: expect.stringMatching(mentions), stdout: '' });
}

describe('explore: strategy flags only where the strategy reads them', () => {
  const cases: [string[], RegExp][] = [
    [['--strategy', 'random', '--depth', '3'], /^vmmsim: --depth does not apply to --strategy random \(it is read by pct, portfolio\)\n$/],
    [['--strategy', 'pos', '--depth', '3'], /--depth does not apply to --strategy pos/],
    [['--strategy', 'dfs', '--depth', '3'], /--depth does not apply to --strategy dfs/],
    [['--strategy', 'pct', '--irq-chance', '0.5'], /--irq-chance does not apply to --strategy pct/],
    [['--strategy', 'dfs', '--irq-chance', '0.5'], /--irq-chance does not apply to --strategy dfs/],
    [['--strategy', 'random', '--preemption-bound', '1'], /--preemption-bound does not apply to --strategy random \(it is read by dfs\)/],
    [['--preemption-bound', '1'], /--preemption-bound does not apply to --strategy portfolio/],
    [['--strategy', 'guided', '--stateless'], /--stateless does not apply to --strategy guided/],
    [['--strategy', 'dfs', '--workers', '2'], /--workers does not apply to --strategy dfs/],
    [['--zoo', '--steps', '10'], /--steps does not apply to --zoo/],
    [['--zoo', '--depth', '2'], /--depth does not apply to --zoo/],
    [['--zoo', '--no-shrink'], /--no-shrink does not apply to --zoo/],
    [['--zoo', '--keep-going'], /--keep-going does not apply to --zoo/],
    [['--chunk', '4'], /--chunk needs --queue/],
    [['--campaign', 'c1'], /--campaign needs --queue/],
  ];
  for (const [flags, message] of cases) {
    it(`explore ${flags.join(' ')}: exit 2`, async () => refused(await cli('explore', ...flags, ...out), message));
  }

  it('a flag a portfolio member reads is accepted for the portfolio, and for its member', async () => {
    for (const flags of [['--depth', '3'], ['--irq-chance', '0.5'], ['--strategy', 'pct', '--depth', '3'], ['--strategy', 'guided', '--irq-chance', '0.5'], ['--strategy', 'dfs', '--preemption-bound', '1', '--stateless']]) {
      const result = await cli('explore', ...flags, '--iterations', '2', '--steps', '40', ...out);
      expect({ flags, code: result.code, stderr: result.stderr }).toEqual({ flags, code: 0, stderr: '' });
    }
  }, 60_000);
});

describe('stress --queue: flags of a local run are refused', () => {
  for (const flag of [['--watchdog', '1s'], ['--log', join(dir, 'x.log')], ['--log-level', 'debug'], ['--no-progress'], ['--thread-layout', 'split']]) {
    it(`stress --queue ${flag.join(' ')}: exit 2 before Redis is asked`, async () => {
      refused(await cli('stress', '--queue', 'redis://127.0.0.1:1', ...flag), new RegExp(`^vmmsim: ${flag[0]} does not apply with --queue`));
    });
  }
});

describe('explore traces are named like run\'s: <command>-<scenario>-...-<seed>-<run id>.json', () => {
  it('two explores of the same seed write two traces; the report and the file name share the run id', async () => {
    const outDir = join(dir, 'named');
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const result = await cli('explore', '--zoo', '--strategy', 'random', '--iterations', '2', '--out', outDir, '--json');
      expect(contractBreaches(result)).toEqual([]);
      ids.push((JSON.parse(result.stdout) as { runId: string }).runId);
    }
    expect(ids[0]).toMatch(/^[0-9a-z]{10}$/);
    expect(ids[0]).not.toBe(ids[1]);
    const names = readdirSync(outDir);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(new RegExp(`^zoo-[a-z0-9-]+-1-(${ids[0]}|${ids[1]})\\.json$`));
  }, 120_000);

  it('explore of a scenario: explore-<scenario>-<strategy>-<seed>-<run id>.json, the id in the report header', async () => {
    const outDir = join(dir, 'named-explore');
    const scenario = join(dir, 'violates.mjs');
    writeFileSync(scenario, scenarioModule({ extra: ", invariants: [{ name: 'neverAboveTen', check: (v) => v.device('dev').n > 10 ? 'n went above ten' : undefined }]" }));
    const result = await cli('explore', scenario, '--strategy', 'random', '--iterations', '3', '--no-shrink', '--out', outDir);
    expect(result.code, result.stderr).toBe(1);
    const runId = /^vmmsim explore ([0-9a-z]{10}):/.exec(result.stdout)?.[1];
    expect(runId, result.stdout).toBeDefined();
    expect(readdirSync(outDir)).toEqual([`explore-fuzzed-random-1-${runId}.json`]);
  }, 60_000);
});

describe('numbers are decimal, finite and in range, for every numeric flag', () => {
  const numeric: [string[], string][] = [
    [['run', '--runtime', 'sim', '--steps'], '--steps'], [['run', '--runtime', 'sim', '--vms'], '--vms'], [['run', '--irq-scale'], '--irq-scale'],
    [['explore', '--iterations'], '--iterations'], [['explore', '--irq-chance'], '--irq-chance'], [['explore', '--irq-budget'], '--irq-budget'],
    [['explore', '--workers'], '--workers'], [['explore', '--depth'], '--depth'], [['replay', 'x.json', '--context'], '--context'],
    [['shrink', 'x.json', '--max-candidates'], '--max-candidates'], [['trace', 'x.json', '--format', 'html', '--window'], '--window'],
  ];
  for (const [argv, flag] of numeric) {
    it(`${argv.join(' ')} with -1, NaN, 1e400, 0x10, '' and Infinity: exit 2 naming ${flag}`, async () => {
      for (const value of ['-1', 'NaN', '1e400', '0x10', '', 'Infinity']) {
        const result = await cli(...argv, value);
        expect({ value, code: result.code, breaches: contractBreaches(result) }).toEqual({ value, code: 2, breaches: [] });
        expect(result.stderr).toContain(flag);
      }
    });
  }
});
