/**
 * Run identity: every run of the command line gets an id (nanoid), which names its trace file
 * (so runs never overwrite each other), appears in its report and in every line it logs. The id
 * is for people and files only: nothing the simulation decides depends on it, so a replay of the
 * same seed and choices is the same run whatever its id.
 */
import { customAlphabet } from 'nanoid';

/** Lower case letters and digits: safe in any file name, easy to type. 10 characters: 36^10 ids. */
const newId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 10);

export function newRunId(): string {
  return newId();
}

/**
 * The scenario's name as a file name part (lower case letters, digits and dashes): every
 * command names a scenario's traces alike, whatever the module's file is called.
 */
export function scenarioLabel(scenarioName: string): string {
  return scenarioName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'scenario';
}

/** `vmmsim-traces/<command>-<scenario>-<seed>-<run id>.json` */
export function defaultTracePath(command: string, scenarioName: string, seed: number, runId: string): string {
  return `vmmsim-traces/${command}-${scenarioLabel(scenarioName)}-${seed}-${runId}.json`;
}

export const TRACE_PATH_PATTERN = 'vmmsim-traces/<command>-<scenario>-<seed>-<run id>.json';
