/**
 * Running one bench module in a child Node process and reading the JSON it prints (runIfEntry):
 * for a measurement that needs Node flags given only at start (latencyInChild.ts), or a process
 * of its own so that what ran before in the suite (other scenarios compiled into the same core
 * functions) does not shape it (peer/inChild.ts).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs `module` (a path relative to this bench/ folder, without extension: the .js beside the
 * compiled suite, or the .ts under tsx) with `args` and `nodeFlags`, and returns its JSON.
 */
export async function runBenchInChild<T>(module: string, args: readonly string[], nodeFlags: readonly string[] = []): Promise<T> {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(new URL(`./${module}.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  const argv = [...nodeFlags, ...(fromSource ? ['--import', 'tsx'] : []), script, ...args];
  // Its own process group: a Ctrl-C at the terminal reaches the bench, which stops after this measurement.
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('exit', done);
  });
  if (code !== 0) throw new Error(`the measurement (node ${argv.join(' ')}) exited ${code}: ${stderr.trim()}`);
  return JSON.parse(stdout) as T;
}
