/**
 * The explorer runs its executions on one machine a MachineKit keeps and restarts (the machine,
 * its checker, trace recorder and register blocks; the device specs' compiled tables). Whatever
 * ran on the kit before, an execution's summary (trace hash, steps, violation, coverage windows,
 * choice log, the records a reader saw) must be the one a fresh machine gives: the property runs
 * random sequences of executions, of every zoo scenario and twin and the examples, strategies,
 * stop classes and configs, on one kit and holds each to a fresh run of the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZOO, zooEntry } from '../../examples/zoo/index.js';
import flakyDriver, { sound } from '../../examples/scenarios/flaky-driver.js';
import int33 from '../../examples/real/int33.js';
import vdmad from '../../examples/real/vdmad.js';
import vkd from '../../examples/real/vkd.js';
import { runExecution, seededStrategy, strategySeed } from '../../src/explore/execution.js';
import { campaignSpec } from '../../src/explore/explore.js';
import { runIterations } from '../../src/explore/iterations.js';
import { MachineKit } from '../../src/explore/machineKit.js';
import type { CampaignSpec, ExecutionSummary } from '../../src/explore/spec.js';
import { defaultScenario } from '../../src/scenario/default.js';
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';

/** A user device whose state every run changes: a leak from one run into the next shows in its invariant. */
const tally = defineDevice<{ polls: number }>({
  name: 'tally',
  state: () => ({ polls: 0 }),
  entries: ['poll'],
  procs: {
    poll(r) {
      r.state.polls++;
      r.currentVm();
    },
  },
});

const userScenario = defineScenario({
  name: 'user tally', vms: 2, devices: [sound, tally], steps: 30,
  invariants: [{
    name: 'fewPolls',
    // Breaks in the runs that poll more than four times; polls carried over from an earlier run would break it sooner.
    check: (view) => (view.device<{ polls: number }>('tally').polls > 4 ? 'more than four polls' : undefined),
  }],
});

interface Case {
  scenario: Scenario;
  spec: CampaignSpec;
}

function zooCase(name: string, fixed: boolean, steps: number): Case {
  const scenario = zooEntry(name)!.scenario(fixed);
  return { scenario, spec: campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name, fixed }, strategy: 'pct', seed: 3, iterations: 1, steps }) };
}

const CASES: Case[] = [
  // Violations, each execution cut at its first one.
  zooCase('stale-handle', false, 40),
  zooCase('pooled-stale-cancel', false, 30),
  zooCase('clobbered-ebp', false, 30),
  // Clean: every execution runs all its steps.
  zooCase('stale-handle', true, 40),
  (() => {
    const scenario = defaultScenario(4, 60);
    return { scenario, spec: campaignSpec({ scenario, scenarioRef: { kind: 'builtin', name: 'default', vms: 4, steps: 60 }, strategy: 'pct', seed: 5, iterations: 1 }) };
  })(),
  { scenario: userScenario, spec: campaignSpec({ scenario: userScenario, scenarioRef: { kind: 'module', path: 'tally.ts' }, strategy: 'pct', seed: 7, iterations: 1 }) },
];

const MEMBERS = ['pct', 'pos', 'random'] as const;

/** The zoo (every entry and its fixed twin) and the examples, under either stop class and with or without the VMM's latitude. */
const WIDE: Scenario[] = [...ZOO.flatMap((entry) => [entry.scenario(false), entry.scenario(true)]), flakyDriver, int33, vdmad, vkd];
const wideCases = new Map<string, Case>();
function wideCase(which: number, stopOn: 'any' | 'vmm', latitude: boolean): Case {
  const key = `${which} ${stopOn} ${latitude}`;
  let c = wideCases.get(key);
  if (c === undefined) {
    const scenario = WIDE[which]!;
    c = { scenario, spec: campaignSpec({ scenario, scenarioRef: { kind: 'module', path: 'wide.ts' }, strategy: 'pct', seed: 9, iterations: 1, steps: 50, stopOn, latitude }) };
    wideCases.set(key, c);
  }
  return c;
}

/** One execution with everything its summary is made of, the whole choice log and the kinds of the records a reader saw included. */
function execute(c: Case, member: (typeof MEMBERS)[number], iteration: number, kit: MachineKit | null): ExecutionSummary & { log: unknown; read: number[] } {
  let log: unknown = null;
  const read: number[] = [];
  const summary = runExecution(c.scenario, c.spec, seededStrategy(c.scenario, c.spec, iteration, member), iteration, strategySeed(c.spec.seed, iteration), member, {
    onLog: (l) => (log = l.serialize()), onRecord: (_, kind) => read.push(kind),
  }, kit);
  return { ...summary, log, read };
}

describe('MachineKit: executions on reused machine parts', () => {
  it('any sequence of executions on one kit gives each the summary of a fresh machine', () => {
    const run = fc.record({ scenario: fc.nat(CASES.length - 1), member: fc.constantFrom(...MEMBERS), iteration: fc.nat(400) });
    fc.assert(fc.property(fc.array(run, { minLength: 1, maxLength: 12 }), (sequence) => {
      const kit = new MachineKit();
      for (const { scenario, member, iteration } of sequence) {
        const c = CASES[scenario]!;
        expect(execute(c, member, iteration, kit)).toEqual(execute(c, member, iteration, null));
      }
    }), { seed: 15, numRuns: 40 });
  });

  it('any sequence over the zoo, its twins and the examples, both stop classes and the latitude, gives a fresh machine\'s summaries', () => {
    const run = fc.record({
      which: fc.nat(WIDE.length - 1), stopOn: fc.constantFrom('any' as const, 'vmm' as const), latitude: fc.boolean(),
      member: fc.constantFrom(...MEMBERS), iteration: fc.nat(400), repeat: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(fc.property(fc.array(run, { minLength: 1, maxLength: 10 }), (sequence) => {
      const kit = new MachineKit();
      for (const { which, stopOn, latitude, member, iteration, repeat } of sequence) {
        const c = wideCase(which, stopOn, latitude);
        // Runs of one campaign in a row restart the kit's machine; a new scenario or config builds one.
        for (let i = 0; i < repeat; i++) expect(execute(c, member, iteration + i, kit)).toEqual(execute(c, member, iteration + i, null));
      }
    }), { seed: 16, numRuns: 60 });
  });

  it('the sequences it tries include violations, executions stopped early and the user invariant', () => {
    const kit = new MachineKit();
    const summaries = CASES.flatMap((c) => Array.from({ length: 30 }, (_, i) => execute(c, 'pct', i, kit)));
    const kinds = new Set(summaries.flatMap((s) => (s.violation === null ? [] : [s.violation.kind])));
    expect(kinds).toContain('fewPolls');
    expect(kinds.size).toBeGreaterThan(2);
    expect(summaries.some((s) => s.violation !== null && s.steps < 30)).toBe(true);
    expect(summaries.some((s) => s.violation === null)).toBe(true);
  });

  it('a campaign range gives the same summaries run twice on this thread (the kit and the compiled tables carry nothing over)', () => {
    const { scenario, spec } = zooCase('stale-handle', false, 40);
    const keepGoing = { ...spec, keepGoing: true };
    const first = runIterations(scenario, keepGoing, 0, 60);
    expect(runIterations(scenario, keepGoing, 0, 60)).toEqual(first);
    expect(runIterations(scenario, keepGoing, 30, 60)).toEqual(first.slice(30));
  });
});
