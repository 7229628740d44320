/**
 * InServiceSources keeps its mask up to date one line at a time: after any sequence of handler
 * entries and exits (nested on one line, lines shared by several sources, lines no source
 * raises), bit i is set exactly when source i's line has a handler running, as a count of every
 * line's entries and exits says. A reset one is a new one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceInfo } from '../../../src/actors/sim/irqSources.js';
import { InServiceSources } from '../../../src/actors/sim/strategies/inService.js';
import type { HistoryRecord } from '../../../src/vmm/history.js';
import { KIND } from '../../../src/vmm/recordKinds.js';

const arbitrarySources = fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 6 }).map((lines) =>
  lines.map((irq, i): SourceInfo => ({ device: `d${i}`, irq, meanIntervalTicks: 100 })));

/** Entries and exits on lines 0-15; an exit only where the line has a handler running, as the core makes them. */
const arbitraryEvents = fc.array(fc.record({ enter: fc.boolean(), line: fc.integer({ min: 0, max: 15 }) }), { maxLength: 60 });

function expectedMask(sources: readonly SourceInfo[], depth: readonly number[]): number {
  let mask = 0;
  sources.forEach((source, i) => {
    if (depth[source.irq]! > 0) mask |= 1 << i;
  });
  return mask;
}

describe('InServiceSources', () => {
  it('sets bit i exactly while source i has a handler running', () => {
    fc.assert(
      fc.property(arbitrarySources, arbitraryEvents, arbitraryEvents, (sources, first, second) => {
        const tracker = new InServiceSources(sources);
        for (const events of [first, second]) {
          const depth = new Array<number>(16).fill(0);
          for (const { enter, line } of events) {
            if (!enter && depth[line] === 0) continue;
            depth[line]! += enter ? 1 : -1;
            tracker.onRecord({ irq: line } as unknown as HistoryRecord, enter ? KIND.irqEnter : KIND.irqExit);
            expect(tracker.mask).toBe(expectedMask(sources, depth));
          }
          tracker.reset();
          expect(tracker.mask).toBe(0);
        }
      }),
      { seed: 5, numRuns: 300 },
    );
  });
});
