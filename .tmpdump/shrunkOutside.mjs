import { spawnSync } from 'node:child_process';
import { OUTSIDE_DRIVERS, OUTSIDE_DRIVERS_THIRD_ROUND } from '/work/main/dist/examples/outside/index.js';
const all = [...OUTSIDE_DRIVERS, ...OUTSIDE_DRIVERS_THIRD_ROUND];
all.forEach((d, i) => {
  const args = ['/work/main/dist/src/cli/main.js', 'explore', `/work/main/dist/examples/outside/${d.file}.js`, '--strategy', 'portfolio', '--seed', '1', '--iterations', '2000', '--json', '--out', '/tmp/outs'];
  if (i < 11) args.push('--workloads', '1');
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, VMMSIM_RELAUNCH: '0' } });
  try {
    const j = JSON.parse(r.stdout);
    console.log(d.file, j.found && j.violation.kind === d.kind ? j.violation.execution : null, j.shrink ? `${j.shrink.before.steps} → ${j.shrink.after.steps}` : '-');
  } catch { console.log(d.file, 'ERR', r.stderr.slice(0, 200)); }
});
