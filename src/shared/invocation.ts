/**
 * How a printed command names vmmsim (`replay it: npx vmmsim replay t.json`). `npx vmmsim` runs
 * this package where npx finds it from the working directory: inside the package itself, or in a
 * project that has it in node_modules. Elsewhere (`node /opt/vmmsim/bin/vmmsim.js explore ...`
 * from another folder) npx would look the name up in the registry and run whatever it found
 * there, so the command names this copy's executable instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellWord } from './shellWord.js';

let invocation: string | null = null;

/** `npx vmmsim`, or `node <this package's bin/vmmsim.js>` where npx would not find this package. */
export function vmmsimInvocation(cwd = process.cwd()): string {
  if (invocation !== null && cwd === process.cwd()) return invocation;
  const found = npxFindsVmmsim(cwd) ? 'npx vmmsim' : ownExecutable() ?? 'npx vmmsim';
  if (cwd === process.cwd()) invocation = found;
  return found;
}

export function replayCommand(tracePath: string): string {
  return `${vmmsimInvocation()} replay ${shellWord(tracePath)}`;
}

/** The command that draws a trace as an HTML page beside it. */
export function renderCommand(tracePath: string): string {
  return `${vmmsimInvocation()} trace ${shellWord(tracePath)} --format html -o ${shellWord(`${tracePath.replace(/\.(ndjson|json)$/, '')}.html`)}`;
}

function npxFindsVmmsim(cwd: string): boolean {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const installed = existsSync(join(dir, 'node_modules', '.bin', 'vmmsim')) || existsSync(join(dir, 'node_modules', 'vmmsim', 'package.json'));
    if (installed || packageName(join(dir, 'package.json')) === 'vmmsim') return true;
    if (dirname(dir) === dir) return false;
  }
}

function packageName(file: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name as string | undefined;
  } catch {
    return undefined;
  }
}

/** This package's bin/vmmsim.js, found above this file (src/shared, or dist/src/shared). */
function ownExecutable(): string | null {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const bin = join(dir, 'bin', 'vmmsim.js');
    if (packageName(join(dir, 'package.json')) === 'vmmsim' && existsSync(bin)) return `node ${shellWord(bin)}`;
    if (dirname(dir) === dir) return null;
  }
}
