/**
 * The coordinator's checkpoint: a fold saved to JSON mid-campaign and restored goes on exactly
 * as the fold that never stopped (what makes a restarted coordinator's result the same).
 */
import { describe, expect, it } from 'vitest';
import { zooEntry } from '../../examples/zoo/index.js';
import { restoreAccumulator, saveAccumulator } from '../../src/distributed/checkpoint.js';
import { CampaignAccumulator, runCampaignHere } from '../../src/explore/campaign.js';
import { campaignSpec } from '../../src/explore/explore.js';
import type { ExecutionSummary } from '../../src/explore/spec.js';

function summaries(keepGoing: boolean): ExecutionSummary[] {
  const scenario = zooEntry('read-then-cancel')!.scenario(false);
  const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'read-then-cancel', fixed: false }, strategy: 'random', seed: 9, iterations: 120, steps: 30, keepGoing });
  const seen: ExecutionSummary[] = [];
  runCampaignHere(scenario, spec, { onExecution: (s) => seen.push(s) });
  return seen;
}

describe('campaign checkpoint', () => {
  it.each([0, 1, 17, 60, 119])('a fold saved and restored after %i executions ends as the uninterrupted one', (cut) => {
    const all = summaries(true);
    expect(all).toHaveLength(120);
    expect(all.some((s) => s.violation !== null)).toBe(true);
    const straight = new CampaignAccumulator(true);
    for (const s of all) straight.add(s);
    const before = new CampaignAccumulator(true);
    for (const s of all.slice(0, cut)) before.add(s);
    const resumed = restoreAccumulator(JSON.parse(JSON.stringify(saveAccumulator(before))) as ReturnType<typeof saveAccumulator>, true);
    for (const s of all.slice(cut)) resumed.add(s);
    const comparable = (acc: CampaignAccumulator) => {
      const r = acc.result();
      return { ...r, coverage: r.coverage.toJSON() };
    };
    expect(comparable(resumed)).toEqual(comparable(straight));
  });
});
