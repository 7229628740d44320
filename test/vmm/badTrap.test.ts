// A client trap into an entry no device has is the device bug `badTrap` (SPEC §7: "A device bug is
// misuse by the simulated VxD code"), never a VMM bug: the VMM's trap handler reports it and
// returns to the VM as from any trap, so the trap's frame closes (trapReturn) and the way back
// is an event-processing point (SPEC §1: "whenever ring 0 is about to return to ring 3").
import { describe, expect, it } from 'vitest';
import type { ClientOp } from '../../src/vmm/clientOps.js';
import { testDevice } from '../support/devices.js';
import { machine } from '../support/machine.js';

describe('a trap into no entry', () => {
  it.each([
    ['an entry the device does not have', { op: 'trap', device: 0, entry: 99, arg: 0 }],
    ['a device that does not exist', { op: 'trap', device: 7, entry: 0, arg: 0 }],
  ] as [string, ClientOp][])('%s: the device bug badTrap, the trap returns, the VM goes on; no VMM bug', (_name, bad) => {
    const m = machine({ devices: [testDevice('dev', { go: (r) => void r.scheduleGlobalEvent('cb', 1), cb: () => {} }, { entries: ['go'] })] });
    const mark = m.mark();
    m.runOps(1, bad, { op: 'run', ticks: 5 }, m.trap('dev', 'go'), { op: 'run', ticks: 5 });
    expect(m.since(mark).slice(0, 3).map((r) => r.k)).toEqual(['clientOp', 'violation', 'trapReturn']);
    const checker = m.finish();
    expect(checker.violations.map((v) => [v.kind, v.severity])).toEqual([['badTrap', 'device']]);
    expect(checker.vmmBugs).toBe(0);
    expect(m.of('dispatch')).toHaveLength(1);
  });
});
