// Trace files that are well-formed line-delimited JSON but lie: a header that does not match its
// body, a hash that does not match, lines reordered, duplicated, removed or cut off at every
// position, numbers out of range, field types swapped, unknown kinds, another scenario's header,
// another format version. Each case says whether it still describes the recorded run (`same`):
// only then may a replay say "reproduced exactly".
import { Rng } from '../../../src/shared/rng.js';

export interface LyingTrace {
  name: string;
  text: string;
  /** The file still describes the recorded run (whitespace, key order): a replay must reproduce it. */
  same: boolean;
  /** The exit code a replay must end with, where the case fixes it. */
  code?: number;
}

type Json = Record<string, unknown>;

/** Values of the wrong type or range, for any field. */
const BAD_VALUES: unknown[] = [-1, 0.5, 'NaN', 'Infinity', '1', null, true, [], {}, 2 ** 53 + 1, -(2 ** 31) - 1, 2 ** 32, 1e308, ''];

/** Numbers at and past the edges of what a field may hold. */
const EDGE_NUMBERS = [0, 1, -1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 1e20];

const stringify = (lines: unknown[]): string => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

/** Every leaf of a JSON value, as a path of keys. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((v, i) => leafPaths(v, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  return [path];
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(root) as Json;
  let at = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
  return copy;
}

function getAt(root: unknown, path: (string | number)[]): unknown {
  let at = root as Record<string | number, unknown>;
  for (const key of path) at = at[key] as Record<string | number, unknown>;
  return at;
}

/** The cases for one valid trace's text; `seed` picks the random ones, `randomCases` how many. */
export function lyingTraces(valid: string, seed: number, randomCases: number): LyingTrace[] {
  const lines = valid.trimEnd().split('\n').map((l) => JSON.parse(l) as Json);
  const cases: LyingTrace[] = [];
  const add = (name: string, value: unknown[] | string, same = false, code?: number): void => {
    cases.push({ name, text: typeof value === 'string' ? value : stringify(value), same, ...(code !== undefined ? { code } : {}) });
  };
  const header = lines[0]!;
  const endAt = lines.length - 1;
  const end = lines[endAt]!;
  const withLine = (i: number, value: unknown): unknown[] => lines.map((l, j) => (j === i ? value : l));

  // What does not change the run.
  add('as written', valid, true);
  add('CRLF line ends', valid.replace(/\n/g, '\r\n'), true);
  add('blank lines between', lines.map((l) => JSON.stringify(l)).join('\n\n') + '\n', true);
  add('keys in another order', lines.map((l) => Object.fromEntries(Object.entries(l).reverse())), true);
  add('no final newline', valid.trimEnd(), true);
  add('a byte order mark first', '\ufeff' + valid, true);
  // Step times are for drawing a run, not part of its decision log.
  add('step times in a simulated run', [...lines.slice(0, -1), { t: 'stepTimes', us: [1, 2, 3] }, end], true);

  // The header lies about the run.
  const headerLies: [string, (string | number)[], unknown][] = [
    ['seed + 1', ['seed'], (header.seed as number) + 1],
    ['scenario: one VM fewer', ['scenario', 'vms'], (getAt(header, ['scenario', 'vms']) as number) - 1],
    ['scenario: another built-in', ['scenario', 'name'], 'no-such-scenario'],
    ['scenario: a zoo entry', ['scenario'], { kind: 'zoo', name: 'stale-handle', fixed: false }],
    ['scenario: an unknown zoo entry', ['scenario'], { kind: 'zoo', name: 'no-such-bug', fixed: false }],
    ['scenario: a module that is missing', ['scenario'], { kind: 'module', path: '/nonexistent/s.mjs' }],
    ['scenario: a module that is not one', ['scenario'], { kind: 'module', path: '/etc/hostname' }],
    ['scenario: a directory as module', ['scenario'], { kind: 'module', path: '/tmp' }],
    ['config: pooled handles', ['config', 'handleMode'], 'pooled'],
    ['config: latitude', ['config', 'latitude'], true],
    ['runtime: wasm', ['runtime'], 'wasm'],
    ['format: another', ['format'], 'vmmsim-trace-x'],
    ['version 7', ['version'], 7],
    ['version 12', ['version'], 12],
    ['version "8"', ['version'], '8'],
    ['strategy: 1000 characters', ['strategy'], 'x'.repeat(1000)],
  ];
  const differs = (line: Json, path: (string | number)[], value: unknown): boolean => JSON.stringify(getAt(line, path)) !== JSON.stringify(value);
  for (const [name, path, value] of headerLies) if (differs(header, path, value)) add(`header ${name}`, withLine(0, setAt(header, path, value)));
  // The end line names the scenario again (it wins over the header's): lie there, and in both.
  if (end.scenario !== undefined) {
    for (const [name, path, value] of headerLies.filter(([, p, v]) => p[0] === 'scenario' && differs(end, p, v))) {
      add(`end ${name}`, withLine(endAt, setAt(end, path, value)));
      add(`header and end ${name}`, lines.map((l, j) => (j === 0 || j === endAt ? setAt(l, path, value) : l)));
    }
  }

  // The end line lies about the outcome.
  const expect = end.expect as Json;
  const endLies: [string, (string | number)[], unknown][] = [
    ['steps + 1', ['steps'], (end.steps as number) + 1],
    ['steps - 1', ['steps'], (end.steps as number) - 1],
    ['steps 0', ['steps'], 0],
    ['records + 1', ['expect', 'records'], (expect.records as number) + 1],
    ['records 0', ['expect', 'records'], 0],
    ['another hash', ['expect', 'traceHash'], (expect.traceHash as string).replace(/^./, (c) => (c === '0' ? '1' : '0'))],
    ['invariants broke', ['expect', 'invariantsOk'], false],
    ['a violation that never was', ['expect', 'firstViolation'], { kind: 'handleLeak', severity: 'vmm', message: 'made up', seq: 5 }],
    ['a violation past the end', ['expect', 'firstViolation'], { kind: 'handleLeak', severity: 'vmm', message: 'made up', seq: 2 ** 40 }],
    ['a runaway that never was', ['expect', 'fault'], { kind: 'runaway', message: 'made up' }],
    ['the violation removed', ['expect', 'firstViolation'], null],
    ['invariants held', ['expect', 'invariantsOk'], true],
    ['step times stride 0', ['stepTimesStride'], 0],
  ];
  for (const [name, path, value] of endLies) {
    if (differs(end, path, value)) add(`end ${name}`, withLine(endAt, setAt(end, path, value)));
  }
  // The violation's message is part of the verdict (an edited one was "reproduced exactly").
  if (expect.firstViolation !== null) {
    add('end the violation\'s message edited', withLine(endAt, setAt(end, ['expect', 'firstViolation', 'message'], 'made up')));
  }
  // A hang is seen by a wall clock, after the trace's last chunk: the replay cannot check it, and
  // reports the run as reproduced up to there and the recorded hang (exit 3).
  add('end a hang after the last chunk', withLine(endAt, setAt(end, ['expect', 'fault'], { kind: 'hung', message: 'made up\nover two lines' })), true, 3);
  for (const n of EDGE_NUMBERS) {
    add(`end steps ${n}`, withLine(endAt, setAt(end, ['steps'], n)));
    add(`end records ${n}`, withLine(endAt, setAt(end, ['expect', 'records'], n)));
  }
  for (const n of EDGE_NUMBERS) if (n !== header.seed) add(`header seed ${n}`, withLine(0, setAt(header, ['seed'], n)));

  // Lines removed, duplicated, swapped, moved; the file cut at every line and inside lines.
  for (let i = 0; i < lines.length; i++) {
    add(`line ${i + 1} removed`, lines.filter((_, j) => j !== i));
    add(`line ${i + 1} twice`, lines.flatMap((l, j) => (j === i ? [l, l] : [l])));
    if (i + 1 < lines.length) {
      // Choices and checkpoints are two streams: their lines may interleave in any order.
      const body = (l: Json): boolean => l.t === 'choices' || l.t === 'checkpoints';
      const independent = body(lines[i]!) && body(lines[i + 1]!) && lines[i]!.t !== lines[i + 1]!.t;
      add(`lines ${i + 1} and ${i + 2} swapped`, lines.map((l, j) => (j === i ? lines[i + 1] : j === i + 1 ? lines[i] : l)), independent);
    }
    add(`cut after line ${i + 1}`, lines.slice(0, i + 1).map((l) => JSON.stringify(l)).join('\n') + '\n', i === endAt);
  }
  add('header moved to the end', [...lines.slice(1), header]);
  add('end moved to the front', [end, ...lines.slice(0, -1)]);
  add('a second header after the first', [header, header, ...lines.slice(1)]);
  add('two traces one after the other', [...lines, ...lines]);

  // Body lines of unknown kinds, swapped types, values out of range.
  add('a line of an unknown kind', [header, { t: 'comment', text: 'hi' }, ...lines.slice(1)]);
  add('a line without a kind', [header, { runs: [0, 0, 1] }, ...lines.slice(1)]);
  add('negative step times', [...lines.slice(0, -1), { t: 'stepTimes', us: [-1] }, end]);
  add('a workload for VM 64', [...lines.slice(0, -1), { t: 'workload', vm: 64, ops: [1, 2, 3] }, end]);
  add('a workload of junk ops', [...lines.slice(0, -1), { t: 'workload', vm: 1, ops: [7, 7, 7, 7] }, end]);
  add('a workload of a partial op', [...lines.slice(0, -1), { t: 'workload', vm: 1, ops: [1] }, end]);
  add('an extra checkpoint', [...lines.slice(0, -1), { t: 'checkpoints', hashes: ['0123456789abcdef'] }, end]);
  add('no checkpoints at all', lines.filter((l) => l.t !== 'checkpoints'));
  add('an extra choice', [...lines.slice(0, -1), { t: 'choices', runs: [0, 0, 1] }, end]);
  add('a billion more choices', [...lines.slice(0, -1), { t: 'choices', runs: [0, 0, 2 ** 31 - 1] }, end]);
  const choicesAt = lines.findIndex((l) => l.t === 'choices');
  const checkpointsAt = lines.findIndex((l) => l.t === 'checkpoints');
  if (choicesAt > 0) {
    const runs = lines[choicesAt]!.runs as number[];
    for (const [name, value] of [['kind 4', 4], ['kind -1', -1], ['value 2^32', 2 ** 32], ['repeat 0', 0], ['repeat 2^31', 2 ** 31], ['a string', '0']] as const) {
      const at = name.startsWith('kind') ? 0 : name.startsWith('value') ? 1 : name.startsWith('repeat') ? 2 : 1;
      add(`choices: ${name}`, withLine(choicesAt, { t: 'choices', runs: runs.map((v, i) => (i === at ? value : v)) }));
    }
    add('choices: not a multiple of 3', withLine(choicesAt, { t: 'choices', runs: runs.slice(0, -1) }));
    add('choices: a run repeated once more', withLine(choicesAt, { t: 'choices', runs: runs.map((v, i) => (i === 2 ? v + 1 : v)) }));
    add('choices: an IRQ that did not arrive', withLine(choicesAt, { t: 'choices', runs: [0, 1, 1, ...runs] }));
    add('choices: the first run with huge steps to go', [header, ...lines.slice(1, -1), { ...end, steps: Number.MAX_SAFE_INTEGER }].map((l, j) => (j === choicesAt ? { t: 'choices', runs: [...runs, 0, 0, 2 ** 31 - 1] } : l)));
  }
  if (checkpointsAt > 0) {
    const hashes = lines[checkpointsAt]!.hashes as string[];
    add('checkpoint: one digit changed', withLine(checkpointsAt, { t: 'checkpoints', hashes: hashes.map((h, i) => (i === 0 ? h.replace(/.$/, (c) => (c === '0' ? '1' : '0')) : h)) }));
    add('checkpoint: upper case', withLine(checkpointsAt, { t: 'checkpoints', hashes: hashes.map((h) => h.toUpperCase()) }));
    add('checkpoint: 65 digits', withLine(checkpointsAt, { t: 'checkpoints', hashes: ['0'.repeat(65)] }));
  }
  add('huge steps, no checkpoints, a billion choices', [header, ...lines.filter((l) => l.t === 'choices'), { t: 'choices', runs: [0, 0, 2 ** 31 - 1, 0, 0, 2 ** 31 - 1, 0, 0, 2 ** 31 - 1] }, { ...end, steps: Number.MAX_SAFE_INTEGER }]);

  // Not a trace at all, or not this vmmsim's.
  add('empty', '');
  add('whitespace only', ' \n\n\t\n');
  add('a JSON array', '[1,2,3]\n');
  add('JSON null', 'null\n');
  add('a whole trace as one object (version 1)', JSON.stringify({ format: 'vmmsim-trace', version: 1, choices: [] }) + '\n');
  add('a NUL byte in the header', valid.replace('"vmmsim-trace"', '"vmmsim\u0000trace"'));

  // Seeded random edits: one leaf of one line set to a value of the wrong type or range.
  const rng = new Rng(seed);
  for (let n = 0; n < randomCases; n++) {
    const i = rng.int(lines.length);
    const leaves = leafPaths(lines[i]);
    const path = leaves[rng.int(leaves.length)]!;
    if (path.length === 0) continue;
    const value = BAD_VALUES[rng.int(BAD_VALUES.length)];
    const before = getAt(lines[i], path);
    if (JSON.stringify(before) === JSON.stringify(value)) continue;
    // The header's notes for people (the strategy's name, the command line, the directory the run
    // started in) take any short string: such an edit does not change the run, which reproduces.
    const note = i === 0 && path.length === 1 && ['strategy', 'command', 'cwd'].includes(String(path[0])) && typeof value === 'string';
    add(`random ${n}: line ${i + 1} ${path.join('.')} = ${JSON.stringify(value)}`, withLine(i, setAt(lines[i], path, value)), note);
  }
  // Seeded random cuts: the file ends at any byte.
  for (let n = 0; n < Math.ceil(randomCases / 4); n++) {
    const at = 1 + rng.int(valid.length - 2);
    add(`cut at byte ${at}`, valid.slice(0, at));
  }
  return cases;
}
