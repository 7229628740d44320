// What a command loads before it runs (program.ts): its options and the checks of its input,
// never the core, the explorer, the zoo, the scenario loader or the libraries only some commands
// use. Each command loads what it runs when it runs, so `vmmsim --version`, `--help`, a refused
// flag, and the main thread of a command whose work runs on a watched worker start without
// loading (and compiling) the whole program. Measured in module files, not in time.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));
/** Prints the URL of every module the process loads, one a line on stderr, prefixed. */
const HOOK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  "export async function load(url, context, next) { process.stderr.write('MODULE ' + url + '\\\\n'); return next(url, context); }"));
`)}`;

function modulesLoaded(args: string[]): string[] {
  const { stderr } = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, VMMSIM_RELAUNCH: '0' },
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
});
