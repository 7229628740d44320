/**
 * Finding the scenario a run or a trace names: the built-in default, a bug-zoo entry, or a
 * user's module (a .ts, .mts or .js file whose default export is a Scenario; importModule.ts).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { errnoText } from '../shared/errnoText.js';
import type { ScenarioRef } from '../shared/trace.js';
import { defaultScenario } from './default.js';
import { describeLoadError, importModule, type ImportedModule } from './importModule.js';
import type { Scenario } from './scenario.js';
import { guardScenario } from './guard.js';
import { ScenarioShapeError, validateScenario } from './validate.js';
import { ScenarioError } from './scenarioError.js';
import { zooScenario } from './zooRegistry.js';

export { ScenarioError };


export { registerZoo, type ZooLookup } from './zooRegistry.js';

export async function loadScenario(ref: ScenarioRef): Promise<Scenario> {
  switch (ref.kind) {
    case 'builtin':
      if (ref.name !== 'default') throw new ScenarioError(`unknown built-in scenario ${ref.name}`);
      return defaultScenario(ref.vms, ref.steps);
    case 'zoo': {
      const scenario = await zooScenario(ref.name, ref.fixed);
      if (scenario === undefined) throw new ScenarioError(`unknown zoo scenario ${ref.name}`);
      return withVms(scenario, ref.vms);
    }
    case 'module':
      return withVms(await loadScenarioModule(ref.path), ref.vms);
  }
}

/** A reference may override the scenario's VM count (a shrunk trace runs on fewer VMs). */
function withVms(scenario: Scenario, vms: number | undefined): Scenario {
  return vms === undefined ? scenario : { ...scenario, vms };
}

/** Each imported module's export as its validation read it (the checked copy, guarded). */
const checkedExports = new WeakMap<ImportedModule, Scenario>();

export async function loadScenarioModule(path: string): Promise<Scenario> {
  // '' would resolve to the working directory.
  if (path === '') throw new ScenarioError('scenario: the path is empty (give a module file)');
  // '-' is standard input to many tools; a module is imported from a file (and stdin is no module).
  if (path === '-') throw new ScenarioError("scenario: '-' (standard input) is not read: a scenario is a module file (give its path)");
  const file = resolve(path);
  // stat, not existsSync: a symbolic link loop, or a folder that may not be read, "exists" no more
  // than a missing file does, but was reported as "not found" (README: a system error says what its code means).
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ScenarioError(`scenario file not found: ${path}${file !== path ? ` (looked for ${file})` : ''}`);
    throw new ScenarioError(`cannot read scenario ${path}: ${errnoText(error)}`);
  }
  // A directory or a named pipe is not a module (a pipe would block the import with no end).
  if (stats.isDirectory()) throw new ScenarioError(`scenario ${path} is a directory, not a module file`);
  if (!stats.isFile()) throw new ScenarioError(`scenario ${path} is not a regular file (a pipe, socket or device)`);
  let module: ImportedModule;
  try {
    module = await importModule(file);
  } catch (error) {
    throw new ScenarioError(`cannot load scenario ${describeLoadError(error, file)}`);
  }
  // A module is imported once per thread; so is its export read: a later load (a replay or a
  // shrink after a find) takes the copy the first one checked, not the export's getters again.
  const checked = checkedExports.get(module);
  if (checked !== undefined) return checked;
  try {
    const scenario = guardScenario(validateScenario(module.exported, path));
    checkedExports.set(module, scenario);
    return scenario;
  } catch (error) {
    if (error instanceof ScenarioShapeError) throw new ScenarioError(error.message);
    // The export's own getters or proxies threw while it was wrapped: the module's doing.
    throw new ScenarioError(`${path}: reading the default export threw: ${describeLoadError(error, file).replace(/^[^:]*: /, '')}`);
  }
}
