/** Writing results: JSON on stdout stays the only thing on stdout when --json is given. */
import { writeFileSync } from 'node:fs';
import { makeDirs } from '../shared/makeDirs.js';
import { dirname } from 'node:path';
import type { TraceFile } from '../shared/trace.js';
import { writeTraceFile } from '../shared/traceFile.js';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function writeJsonFile(path: string, value: unknown): void {
  makeDirs(dirname(path));
  writeFileSync(path, `${JSON.stringify(value)}\n`);
}

/** Human output goes to stdout normally, to stderr when stdout carries JSON. */
export function humanOut(json: boolean): (line: string) => void {
  return (line) => (json ? process.stderr : process.stdout).write(`${line}\n`);
}

/** A trace file (line-delimited: see shared/traceFile.ts), its directory made if need be. */
export function writeTrace(path: string, trace: TraceFile): void {
  makeDirs(dirname(path));
  writeTraceFile(path, trace);
}
