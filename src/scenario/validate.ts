/**
 * A scenario module's default export checked before anything runs it, whether or not it went
 * through defineScenario/defineDevice (a plain object works too, so nothing can be assumed):
 * every field's type and range, and the names that must refer to each other. The first problem
 * becomes one line naming the field and its value.
 */
import { z } from 'zod';
import { CONTROL_MESSAGE, VPICD_OPT, VPICD_OPT_VALID_MASK } from '../vmm/constants.js';
import { unresolvedImport } from '../vmm/serviceTable.js';
import type { Scenario } from './scenario.js';
import { LIVELOCK_BOUND_MAX } from '../shared/trace.js';
import { checkLifecycle } from './lifecycleCheck.js';

/** Device code and invariants run to completion inside one step: an async or generator function would return before its work is done. */
const ASYNC_OR_GENERATOR = new Set(['AsyncFunction', 'AsyncGeneratorFunction', 'GeneratorFunction']);
const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'a function')
  .refine((v) => !ASYNC_OR_GENERATOR.has(v.constructor?.name ?? ''), 'is an async or generator function: scenario code runs synchronously, to completion (ring 0 cannot await)');
// A name is printed in one-line reports, file names and trace headers: a newline or another
// control character in it split the report's first line and the error lines (it was accepted).
const name = z.string().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]*$/, 'has a control character (a name is printed in one-line reports)');
/** `DEVICE.Name`: another device's export. */
const qualified = z.string().regex(/^[^.]+\.[^.]+$/, 'not DEVICE.Name').max(401);
const count = (max: number) => z.number().int().min(0).max(max);

/**
 * An object that takes its own keys only: a misspelled one (`invariant` for `invariants`, a
 * device's `irq` for `irqs`) was dropped in silence, and what it meant never ran, while the
 * report said every invariant held.
 */
function keysOnly<T extends z.ZodRawShape>(shape: T) {
  const keys = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.map((key) => `'${key}'`).join(', ')} (the keys here: ${keys})` : undefined),
  });
}

const IrqSchema = keysOnly({
  irq: z.number().int().min(0).max(15).refine((irq) => irq !== 2, 'IRQ 2 is the cascade, not a usable line'),
  options: count(0xffff).refine((options) => (options & ~VPICD_OPT_VALID_MASK) === 0, `has bits that are no VPICD option (the valid ones: 0x${VPICD_OPT_VALID_MASK.toString(16)})`).optional(),
  hwIntProc: name,
  virtIntProc: name.optional(),
  eoiProc: name.optional(),
  iretProc: name.optional(),
  maskChangeProc: name.optional(),
  iretTimeoutMs: count(3_600_000).optional(),
  meanIntervalTicks: z.number().positive().max(1e12),
});

const DeviceSchema = keysOnly({
  name,
  state: fn,
  irqs: z.array(IrqSchema).max(16).optional(),
  slots: z.array(name).max(1024).optional(),
  entries: z.array(name).max(1024).optional(),
  procs: z.record(z.string(), fn),
  init: name.optional(),
  control: z.record(z.string(), name).optional(),
  exports: keysOnly({ services: z.array(name).max(1024).optional(), data: z.array(name).max(1024).optional() }).optional(),
  imports: keysOnly({ services: z.array(qualified).max(1024).optional(), data: z.array(qualified).max(1024).optional() }).optional(),
}).superRefine((device, ctx) => {
  const has = (proc: string): boolean => Object.hasOwn(device.procs, proc);
  const missing = (path: (string | number)[], proc: string): void => {
    ctx.addIssue({ code: 'custom', path, input: proc, message: `names no procedure of device ${device.name}` });
  };
  device.entries?.forEach((entry, i) => has(entry) || missing(['entries', i], entry));
  // Named twice: an entry's weight doubled in the workload, a slot named twice one word (was accepted in silence).
  for (const key of ['entries', 'slots'] as const) {
    device[key]?.forEach((item, i) => {
      if (device[key]!.indexOf(item) !== i) ctx.addIssue({ code: 'custom', path: [key, i], input: item, message: `is named twice in ${key} of device ${device.name}` });
    });
  }
  device.irqs?.forEach((irq, i) => {
    for (const key of ['hwIntProc', 'virtIntProc', 'eoiProc', 'iretProc', 'maskChangeProc'] as const) {
      const proc = irq[key];
      if (proc !== undefined && !has(proc)) missing(['irqs', i, key], proc);
    }
  });
  if (device.init !== undefined && !has(device.init)) missing(['init'], device.init);
  for (const [message, proc] of Object.entries(device.control ?? {})) {
    if (!Object.hasOwn(CONTROL_MESSAGE, message)) ctx.addIssue({ code: 'custom', path: ['control', message], input: message, message: 'is not a System_Control message' });
    else if (!has(proc)) missing(['control', message], proc);
  }
  device.exports?.services?.forEach((service, i) => has(service) || missing(['exports', 'services', i], service));
  device.exports?.data?.forEach((data, i) => {
    if (!(device.slots ?? []).includes(data)) ctx.addIssue({ code: 'custom', path: ['exports', 'data', i], input: data, message: `is not a slot of device ${device.name}` });
  });
});

const ScenarioSchema = keysOnly({
  name,
  description: z.string().max(10_000).optional(),
  vms: z.number().int().min(1).max(64),
  devices: z.array(DeviceSchema).max(64).superRefine((devices, ctx) => {
    const seen = new Set<string>();
    devices.forEach((d, i) => {
      if (seen.has(d.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], input: d.name, message: 'two devices have this name' });
      seen.add(d.name);
    });
    checkIrqLines(devices, ctx);
    const unresolved = unresolvedImport(devices);
    if (unresolved !== undefined) ctx.addIssue({ code: 'custom', path: unresolved.path, input: unresolved.ref, message: unresolved.message });
  }),
  config: keysOnly({
    handleMode: z.enum(['checked', 'pooled']).optional(),
    latitude: z.boolean().optional(),
    livelockBound: z.number().int().min(1).max(LIVELOCK_BOUND_MAX).optional(),
    timesliceTicks: z.number().int().min(1).max(1e12).optional(),
    eventPoolSize: z.number().int().min(1).max(1 << 20).optional(),
    sharedMemory: z.boolean().optional(),
  }).optional(),
  mix: keysOnly({
    run: z.number().nonnegative().max(1e9), trap: z.number().nonnegative().max(1e9), interruptFlag: z.number().nonnegative().max(1e9),
    iret: z.number().nonnegative().max(1e9), eoi: z.number().nonnegative().max(1e9), mask: z.number().nonnegative().max(1e9),
    mode: z.number().nonnegative().max(1e9), runTicksMean: z.number().nonnegative().max(1e12),
  }).partial().optional(),
  lifecycle: z.array(keysOnly({
    atStep: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    op: z.enum(['destroy', 'create', 'focus']),
    vm: z.number().int().min(1).max(64).optional(),
  })).max(100_000).optional(),
  invariants: z.array(keysOnly({ name, check: fn, atEnd: z.boolean().optional() })).max(10_000).superRefine((invariants, ctx) => {
    // A broken invariant's kind is its name: two of one name could not be told apart in a report or a shrink.
    invariants.forEach((invariant, i) => {
      if (invariants.findIndex((other) => other.name === invariant.name) !== i) ctx.addIssue({ code: 'custom', path: [i, 'name'], input: invariant.name, message: 'two invariants have this name (a broken one is reported by its name)' });
    });
  }).optional(),
  steps: z.number().int().min(1).max(100_000_000).optional(),
}).superRefine((scenario, ctx) => checkLifecycle(scenario.vms, scenario.lifecycle, ctx));

/** IRQ sources are the bits of one 32-bit choice value (VPICD's bound). */
const IRQ_SOURCES_MAX = 31;
const canShare = (options: number | undefined): boolean => ((options ?? 0) & VPICD_OPT.Can_Share) !== 0;

/**
 * What VPICD_Virtualize_IRQ refuses at boot, found at load instead: a line two descriptors take
 * unless both say VPICD_Opt_Can_Share, and more IRQ sources than a choice value holds.
 */
function checkIrqLines(devices: readonly z.infer<typeof DeviceSchema>[], ctx: z.RefinementCtx): void {
  const first = new Map<number, { device: string; options: number | undefined }>();
  let sources = 0;
  devices.forEach((device, d) => device.irqs?.forEach((irq, i) => {
    const other = first.get(irq.irq);
    if (other !== undefined && !(canShare(other.options) && canShare(irq.options))) {
      ctx.addIssue({ code: 'custom', path: [d, 'irqs', i, 'irq'], input: irq.irq, message: `${device.name} and ${other.device} both virtualize it; each needs VPICD_Opt_Can_Share in its options to share a line` });
    }
    if (other === undefined) first.set(irq.irq, { device: device.name, options: irq.options });
    if (++sources === IRQ_SOURCES_MAX + 1) ctx.addIssue({ code: 'custom', path: [d, 'irqs', i], input: irq.irq, message: `more than ${IRQ_SOURCES_MAX} IRQ sources in the scenario` });
  }));
}

export class ScenarioShapeError extends Error {
  override readonly name = 'ScenarioShapeError';
}

/** The export as a Scenario, or ScenarioShapeError: "<source>: devices.0.irqs.0.irq = 16: …". */
export function validateScenario(exported: unknown, source: string): Scenario {
  if (typeof exported !== 'object' || exported === null) {
    throw new ScenarioShapeError(`${source}: the default export is ${describe(exported)}, not a scenario (export default defineScenario({ ... }))`);
  }
  if (isThenable(exported)) {
    throw new ScenarioShapeError(`${source}: the default export is a promise, not a scenario (to compute a scenario asynchronously, await it at the module's top level and export the result)`);
  }
  let parsed;
  try {
    parsed = ScenarioSchema.safeParse(exported, { reportInput: true });
  } catch (error) {
    // A getter or a proxy of the module's own threw while it was read (or the module changed
    // what the validation relies on, Array.prototype say): the module's doing.
    throw new ScenarioShapeError(`${source}: reading the default export threw: ${printable(error)}`);
  }
  // zod's output is a copy made by reading every field once: the run uses what was checked. The
  // export itself, read again later, ran the module's getters again (a weight valid on the first
  // read and NaN on the next, a step count that became 1e15: an internal error or a hang).
  if (parsed.success) return parsed.data as unknown as Scenario;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.join('.') || '(scenario)';
  // An unknown key's message names it; the object it is in would only repeat the whole export.
  const value = 'input' in issue && issue.code !== 'unrecognized_keys' ? ` = ${describe(issue.input)}` : '';
  throw new ScenarioShapeError(`${source}: ${path}${value}: ${issue.message.split('\n')[0]}`);
}

/** A promise (or any thenable) read without calling anything of the module's but its getter. */
function isThenable(value: object): boolean {
  try {
    return typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

function printable(error: unknown): string {
  try {
    return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  } catch {
    return 'a value that cannot be printed';
  }
}

/** A value in a few characters (an object or a function is named, not printed). */
function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
