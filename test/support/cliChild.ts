/**
 * The CLI in a child process of its own, with `env` added and its stdout ignored: its exit code
 * and stderr. Killed after `boundMs` (tests whose case is the process itself: memory, the load).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));

export function runCliInChild(args: string[], env: Record<string, string>, cwd: string, boundMs = 150_000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const bound = setTimeout(() => child.kill('SIGKILL'), boundMs);
    child.on('close', (code) => {
      clearTimeout(bound);
      done({ code, stderr });
    });
  });
}
