/**
 * How a worker finds a module scenario: at the same absolute path as on the coordinator (a
 * shared checkout, a network file system, the same container image), checked by content hash.
 * A scenario module may import other files (its devices, `vmmsim` itself), so shipping one file
 * could not be enough; the hash check makes a worker that holds a different version of the file
 * fail the chunk loudly instead of computing another campaign's results.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface ScenarioFile {
  /** Absolute path on the coordinator's machine; workers read the same path. */
  path: string;
  sha256: string;
}

export class ScenarioFileError extends Error {
  override readonly name = 'ScenarioFileError';
}

export function describeScenarioFile(path: string): ScenarioFile {
  const absolute = resolve(path);
  return { path: absolute, sha256: sha256Of(absolute) };
}

function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Checks a worker's copy against the coordinator's. A module, once imported, stays loaded in
 * this process (ES modules are cached by path), so a file that changed since this worker
 * loaded it is refused too: restart the worker to pick up the new version.
 */
export class ScenarioFileCheck {
  private readonly loaded = new Map<string, string>();

  verify(file: ScenarioFile): void {
    if (!existsSync(file.path)) throw new ScenarioFileError(`scenario ${file.path} is not on this machine (workers load it at the coordinator's path)`);
    const here = sha256Of(file.path);
    if (here !== file.sha256) throw new ScenarioFileError(`scenario ${file.path} differs on this machine (sha256 ${here.slice(0, 12)}, the coordinator's ${file.sha256.slice(0, 12)})`);
    const first = this.loaded.get(file.path);
    if (first !== undefined && first !== here) throw new ScenarioFileError(`scenario ${file.path} changed since this worker loaded it; restart the worker`);
    this.loaded.set(file.path, here);
  }
}
