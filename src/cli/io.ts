/** Writing results: JSON on stdout stays the only thing on stdout when --json is given. */
import { writeFileSync } from 'node:fs';
import { makeDirs } from '../shared/makeDirs.js';
import { dirname } from 'node:path';
import type { TraceFile } from '../shared/trace.js';
import { writeTraceFile } from '../shared/traceFile.js';
import { writeStdout } from '../shared/commandStdout.js';

export function printJson(value: unknown): void {
  writeStdout(`${JSON.stringify(value, null, 2)}\n`);
}

export function writeJsonFile(path: string, value: unknown): void {
  makeDirs(dirname(path));
  namingFile(path, () => writeFileSync(path, `${JSON.stringify(value)}\n`));
}

/**
 * Runs a write to `path`; a failure says which file. A write's error carries no path (it names
 * the descriptor's system call only), so `-o /dev/full` ended on "write failed: ENOSPC" alone.
 */
export function namingFile<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (typeof e === 'object' && e !== null && typeof e.code === 'string' && e.path === undefined) e.path = path;
    throw error;
  }
}

/** Human output goes to stdout normally, to stderr when stdout carries JSON. */
export function humanOut(json: boolean): (line: string) => void {
  return (line) => (json ? process.stderr.write(`${line}\n`) : writeStdout(`${line}\n`));
}

/** A trace file (line-delimited: see shared/traceFile.ts), its directory made if need be. */
export function writeTrace(path: string, trace: TraceFile): void {
  makeDirs(dirname(path));
  writeTraceFile(path, trace);
}
