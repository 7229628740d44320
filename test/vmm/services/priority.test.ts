// Call_Priority_VM_Event and Cancel_Priority_VM_Event (SPEC §3, §4).
import { describe, expect, it } from 'vitest';
import { EFLAGS_CF } from '../../../src/shared/clientRegs.js';
import { Boost, PEF } from '../../../src/vmm/constants.js';
import type { VmmConfig } from '../../../src/vmm/config.js';
import type { PriorityEventRequest } from '../../../src/vmm/device.js';
import { ackIrq, testDevice, type TestProc } from '../../support/devices.js';
import { machine } from '../../support/machine.js';

const IRQ = 7;

interface Ran {
  name: string;
  vm: number;
  carry: boolean;
}

/** The request a trap into `call` issues; `vm` is a VM id here, turned into its handle. */
type Request = Omit<PriorityEventRequest, 'vm' | 'callback' | 'refData'> & { vm?: number; callback?: string };

function setup(requests: Request[], procs: Record<string, TestProc> = {}, config: Partial<VmmConfig> = {}) {
  const ran: Ran[] = [];
  const results: number[] = [];
  const callback = (name: string): TestProc => (r) => {
    r.slot('saved').write(0);
    // "called ... with the carry flag set": the flag itself, as a driver's `jc` reads it, not only r.carry.
    if (((r.regs.eflags & EFLAGS_CF) !== 0) !== r.carry) throw new Error(`${name}: EFLAGS.CF disagrees with r.carry (${r.carry})`);
    ran.push({ name, vm: m.vmm.current.id, carry: r.carry });
  };
  const dev = testDevice('dev', {
    hwInt: (r) => ackIrq(r, IRQ),
    // The trap's argument: how many queued requests to issue (default 1), plus NEST_AFTER to run
    // the VM's code nested (Begin_Nest_Exec / Resume_Exec / End_Nest_Exec) afterwards.
    call(r) {
      const arg = r.regs.eax;
      for (let i = 0; i < Math.max(1, arg & 0xff); i++) {
        const { vm = 1, callback: cb = 'cb', ...rest } = requests.shift()!;
        const handle = r.callPriorityVmEvent({ ...rest, vm: r.vmHandles()[vm - 1]!, callback: cb, refData: 0 });
        results.push(handle);
        r.slot('saved').write(handle);
      }
      if (arg & NEST_AFTER) {
        r.execNested();
        ran.push({ name: 'nested exec done', vm: m.vmm.current.id, carry: false });
      }
    },
    cancel: (r) => r.cancelPriorityVmEvent(r.slot('saved').xchg(0)),
    enter: (r) => r.beginCriticalSection(),
    leave: (r) => r.endCriticalSection(),
    cb: callback('cb'),
    first: callback('first'),
    last: callback('last'),
    virtInt() {},
    ...procs,
  }, { irq: IRQ, virtIntProc: 'virtInt' });
  const m = machine({ devices: [dev], config });
  return { m, ran, results };
}

const STI: { op: 'sti' } = { op: 'sti' };
const NEST_AFTER = 0x100;

describe('SPEC §4 priority events', () => {
  it('runs at once when "re-enter count 0, EBX current, PEF_Always_Sched clear, restrictions met", boosted: "If PriorityBoost is not zero, the service boosts the priority of the virtual machine before calling the callback function"', () => {
    let boostInCallback = 0;
    const { m, ran, results } = setup([{ boost: Boost.High_Pri_Device_Boost, flags: PEF.Wait_For_STI }], {
      cb(r) {
        ran.push({ name: 'cb', vm: m.vmm.current.id, carry: r.carry });
        boostInCallback = m.vm(1).boost;
      },
    });
    m.runOps(1, m.trap('dev', 'call'));
    expect(results).toEqual([0]);
    expect(ran).toEqual([{ name: 'cb', vm: 1, carry: false }]);
    expect(boostInCallback).toBe(Boost.High_Pri_Device_Boost);
    expect(m.of('boost')).toMatchObject([
      { targetVm: 1, delta: Boost.High_Pri_Device_Boost, reason: 'immediate' },
      { targetVm: 1, delta: -Boost.High_Pri_Device_Boost, reason: 'immediateEnd' },
    ]);
    expect(m.vm(1).boost).toBe(0);
    expect(m.counter.counts.boostedImmediateCalls).toBe(1);
    expect(m.finish().violations).toEqual([]);
  });

  it('a negative boost in range runs at once too (SPEC §4: "Boosts (EAX, signed, added to the VM\'s execution priority)"): its end is told from its start by the record, not the sign; no VMM bug', () => {
    let priorityInCallback = 0;
    const { m, ran, results } = setup([{ boost: -1, flags: 0 }], {
      cb(r) {
        ran.push({ name: 'cb', vm: m.vmm.current.id, carry: r.carry });
        priorityInCallback = m.vmm.execPriority(m.vmm.current);
      },
    });
    const before = m.vmm.execPriority(m.vm(1));
    m.runOps(1, m.trap('dev', 'call'));
    expect(results).toEqual([0]);
    expect(ran).toEqual([{ name: 'cb', vm: 1, carry: false }]);
    expect(priorityInCallback).toBe(before - 1);
    expect(m.of('boost')).toMatchObject([{ delta: -1, reason: 'immediate' }, { delta: 1, reason: 'immediateEnd' }]);
    expect(m.counter.counts.boostedImmediateCalls).toBe(1);
    expect(m.vm(1).boost).toBe(0);
    expect(m.finish().violations).toEqual([]);
  });

  it('an immediate call with PEF_Dont_Unboost keeps its boost ("unboosts after, unless PEF_Dont_Unboost")', () => {
    const { m, results } = setup([{ boost: Boost.Low_Pri_Device_Boost, flags: PEF.Dont_Unboost }]);
    m.runOps(1, m.trap('dev', 'call'));
    expect(results).toEqual([0]);
    expect(m.of('boost')).toMatchObject([{ delta: Boost.Low_Pri_Device_Boost, reason: 'immediate' }, { delta: 0, reason: 'immediateKept' }]);
    expect(m.vm(1).boost).toBe(Boost.Low_Pri_Device_Boost);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it.each([
    ['below Reserved_Low_Boost', -Boost.Low_Pri_Device_Boost],
    ['above Reserved_High_Boost', Boost.Reserved_High_Boost],
  ])('"The boost plus the VM\'s current priority must stay within Reserved_Low_Boost .. Reserved_High_Boost: an out-of-range boost is a device bug (reported), and the call is refused": %s', (_name, boost) => {
    const { m, ran, results } = setup([{ boost, flags: PEF.Always_Sched }]);
    m.runOps(1, m.trap('dev', 'call'), STI);
    expect(m.violations('boostOutOfRange')).toMatchObject([{ severity: 'device', device: 'dev' }]);
    expect(results[0]).not.toBe(0);
    expect(m.of('scheduled')).toEqual([]);
    expect(ran).toEqual([]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  // SPEC §7 lists "a boost out of range" among the device bugs, whichever service makes it (model
  // choice for Adjust_Exec_Priority, documented in README: the sum of a VM's boosts stays within
  // 0 .. Reserved_High_Boost; it is refused, as §4 refuses a priority event's).
  it.each([
    ['past Reserved_High_Boost', [0x7fffffff]],
    ['more removed than was added', [Boost.High_Pri_Device_Boost, -2 * Boost.High_Pri_Device_Boost]],
  ])('"a boost out of range" by Adjust_Exec_Priority: reported, the VM\'s boosts unchanged: %s', (_name, deltas) => {
    const { m } = setup([], { adjust: (r) => { for (const delta of deltas) r.adjustExecPriority(r.vmHandles()[1]!, delta); } });
    m.runOps(1, m.trap('dev', 'adjust'));
    expect(m.violations('boostOutOfRange')).toMatchObject([{ severity: 'device', device: 'dev', message: expect.stringMatching(/Adjust_Exec_Priority by .* takes VM 2's boosts to .*, (past Reserved_High_Boost|below 0 \(more removed than devices added\)) \(refused\)/) }]);
    expect(m.vm(2).boost).toBe(deltas.length === 1 ? 0 : Boost.High_Pri_Device_Boost);
    expect(m.finish().vmmBugs).toBe(0);
  });

  // The floor is the boosts the VMM holds, not 0 (model choice, README): an outside audit's
  // device took the owner's Critical_Section_Boost away with Adjust_Exec_Priority; the release
  // then removed it again, the sum went negative, and every later legal boost on the VM, by any
  // device, was refused and blamed.
  it('Adjust_Exec_Priority cannot take away the Critical_Section_Boost the VMM holds for the owner: refused; later boosts stay legal', () => {
    const { m } = setup([{ boost: Boost.Low_Pri_Device_Boost, flags: 0 }], {
      adjust(r) {
        r.beginCriticalSection();
        r.adjustExecPriority(r.currentVm(), -Boost.Critical_Section_Boost);
        r.endCriticalSection();
        r.adjustExecPriority(r.currentVm(), 1);
        r.adjustExecPriority(r.currentVm(), -1);
      },
    });
    m.runOps(1, m.trap('dev', 'adjust'), m.trap('dev', 'call'), STI);
    expect(m.violations('boostOutOfRange')).toMatchObject([{ device: 'dev', message: expect.stringMatching(new RegExp(`takes VM 1's boosts to 0x0, below the 0x${Boost.Critical_Section_Boost.toString(16)} the VMM holds`)) }]);
    expect(m.of('boost').filter((b) => b.reason === 'adjust').map((b) => b.delta)).toEqual([1, -1]);
    expect(m.vm(1).boost).toBe(0);
    expect(m.finish().violations).toHaveLength(1);
  });

  it('nor the boost of a priority event still pending; a boost kept with PEF_Dont_Unboost is the device\'s to remove', () => {
    const { m } = setup([{ boost: Boost.High_Pri_Device_Boost, flags: PEF.Wait_For_STI }, { boost: Boost.Low_Pri_Device_Boost, flags: PEF.Dont_Unboost }], {
      unpend: (r) => r.adjustExecPriority(r.currentVm(), -Boost.High_Pri_Device_Boost),
      unkeep: (r) => r.adjustExecPriority(r.currentVm(), -Boost.Low_Pri_Device_Boost),
    });
    m.runOps(1, { op: 'cli' }, m.trap('dev', 'call'), m.trap('dev', 'unpend'));
    expect(m.violations('boostOutOfRange')).toHaveLength(1);
    expect(m.vm(1).boost).toBe(Boost.High_Pri_Device_Boost);
    m.runOps(1, STI, m.trap('dev', 'call'), m.trap('dev', 'unkeep'));
    expect(m.violations('boostOutOfRange')).toHaveLength(1);
    expect(m.vm(1).boost).toBe(0);
    expect(m.finish().vmmBugs).toBe(0);
  });

  // DDK, PEF_Dont_Unboost: "Does not reduce the priority of the virtual machine when the event
  // callback procedure returns": the boost is the device's from the callback's start, and the
  // callback itself may remove it (the outside driver boostLeak's fixed twin does).
  it.each([
    ['dispatched', PEF.Always_Sched],
    ['run at once', 0],
  ])('a PEF_Dont_Unboost callback may remove its own boost (%s); a callback whose boost the VMM removes after it may not', (_name, when) => {
    const unboostSelf: TestProc = (r) => {
      r.slot('saved').write(0);
      r.adjustExecPriority(r.regs.ebx, -Boost.Low_Pri_Device_Boost);
    };
    const { m } = setup([
      { boost: Boost.Low_Pri_Device_Boost, flags: when | PEF.Dont_Unboost, callback: 'unboostSelf' },
      { boost: Boost.Low_Pri_Device_Boost, flags: when, callback: 'unboostSelf' },
    ], { unboostSelf });
    m.runOps(1, m.trap('dev', 'call'), STI);
    expect(m.violations('boostOutOfRange')).toEqual([]);
    expect(m.vm(1).boost).toBe(0);
    m.runOps(1, m.trap('dev', 'call'), STI);
    expect(m.violations('boostOutOfRange')).toHaveLength(1);
    expect(m.vm(1).boost).toBe(0);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('Adjust_Exec_Priority up and back down to 0 is in range: no report', () => {
    const { m } = setup([], { adjust: (r) => { r.adjustExecPriority(r.vmHandles()[1]!, Boost.Time_Critical_Boost); r.adjustExecPriority(r.vmHandles()[1]!, -Boost.Time_Critical_Boost); } });
    m.runOps(1, m.trap('dev', 'adjust'));
    expect(m.vm(2).boost).toBe(0);
    expect(m.finish().violations).toEqual([]);
  });

  it('"PEF_Always_Sched | (never called immediately)"', () => {
    const { m, ran, results } = setup([{ boost: 0, flags: PEF.Always_Sched }]);
    m.ops.push(1, m.trap('dev', 'call'));
    m.step();
    expect(results[0]).not.toBe(0);
    expect(m.of('calledNow')).toEqual([]);
    expect(m.of('scheduled')).toMatchObject([{ kind: 'priority', flags: PEF.Always_Sched }]);
    expect(ran).toEqual([{ name: 'cb', vm: 1, carry: false }]); // at the trap's processing point
  });

  describe('"The boost is applied when the event is scheduled and removed when the callback returns, unless PEF_Dont_Unboost. Cancel and timeout remove it regardless."', () => {
    it('applied at schedule time: the scheduler switches to the boosted VM, where the callback runs; removed after it', () => {
      const { m, ran } = setup([{ vm: 2, boost: Boost.High_Pri_Device_Boost, flags: 0 }], {
        cb(r) {
          r.slot('saved').write(0);
          ran.push({ name: 'cb', vm: m.vmm.current.id, carry: r.carry });
          r.state.boostInCallback = m.vm(2).boost;
        },
      });
      m.runOps(1, m.trap('dev', 'call'));
      expect(m.of('boost')).toMatchObject([
        { targetVm: 2, delta: Boost.High_Pri_Device_Boost, reason: 'schedule' },
        { targetVm: 2, delta: -Boost.High_Pri_Device_Boost, reason: 'callback' },
      ]);
      // Unboosted, VM 2 loses the CPU again at once (VM 1 holds Cur_Run_VM_Boost).
      expect(m.of('taskSwitch')).toMatchObject([{ from: 1, to: 2 }, { from: 2, to: 1 }]);
      expect(ran).toEqual([{ name: 'cb', vm: 2, carry: false }]);
      expect(m.state<Record<string, number>>('dev').boostInCallback).toBe(Boost.High_Pri_Device_Boost);
      expect(m.vm(2).boost).toBe(0);
      expect(m.finish().violations).toEqual([]);
    });

    it('kept with PEF_Dont_Unboost', () => {
      const { m } = setup([{ vm: 2, boost: Boost.Low_Pri_Device_Boost, flags: PEF.Dont_Unboost }]);
      m.runOps(1, m.trap('dev', 'call'));
      expect(m.of('boost').map((b) => b.reason)).toEqual(['schedule', 'kept']);
      expect(m.vm(2).boost).toBe(Boost.Low_Pri_Device_Boost);
      expect(m.finish().vmmBugs).toBe(0);
    });

    it('a zero boost is neither applied nor removed nor "kept"', () => {
      const { m, ran } = setup([{ boost: 0, flags: PEF.Always_Sched | PEF.Dont_Unboost }]);
      m.runOps(1, m.trap('dev', 'call'));
      expect(ran).toHaveLength(1);
      expect(m.of('boost')).toEqual([]);
      expect(m.finish().violations).toEqual([]);
    });

    it('removed on cancel', () => {
      // VM 2 stays in V86 mode, so PEF_Wait_In_PM keeps the event waiting until cancelled.
      const { m, ran } = setup([{ vm: 2, boost: Boost.High_Pri_Device_Boost, flags: PEF.Wait_In_PM }]);
      m.runOps(1, m.trap('dev', 'call'));
      expect(m.vmm.current.id).toBe(2);
      expect(m.vm(2).boost).toBe(Boost.High_Pri_Device_Boost);
      m.runOps(2, m.trap('dev', 'cancel'));
      expect(m.of('cancel')).toMatchObject([{ kind: 'priority', outcome: 'cancelled' }]);
      expect(m.of('boost').map((b) => b.reason)).toEqual(['schedule', 'cancel']);
      expect(m.vm(2).boost).toBe(0);
      expect(ran).toEqual([]);
      expect(m.finish().violations).toEqual([]);
    });

    it('removed on timeout, before the callback', () => {
      const { m, ran } = setup([{ vm: 2, boost: Boost.High_Pri_Device_Boost, flags: PEF.Wait_In_PM | PEF.Time_Out, timeoutMs: 2 }]);
      m.runOps(1, m.trap('dev', 'call'));
      m.runOps(2, { op: 'run', ticks: 2500 }, STI);
      expect(ran).toEqual([{ name: 'cb', vm: 2, carry: true }]);
      const kinds = m.records.filter((r) => r.k === 'boost' || r.k === 'dispatch').map((r) => (r.k === 'boost' ? r.reason : r.k));
      expect(kinds).toEqual(['schedule', 'timeout', 'dispatch']);
      expect(m.vm(2).boost).toBe(0);
      expect(m.finish().violations).toEqual([]);
    });
  });

  describe('each restriction flag delays the callback until it holds', () => {
    it('"PEF_Wait_For_STI | the VM has interrupts enabled"', () => {
      const { m, ran } = setup([{ boost: 0, flags: PEF.Wait_For_STI }]);
      m.runOps(1, { op: 'cli' }, m.trap('dev', 'call'), m.trap('dev', 'enter'), m.trap('dev', 'leave'));
      expect(m.of('scheduled')).toHaveLength(1);
      expect(ran).toEqual([]);
      m.runOps(1, STI);
      expect(ran).toHaveLength(1);
      expect(m.of('dispatch')[0]!.state).toMatchObject({ vif: true });
      expect(m.finish().vmmBugs).toBe(0);
    });

    it('"PEF_Wait_Not_Crit | the critical section is free and the priority is below Critical_Section_Boost"', () => {
      const { m, ran } = setup([{ boost: 0, flags: PEF.Wait_Not_Crit }]);
      m.runOps(1, m.trap('dev', 'enter'), m.trap('dev', 'call'), STI);
      expect(ran).toEqual([]);
      m.runOps(1, m.trap('dev', 'leave'));
      expect(ran).toHaveLength(1);
      expect(m.of('dispatch')[0]!.state).toMatchObject({ critFree: true });
      expect(m.finish().vmmBugs).toBe(0);
    });

    it('"PEF_Wait_Not_HW_Int | VPICD is not simulating a hardware interrupt"', () => {
      const { m, ran } = setup([{ boost: 0, flags: PEF.Wait_Not_HW_Int }], {
        request: (r) => r.setIntRequest(r.currentVm(), r.irqHandle(IRQ)),
      });
      m.runOps(1, m.trap('dev', 'request'));
      expect(m.vm(1).simulatingHwInt).toBe(true);
      m.runOps(1, m.trap('dev', 'call'), STI);
      expect(ran).toEqual([]);
      m.runOps(1, { op: 'iret' });
      expect(ran).toHaveLength(1);
      expect(m.finish().vmmBugs).toBe(0);
    });

    it('"PEF_Wait_Not_Nested_Exec | the VM is not in nested execution"', () => {
      // Both events are scheduled in one trap, which then runs the VM's code nested: the
      // processing point on the way into that code runs the unrestricted event only; the
      // restricted one waits for the trap's own return to ring 3.
      const { m, ran } = setup([
        { boost: 0, flags: PEF.Always_Sched | PEF.Wait_Not_Nested_Exec, callback: 'first' },
        { boost: 0, flags: PEF.Always_Sched, callback: 'last' },
      ]);
      m.runOps(1, m.trap('dev', 'call', 2 | NEST_AFTER));
      expect(ran.map((r) => r.name)).toEqual(['last', 'nested exec done', 'first']);
      expect(m.of('dispatch').map((d) => d.state?.nestedExec)).toEqual([true, false]);
      expect(m.finish().vmmBugs).toBe(0);
    });

    it('"PEF_Wait_In_PM | the VM runs in protected mode"', () => {
      const { m, ran } = setup([{ boost: 0, flags: PEF.Wait_In_PM }]);
      m.runOps(1, m.trap('dev', 'call'), STI, STI);
      expect(ran).toEqual([]);
      m.runOps(1, { op: 'mode', pm: true }, STI);
      expect(ran).toHaveLength(1);
      expect(m.of('dispatch')[0]!.state).toMatchObject({ pm: true });
      expect(m.finish().vmmBugs).toBe(0);
    });
  });

  it('"With PEF_Time_Out, if the timeout passes before the restrictions are met, the callback is called at once, in whatever VM is current, with the carry flag set."', () => {
    // A zero boost (and no time slicing) keeps VM 1 current; VM 2's restriction (protected
    // mode) never holds.
    const { m, ran } = setup([{ vm: 2, boost: 0, flags: PEF.Wait_In_PM | PEF.Time_Out, timeoutMs: 3 }], {}, { timesliceTicks: 1e9 });
    m.runOps(1, m.trap('dev', 'call'), { op: 'run', ticks: 2000 }, STI);
    expect(ran).toEqual([]); // 2 ms: not yet
    m.runOps(1, { op: 'run', ticks: 1500 }, STI);
    expect(ran).toEqual([{ name: 'cb', vm: 1, carry: true }]);
    const dispatch = m.of('dispatch')[0]!;
    expect(dispatch).toMatchObject({ timedOut: true, targetVm: 2, vm: 1 });
    expect(dispatch.ticks).toBeGreaterThanOrEqual(m.of('scheduled')[0]!.deadlineTicks);
    expect(m.counter.counts.priorityTimeouts).toBe(1);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"PEF_Process_Last | (considered on the second pass)": it runs after the other eligible priority events', () => {
    const { m, ran } = setup([
      { boost: 0, flags: PEF.Always_Sched | PEF.Process_Last, callback: 'last' },
      { boost: 0, flags: PEF.Always_Sched, callback: 'first' },
    ]);
    m.runOps(1, m.trap('dev', 'call', 2));
    expect(ran.map((r) => r.name)).toEqual(['first', 'last']);
  });

  it('"Other bits are reserved and must be zero: a clear error, not a silent ignore."', () => {
    const { m, ran, results } = setup([{ boost: Boost.Low_Pri_Device_Boost, flags: PEF.Always_Sched | 0x100 }]);
    m.runOps(1, m.trap('dev', 'call'), STI);
    // "ESI = 0 is never the answer of a refused call; the refusal sets the carry flag and is reported"
    expect(results[0]).not.toBe(0);
    expect(m.violations('reservedFlags')).toMatchObject([{ severity: 'device', device: 'dev' }]);
    expect(m.of('scheduled')).toEqual([]);
    expect(m.of('boost')).toEqual([]);
    expect(ran).toEqual([]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"A boost at or above Critical_Section_Boost combined with PEF_Wait_Not_Crit can never meet its own restriction: the simulator warns at schedule time."', () => {
    const { m } = setup([{ vm: 2, boost: Boost.Critical_Section_Boost, flags: PEF.Wait_Not_Crit | PEF.Time_Out, timeoutMs: 1 }]);
    m.runOps(1, m.trap('dev', 'call'));
    expect(m.violations('neverSatisfiable')).toMatchObject([{ severity: 'device' }]);
    expect(m.of('scheduled')).toHaveLength(1); // a warning: the event is still scheduled
    m.runOps(2, { op: 'run', ticks: 1500 }, STI);
    expect(m.of('dispatch')).toMatchObject([{ timedOut: true }]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"Cancel_Priority_VM_Event | ... | synchronous service": a device bug from a Hw_Int_Proc that interrupted the VMM', () => {
    const { m } = setup([], {
      hwInt(r) {
        ackIrq(r, IRQ);
        r.cancelPriorityVmEvent(r.slot('saved').xchg(0));
      },
      work: (r) => void r.reenterCount(),
    });
    m.choices.irqAt(m.source('dev', IRQ), 'ring0');
    m.runOps(1, m.trap('dev', 'work'));
    expect(m.violations('syncServiceAtInterrupt')).toHaveLength(1);
    expect(m.violations('syncServiceAtInterrupt')[0]!.message).toContain('Cancel_Priority_VM_Event');
  });

  it('"Cancel_Priority_VM_Event | ESI = handle (0 allowed) | nothing (ESI garbage)": ESI after the call is not the handle it was given, nor 0', () => {
    // (model) the garbage is 0xBAADF00D: a driver that keeps using ESI as the handle after the
    // cancel (cancels it again, compares it) reads a value no handle ever has.
    const after: { handle: number; esi: number }[] = [];
    const { m } = setup([{ vm: 2, boost: Boost.High_Pri_Device_Boost, flags: PEF.Wait_In_PM }], {
      cancel(r) {
        const handle = r.slot('saved').xchg(0);
        r.cancelPriorityVmEvent(handle);
        after.push({ handle, esi: r.regs.esi });
      },
    });
    m.runOps(1, m.trap('dev', 'call'));
    m.runOps(2, m.trap('dev', 'cancel'));
    expect(m.of('cancel')).toMatchObject([{ kind: 'priority', outcome: 'cancelled' }]);
    expect(after).toHaveLength(1);
    expect(after[0]!.handle).not.toBe(0);
    expect(after[0]!.esi).not.toBe(after[0]!.handle);
    expect(after[0]!.esi).toBe(0xbaadf00d);
    expect(m.finish().violations).toEqual([]);
  });
});
