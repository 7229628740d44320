/**
 * A scenario imports what it needs from 'vmmsim'. Installed in a project, Node finds the package
 * in the scenario's node_modules. Run from a global install (`npm install -g`) or from npx's
 * cache in a folder that has none, the scenario's folder cannot resolve it. So on every thread
 * that loads a scenario, 'vmmsim' (and 'vmmsim/<subpath>') that Node cannot resolve from the
 * importing file resolves as the running vmmsim resolves its own name: through its package.json
 * "exports", to the code that is running. A scenario beside an installed vmmsim keeps that one,
 * by Node's usual rule; nothing else's resolution changes.
 *
 * Both of Node's loaders: ES module imports (`.mjs`, `.js` in a `"type": "module"` package, `.ts`
 * tsx compiles as ESM) through a `module.register` resolve hook (Node ≥ 20.6), and CommonJS
 * `require` (a `.cjs` scenario, and the `.ts` tsx compiles to CommonJS in a CommonJS folder or
 * one with no package.json) through `Module._resolveFilename`, which tsx wraps in turn.
 */
import { existsSync, readFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const OWN_NAME = 'vmmsim';

/** The resolve hook, run on Node's loader thread: a data: URL needs no file of its own. */
const ESM_HOOKS = `
let ownPackageUrl;
export function initialize(data) { ownPackageUrl = data.ownPackageUrl; }
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const ownName = specifier === ${JSON.stringify(OWN_NAME)} || specifier.startsWith(${JSON.stringify(`${OWN_NAME}/`)});
    if (!ownName || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return nextResolve(specifier, { ...context, parentURL: ownPackageUrl });
  }
}
`;

type ResolveFilename = (this: unknown, request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
interface ModuleInternals {
  _resolveFilename: ResolveFilename;
  _nodeModulePaths(dir: string): string[];
  new (id: string): { filename: string; paths: string[] };
}

let installed = false;

/** Makes 'vmmsim' resolvable on this thread (once per thread; later calls do nothing). */
export function resolveOwnNameOnThisThread(): void {
  if (installed) return;
  installed = true;
  const packageJson = ownPackageJson();
  if (packageJson === undefined) return;
  register(`data:text/javascript,${encodeURIComponent(ESM_HOOKS)}`, { data: { ownPackageUrl: pathToFileURL(packageJson).href } });
  patchRequire(packageJson);
}

function isOwnName(specifier: string): boolean {
  return specifier === OWN_NAME || specifier.startsWith(`${OWN_NAME}/`);
}

function patchRequire(packageJson: string): void {
  const internals = Module as unknown as ModuleInternals;
  const original = internals._resolveFilename;
  // A module inside the package: from there Node resolves the name to the package itself.
  const ownModule = new internals(packageJson);
  ownModule.filename = packageJson;
  ownModule.paths = internals._nodeModulePaths(dirname(packageJson));
  internals._resolveFilename = function resolveFilename(request, parent, isMain, options) {
    try {
      return original.call(this, request, parent, isMain, options);
    } catch (error) {
      if (!isOwnName(request) || (error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
      return original.call(this, request, ownModule, false, options);
    }
  };
}

/** The nearest package.json above this file named vmmsim, compiled (dist/src) or from source. */
function ownPackageJson(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === OWN_NAME) return file;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
