/**
 * The feedback of the coverage-guided strategy: what an execution reached, as a set of small
 * integers. Two families:
 * - abstract states: per record, its kind, context (vm / vmm / hwint), re-enter depth (capped),
 *   the service or callback it names, and the kind of the record before it: a step of the
 *   machine seen through what the race windows care about (who runs where, nested how);
 * - race windows: per coverage window, the hit count in powers of two (as fuzzers bucket edge
 *   counts), so reaching a window more often also counts, once per doubling.
 */
import type { HistoryRecord } from '../vmm/history.js';
import type { WindowCounts } from './coverage.js';

const CTX: Record<string, number> = { vm: 0, vmm: 1, hwint: 2 };

function hashString(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

function nameOf(r: HistoryRecord): string {
  switch (r.k) {
    case 'service': return r.service;
    case 'scheduled': case 'dispatch': case 'return': return r.callback;
    case 'cancel': return r.outcome;
    case 'irqEnter': return r.nested ? `n${r.irq}` : `${r.irq}`;
    case 'violation': return r.kind;
    default: return '';
  }
}

export class FeatureTracker {
  readonly features = new Set<number>();
  private previousKind = '';

  readonly onRecord = (r: HistoryRecord): void => {
    let h = hashString(0x811c9dc5, this.previousKind);
    h = hashString(h, r.k);
    h = Math.imul(h ^ ((CTX[r.ctx] ?? 3) * 4 + Math.min(r.reenter, 3)), 0x01000193);
    h = hashString(h, nameOf(r));
    this.features.add((h >>> 0) & 0x7fff_ffff);
    this.previousKind = r.k;
  };

  /** Adds the window buckets of the finished execution. */
  addWindows(windows: WindowCounts): void {
    windows.forEach((count, i) => {
      if (count > 0) this.features.add(0x8000_0000 + i * 64 + Math.min(63, 31 - Math.clz32(count)));
    });
  }
}
