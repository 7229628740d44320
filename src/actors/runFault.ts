/**
 * A run that cannot go on: device code that does not return (the watchdog), or user code (a
 * device procedure, a scenario invariant) that threw. Either way the run ends where it is, with
 * a report naming the device and procedure (or invariant) and the trace up to that point; the
 * same run replays to the same end, since both are decided by the run's own steps.
 */
import { fileURLToPath } from 'node:url';
import { DeviceCodeError, RunawayDevice, isRunawayMessage } from '../vmm/ring0Watch.js';
import { WorkerHung } from './ring0Watchdog.js';
import { stackText } from '../shared/errorStack.js';
import { oneLine } from '../shared/oneLine.js';

/** hung: device code stopped calling services and a watcher on another thread ended it. */
export type RunFaultKind = 'runaway' | 'hung' | 'deviceThrew' | 'invariantThrew';

export interface RunFault {
  kind: RunFaultKind;
  /** One line, for the report. */
  message: string;
  device: string | null;
  proc: string | null;
  invariant: string | null;
  /** file:line:column in the user's code, when the error says. */
  location: string | null;
}

/** A scenario invariant threw (rather than returning a message). */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
  constructor(readonly invariant: string, readonly original: unknown) {
    super(`invariant ${invariant} threw: ${messageOf(original)}`);
  }
}

/** Thrown by a run that ended on a fault, carrying what it had got to. */
export class RunAborted<R> extends Error {
  override readonly name = 'RunAborted';
  constructor(readonly fault: RunFault, readonly partial: R) {
    super(fault.message);
  }
}

/** The run fault an error is, or null if it is not one (then it is ours: let it through). */
export function runFaultOf(error: unknown): RunFault | null {
  if (error instanceof RunAborted) return error.fault;
  // From another thread (a piscina worker) only the message and the stack (whose first line
  // names the class) survive the structured clone: recognised by name.
  if (error instanceof Error && (error.name === 'RunAborted' || stackText(error).startsWith('RunAborted:'))) {
    const kind: RunFaultKind = isRunawayMessage(error.message) ? 'runaway' : /^invariant \S+ threw/.test(error.message) ? 'invariantThrew' : 'deviceThrew';
    return { kind, message: error.message.split('\n')[0]!, device: null, proc: null, invariant: null, location: null };
  }
  if (error instanceof WorkerHung) {
    const { hung } = error;
    return { kind: 'hung', message: error.message, device: hung.invariant === true ? null : hung.device, proc: hung.invariant === true ? null : hung.proc, invariant: hung.invariant === true ? hung.proc : null, location: null };
  }
  if (error instanceof RunawayDevice) {
    return { kind: 'runaway', message: error.message, device: error.where.device, proc: error.where.proc, invariant: null, location: null };
  }
  if (error instanceof DeviceCodeError) {
    return { kind: 'deviceThrew', message: withLocation(error.message, error.original), device: error.where.device, proc: error.where.proc, invariant: null, location: userLocation(error.original) };
  }
  if (error instanceof InvariantError) {
    return { kind: 'invariantThrew', message: withLocation(error.message, error.original), device: null, proc: null, invariant: error.invariant, location: userLocation(error.original) };
  }
  return null;
}

function messageOf(error: unknown): string {
  return oneLine(String(error instanceof Error ? error.message : error).split('\n')[0]!);
}

function withLocation(message: string, original: unknown): string {
  const at = userLocation(original);
  return at === null ? message : `${message} (at ${at})`;
}

/** This package's own directory: frames inside it (or in node_modules) are not the user's code. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/dist\/$/, '/');
const OURS = [`${PACKAGE_ROOT}src/`, `${PACKAGE_ROOT}dist/`, '/node_modules/', 'node:'];

/**
 * The first stack frame in the user's code, as file:line:column. None for a stack overflow: the
 * frame a recursion overflows in depends on how deep the stack was when the device was entered
 * (the explorer's execution and the shrinker's run of the same choices overflowed at two lines
 * of one cycle), so it would make one bug two findings.
 */
export function userLocation(error: unknown): string | null {
  if (error instanceof RangeError && error.message === 'Maximum call stack size exceeded') return null;
  const stack = stackText(error);
  for (const line of stack.split('\n').slice(1)) {
    const compiled = compiledFrame(line);
    if (compiled !== null) return compiled;
    const match = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (match === null) continue;
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (OURS.some((prefix) => file.includes(prefix))) continue;
    return `${file}:${match[2]}:${match[3]}`;
  }
  return null;
}

/**
 * A frame in a CommonJS-format TypeScript file (a scenario in a package without "type": "module"):
 * tsx runs its compiled code as a data: URL that ends in `?filePath=<the file>?namespace=<a new
 * id per load>`, with no source map. Named by the file, and the place in the compiled code, said
 * as such: the id would make the same throw two lines on two threads, and the line is not the file's.
 */
function compiledFrame(line: string): string | null {
  if (!line.includes('data:text/javascript')) return null;
  const match = /[?&]filePath=([^\s?&:()]+)[^\s:()]*:(\d+):(\d+)\)?\s*$/.exec(line.trim());
  if (match === null) return null;
  const file = decodeURIComponent(match[1]!).replace(/\?namespace=.*$/, '');
  return `${file}, compiled code ${match[2]}:${match[3]}`;
}
