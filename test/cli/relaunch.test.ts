// When vmmsim starts node again with one V8 platform thread (src/cli/relaunch.ts): "the commands
// that run the threaded runtime (`run`, `stress`) ... on a machine with few cores", and "not
// relaunched: other commands, `--runtime sim`, `stress --queue`, more than FEW_CORES_MAX cores, a
// `--v8-pool-size` the user gave, VMMSIM_RELAUNCH=0, Windows". The end-to-end path (the signal
// passed on, the exit code passed back) is in test/actors/threads/cli.threads.test.ts.
import { describe, expect, it } from 'vitest';
import { FEW_CORES_MAX, relaunchArgs, V8_POOL_FLAG } from '../../src/cli/relaunch.js';

const base = { execArgv: ['--import', 'tsx'], script: '/x/main.ts', env: {}, cores: 2, platform: 'linux' as const };

describe('relaunching with one V8 platform thread', () => {
  it.each([
    [['run']], [['run', '--duration', '3']], [['run', '--runtime', 'threads']], [['stress', '--vms', '8']], [['run', '--runtime=threads']],
  ])('%j on 2 cores: node again with the flag, the same node options, script and arguments', (argv) => {
    expect(relaunchArgs(argv, base)).toEqual(['--import', 'tsx', V8_POOL_FLAG, '/x/main.ts', ...argv]);
  });

  it.each([
    [['explore', 'x.mjs']], [['replay', 't.json']], [['bench']], [['--help']], [[]],
    [['run', '--runtime', 'sim']], [['run', '--runtime=sim']], [['stress', '--queue', 'redis://h:1']], [['stress', '--queue=redis://h:1']],
  ])('%j: runs here', (argv) => {
    expect(relaunchArgs(argv, base)).toBeNull();
  });

  it('runs here on more cores, on Windows, once relaunched or told not to, and with a pool size the user chose', () => {
    expect(relaunchArgs(['run'], { ...base, cores: FEW_CORES_MAX })).not.toBeNull();
    expect(relaunchArgs(['run'], { ...base, cores: FEW_CORES_MAX + 1 })).toBeNull();
    expect(relaunchArgs(['run'], { ...base, platform: 'win32' })).toBeNull();
    expect(relaunchArgs(['run'], { ...base, env: { VMMSIM_RELAUNCH: '0' } })).toBeNull();
    expect(relaunchArgs(['run'], { ...base, env: { NODE_OPTIONS: '--max-old-space-size=4096 --v8-pool-size=2' } })).toBeNull();
    expect(relaunchArgs(['run'], { ...base, execArgv: ['--v8-pool-size=0'] })).toBeNull();
  });
});
