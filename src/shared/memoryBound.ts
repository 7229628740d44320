/**
 * The process's resident memory, bounded. Each thread's JavaScript heap has its limit (V8's, or
 * the load probe's), but memory outside the heaps does not count there: Buffers and typed arrays
 * that scenario or device code keeps took a run to 6-8 GB of RSS with no word from vmmsim (an
 * outside audit). The main thread reads the process's RSS a few times a second and ends the work
 * past the bound with one line that says memory.
 *
 * The bound: `VMMSIM_MEMORY_BOUND_MB` (checked by cli/environment.ts), else half the machine's
 * memory, at most 8 GB: far above what a run of vmmsim itself holds (a few hundred MB), and
 * under what one thread's default heap limit and a leak beside it would take the machine to.
 */
import { totalmem } from 'node:os';

export const MEMORY_BOUND_DEFAULT_MAX_MB = 8192;
export const MEMORY_BOUND_MIN_MB = 64;
/** 1 TB: a larger number is a typo. */
export const MEMORY_BOUND_MAX_MB = 1024 * 1024;
const MB = 1024 * 1024;

/** Read once per thread: a scenario module that set the variable cannot move vmmsim's own bound. */
const MEMORY_BOUND_SETTING = process.env['VMMSIM_MEMORY_BOUND_MB'];

export function memoryBoundMb(setting: string | undefined = MEMORY_BOUND_SETTING): number {
  const mb = Number(setting);
  if (setting !== undefined && /^\d+$/.test(setting) && mb >= MEMORY_BOUND_MIN_MB && mb <= MEMORY_BOUND_MAX_MB) return mb;
  return Math.min(MEMORY_BOUND_DEFAULT_MAX_MB, Math.floor(totalmem() / MB / 2));
}

/** How often the RSS is read: a leak at a few GB a second overshoots the bound by a few hundred MB at most. */
const WATCH_EVERY_MS = 100;

export interface MemoryWatch {
  stop(): void;
}

/**
 * Calls `onExceeded` once, with the RSS it read (MB), when the process's resident memory passes
 * `boundMb` above what it was as the watch began (`aboveStart`), or past `boundMb` itself.
 */
export function watchMemory(boundMb: number, onExceeded: (rssMb: number) => void, options: { aboveStart?: boolean } = {}): MemoryWatch {
  const startMb = options.aboveStart === true ? process.memoryUsage.rss() / MB : 0;
  const timer = setInterval(() => {
    const rssMb = process.memoryUsage.rss() / MB;
    if (rssMb - startMb <= boundMb) return;
    clearInterval(timer);
    onExceeded(Math.round(rssMb));
  }, WATCH_EVERY_MS);
  // The watch alone keeps no process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** The line's words, for every runtime that ends a run on it. */
export function memoryBoundText(rssMb: number, boundMb: number): string {
  return `the process's resident memory reached ${rssMb} MB, past its bound of ${boundMb} MB (VMMSIM_MEMORY_BOUND_MB): ` +
    'scenario or device code that keeps allocating Buffers, typed arrays or other memory outside the JavaScript heap?';
}
