/**
 * The README against the tool it describes: every command's every flag (as `--help` lists it) is
 * documented, every link inside the README reaches a heading, and every repository path it names
 * exists. An audit of the README found all three kinds of drift at once (a watchdog paragraph
 * naming commands the flag did not reach, a stale link, flags missing from an option table).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';

const readme = readFileSync('README.md', 'utf8');

/** GitHub's anchor of a heading: lower case, punctuation but '-' and '_' dropped, spaces to '-'. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6} (.+)$/.exec(line)?.[1];
    if (heading === undefined || heading === null) continue;
    const base = anchorOf(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Each option's spellings (`['--output', '-o']`): the README may use either. */
function flagsOf(command: Command): string[][] {
  return command.options.map((option) => [option.long, option.short].filter((flag): flag is string => flag !== undefined));
}

function mentions(text: string, flag: string): boolean {
  return new RegExp(`(?<![\\w-])${flag}(?![\\w-])`).test(text);
}

describe('the README', () => {
  it('anchors: GitHub slugs of headings, numbered when repeated', () => {
    expect(anchorOf('Client workloads (`--workloads N`)')).toBe('client-workloads---workloads-n');
    expect(anchorOf('5. The bug zoo')).toBe('5-the-bug-zoo');
    expect([...headingAnchors('# A\n```\n# not a heading\n```\n## A\n')]).toEqual(['a', 'a-1']);
  });

  it('every link to a section of the README reaches a heading', () => {
    const anchors = headingAnchors(readme);
    const broken = [...readme.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!).filter((anchor) => !anchors.has(anchor));
    expect(broken).toEqual([]);
  });

  it('every repository path it names exists', () => {
    const named = new Set<string>();
    for (const m of readme.matchAll(/(?<![\w./-])((?:src|test|bench|examples|docs|scripts|workers)\/[\w./-]*[\w])/g)) named.add(m[1]!);
    // `examples/outside/F.ts`: a one-letter name stands for any file there.
    const placeholder = (path: string): boolean => /\/[A-Z]\.\w+$/.test(path);
    // A path of the built output, not the repository (`dist/bench/x.js` is built from bench/x.ts).
    const missing = [...named].filter((path) => !placeholder(path) && !existsSync(path) && !existsSync(path.replace(/\.js$/, '.ts')));
    expect(named.size).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it("documents every flag of every command that --help lists", () => {
    const program = buildProgram(() => undefined, []);
    const undocumented: string[] = [];
    for (const command of program.commands) {
      for (const spellings of flagsOf(command)) {
        if (spellings.includes('--help')) continue;
        if (!spellings.some((flag) => mentions(readme, flag))) undocumented.push(`${command.name()} ${spellings[0]!}`);
      }
    }
    expect(program.commands.length).toBeGreaterThanOrEqual(8);
    expect(undocumented).toEqual([]);
  });
});
