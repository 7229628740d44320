// A corpus of bad input written from the README alone (command lines here; scenario modules in
// badInputCorpus.test.ts): traces that are not traces, flags out of range or in conflict, empty
// paths, directories and named pipes where a file is expected, for every command. README "Errors and exit codes": bad input is one line on stderr naming
// the flag or field and its value, exit 2; user code that threw is exit 1; never a stack trace,
// never a hang. The rows marked "was:" are what this corpus found broken.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractBreaches, runInProcess } from '../cli/support/inProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'vmmsim-corpus-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (name: string): string => join(dir, name);

/** Command lines: [argv (paths in the corpus folder), the one line]; each exit 2. */
const COMMANDS: [string[], RegExp][] = [
  // was: "scenario  is a directory, not a module file" (the empty path resolved to the working directory).
  [['run', '--runtime', 'sim', '--scenario', ''], /^vmmsim: scenario: the path is empty \(give a module file\)$/],
  [['explore', ''], /^vmmsim: scenario: the path is empty/],
  // was: "cannot read trace : ENOENT (no such file or directory)".
  [['replay', ''], /^vmmsim: cannot read trace: the path is empty \(give a trace file\)$/],
  [['shrink', ''], /^vmmsim: cannot read trace: the path is empty/],
  [['trace', '', '--format', 'html'], /^vmmsim: cannot read trace: the path is empty/],
  [['run', '--runtime', 'sim', '--scenario', 'DIR'], /^vmmsim: scenario .*DIR is a directory, not a module file$/],
  [['run', '--runtime', 'sim', '--scenario', 'FIFO'], /^vmmsim: scenario .*FIFO is not a regular file/],
  [['replay', 'T:empty'], /is not a vmmsim trace: the file is empty$/],
  [['replay', 'T:binary'], /is not a vmmsim trace: not UTF-8 text$/],
  [['replay', 'T:utf16'], /is not a vmmsim trace: not UTF-8 text$/],
  [['replay', 'T:array'], /is not a vmmsim trace: line 1: \(line\): .*expected object, received array$/],
  [['replay', 'T:object'], /is not a vmmsim trace: line 1: format: /],
  [['replay', 'T:headerOnly'], /is not a vmmsim trace: it stops before its end line \(cut off\?\)$/],
  [['replay', 'T:cut'], /is not a vmmsim trace: line \d+: not JSON$/],
  [['replay', 'T:version12'], /is a vmmsim trace of format version 12; this vmmsim reads versions 11 only/],
  [['replay', 'T:versionString'], /is a vmmsim trace of format version "11"; this vmmsim reads/],
  [['replay', 'T:hugeLine'], /is not a vmmsim trace: a line longer than \d+ bytes$/],
  [['shrink', 'T:valid'], /ends in no violation: nothing to shrink$/],
  [['shrink', 'T:binary'], /is not a vmmsim trace: not UTF-8 text$/],
  [['trace', 'T:version12', '--format', 'chrome'], /format version 12/],
  [['trace', 'T:valid', '--format', 'pdf'], /^vmmsim: --format must be one of chrome, html, got 'pdf'$/],
  [['trace', 'T:valid', '--format', 'html', '--from', '10', '--to', '5'], /^vmmsim: --from 10 is after --to 5$/],
  [['trace', 'T:valid', '--format', 'html', '--window', '5', '--from', '3'], /^vmmsim: use either --window or --from\/--to, not both$/],
  [['replay', 'T:valid', '--context', '-1'], /^vmmsim: --context must be from 0 to \d+, got -1$/],
  [['shrink', 'T:valid', '--max-candidates', 'NaN'], /^vmmsim: --max-candidates must be an integer, got 'NaN'$/],
  [['run', '--runtime', 'sim', '--steps', '1e400'], /^vmmsim: --steps must be an integer, got '1e400'$/],
  [['run', '--runtime', 'sim', '--steps', '0x10'], /^vmmsim: --steps must be an integer, got '0x10'$/],
  [['run', '--runtime', 'sim', '--seed', '99999999999999999999'], /^vmmsim: --seed must be from -2147483648 to 4294967295/],
  [['run', '--runtime', 'sim', '--watchdog', '-1s'], /^vmmsim: --watchdog must be a time above 0/],
  [['run', '--duration', ''], /^vmmsim: --duration must be a time above 0 .*got ''$/],
  [['run', '--irq-scale', 'NaN'], /^vmmsim: --irq-scale must be a number above 0 and at most \d+, got 'NaN'$/],
  [['run', '--runtime', 'sim', '--steps', '5', '--trace', 'FIFO'], /^vmmsim: --trace .*FIFO: is a named pipe or socket, not a file$/],
  [['explore', '--iterations', '1e12'], /^vmmsim: --iterations must be an integer, got '1e12'$/],
  [['explore', '--strategy', 'random', '--irq-chance', '1.5'], /^vmmsim: --irq-chance must be a number above 0 and at most 1, got '1\.5'$/],
  [['explore', '--zoo', 'T:valid'], /^vmmsim: explore --zoo takes no scenario$/],
  [['explore', '--out', 'T:valid'], /^vmmsim: --out .*: is a file, not a directory$/],
  [['bench', '--out', 'T:valid'], /^vmmsim: --out .*: is a file, not a directory$/],
  [['worker', '--queue', 'http://127.0.0.1:1'], /^vmmsim: --queue must start with redis:\/\/ or rediss:\/\/, got 'http:\/\/'$/],
  [['worker', '--queue', 'redis://127.0.0.1:1', '--concurrency', '0'], /^vmmsim: --concurrency must be from 1 to \d+, got 0$/],
  [['stress', '--runs', '3'], /^vmmsim: --runs needs --queue$/],
  // Round four. was: the flag typed last won in silence (`--no-trace --trace t.json` wrote a trace).
  [['run', '--runtime', 'sim', '--steps', '5', '--no-trace', '--trace', 'never.json'], /^vmmsim: --no-trace and --trace contradict each other \(give one of them\)$/],
  [['run', '--runtime', 'sim', '--steps', '5', '--trace=never.json', '--no-trace'], /^vmmsim: --trace and --no-trace contradict each other/],
  [['stress', '--duration', '1s', '--no-trace', '--trace', 'never.json'], /^vmmsim: --no-trace and --trace contradict each other/],
  // was: "scenario file not found: - (looked for <cwd>/-)".
  [['run', '--runtime', 'sim', '--scenario', '-'], /^vmmsim: scenario: '-' \(standard input\) is not read: a scenario is a module file \(give its path\)$/],
  [['run', '--runtime', 'sim', '--seed', '1.5'], /^vmmsim: --seed must be an integer, got '1\.5'$/],
  [['explore', '--workloads', '1025'], /^vmmsim: --workloads must be from 1 to 1024, got 1025$/],
  [['explore', '--zoo', '--strategy', 'bogus'], /^vmmsim: --strategy must be one of portfolio, pct, pos, random, guided, dfs, got 'bogus'$/],
  // Valid JSON, hostile numbers.
  [['replay', 'T:seedHuge'], /is not a vmmsim trace: line 1: seed: Too big/],
  [['replay', 'T:stepsHuge'], /is not a vmmsim trace: line \d+: steps: Too big/],
  [['replay', 'T:recordsHuge'], /is not a vmmsim trace: line \d+: expect\.records: Too big/],
  [['shrink', 'T:vmsHuge'], /is not a vmmsim trace: line 1: scenario\.vms: Too big/],
  // An outside audit. was: "DIVERGED: the trace's workload is malformed", exit 1, and a "see it"
  // command that failed (shrink said "not a vmmsim trace", exit 2).
  [['replay', 'T:workloadTorn'], /^vmmsim: \S+ is not a vmmsim trace: workload of VM 1: 4 words is not a whole number of ops$/],
  [['trace', 'T:workloadTorn', '--format', 'html'], /^vmmsim: \S+ is not a vmmsim trace: workload of VM 1: 4 words is not a whole number of ops$/],
  // An outside audit. was: "the file is empty" for a file of newlines; a second workload line for a
  // VM replaced the first in silence; ops that no run records (a run backwards, mask of IRQ 99) ran.
  [['replay', 'T:blankLines'], /is not a vmmsim trace: the file holds only blank lines$/],
  [['replay', 'T:workloadTwice'], /is not a vmmsim trace: a second workload for VM 1$/],
  [['replay', 'T:workloadRunBack'], /is not a vmmsim trace: workload of VM 1, op 2: run -1: a run of fewer than 0 ticks$/],
  [['trace', 'T:workloadMask99', '--format', 'html'], /is not a vmmsim trace: workload of VM 1, op 1: mask irq 99: the PIC has IRQs 0 to 15$/],
  // An outside audit. was: "vmmsim: the trace's scenario a" (the line cut at the path's newline).
  [['replay', 'T:moduleNewline'], /^vmmsim: the trace's scenario a\\nb\.mjs is not found from here .*replay it from that directory$/],
  // was: a simulated run's trace whose end line said an actor failed, printed raw (an escape sequence, a line split in two).
  [['replay', 'T:actorFailedOnSim'], /is not a vmmsim trace: line \d+: actorFailed: a simulated run has no actors to fail \(the header says runtime sim\)$/],
];

/** The trace with these workload lines before its end line. */
function withWorkload(text: string, lines: string[]): string {
  const all = text.trimEnd().split('\n');
  return [...all.slice(0, -1), ...lines, all.at(-1)!, ''].join('\n');
}

describe('command lines', () => {
  const traces: Record<string, string> = {};
  beforeAll(async () => {
    mkdirSync(p('DIR'));
    spawnSync('mkfifo', [p('FIFO')]);
    const valid = p('valid.json');
    expect((await runInProcess(['run', '--runtime', 'sim', '--steps', '50', '--trace', valid])).code).toBe(0);
    const text = readFileSync(valid, 'utf8');
    const header = text.split('\n')[0]!;
    const files: Record<string, string | Buffer> = {
      valid: text,
      empty: '',
      binary: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) & 0xff)),
      utf16: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      array: '[]\n',
      object: '{}\n',
      headerOnly: `${header}\n`,
      cut: text.slice(0, Math.floor(text.length / 2)),
      version12: text.replace('"version":11', '"version":12'),
      versionString: text.replace('"version":11', '"version":"11"'),
      hugeLine: `${header}\n{"t":"choices","runs":[${'0,'.repeat(3_000_000)}0]}\n`,
      seedHuge: text.replace('"seed":1,', '"seed":1e308,'),
      stepsHuge: text.replace('"t":"end","steps":50,', '"t":"end","steps":1e308,'),
      recordsHuge: text.replace(/"records":\d+/, '"records":1e308'),
      vmsHuge: text.replace('"vms":4', '"vms":1e308'),
      blankLines: '\n'.repeat(100_000),
      workloadTwice: withWorkload(text, ['{"t":"workload","vm":1,"ops":[1,5,0]}', '{"t":"workload","vm":1,"ops":[1,6,0]}']),
      workloadRunBack: withWorkload(text, ['{"t":"workload","vm":1,"ops":[1,5,0,1,-1,0]}']),
      workloadMask99: withWorkload(text, ['{"t":"workload","vm":1,"ops":[8,99,1]}']),
      moduleNewline: text.replace(/"scenario":\{[^}]*\}/g, '"scenario":{"kind":"module","path":"a\\nb.mjs"}'),
      actorFailedOnSim: text.replace('"t":"end",', '"t":"end","actorFailed":{"actor":"vm9\\u001b[31m","message":"boom\\nline2"},'),
      claimedKindControl: text.replace('"firstViolation":null', '"firstViolation":{"kind":"x\\u001b[2J\\ny","severity":"device","message":"m\\nn","seq":0}'),
      workloadTorn: (() => {
        const lines = text.trimEnd().split('\n');
        return [...lines.slice(0, -1), '{"t":"workload","vm":1,"ops":[1,2,3,4]}', lines.at(-1)!, ''].join('\n');
      })(),
    };
    for (const [name, content] of Object.entries(files)) writeFileSync((traces[name] = p(`${name}.trace.json`)), content);
  });

  // A tampered claim is a divergence (exit 1), and what the trace says is printed escaped: an
  // escape sequence in it reached the terminal, a newline split the report's line.
  it('a claimed violation whose kind holds an escape sequence and a newline: replay and trace print it escaped', async () => {
    for (const args of [['replay', traces['claimedKindControl']!], ['trace', traces['claimedKindControl']!, '--format', 'html', '-o', p('kind.html')]]) {
      const result = await runInProcess(args, 60_000);
      expect(contractBreaches(result)).toEqual([]);
      const printed = result.stdout + result.stderr;
      expect(printed).not.toMatch(/\u001b/);
      expect(printed).not.toMatch(/\ny/);
      expect({ args, code: result.code, printed }).toMatchObject({ args, code: 1, printed: expect.stringMatching(/x\\x1b\[2J\\ny/) });
    }
  });

  for (const [argv, stderr] of COMMANDS) {
    it(`vmmsim ${argv.join(' ')}: one line, exit 2`, async () => {
      const args = argv.map((a) => (a.startsWith('T:') ? traces[a.slice(2)]! : a === 'DIR' || a === 'FIFO' ? p(a) : a));
      const result = await runInProcess(args, 60_000);
      expect(contractBreaches(result)).toEqual([]);
      expect({ code: result.code, stderr: result.stderr.trimEnd() }).toEqual({ code: 2, stderr: expect.stringMatching(stderr) });
    });
  }
});

