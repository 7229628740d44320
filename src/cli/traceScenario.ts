/**
 * The scenario a trace names, found from wherever the trace is replayed. A trace records a
 * scenario module's path as it was given (`vmmsim explore mydev.ts`), relative to the directory
 * the run was started in, while the report prints the trace's absolute path as the command that
 * replays it. From another directory that path names nothing; the trace itself is, by default,
 * in `vmmsim-traces/` under the directory of the recording. So a relative path that names no
 * file from here is looked for from the directory the run started in (the trace's `cwd`), then
 * beside the trace and one directory above it (a trace copied to another machine).
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ScenarioRef } from '../shared/trace.js';
import { UsageError } from './errors.js';

export function scenarioOfTrace(tracePath: string, ref: ScenarioRef, recordedIn?: string): ScenarioRef {
  if (ref.kind !== 'module' || ref.path === '' || isAbsolute(ref.path) || existsSync(ref.path)) return ref;
  const traceDir = dirname(resolve(tracePath));
  for (const dir of [...(recordedIn !== undefined && isAbsolute(recordedIn) ? [recordedIn] : []), traceDir, dirname(traceDir)]) {
    const candidate = resolve(dir, ref.path);
    if (existsSync(candidate)) return { ...ref, path: candidate };
  }
  throw new UsageError(`the trace's scenario ${ref.path} is not found from here (${resolve(ref.path)})${recordedIn !== undefined ? `, from the directory the run started in (${recordedIn})` : ''}, beside the trace nor one directory above it: ` +
    'a trace names its scenario module as it was given when it was recorded; replay it from that directory');
}
