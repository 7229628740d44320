// What a command loads before it runs (program.ts): its options and the checks of its input,
// never the core, the explorer, the zoo, the scenario loader or the libraries only some commands
// use. Each command loads what it runs when it runs, so `vmmsim --version`, `--help`, a refused
// flag, and the main thread of a command whose work runs on a watched worker start without
// loading (and compiling) the whole program. Measured in module files, not in time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childBound } from '../support/childBound.js';

const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));
const SCENARIO = fileURLToPath(new URL('../../examples/scenarios/flaky-driver.ts', import.meta.url));
/**
 * Prints the URL of every module the main thread loads, one a line on stderr, prefixed (a worker
 * runs the same --import, and registers nothing: what it loads is the command's work).
 */
const HOOK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';
if (isMainThread) register('data:text/javascript,' + encodeURIComponent(
  "export async function load(url, context, next) { process.stderr.write('MODULE ' + url + '\\\\n'); return next(url, context); }"));
`)}`;

function modulesLoaded(args: string[]): string[] {
  const { stderr } = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, VMMSIM_RELAUNCH: '0' }, ...childBound(),
  });
  return stderr.split('\n').filter((line) => line.startsWith('MODULE ')).map((line) => line.slice('MODULE '.length));
}

/** What no command's options need: each is loaded by the commands that run it. */
const HEAVY = [
  '/dist/src/vmm/vmm.js', '/dist/src/scenario/load.js', '/dist/src/explore/explore.js', '/dist/src/actors/runLoop.js',
  '/dist/examples/zoo/', '/dist/src/trace/', '/dist/src/actors/threads/orchestrator.js', '/dist/bench/',
  '/node_modules/zod/', '/node_modules/pino/', '/node_modules/piscina/', '/node_modules/bullmq/', '/node_modules/fast-check/', '/node_modules/cli-progress/',
];

describe('what a command loads before it runs', () => {
  it.each([[['--version']], [['--help']], [['explore', '--help']], [['run', '--steps', '0']], [['replay', '--context', 'x', 't.json']]])(
    'vmmsim %j: the options, none of the program',
    (args) => {
      const modules = modulesLoaded(args);
      // The hook saw the process: the CLI's own modules are there.
      expect(modules.some((url) => url.endsWith('/dist/src/cli/program.js'))).toBe(true);
      for (const heavy of HEAVY) expect(modules.filter((url) => url.includes(heavy)), heavy).toEqual([]);
      expect(modules.length).toBeLessThan(80);
    },
  );

  it('a command that runs loads what it runs (the hook sees them)', () => {
    const modules = modulesLoaded(['run', '--runtime', 'sim', '--steps', '50', '--no-trace']);
    expect(modules.some((url) => url.endsWith('/dist/src/scenario/load.js'))).toBe(true);
  });

  it("explore of the built-in scenario leaves its loading to the worker; a scenario module is checked on the main thread first", () => {
    const out = mkdtempSync(join(tmpdir(), 'vmmsim-startup-'));
    try {
      // The campaign runs on its watched worker: the main thread loads neither the scenario
      // loader nor the core nor the explorer (a built-in scenario is valid by construction).
      const builtin = modulesLoaded(['explore', '--iterations', '1', '--out', out]);
      expect(builtin.some((url) => url.endsWith('/dist/src/cli/watched.js'))).toBe(true);
      for (const heavy of ['/dist/src/scenario/load.js', '/dist/src/vmm/vmm.js', '/dist/src/explore/explore.js']) {
        expect(builtin.filter((url) => url.includes(heavy)), heavy).toEqual([]);
      }
      // A module is loaded and validated here, to refuse it (exit 2) before any worker starts.
      const module = modulesLoaded(['explore', SCENARIO, '--iterations', '1', '--out', out]);
      expect(module.some((url) => url.endsWith('/dist/src/scenario/load.js'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
