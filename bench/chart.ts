/**
 * bench.svg: throughput against VM actors (the event path next to the raw queue, log scale)
 * and the interrupt → callback latency percentiles next to the raw wake. Plain SVG, no library.
 */
import type { BenchReport } from './suite.js';

const W = 900;
const H = 390;
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`;
}

function fmt(v: number): string {
  return v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(0)}k` : v.toFixed(0);
}

/** Left panel: grouped bars per VM count, log10 scale. */
function throughputPanel(r: BenchReport, x0: number, y0: number, w: number, h: number): string[] {
  const values = r.eventPath.flatMap((row) => [row.eventsPerSec, row.rawQueueMsgsPerSec]).filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.ceil(Math.log10(Math.max(...values)));
  const y = (v: number): number => y0 + h - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * h;
  const out = [text(x0, y0 - 14, 'Throughput vs VM actors (log scale)', 'font-weight="bold"')];
  for (let p = lo; p <= hi; p++) {
    out.push(`<line x1="${x0}" x2="${x0 + w}" y1="${y(10 ** p)}" y2="${y(10 ** p)}" stroke="#ddd"/>`, text(x0 - 6, y(10 ** p) + 4, fmt(10 ** p), 'text-anchor="end" font-size="11"'));
  }
  const group = w / r.eventPath.length;
  r.eventPath.forEach((row, i) => {
    const gx = x0 + i * group + group * 0.15;
    const bw = group * 0.33;
    for (const [j, v, color] of [[0, row.eventsPerSec, '#3b78c4'], [1, row.rawQueueMsgsPerSec, '#bbb']] as const) {
      const bx = gx + j * bw;
      out.push(`<rect x="${bx}" y="${y(v)}" width="${bw - 2}" height="${y0 + h - y(v)}" fill="${color}"><title>${fmt(v)}/s</title></rect>`, text(bx + bw / 2, y(v) - 4, fmt(v), 'text-anchor="middle" font-size="10"'));
    }
    out.push(text(gx + bw, y0 + h + 16, `${row.vms} VM${row.vms > 1 ? 's' : ''}`, 'text-anchor="middle" font-size="12"'));
  });
  out.push(`<rect x="${x0}" y="${y0 + h + 26}" width="10" height="10" fill="#3b78c4"/>`, text(x0 + 14, y0 + h + 35, 'vmmsim event path (events/s)', 'font-size="11"'));
  out.push(`<rect x="${x0 + 200}" y="${y0 + h + 26}" width="10" height="10" fill="#bbb"/>`, text(x0 + 214, y0 + h + 35, 'raw SAB queue (msgs/s)', 'font-size="11"'));
  return out;
}

/** Right panel: percentile bars in µs, log scale. */
function latencyPanel(r: BenchReport, x0: number, y0: number, w: number, h: number): string[] {
  const rows = [
    ['p50', r.latencyUs.p50, r.rawWakeRttUsPercentiles.p50],
    ['p99', r.latencyUs.p99, r.rawWakeRttUsPercentiles.p99],
    ['p99.9', r.latencyUs.p999, r.rawWakeRttUsPercentiles.p999],
    ['max', r.latencyUs.max, r.rawWakeRttUsPercentiles.max],
  ] as const;
  const values = rows.flatMap(([, a, b]) => [a, b]).filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.ceil(Math.log10(Math.max(...values)));
  const y = (v: number): number => y0 + h - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * h;
  const out = [text(x0, y0 - 14, 'Interrupt → callback latency, µs (log scale)', 'font-weight="bold"')];
  for (let p = lo; p <= hi; p++) out.push(`<line x1="${x0}" x2="${x0 + w}" y1="${y(10 ** p)}" y2="${y(10 ** p)}" stroke="#ddd"/>`, text(x0 - 6, y(10 ** p) + 4, fmt(10 ** p), 'text-anchor="end" font-size="11"'));
  const group = w / rows.length;
  rows.forEach(([label, ours, raw], i) => {
    const gx = x0 + i * group + group * 0.15;
    const bw = group * 0.33;
    for (const [j, v, color] of [[0, ours, '#d9822b'], [1, raw, '#bbb']] as const) {
      const bx = gx + j * bw;
      out.push(`<rect x="${bx}" y="${y(v)}" width="${bw - 2}" height="${y0 + h - y(v)}" fill="${color}"><title>${v.toFixed(1)} µs</title></rect>`, text(bx + bw / 2, y(v) - 4, v.toFixed(0), 'text-anchor="middle" font-size="10"'));
    }
    out.push(text(gx + bw, y0 + h + 16, label, 'text-anchor="middle" font-size="12"'));
  });
  out.push(`<rect x="${x0}" y="${y0 + h + 26}" width="10" height="10" fill="#d9822b"/>`, text(x0 + 14, y0 + h + 35, 'IRQ raised → callback', 'font-size="11"'));
  out.push(`<rect x="${x0 + 160}" y="${y0 + h + 26}" width="10" height="10" fill="#bbb"/>`, text(x0 + 174, y0 + h + 35, 'raw Atomics wake RTT', 'font-size="11"'));
  return out;
}

export function benchSvg(r: BenchReport): string {
  const body = [
    `<rect width="${W}" height="${H}" fill="white"/>`,
    text(20, 24, `vmmsim bench · ${r.machine.cores} cores · Node ${r.machine.node} · ${r.date.slice(0, 10)}`, 'font-size="13" fill="#555"'),
    ...throughputPanel(r, 70, 70, 360, 260),
    ...latencyPanel(r, 520, 70, 360, 260),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">\n${body.join('\n')}\n</svg>\n`;
}
