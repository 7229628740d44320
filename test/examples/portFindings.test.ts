// What exploring the ports of VDDCGA, VKDHK and VNETBIOS showed (README "Real drivers").
import { describe, expect, it } from 'vitest';
import vddcga from '../../examples/real/vddcga.js';
import vkdhk from '../../examples/real/vkdhk.js';
import vnetbios, { critCountMatchesHcbs } from '../../examples/real/vnetbios.js';
import { defaultStrategy, replayTrace } from '../../src/actors/sim/simulate.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import type { HistoryRecord } from '../../src/vmm/history.js';
import type { Scenario } from '../../src/scenario/scenario.js';

async function firstFind(scenario: Scenario, path: string, seed: number, iterations: number) {
  const spec = campaignSpec({ scenario, scenarioRef: { kind: 'module', path }, strategy: 'portfolio', seed, iterations });
  const outcome = await explore(scenario, spec);
  const records = outcome.trace === null ? [] : replayTrace(outcome.trace, scenario, true).result?.all ?? [];
  return { violation: outcome.campaign.first?.violation, records };
}

function dispatches(records: readonly HistoryRecord[], callback: string) {
  return records.filter((r): r is Extract<HistoryRecord, { k: 'dispatch' }> => r.k === 'dispatch' && r.callback === callback);
}

describe('the VDDCGA port: a real ordering bug of the original', () => {
  it('a VDD_Backgrnd_Event left pending when the focus returns to the system VM tells Windows 4001h after its restore told it 4002h', async () => {
    const { violation, records } = await firstFind(vddcga, 'examples/real/vddcga.ts', 1, 300);
    expect(violation?.kind).toBe('sysVmToldBackgroundWithDisplay');
    // "There is no guarantee on the order in which events are processed": the restore (a VM event)
    // ran before the older background notice (a priority event) for the system VM.
    const restore = dispatches(records, 'VDD.VDD_Restore_Event').at(-1)!;
    const background = dispatches(records, 'VDD.VDD_Backgrnd_Event').at(-1)!;
    expect(restore.targetVm).toBe(1);
    expect(background.targetVm).toBe(1);
    expect(restore.seq).toBeLessThan(background.seq);
    const scheduled = records.find((r) => r.k === 'scheduled' && r.callback === 'VDD.VDD_Backgrnd_Event' && r.handle === background.handle)!;
    expect(scheduled.seq).toBeLessThan(restore.seq);
  }, 180_000); // a campaign and its shrink: minutes on a loaded machine
});

describe('the VKDHK port: PEF_Wait_Not_Crit against VFD\'s INT 13h critical section', () => {
  it('a notification scheduled while a VM owns the section waits, and every VKD_PriorityNotify runs with the section free and interrupts enabled', () => {
    let waited = 0;
    let ran = 0;
    for (const seed of [1, 2, 3, 4]) {
      const result = runSim({
        scenario: vkdhk, seed, steps: 2000, stopOn: 'never', choices: defaultStrategy(vkdhk, seed).choices,
        onRecord: (r) => {
          if (r.k === 'scheduled' && r.callback === 'VKD.VKD_PriorityNotify' && r.state?.critFree === false) waited++;
          if (r.k === 'dispatch' && r.callback === 'VKD.VKD_PriorityNotify') {
            ran++;
            expect(r.state?.critFree).toBe(true);
            expect(r.state?.vif).toBe(true);
          }
        },
      });
      expect(result.violations).toEqual([]);
    }
    expect(waited).toBeGreaterThan(0);
    expect(ran).toBeGreaterThan(waited);
  });
});

describe('the VNETBIOS port', () => {
  it('VNETBIOS_VM_Terminate frees a dying VM\'s HCBs without VNETBIOS_Clear_Post_Crit: VN_Crit_Count keeps their claims (a flaw of the original)', () => {
    const scenario = { ...vnetbios, invariants: [...(vnetbios.invariants ?? []), critCountMatchesHcbs] };
    let terminateSeq = -1;
    const result = runSim({
      scenario, seed: 1, steps: 100, choices: defaultStrategy(scenario, 1).choices,
      // The first VM_Terminate: the scenario's destroy step (the shutdown's come after the run).
      onRecord: (r) => { if (r.k === 'control' && r.message === 'VM_Terminate' && r.phase === 'exit' && terminateSeq < 0) terminateSeq = r.seq; },
    });
    expect(result.firstViolation?.kind).toBe('critCountLeaked');
    expect(terminateSeq).toBeGreaterThan(0);
    expect(result.firstViolation!.seq).toBeGreaterThan(terminateSeq);
  });

  // The DDK's Call_Global_Event: "The callback procedure can carry out any actions, and use any
  // VMM services"; SPEC §5: Begin_Critical_Section "blocks another VM that asks for it".
  it('VNETBIOS_POST_Event, a priority event, blocks on the critical section another VM owns and runs again in its VM once the section is free', () => {
    const records: HistoryRecord[] = [];
    const result = runSim({ scenario: vnetbios, seed: 26, steps: 2000, stopOn: 'never', choices: defaultStrategy(vnetbios, 26).choices, keepAll: true });
    records.push(...result.all!);
    expect(result.violations).toEqual([]);
    const block = records.find((r): r is Extract<HistoryRecord, { k: 'blockedCallback' }> => r.k === 'blockedCallback' && r.op === 'block')!;
    expect(block).toMatchObject({ callback: 'VNETBIOS.VNETBIOS_POST_Event', kind: 'priority' });
    const dispatch = dispatches(records, 'VNETBIOS.VNETBIOS_POST_Event').filter((r) => r.seq < block.seq).at(-1)!;
    expect(dispatch.handle).toBe(block.handle);
    expect(dispatch.state?.critFree).toBe(false); // another VM owned the section
    const after = records.filter((r) => r.seq > block.seq);
    const restart = after.find((r) => r.k === 'blockedCallback' && r.op === 'restart' && r.handle === block.handle)!;
    expect(restart.vm).toBe(block.blockedVm);
    expect(after.filter((r) => r.k === 'dispatch' && !r.inline && r.handle === block.handle && r.seq < restart.seq)).toEqual([]);
    expect(after.find((r) => r.k === 'return' && r.handle === block.handle && r.seq > restart.seq)).toBeDefined();
  });

  it('exploration over seeds 1-10 finds no violation: VNETBIOS_POST_Event is no longer reported as blockOutsideTrap', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const spec = campaignSpec({ scenario: vnetbios, scenarioRef: { kind: 'module', path: 'examples/real/vnetbios.ts' }, strategy: 'portfolio', seed, iterations: 400 });
      const outcome = await explore(vnetbios, spec);
      expect(outcome.campaign.first?.violation).toBeUndefined();
    }
  }, 180_000);
});
