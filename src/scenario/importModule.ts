/**
 * Importing a user's scenario module, wherever it lives: `.ts`, `.mts`, `.cts` or `.js`, in a
 * `"type": "module"` package, a CommonJS one, or none. tsx's `tsImport` compiles it on the fly
 * in its own namespace (no global loader hooks, so it works the same from a worker thread and
 * does not trip over Node's require(esm) rules in a CommonJS folder).
 *
 * A module that fails to load is reported in one line that names its file and, when it is known,
 * its line: esbuild's syntax errors carry both; for an error thrown while the module runs, the
 * first stack frame inside the file gives the line (the file alone when the module was compiled
 * to CommonJS, whose frames point into generated code).
 */
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export async function importModule(file: string): Promise<unknown> {
  const { tsImport } = await import('tsx/esm/api');
  const module = (await tsImport(pathToFileURL(file).href, { parentURL: import.meta.url })) as { default?: unknown };
  return unwrapDefault(module.default);
}

/** A CommonJS-compiled ES module arrives as `{ default: { __esModule, default: scenario } }`. */
function unwrapDefault(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && '__esModule' in value && 'default' in value) return value.default;
  return value;
}

/** One line: `scenario.ts:2:48: Expected "}" but found ";"`, or `scenario.ts: Error: boom`. */
export function describeLoadError(error: unknown, file: string): string {
  const shown = displayPath(file);
  if (!(error instanceof Error)) return `${shown}: ${String(error)}`;
  // esbuild: "Transform failed with 1 error:\n/abs/file.ts:2:48: ERROR: Expected ..."
  const syntax = /^(.+?):(\d+):(\d+): ERROR: (.*)$/m.exec(error.message);
  if (syntax !== null) return `${displayPath(syntax[1]!)}:${syntax[2]}:${syntax[3]}: ${syntax[4]}`;
  const at = frameIn(error.stack ?? '', file);
  const message = error.message.split('\n')[0];
  return `${shown}${at}: ${error.name === 'Error' ? '' : `${error.name}: `}${message}`;
}

/** `:line:column` of the first stack frame inside `file`, or '' when no frame is. */
function frameIn(stack: string, file: string): string {
  const url = pathToFileURL(file).href;
  for (const line of stack.split('\n')) {
    for (const prefix of [file, url]) {
      const index = line.indexOf(prefix);
      if (index < 0) continue;
      // tsx may add a query (its namespace) to the module's URL.
      const match = /^(?:\?[^:\s]*)?:(\d+):(\d+)/.exec(line.slice(index + prefix.length));
      if (match !== null) return `:${match[1]}:${match[2]}`;
    }
  }
  return '';
}

function displayPath(path: string): string {
  const absolute = path.startsWith('file:') ? fileURLToPath(path) : path;
  const shown = relative(process.cwd(), absolute);
  return shown.startsWith('..') ? absolute : shown;
}
