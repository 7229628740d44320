// User code that throws inside an execution is a finding of the explorer (src/explore/thrown.ts),
// whichever kind of code threw: a callback, an interrupt handler, a control message, a service
// exported to another device, a scenario invariant. README "Read the report": "a device procedure
// or a scenario invariant that threw ends its execution: a finding of kind deviceThrew or
// invariantThrew ... shrunk to the same throw ... its trace replays to it".
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';
import { timer } from '../../src/devices/index.js';
import type { StrategyName } from '../../src/explore/spec.js';

const IRQ = 5;

interface Count { n: number; pending: number }

/** A device `d` on IRQ 5 with a trap entry `poke`; `procs` override or add procedures. */
function scenario(name: string, procs: Parameters<typeof defineDevice<Count>>[0]['procs'], extra: Partial<Parameters<typeof defineDevice<Count>>[0]> = {}, more: Partial<Parameters<typeof defineScenario>[0]> = {}): Scenario {
  const d = defineDevice<Count>({
    name: 'd', state: () => ({ n: 0, pending: 0 }), irqs: [{ irq: IRQ, hwIntProc: 'hwInt', meanIntervalTicks: 60 }], entries: ['poke'], ...extra,
    procs: {
      hwInt(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
      },
      poke(r) {
        r.currentVm();
      },
      ...procs,
    },
  });
  // `more.devices`: devices loaded before these two.
  return defineScenario({ name, vms: 1, mix: { run: 25, trap: 65, interruptFlag: 5, iret: 0, mode: 0, runTicksMean: 20 }, steps: 40, ...more, devices: [...(more.devices ?? []), timer, d] });
}

async function hunt(s: Scenario, strategy: StrategyName = 'random', iterations = 300) {
  const spec = campaignSpec({ scenario: s, scenarioRef: { kind: 'module', path: `${s.name}.mjs` }, strategy, seed: 1, iterations });
  return explore(s, spec);
}

const CASES: [string, Scenario, RegExp][] = [
  ['an event callback', scenario('callback-throws', {
    poke(r) {
      r.scheduleGlobalEvent('done', 0);
    },
    done(r) {
      if (++r.state.n === 3) throw new Error('third completion');
    },
  }), /^device d, procedure done threw: third completion \(at .*thrown\.test\.ts:\d+:\d+\)$/],
  ['an interrupt handler', scenario('hwint-throws', {
    hwInt(r) {
      r.takeHardwareRequest(IRQ);
      r.physEoi(r.irqHandle(IRQ));
      if (++r.state.n === 2) throw new RangeError('second interrupt');
    },
  }), /^device d, procedure hwInt threw: second interrupt \(at .*thrown\.test\.ts:\d+:\d+\)$/],
  ['a control message', scenario('control-throws', {
    onFocus(r) {
      if (r.state.n > 0) throw new Error('focus while busy');
    },
    poke(r) {
      r.state.n++;
    },
  }, { control: { Set_Device_Focus: 'onFocus' } }, { lifecycle: [{ atStep: 20, op: 'focus', vm: 1 }] }), /^device d, procedure onFocus threw: focus while busy/],
  ['a service another device calls', (() => {
    const lib = defineDevice<{ calls: number }>({
      name: 'lib', state: () => ({ calls: 0 }), exports: { services: ['Lib_Get'], data: [] },
      procs: { Lib_Get(r) { if (++r.state.calls === 4) throw new TypeError('fourth call'); } },
    });
    return scenario('service-throws', { poke(r) { r.vxdCall('lib', 'Lib_Get'); } }, { imports: { services: ['lib.Lib_Get'] } }, { devices: [lib] });
  })(), /^device lib, procedure Lib_Get threw: fourth call/],
  ['a scenario invariant', scenario('invariant-throws', { poke(r) { r.state.n++; } }, {}, {
    invariants: [{ name: 'fifthPoke', check: (view) => { if (view.device<Count>('d').n === 5) throw new Error('five'); return undefined; } }],
  }), /^invariant fifthPoke threw: five \(at .*thrown\.test\.ts:\d+:\d+\)$/],
];

describe('a throw in an execution is a finding: kind, message with place, shrunk, replayed', () => {
  for (const [what, s, message] of CASES) {
    it(what, async () => {
      const outcome = await hunt(s);
      const v = outcome.campaign.first?.violation;
      expect(v?.kind).toBe(what === 'a scenario invariant' ? 'invariantThrew' : 'deviceThrew');
      expect(v?.message).toMatch(message);
      // Shrunk to the same throw: the trace expects it, and replay reproduces it exactly.
      const trace = outcome.trace!;
      expect(trace.expect.fault).toEqual({ kind: v!.kind, message: v!.message });
      expect(outcome.shrunk!.after.steps).toBeLessThanOrEqual(outcome.shrunk!.before.steps);
      const replay = replayTrace(trace, s);
      expect(replay.divergence).toBeNull();
      expect(replay.result!.fault?.message).toBe(v!.message);
    });
  }

  it('the same finding is the same throw: a candidate that throws elsewhere is not kept', async () => {
    // Two throws: `poke` throws on its 6th call, the callback on its 2nd; the shrunk run ends on the one found.
    const s = scenario('two-throws', {
      poke(r) {
        if (++r.state.n === 6) throw new Error('sixth poke');
        r.scheduleGlobalEvent('done', 0);
      },
      done(r) {
        if (++r.state.pending === 2) throw new Error('second completion');
      },
    });
    const outcome = await hunt(s);
    const found = outcome.campaign.first!.violation.message;
    expect(outcome.trace!.expect.fault?.message).toBe(found);
    expect(replayTrace(outcome.trace!, s).result!.fault?.message).toBe(found);
  });

  it('dfs finds a throw and keeps searching the tree after it (a snapshot or a new machine)', async () => {
    const s = scenario('dfs-throws', {
      hwInt(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        if (r.reenterCount() > 0) throw new Error('interrupted ring 0');
      },
    }, {}, { steps: 6 });
    const outcome = await hunt(s, 'dfs', 2000);
    expect(outcome.campaign.first?.violation.kind).toBe('deviceThrew');
    expect(outcome.campaign.first!.iteration).toBeGreaterThan(0);
    expect(replayTrace(outcome.trace!, s).divergence).toBeNull();
  });

  it('a campaign that goes on (--keep-going) counts throws among the distinct findings, and no clean claim is made', async () => {
    const s = CASES[1]![1];
    const spec = { ...campaignSpec({ scenario: s, scenarioRef: { kind: 'module', path: 'x.mjs' }, strategy: 'random', seed: 1, iterations: 100 }), keepGoing: true };
    const outcome = await explore(s, spec, { shrink: false });
    expect(outcome.campaign.executions).toBe(100);
    const thrown = outcome.campaign.distinct.find((d) => d.kind === 'deviceThrew');
    expect(thrown?.executions).toBeGreaterThan(1);
    expect(outcome.confidence).toBeNull();
  });
});
