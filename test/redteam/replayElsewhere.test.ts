// The claim "replay it: npx vmmsim replay /abs/trace.json" held only in the directory the run was
// started in: a trace names its scenario module as it was given (`explore mydev.mjs`), and from
// any other directory that path named nothing ("scenario file not found: mydev.mjs"). A relative
// scenario path that names no file from here is now looked for from the directory the run started
// in (the trace records it), then beside the trace and one directory above it (a trace copied to
// another machine); otherwise one line says why.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarioModule } from '../cli/support/files.js';
import { vmmsimInvocation } from '../../src/shared/invocation.js';
import { childBound } from '../support/childBound.js';

const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-elsewhere-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vmmsim(cwd: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', ...childBound(120_000) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a trace replayed from another directory', () => {
  it('replays exactly, shrinks, and a copy far from its scenario says why it cannot', () => {
    const home = join(dir, 'project');
    const other = join(dir, 'other');
    mkdirSync(home);
    mkdirSync(other);
    // A device whose entry breaks its own invariant on the second poke: found at once, no interleaving needed.
    writeFileSync(join(home, 'mydev.mjs'), scenarioModule({ device: "{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'], procs: { poke(r) { r.state.n++; if (r.state.n === 2) r.fail('secondPoke', 'poked twice'); } } }" }));
    const found = vmmsim(home, ['explore', 'mydev.mjs', '--iterations', '5']);
    expect(found.code).toBe(1);
    const traceDir = join(home, 'vmmsim-traces');
    const trace = join(traceDir, readdirSync(traceDir).find((f) => f.endsWith('.json'))!);
    // Named as npx would find it from there (shared/invocation.ts): this copy's executable, from a folder without vmmsim installed.
    expect(found.stdout).toContain(`replay it: ${vmmsimInvocation(home)} replay vmmsim-traces/${basename(trace)}`);

    const replayed = vmmsim(other, ['replay', trace]);
    expect(replayed.stderr).toBe('');
    expect(replayed.code).toBe(1);
    expect(replayed.stdout).toMatch(/reproduced exactly/);

    const shrunk = join(other, 'shrunk.json');
    expect(vmmsim(other, ['shrink', trace, '-o', shrunk]).code).toBe(0);
    expect(vmmsim(dir, ['replay', shrunk]).stdout).toMatch(/reproduced exactly/);

    // --out far from the scenario (two levels down, or outside the project): the printed command still works from anywhere.
    const outside = join(dir, 'outside', 'a', 'b');
    const foundOutside = vmmsim(home, ['explore', 'mydev.mjs', '--iterations', '5', '--out', outside]);
    const printed = /replay it: .* replay (\S+)/.exec(foundOutside.stdout)![1]!;
    expect(vmmsim(dir, ['replay', printed]).stdout).toMatch(/reproduced exactly/);
    expect(vmmsim(other, ['replay', printed]).stdout).toMatch(/reproduced exactly/);

    const far = join(other, 'far.json');
    cpSync(trace, far);
    expect(vmmsim(dir, ['replay', far]).stdout).toMatch(/reproduced exactly/);
    // Its scenario gone from where the run started: one line says where it looked.
    renameSync(join(home, 'mydev.mjs'), join(home, 'moved.mjs'));
    expect(vmmsim(dir, ['replay', far])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^vmmsim: the trace's scenario mydev\.mjs is not found from here \(.*\), from the directory the run started in \(.*project\), beside the trace nor one directory above it: [^\n]*replay it from that directory\n$/) });
  }, 180_000);
});
