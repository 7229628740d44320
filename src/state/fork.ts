/**
 * Forking a simulated run: save the whole machine between two client steps and resume from the
 * saved state later, instead of re-executing the steps that reached it. This is the API a
 * search strategy uses (stateful dfs does; any strategy that branches can):
 *
 *   const saved = saveRun(loop, extra);   // between loop.step() calls
 *   ... run on, explore one branch ...
 *   restoreRun(loop, saved, extra);       // the same loop, back in the saved state
 *
 * What is saved is the RunLoop's whole object graph (the core, every VM, the handle table, the
 * PICs and any virtual PIC, devices' state and slots, the client workload's generators, and the
 * observers: invariant checker, counters, trace hash), plus `extra`, any object of
 * the caller's that must travel with the run (a coverage tracker). The strategy (`vmm.choices`),
 * the scenario and device specs are kept by reference: the caller owns the strategy's position.
 * The history's tail starts again at a restore: it holds the records made since.
 * Only between steps: inside a step, ring-0 device code is on the JavaScript stack, which no
 * snapshot holds.
 */
import { RunLoop } from '../actors/runLoop.js';
import { Workload } from '../actors/workload.js';
import { DeviceRuntime } from '../vmm/deviceRuntime.js';
import { Vmm } from '../vmm/vmm.js';
import { restoreSnapshot, takeSnapshot, type KeepFields, type Snapshot } from './snapshot.js';

export const RUN_KEEP: KeepFields = new Map<Function, ReadonlySet<string>>([
  // options: the scenario and the injected sources; view: the invariants' window onto the vmm.
  [RunLoop, new Set(['options', 'view'])],
  // records: the objects the core makes records in, shared with whatever read them (a record's
  // ClientOp is the workload's own): never copied or written back; a restore empties the tail.
  [Vmm, new Set(['choices', 'sink', 'regsPool', 'records'])],
  [DeviceRuntime, new Set(['spec', 'compiled', 'procNames'])],
  // Made from the configuration in the constructor and never written: the mix, the entries, and
  // the tables drawn from (the run ops of every length, shared by every workload of a span).
  [Workload, new Set(['entries', 'mix', 'irqs', 'runTable', 'below'])],
]);

interface Saved {
  loop: RunLoop;
  extra: object | null;
}

export type SavedRun = Snapshot<Saved>;

export function saveRun(loop: RunLoop, extra: object | null = null): SavedRun {
  return takeSnapshot<Saved>({ loop, extra }, RUN_KEEP);
}

export function restoreRun(loop: RunLoop, saved: SavedRun, extra: object | null = null): void {
  restoreSnapshot<Saved>({ loop, extra }, saved, RUN_KEEP);
  loop.vmm.records.clear();
}
