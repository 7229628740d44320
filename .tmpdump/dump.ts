import { RunLoop } from '../src/actors/runLoop.js';
import { RandomStrategy } from '../src/actors/sim/randomStrategy.js';
import { irqSources } from '../src/actors/sim/irqSources.js';
import { Rng } from '../src/shared/rng.js';
import { defaultScenario } from '../src/scenario/default.js';
import { MACHINE_SKIP } from '../src/state/machine.js';

function flat(root: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Map<object, string>();
  const walk = (v: unknown, path: string): void => {
    if (v === null || typeof v !== 'object') { out.set(path, typeof v === 'function' ? 'fn' : String(v)); return; }
    const o = v as object;
    if (seen.has(o)) { out.set(path, `ref:${seen.get(o)}`); return; }
    seen.set(o, path);
    const obj = MACHINE_SKIP.normalize ? MACHINE_SKIP.normalize(o) : o;
    if (Array.isArray(obj)) { out.set(path + '.length', String(obj.length)); obj.forEach((x, i) => walk(x, `${path}[${i}]`)); return; }
    if (ArrayBuffer.isView(obj)) { out.set(path, Buffer.from((obj as Uint8Array).buffer, (obj as Uint8Array).byteOffset, (obj as Uint8Array).byteLength).toString('hex')); return; }
    if (obj instanceof Map) { let i = 0; for (const [k, x] of obj) walk(x, `${path}{${String(k)}}`), i++; out.set(path + '.size', String(obj.size)); return; }
    if (obj instanceof Set) { out.set(path, [...obj].map(String).join(',')); return; }
    const skipped = MACHINE_SKIP.keys.get(obj.constructor);
    for (const k of Object.keys(obj).sort()) { if (skipped?.has(k)) continue; walk((obj as Record<string, unknown>)[k], `${path}.${k}`); }
  };
  walk(root, '');
  return out;
}

const scenario = defaultScenario(4, 8);
const dumps: Map<string, string>[] = [];
for (let s = 1; s <= 12; s++) {
  const choices = new RandomStrategy(new Rng(s).child('strategy'), irqSources(scenario.devices), { mode: 'uniform', p: 0.05, irqBudget: 2, shuffleGlobals: false });
  const loop = new RunLoop({ scenario, seed: 1, choices, config: { handleMode: 'checked', latitude: false } });
  while (loop.steps < 8) loop.step();
  dumps.push(flat({ vmm: loop.vmm, workload: loop.vmm.ops, steps: loop.steps }));
}
const paths = new Set<string>();
for (const d of dumps) for (const p of d.keys()) paths.add(p);
const varying: [string, string[]][] = [];
for (const p of paths) {
  const vals = dumps.map((d) => d.get(p) ?? '∅');
  if (new Set(vals).size > 1) varying.push([p, vals]);
}
for (const [p, vals] of varying.slice(0, 200)) console.log(p, '=>', vals.map((v) => v.slice(0, 18)).join(' | '));
console.log(varying.length, 'varying of', paths.size);
