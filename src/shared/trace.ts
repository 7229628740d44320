/**
 * The trace file: everything needed to reproduce a run exactly. A run is its scenario, seed,
 * configuration and recorded choices; replaying feeds the choices back to the same core and
 * compares the decision log (record count, checkpoints every CHECKPOINT_RECORDS records, final
 * hash). Full histories are not stored: replay regenerates them, so traces stay small.
 */
import { z } from 'zod';

export const ScenarioRefSchema = z.union([
  z.object({ kind: z.literal('builtin'), name: z.string(), vms: z.number().int().min(1).max(64), steps: z.number().int().positive() }),
  // vms: an optional override of the scenario's VM count (shrinking runs a bug on fewer VMs).
  z.object({ kind: z.literal('module'), path: z.string(), vms: z.number().int().min(1).max(64).optional() }),
  z.object({ kind: z.literal('zoo'), name: z.string(), fixed: z.boolean(), vms: z.number().int().min(1).max(64).optional() }),
]);
export type ScenarioRef = z.infer<typeof ScenarioRefSchema>;

/**
 * The largest livelock bound a scenario or a trace may set. A processing pass runs up to the
 * bound (an interrupt storm up to 64 times it) before it is cut, and a run stops only between
 * steps. A chain that feeds itself is cut at every pass, so a run (or PCT's estimate run, which
 * goes on past violations) pays the bound at each step: at ~1M dispatches per second, 10,000 is
 * ~10 ms a pass and ~2 s for a 200-step run. A bound of 10^9 made one pass ~1,000 s, past
 * Ctrl-C; 100,000 made a livelocking driver's `explore` spend ~20 s before its first execution.
 */
export const LIVELOCK_BOUND_MAX = 10_000;

export const RunConfigSchema = z.object({
  handleMode: z.enum(['checked', 'pooled']),
  latitude: z.boolean(),
  livelockBound: z.number().int().positive().max(LIVELOCK_BOUND_MAX).optional(),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;

/** The trace file format this vmmsim writes and reads (see traceFile.ts). */
/**
 * Version 3: the trace hash feeds each record's head as three words (ticks, kind, where the CPU
 * was) instead of six, so hashes and checkpoints differ from version 2's for the same run.
 * Version 4: a destroyed VM stops being current before VM_Not_Executeable (the DDK's order of
 * the destruction messages), so a run with a `destroy` step differs from version 3's.
 * Version 5: an event callback may block on the critical section (the `blockedCallback`
 * record, hashed only where it occurs). Version 4 traces were read by version 5.
 * Version 6: the machine's own control messages (boot, a VM created, destroyed or given the
 * focus) end in an event-processing point; each sharer of an IRQ runs with interrupts disabled;
 * a trap into no entry returns through a processing point; a checked handle's generation is never
 * wrapped; a dispatch record carries the carry flag its callback got and a processing pass's end
 * whether the livelock bound cut it. Every run with an event dispatched hashes otherwise, so
 * older traces are refused (record the run again).
 * Version 7: the DDK's interrupt state per control message (enabled but for Sys_Critical_Init
 * and VM_Critical_Init: boot's Device_Init and the shutdown's System_Exit are preemption points
 * with interrupts enabled), the physical mask (`physMask`), and a shutdown that destroys every VM
 * but the system VM before Sys_VM_Terminate. Every run ends otherwise, so version 6 is refused.
 * Version 8: a scenario invariant is reported when it breaks, not again at every step it stays
 * broken (runLoop.ts), and the livelock bound discounts the events scheduled at interrupt time
 * in the pass rather than every interrupt taken (processing.ts). A run whose invariant stayed
 * broken, or whose chain of events ran under interrupts, ends otherwise, so version 7 is refused.
 * Version 9: a VM in nested execution keeps the CPU even once suspended (scheduler.ts), a
 * Resume_Exec outside Begin_Nest_Exec .. End_Nest_Exec is refused, and the end of a
 * Call_Priority_VM_Event's immediate boost is its own record reason (`immediateEnd`: a boost may
 * be negative, so the sign cannot tell). Every run with a boosted immediate call hashes
 * otherwise, so version 8 is refused.
 * Version 10: nothing runs in a VM asleep in an event callback that blocked on the critical
 * section, global events included: the processing pass switches to another VM first, and the
 * callback runs again before anything else once its VM is back (processing.ts); VPICD's
 * Time_Critical_Boost stays on while a request waits to be simulated (virtualPic.ts); the
 * hardware is fair: a ring-0 stretch of FAIR_IRQ_POINTS preemption points with no IRQ raised gets
 * one from every source (cpu.ts). Runs with any of those go otherwise, so version 9 is refused.
 * Version 11: Adjust_Exec_Priority may not take away a boost the VMM holds (the critical-section
 * owner's, a pending priority event's, VPICD's: VmState.heldBoost), and a PEF_Dont_Unboost
 * event's boost is the device's from its callback's start (services/boost.ts). A run whose
 * device removed a boost the VMM held goes otherwise, so version 10 is refused.
 */
export const TRACE_VERSION = 11;

/** The trace versions this vmmsim reads: its own only (older runs hash otherwise). */
export const TRACE_VERSIONS_READ: readonly number[] = [TRACE_VERSION];
const TraceVersionSchema = z.literal(TRACE_VERSION);

/** Hex digests (trace hashes and checkpoints). */
export const HashSchema = z.string().regex(/^[0-9a-f]{1,64}$/, 'a hex hash');
const Int32 = z.number().int().min(-(2 ** 31)).max(2 ** 32 - 1);

/** A run that ended on a fault (see actors/runFault.ts): replay must end on the same one. */
export const TraceFaultSchema = z.object({
  kind: z.enum(['runaway', 'deviceThrew', 'invariantThrew', 'hung']),
  message: z.string().max(10_000),
});

export const TraceExpectSchema = z.object({
  traceHash: HashSchema,
  records: z.number().int().nonnegative(),
  checkpoints: z.array(HashSchema),
  invariantsOk: z.boolean(),
  firstViolation: z.object({ kind: z.string(), severity: z.enum(['device', 'vmm']), message: z.string(), seq: z.number().int().nonnegative() }).nullable(),
  fault: TraceFaultSchema.nullable().optional(),
});

/** One run of the run-length-encoded choice log: [kind 0-3, value, repeat >= 1]. */
export const ChoiceRunSchema = z.tuple([z.number().int().min(0).max(3), Int32, z.number().int().min(1).max(2 ** 31 - 1)]);

/** A VM's explicit client ops: [vm id, its ops as 3-word encodings one after another]. */
export const WorkloadVmSchema = z.number().int().min(1).max(64);
export const WorkloadOpsSchema = z.array(Int32);
export const WorkloadEntrySchema = z.tuple([WorkloadVmSchema, WorkloadOpsSchema]);
export const WorkloadSchema = z.array(WorkloadEntrySchema);

/** The worker actor whose failure ended a threaded run, as its report names it. */
export const ActorFailureSchema = z.object({ actor: z.string().max(100), message: z.string().max(10_000) });
export type ActorFailure = z.infer<typeof ActorFailureSchema>;

export const TraceFileSchema = z.object({
  format: z.literal('vmmsim-trace'),
  version: TraceVersionSchema,
  runtime: z.enum(['sim', 'threads']),
  scenario: ScenarioRefSchema,
  seed: Int32,
  steps: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  config: RunConfigSchema,
  strategy: z.string(),
  /** [kind, value, repeat] triples (see ChoiceLog). */
  choices: z.array(ChoiceRunSchema),
  expect: TraceExpectSchema,
  /**
   * The client workload, explicitly: [vm id, its ops as 3-word encodings] (src/actors/explicitOps.ts).
   * Absent: the seeded workload of `seed`. A shrunk trace carries it, so that single ops can go.
   */
  workload: WorkloadSchema.optional(),
  /** Wall-clock microseconds of each client step on threads (for timelines); absent in sim. */
  stepTimesUs: z.array(z.number().nonnegative()).optional(),
  /** Steps between two entries of stepTimesUs (a long run's times are sampled); 1 when absent. */
  stepTimesStride: z.number().int().positive().optional(),
  /** How it was made, for people: the command line. */
  command: z.string().optional(),
  /** The directory the run started in, absolute (a relative scenario path is relative to it). */
  cwd: z.string().optional(),
  /** The run was cut before its end (an actor failed, a procedure hung): it never shut down, nor does its replay. */
  cut: z.literal(true).optional(),
  /** The worker actor whose failure ended a threaded run. */
  actorFailed: ActorFailureSchema.optional(),
});
export type TraceFile = z.infer<typeof TraceFileSchema>;
