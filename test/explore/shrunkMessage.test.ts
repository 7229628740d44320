// The report's FOUND line names the found execution's violation; its shrunk trace replays to a
// violation of the same kind whose handle or counts may differ. An outside audit compared the
// two and saw another handle: the report now says what the shrunk run ends in, and that is what
// the trace replays to.
import { describe, expect, it } from 'vitest';
import { ZOO } from '../../examples/zoo/index.js';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { explore } from '../../src/explore/explore.js';
import { exploreReport, formatExplore } from '../../src/explore/report.js';
import { zooCampaign } from '../../src/explore/zooRun.js';

describe('the shrunk run\'s violation in the report', () => {
  it('is what the written trace replays to; printed only where it differs from the FOUND line\'s', async () => {
    let differed = 0;
    for (const name of ['stale-handle', 'gpio-lost-update', 'livelock']) {
      const entry = ZOO.find((e) => e.name === name)!;
      const { scenario, spec } = zooCampaign(entry, 'pct', false, 1, 300);
      const outcome = await explore(scenario, spec);
      const report = exploreReport(name, outcome, 1, 'unused.json');
      const replayed = replayTrace(outcome.trace!, scenario).result!;
      expect(report.shrink!.message, name).toBe(replayed.firstViolation!.message);
      const lines = formatExplore(report);
      const said = lines.filter((line) => line.startsWith('  the shrunk run ends in: '));
      if (report.shrink!.message === report.violation!.message) expect(said, name).toEqual([]);
      else {
        differed++;
        expect(said, name).toEqual([`  the shrunk run ends in: ${report.shrink!.message}`]);
      }
    }
    // stale-handle's handle and gpio-lost-update's count change as the run shrinks; livelock's message does not.
    expect(differed).toBe(2);
  }, 60_000);
});
