/**
 * Run identity: every run of the command line gets an id (nanoid), which names its trace file
 * (so runs never overwrite each other), appears in its report and in every line it logs. The id
 * is for people and files only: nothing the simulation decides depends on it, so a replay of the
 * same seed and choices is the same run whatever its id.
 */
import { basename } from 'node:path';
import { customAlphabet } from 'nanoid';

/** Lower case letters and digits: safe in any file name, easy to type. 10 characters: 36^10 ids. */
const newId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 10);

export function newRunId(): string {
  return newId();
}

/** The scenario as a file name part: the module's base name, or 'default' for the built-in machine. */
export function scenarioLabel(scenarioPath: string | undefined): string {
  if (scenarioPath === undefined) return 'default';
  return basename(scenarioPath).replace(/\.[cm]?[jt]s$/, '').replace(/[^A-Za-z0-9._-]+/g, '-') || 'scenario';
}

/** `vmmsim-traces/<command>-<scenario>-<seed>-<run id>.json` */
export function defaultTracePath(command: string, scenarioPath: string | undefined, seed: number, runId: string): string {
  return `vmmsim-traces/${command}-${scenarioLabel(scenarioPath)}-${seed}-${runId}.json`;
}

export const TRACE_PATH_PATTERN = 'vmmsim-traces/<command>-<scenario>-<seed>-<run id>.json';
