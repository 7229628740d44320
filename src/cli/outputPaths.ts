/**
 * Output paths checked before any work starts, so a run of minutes does not end in a write that
 * fails: a file must not be a directory, its directory must exist or be creatable, and both must
 * be writable; a directory output must not be a file. One line naming the option and the path.
 */
import { accessSync, constants, realpathSync, statfsSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errnoText } from '../shared/errnoText.js';
import type { ScenarioRef } from '../shared/trace.js';
import { UsageError } from './errors.js';

/**
 * The path's status, or null where nothing is there yet. A name longer than the file system
 * takes failed only when the output was written, after the work (exit 3): the lookup says so
 * before any (ENAMETOOLONG comes from a lookup whether or not the file exists).
 */
function stat(option: string, path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENAMETOOLONG') {
      throw new UsageError(`${option} ${path}: a name in it is too long for the file system (${errnoText(error)})`);
    }
    return null;
  }
}

/**
 * Linux's kernel file systems by their magic number (statfs): a file there is an interface to the
 * kernel, not storage. `--trace /proc/self/comm` kept 15 bytes of the trace and said "trace
 * written"; as root, `/proc/sys/kernel/hostname` set the machine's host name to the trace.
 */
const KERNEL_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'], [0x62656572, 'sysfs'], [0x27e0eb, 'cgroup'], [0x63677270, 'cgroup2'], [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'], [0x73636673, 'securityfs'], [0x62656570, 'configfs'], [0xcafe4a11, 'bpf'], [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
]);

/** Refuses an output on a kernel file system (the path, or its nearest existing directory). */
function checkStorage(option: string, path: string, existing: string): void {
  let type: number;
  try {
    type = Number(statfsSync(existing).type);
  } catch {
    return;
  }
  const name = KERNEL_FILE_SYSTEMS.get(type);
  if (name !== undefined) throw new UsageError(`${option} ${path}: is on ${name}, a kernel file system whose files are not storage (give a path on a disk)`);
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The nearest existing ancestor must be a writable directory (mkdir -p makes the rest). */
function checkCreatable(option: string, path: string, dir: string): void {
  let at = resolve(dir);
  for (let s = stat(option, at); s === null; s = stat(option, at)) {
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  const s = stat(option, at);
  if (s === null || !s.isDirectory()) throw new UsageError(`${option} ${path}: ${at} is not a directory`);
  checkStorage(option, path, at);
  if (!writable(at)) throw new UsageError(`${option} ${path}: ${at} is not writable`);
}

/**
 * `-` is standard output where an option says so (`trace -o -`); elsewhere stdout carries the
 * command's report, and `-` made a file named `-` in silence (`./-` still does).
 */
export function checkOutputFile(option: string, path: string, dashIsStdout = false): void {
  if (path.trim() === '') throw new UsageError(`${option}: the path is empty`);
  if (path === '-') {
    if (dashIsStdout) return;
    throw new UsageError(`${option} -: standard output is not an output of this option (it carries the report); give a file name (./- for a file named -)`);
  }
  const s = stat(option, path);
  if (s !== null) {
    if (s.isDirectory()) throw new UsageError(`${option} ${path}: is a directory (give a file name)`);
    // Opening a named pipe for writing blocks until someone reads it.
    if (s.isFIFO() || s.isSocket()) throw new UsageError(`${option} ${path}: is a named pipe or socket, not a file`);
    // A character device (/dev/null) is a sink the user chose; a regular file there is the kernel's.
    if (!s.isCharacterDevice()) checkStorage(option, path, path);
    if (!writable(path)) throw new UsageError(`${option} ${path}: the file is not writable`);
    return;
  }
  checkCreatable(option, path, dirname(path));
}

export function checkOutputDir(option: string, path: string): void {
  if (path.trim() === '') throw new UsageError(`${option}: the path is empty`);
  if (path === '-') throw new UsageError(`${option} -: a directory is needed here, not standard output (./- for a directory named -)`);
  const s = stat(option, path);
  if (s !== null) {
    if (!s.isDirectory()) throw new UsageError(`${option} ${path}: is a file, not a directory`);
    checkStorage(option, path, path);
    if (!writable(path)) throw new UsageError(`${option} ${path}: the directory is not writable`);
    return;
  }
  checkCreatable(option, path, path);
}

/**
 * A file as the file system knows it: its device and inode where it exists (a hard link is the
 * same file under another name: `trace t.json -o <link>` overwrote the trace), else the path
 * with symbolic links and `..` resolved as far as they exist.
 */
function samePathKey(path: string): string {
  try {
    const s = statSync(path);
    return `inode ${s.dev}:${s.ino}`;
  } catch {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  }
}

/** The file a scenario reference loads, if it names one (an output must not be it). */
export function moduleFileOf(ref: ScenarioRef): string | null {
  return ref.kind === 'module' ? ref.path : null;
}

/**
 * Two options naming one file: an output over the input it is made from (`trace t.json -o
 * t.json` replaced the trace with its drawing; `--trace` over the `--scenario` module, or a
 * drawing or a shrunk trace over the module the trace names, destroyed the module), or two outputs
 * writing into each other (`--trace x --log x` gave a file that was neither). The first pair that does is one line, exit 2.
 */
export function checkDistinctPaths(paths: readonly [option: string, path: string | null | undefined][]): void {
  const seen = new Map<string, string>();
  for (const [option, path] of paths) {
    if (path === null || path === undefined || path === '-') continue;
    const key = samePathKey(path);
    const other = seen.get(key);
    if (other !== undefined) throw new UsageError(`${option} ${path}: the same file as ${other} (give another path)`);
    seen.set(key, `${option} ${path}`.trimStart());
  }
}
