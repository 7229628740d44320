// Interrupt storms against the built-in devices. The serial port's Hw_Int_Proc enables
// interrupts after taking its byte; before its end of interrupt it cannot nest, after it the UART
// may interrupt again. A storm (every source asserting at every preemption point) used to nest
// that handler inside itself 32 deep (reenterOverflow, a device bug of ours, not of the VMM).
// SPEC: "Interrupt time is any moment inside a Hw_Int_Proc (at any re-enter count ...)"; the
// handler now takes a byte that arrives while it runs in a nested pass with interrupts disabled.
import { describe, expect, it } from 'vitest';
import { BUILTIN_DEVICES, serial } from '../../src/devices/index.js';
import type { SerialState } from '../../src/devices/serial.js';
import { machine } from '../support/machine.js';

const ALL_SOURCES = 0xffff;

function stormMachine(devices = BUILTIN_DEVICES) {
  // An IRQ answer of "every source" at every preemption point, up to a budget so the storm ends.
  return machine({ devices, config: { vms: 4 }, choices: { irqs: [ALL_SOURCES], cycle: true, irqBudget: 3000 } });
}

function deepestNesting(records: readonly { k: string; reenter: number }[]): number {
  return Math.max(0, ...records.filter((r) => r.k === 'irqEnter').map((r) => r.reenter));
}

describe('interrupt storms on the built-in devices', () => {
  it('serial alone: the handler re-enters itself once at most, takes every byte, no reenterOverflow', () => {
    const m = stormMachine([serial]);
    m.step(400);
    const state = m.state<SerialState>('serial');
    expect(m.finish().violations, m.dump(Math.max(0, m.mark() - 40))).toEqual([]);
    expect(state.nestedBytes).toBeGreaterThan(0); // the storm did hit the handler while it ran
    expect(state.received).toBe(m.of('irqEnter').length);
    expect(deepestNesting(m.records)).toBeLessThanOrEqual(2);
  });

  it('the whole built-in machine: every invariant holds and nesting stays bounded by the sources', () => {
    const m = stormMachine();
    m.step(2000);
    expect(m.finish().violations.map((v) => `${v.kind}: ${v.message}`)).toEqual([]);
    expect(m.of('irqEnter').length).toBeGreaterThan(1000);
    // Each of the 7 IRQ lines nests at most twice (serial) or once (every other handler keeps interrupts disabled).
    expect(deepestNesting(m.records)).toBeLessThanOrEqual(BUILTIN_DEVICES.length + 1);
  });
});
