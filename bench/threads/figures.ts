// The two threaded figures of `vmmsim bench` on their own (event path at 1 and 8 VMs, interrupt →
// callback latency next to the raw wake), without the rest of the suite:
//   npm run build && node dist/bench/threads/figures.js [durationMs]
import { measureEventPath } from '../eventPath.js';
import { measureInterruptLatency } from '../latency.js';
import { runIfEntry } from '../transport/runDirectly.js';

export async function measureThreadFigures(durationMs = 700) {
  const eventPath = [];
  for (const vms of [1, 8]) eventPath.push(await measureEventPath(vms, durationMs));
  const latency = await measureInterruptLatency(Math.max(durationMs, 1000), 5000);
  return { eventPath, latency };
}

runIfEntry(import.meta.url, () => measureThreadFigures(Number(process.argv[2] ?? 700)));
