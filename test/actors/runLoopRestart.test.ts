/**
 * A restarted run loop (RunLoop.restart, Vmm.reset: the explorer's executions reuse one machine)
 * must be the loop a new one built from the same options would be. Two holds:
 *
 * - Field by field. After a first run of any length (stopped early at a violation or not), every
 *   field of the loop, its machine, VMs, devices, PIC, handle table and workload is spoiled (a
 *   number moved, a flag flipped, a string changed, an array or map given an extra entry, bytes
 *   overwritten), then the loop is restarted and compared, as a tree of plain values, with a new
 *   loop. A field the reset forgets keeps its spoiled value and fails this, whether or not any
 *   scenario ever changes it. The only fields not spoiled are named in KEPT, each with why.
 * - Run by run: from there both loops run the same steps, and every record, the trace hash, its
 *   checkpoints, the counts and every verdict must agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zooEntry, ZOO } from '../../examples/zoo/index.js';
import flakyDriver from '../../examples/scenarios/flaky-driver.js';
import int33 from '../../examples/real/int33.js';
import vdmad from '../../examples/real/vdmad.js';
import vkd from '../../examples/real/vkd.js';
import { RunLoop, type RunLoopOptions } from '../../src/actors/runLoop.js';
import { runLoopSteps } from '../../src/actors/sim/simRun.js';
import { RunAborted } from '../../src/actors/runFault.js';
import { seededWorkload } from '../../src/actors/workload.js';
import { seededStrategy } from '../../src/explore/execution.js';
import { campaignSpec } from '../../src/explore/explore.js';
import { defaultScenario } from '../../src/scenario/default.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { ClientRegs, ClientRegsPool } from '../../src/shared/clientRegs.js';
import { CheckpointRecorder } from '../../src/vmm/checkpoints.js';
import type { ChoiceSource } from '../../src/vmm/choices.js';
import { DeviceRuntime } from '../../src/vmm/deviceRuntime.js';
import { EventTable } from '../../src/vmm/eventTable.js';
import { RecordStream } from '../../src/vmm/recordStream.js';
import { Vmm } from '../../src/vmm/vmm.js';

/**
 * Fields a restart keeps on purpose (neither spoiled nor compared):
 * - RunLoop `options` (what the loop is of), `checker` (reset by its own `reset`:
 *   test/vmm/checker/reset.test.ts; its verdicts are compared below), `recorder` (the machine's
 *   trace, below);
 * - Vmm `config` (the same for every run of the loop), `regsPool` (the lender of register blocks:
 *   the blocks it lends are walked in each VM), `framePool` (scratch frames, each written whole
 *   before it is read), `callbackTargets` (decoded callback addresses, a function of the device
 *   specs), `trace` (the trace recorder: its own reset; its hash, checkpoints and counts are
 *   compared after the runs), VPICD's tables `irqLines`, `sources`, `allSources` (a function of
 *   the device specs, which no run writes: compared with a new machine's after the first run);
 * - DeviceRuntime's spec and what it compiles to (`spec`, `compiled`, `name`, `nameWord`,
 *   `procNames`, `index`, `sharedSlots`, `slots`: views over `slotWords`, which is walked);
 * - ClientRegs `byteOffset` (where its block is in its buffer);
 * - EventTable `mode`, `capacity` (the handle mode and pool size of the config), `made` (the node
 *   objects made so far, each rewritten whole when the table hands it out again: the nodes in
 *   use are walked in `nodes`).
 * - Vmm `records`: the objects records are made in (recordRing.ts), each written whole before it
 *   is read; the run's tail (`records.toArray()`, in the results compared below) shows its reset,
 *   and test/vmm/recordRing.test.ts holds the ring to a plain list;
 * - RecordStream `checker` (the loop's checker, above).
 * Replaced whole rather than entered: RunLoop `all`, the last run's records (handed
 * out with its result and never written again; some share module constants, such as the empty
 * list of clobbered registers); Vmm `sink`, the record stream (each run gets a new one around the
 * loop's checker and history: a restart that kept the old one keeps the spoiled value, and fails).
 * And lists whose length the machine's build fixes, spoiled item by item but not lengthened:
 * Vmm `devices` (one per device spec of the scenario).
 */
const KEPT = new Map<Function, ReadonlySet<string>>([
  [RunLoop, new Set(['options', 'checker', 'recorder'])],
  [Vmm, new Set(['config', 'regsPool', 'framePool', 'callbackTargets', 'trace', 'records', 'irqLines', 'sources', 'allSources'])],
  [DeviceRuntime, new Set(['spec', 'compiled', 'name', 'nameWord', 'procNames', 'index', 'sharedSlots', 'slots'])],
  [ClientRegs, new Set(['byteOffset'])],
  [EventTable, new Set(['mode', 'capacity', 'made'])],
  [RecordStream, new Set(['checker'])],
]);

const REPLACED = new Map<Function, ReadonlySet<string>>([[RunLoop, new Set(['all'])], [Vmm, new Set(['sink'])]]);
const FIXED_LENGTH = new Map<Function, ReadonlySet<string>>([[Vmm, new Set(['devices'])]]);

const NONE: ReadonlySet<string> = new Set();
const kept = (object: object): ReadonlySet<string> => KEPT.get(object.constructor) ?? NONE;
const SPOILED = Object.freeze({ spoiled: true });

/** Every object reachable from `roots` (the scenario, the strategies: shared with the new loop, never spoiled). */
function reachable(roots: readonly unknown[]): Set<object> {
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
    seen.add(value);
    if (value instanceof Map) for (const [k, v] of value) (visit(k), visit(v));
    else if (value instanceof Set) for (const v of value) visit(v);
    else if (!ArrayBuffer.isView(value)) for (const v of Object.values(value)) visit(v);
  };
  roots.forEach(visit);
  return seen;
}

function spoilValue(value: unknown, shared: Set<object>, seen: Set<object>, fixedLength = false): unknown {
  if (typeof value === 'number') return value === Infinity ? 7 : value + 7;
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string') return `${value}#`;
  if (value === null || value === undefined) return SPOILED;
  if (typeof value === 'function' || shared.has(value as object)) return typeof value === 'function' ? value : SPOILED;
  spoil(value as object, shared, seen, fixedLength);
  return value;
}

/** Changes every field of the graph under `root` (KEPT excepted) to something a new machine would not have. */
function spoil(root: object, shared: Set<object>, seen = new Set<object>(), fixedLength = false): void {
  if (seen.has(root)) return;
  seen.add(root);
  if (root instanceof ArrayBuffer || root instanceof SharedArrayBuffer) return void new Uint8Array(root).fill(0x5a);
  if (ArrayBuffer.isView(root)) return void new Uint8Array(root.buffer, root.byteOffset, root.byteLength).fill(0x5a);
  if (Array.isArray(root)) {
    for (let i = 0; i < root.length; i++) root[i] = spoilValue(root[i], shared, seen);
    if (!fixedLength) root.push(SPOILED);
    return;
  }
  if (root instanceof Map) {
    for (const [k, v] of root) root.set(k, spoilValue(v, shared, seen));
    root.set(SPOILED, SPOILED);
    return;
  }
  if (root instanceof Set) return void root.add(SPOILED);
  const fields = root as Record<string, unknown>;
  const fixed = FIXED_LENGTH.get(root.constructor) ?? NONE;
  const replaced = REPLACED.get(root.constructor) ?? NONE;
  for (const key of Object.keys(root)) {
    if (kept(root).has(key)) continue;
    fields[key] = replaced.has(key) ? SPOILED : spoilValue(fields[key], shared, seen, fixed.has(key));
  }
}

/** The graph under `root` as plain values (KEPT left out; shared objects by identity; cycles as paths). */
function tree(value: unknown, shared: Map<object, number>, seen = new Map<object, string>(), path = '$'): unknown {
  if (typeof value === 'function') return 'function';
  if (value === null || typeof value !== 'object') return value;
  const token = shared.get(value);
  if (token !== undefined) return `shared ${token}`;
  const at = seen.get(value);
  if (at !== undefined) return `see ${at}`;
  seen.set(value, path);
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return [...new Uint8Array(value)];
  if (ArrayBuffer.isView(value)) return [value.constructor.name, ...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)];
  if (Array.isArray(value)) return value.map((v, i) => tree(v, shared, seen, `${path}[${i}]`));
  if (value instanceof Map) return [...value].map(([k, v], i) => [tree(k, shared, seen, `${path}<${i}`), tree(v, shared, seen, `${path}>${i}`)]);
  if (value instanceof Set) return [...value].map((v, i) => tree(v, shared, seen, `${path}{${i}}`));
  const fields = Object.keys(value).filter((key) => !kept(value).has(key)).sort();
  return [value.constructor?.name ?? 'null', ...fields.map((key) => [key, tree((value as Record<string, unknown>)[key], shared, seen, `${path}.${key}`)])];
}

interface Case {
  scenario: Scenario;
  /** A new strategy for a run: iteration i of a PCT, POS or random campaign. */
  choices(iteration: number, member: 'pct' | 'pos' | 'random'): ChoiceSource;
}

function caseOf(scenario: Scenario): Case {
  const spec = campaignSpec({ scenario, scenarioRef: { kind: 'module', path: 'case.ts' }, strategy: 'pct', seed: 11, iterations: 1, steps: 60 });
  return { scenario, choices: (iteration, member) => seededStrategy(scenario, spec, iteration, member) };
}

const CASES: Case[] = [
  ...ZOO.flatMap((entry) => [caseOf(entry.scenario(false)), caseOf(entry.scenario(true))]),
  caseOf(flakyDriver), caseOf(int33), caseOf(vdmad), caseOf(vkd), caseOf(defaultScenario(4, 60)),
  caseOf(zooEntry('stale-handle')!.scenario(false)),
];

const runArb = fc.record({
  seed: fc.nat(1000), iteration: fc.nat(500), member: fc.constantFrom('pct' as const, 'pos' as const, 'random' as const),
  steps: fc.integer({ min: 0, max: 80 }), stopOn: fc.constantFrom('never' as const, 'any' as const),
});

function options(c: Case, run: { seed: number; iteration: number; member: 'pct' | 'pos' | 'random'; stopOn: 'never' | 'any' }): RunLoopOptions {
  return {
    scenario: c.scenario, seed: run.seed, choices: c.choices(run.iteration, run.member), ops: seededWorkload(run.seed, c.scenario),
    stopOn: run.stopOn, tailRecords: 4, keepAll: true,
  };
}

function runToEnd(loop: RunLoop, steps: number): unknown {
  try {
    return runLoopSteps(loop, steps);
  } catch (error) {
    if (error instanceof RunAborted) return error.partial;
    throw error;
  }
}

describe('RunLoop.restart: a reset machine is a new machine', () => {
  it('every field, spoiled after any first run, is back to a new loop\'s, and the next run is the new loop\'s run', () => {
    fc.assert(fc.property(fc.nat(CASES.length - 1), runArb, runArb, (which, firstRun, secondRun) => {
      const c = CASES[which]!;
      const reused = { trace: new CheckpointRecorder(), clientRegs: new ClientRegsPool() };
      const loop = new RunLoop({ ...options(c, firstRun), reused });
      runToEnd(loop, firstRun.steps);

      const next = options(c, secondRun);
      spoil(loop, reachable([c.scenario, loop.vmm.choices, loop.vmm.ops]));
      loop.restart(next.choices, next.ops!, secondRun.stopOn);
      const fresh = new RunLoop(options(c, secondRun));
      const shared = new Map([...reachable([c.scenario])].map((object, i) => [object, i]));
      expect(tree(loop, shared)).toEqual(tree(fresh, shared));
      expect(loop.recorder.hasher.hex()).toBe(fresh.recorder.hasher.hex());
      for (const table of ['irqLines', 'sources', 'allSources'] as const) expect(tree(loop.vmm[table], shared)).toEqual(tree(fresh.vmm[table], shared));

      expect(runToEnd(loop, secondRun.steps)).toEqual(runToEnd(fresh, secondRun.steps));
    }), { seed: 2026, numRuns: 120 });
  });

  it('the spoiling reaches the machine: a reset that forgets a field is caught', () => {
    const c = CASES[0]!;
    const run = { seed: 1, iteration: 0, member: 'pct' as const, stopOn: 'never' as const };
    const loop = new RunLoop(options(c, run));
    spoil(loop, reachable([c.scenario, loop.vmm.choices, loop.vmm.ops]));
    const next = options(c, run);
    const reset = loop.vmm.reset.bind(loop.vmm);
    // A reset that leaves the focus VM as it was.
    loop.vmm.reset = (choices, ops, sink) => {
      const focus = loop.vmm.focusVm;
      reset(choices, ops, sink);
      loop.vmm.focusVm = focus;
    };
    loop.restart(next.choices, next.ops!, 'never');
    const shared = new Map([...reachable([c.scenario])].map((object, i) => [object, i]));
    expect(tree(loop, shared)).not.toEqual(tree(new RunLoop(options(c, run)), shared));
  });
});
