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

export const RunConfigSchema = z.object({
  handleMode: z.enum(['checked', 'pooled']),
  latitude: z.boolean(),
  livelockBound: z.number().int().positive().optional(),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;

export const TraceFileSchema = z.object({
  format: z.literal('vmmsim-trace'),
  version: z.literal(1),
  runtime: z.enum(['sim', 'threads']),
  scenario: ScenarioRefSchema,
  seed: z.number().int(),
  steps: z.number().int().nonnegative(),
  config: RunConfigSchema,
  strategy: z.string(),
  /** [kind, value, repeat] triples (see ChoiceLog). */
  choices: z.array(z.tuple([z.number().int(), z.number().int(), z.number().int()])),
  expect: z.object({
    traceHash: z.string(),
    records: z.number().int(),
    checkpoints: z.array(z.string()),
    invariantsOk: z.boolean(),
    firstViolation: z.object({ kind: z.string(), severity: z.enum(['device', 'vmm']), message: z.string(), seq: z.number() }).nullable(),
  }),
  /** Wall-clock microseconds of each client step on threads (for timelines); absent in sim. */
  stepTimesUs: z.array(z.number()).optional(),
  /** Steps between two entries of stepTimesUs (a long run's times are sampled); 1 when absent. */
  stepTimesStride: z.number().int().positive().optional(),
  /** How it was made, for people: the command line. */
  command: z.string().optional(),
});
export type TraceFile = z.infer<typeof TraceFileSchema>;
