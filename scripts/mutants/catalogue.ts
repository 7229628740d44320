/**
 * Hand-made mutants of the core (src/vmm, and the layouts in src/shared it shares with the
 * threaded runtime): each a small, plausible misreading of the SPEC, kept
 * as data. `search` must occur exactly once in `file`; it is replaced by `replace`. `spec` names
 * the rule it breaks; `invariant` is true when it breaks a SPEC §7 VMM invariant, which the
 * runtime checker (`vmmsim run --runtime sim`) must then catch, not only a unit test.
 */
export interface Mutant {
  id: string;
  file: string;
  search: string;
  replace: string;
  spec: string;
  invariant: boolean;
  /**
   * Test files (of test/vmm, test/devices, test/shared) that quote the rule: the judge runs them first, and the
   * whole of both directories only if they pass. A kill is still a failing test of those
   * directories; this only spares the wait for files the mutant makes slow.
   */
  quotedIn?: string[];
  /**
   * A scenario (path from the repository root) on which the checker judge also runs the seeds:
   * for a rule the built-in machine never exercises (it schedules no priority event with that
   * restriction, makes no refused call), so the runtime checker has a run in which the mutant
   * shows. It runs with --vmm-only: the device bugs it makes on purpose do not count.
   */
  checkerScenario?: string;
}

export const MUTANTS: readonly Mutant[] = [
  // --- interrupt time (SPEC §1) ---
  {
    id: 'interrupt-time-reenter-only', file: 'src/vmm/vmm.ts',
    search: 'return this.hwIntDepth > 0 || this.reenter > 0;', replace: 'return this.reenter > 0;',
    spec: '§1 interrupt time is any moment inside a Hw_Int_Proc, at any re-enter count', invariant: true,
  },
  {
    id: 'hwint-depth-not-counted', file: 'src/vmm/cpu.ts',
    search: '  m.hwIntDepth++;\n', replace: '',
    spec: '§1 interrupt time: the handler that interrupted a VM is interrupt time too', invariant: true,
  },
  {
    id: 'process-events-inside-handler', file: 'src/vmm/cpu.ts',
    search: 'const claimedBy = dispatchHardwareInterrupt(m, irq);',
    replace: 'const claimedBy = dispatchHardwareInterrupt(m, irq);\n  m.hwIntDepth--;\n  processEvents(m, true);\n  m.hwIntDepth++;',
    spec: '§7 between a Hw_Int_Proc\'s entry and its return: no processing pass, no dispatch, no task switch', invariant: true,
  },
  {
    id: 'sync-service-performed-at-interrupt-time', file: 'src/vmm/services/index.ts',
    search: '    vmm.regs.eflags |= EFLAGS_CF;\n    return;\n', replace: '    vmm.regs.eflags |= EFLAGS_CF;\n',
    spec: '§1 no nested execution inside a hardware-interrupt handler (a synchronous service is refused)', invariant: false,
  },
  {
    id: 'sync-service-not-reported', file: 'src/vmm/services/index.ts',
    search: 'if (!entry.async && vmm.atInterruptTime) {', replace: 'if (!entry.async && vmm.reenter > 0) {',
    spec: '§1/§7 a synchronous service at interrupt time is a device bug', invariant: false,
  },
  {
    id: 'cancel-priority-esi-kept', file: 'src/vmm/services/priority.ts',
    search: '  vmm.regs.esi = ESI_GARBAGE;\n', replace: '',
    spec: '§3 Cancel_Priority_VM_Event returns nothing (ESI garbage): ESI is not the handle after the call', invariant: false,
    quotedIn: ['test/vmm/services/priority.test.ts'],
  },
  {
    id: 'nested-means-hwint-only', file: 'src/vmm/cpu.ts',
    search: "const fromRing0 = m.ctx !== 'vm';", replace: "const fromRing0 = m.ctx === 'hwint';",
    spec: '§1 re-enter count: an interrupt of any ring-0 code re-enters the VMM', invariant: true,
  },
  // --- the PICs and VPICD (SPEC §6) ---
  {
    id: 'pic-reenters-line-in-service', file: 'src/vmm/pic.ts',
    search: 'return highestIrq(this.irr & ~this.imr & ~this.isr & ~(1 << CASCADE_IRQ));', replace: 'return highestIrq(this.irr & ~this.imr & ~(1 << CASCADE_IRQ));',
    spec: '§6/§7 a Hw_Int_Proc of an IRQ is never re-entered before its Phys_EOI', invariant: true,
  },
  {
    id: 'pic-prioritizes-like-8259', file: 'src/vmm/pic.ts',
    search: 'return highestIrq(this.irr & ~this.imr & ~this.isr & ~(1 << CASCADE_IRQ));',
    replace: 'return (this.isr & ~(1 << CASCADE_IRQ)) !== 0 ? -1 : highestIrq(this.irr & ~this.imr & ~(1 << CASCADE_IRQ));',
    spec: '§6 VPICD does not prioritize hardware interrupts', invariant: false,
  },
  {
    id: 'pic-order-master-first', file: 'src/vmm/pic.ts',
    search: '[0, 1, 8, 9, 10, 11, 12, 13, 14, 15, 3, 4, 5, 6, 7]', replace: '[0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]',
    spec: '§6 fixed priority 0, 1, (8-15), 3-7', invariant: false,
  },
  {
    id: 'pic-eoi-wrong-chip', file: 'src/vmm/pic.ts',
    search: '    this.isr &= ~(1 << irq);\n', replace: '    this.isr &= ~(1 << (irq & 7));\n',
    spec: '§6 a specific EOI ends its own IRQ (slave lines too)', invariant: false,
  },
  {
    id: 'phys-eoi-forgets-pic', file: 'src/vmm/services/vpicd.ts',
    search: "  vmm.pic.eoi(irq);\n  rec.eoi(vmm, irq);\n}\n\n/**\n * VPICD_Physically_Mask", replace: "  rec.eoi(vmm, irq);\n}\n\n/**\n * VPICD_Physically_Mask",
    spec: '§6 VPICD_Phys_EOI allows further hardware interrupts from the IRQ', invariant: false,
  },
  {
    id: 'hwint-contract-unchecked', file: 'src/vmm/services/vpicd.ts',
    search: '    checkProcContract(vmm, sharer.device, sharer.hwIntProc, before);\n', replace: '',
    spec: '§6/§7 a Hw_Int_Proc must preserve EDI, EBP, ESP and the segment registers', invariant: false,
  },
  {
    id: 'vpicd-preserves-no-edi', file: 'src/vmm/regs.ts',
    search: "['edi', ...PRESERVED_REGS]", replace: '[...PRESERVED_REGS]',
    spec: '§6 VID_Hw_Int_Proc "Uses EAX, EBX, ECX, EDX, ESI, and Flags" (EDI preserved)', invariant: false,
  },
  {
    id: 'request-boost-missing', file: 'src/vmm/services/vpicd.ts',
    search: '  if (vm !== vmm.current && !vm.virtBoosted) setVirtBoost(vmm, vm, true);\n', replace: '',
    spec: '§6 a request into a VM that is not current boosts it (Time_Critical_Boost)', invariant: false,
  },
  {
    id: 'request-switches-at-once', file: 'src/vmm/services/vpicd.ts',
    search: '  if (vm !== vmm.current && !vm.virtBoosted) setVirtBoost(vmm, vm, true);',
    replace: "  if (vm !== vmm.current && !vm.virtBoosted) {\n    setVirtBoost(vmm, vm, true);\n    const from = vmm.current.id;\n    vmm.current = vm;\n    rec.taskSwitch(vmm, from, vm.id);\n  }",
    spec: '§7 no task switch inside a hardware-interrupt handler (the boost waits for the scheduler)', invariant: true,
  },
  {
    id: 'boost-never-ends', file: 'src/vmm/services/virtualPic.ts',
    search: '  if (vm.virtBoosted && !vm.simulatingHwInt && (vm.virtRequests & ~vm.virtMask) === 0) setVirtBoost(vmm, vm, false);', replace: '  void vm;',
    spec: '§6 Time_Critical_Boost while VPICD simulates the interrupt, not for ever', invariant: false,
  },
  // --- the virtual PIC (SPEC §6) ---
  {
    id: 'virtual-pic-edge-triggered', file: 'src/vmm/services/virtualPic.ts',
    search: '  vm.virtInService |= 1 << irq;\n', replace: '  vm.virtInService |= 1 << irq;\n  vm.virtRequests &= ~(1 << irq);\n',
    spec: '§6 the virtual PIC is level-triggered: re-simulated after the EOI unless cleared', invariant: false,
  },
  {
    id: 'virtual-mask-ignored', file: 'src/vmm/services/virtualPic.ts',
    search: 'const irq = highestIrq(vm.virtRequests & ~vm.virtMask);', replace: 'const irq = highestIrq(vm.virtRequests);',
    spec: '§6/§7 not simulated while the VM has masked the IRQ', invariant: true,
  },
  {
    id: 'virtual-if-ignored', file: 'src/vmm/services/virtualPic.ts',
    search: 'if (vm !== vmm.current || !vm.vif || !vm.runnable || vmm.atInterruptTime) return -1;', replace: 'if (vm !== vmm.current || !vm.runnable || vmm.atInterruptTime) return -1;',
    spec: '§6/§7 not simulated while the VM has interrupts disabled', invariant: true,
  },
  {
    id: 'virtual-at-interrupt-time', file: 'src/vmm/services/virtualPic.ts',
    search: 'if (vm !== vmm.current || !vm.vif || !vm.runnable || vmm.atInterruptTime) return -1;', replace: 'if (vm !== vmm.current || !vm.vif || !vm.runnable) return -1;',
    spec: '§6/§7 not simulated while the VM cannot run (inside a Hw_Int_Proc)', invariant: true,
  },
  {
    id: 'virtual-in-service-ignored', file: 'src/vmm/services/virtualPic.ts',
    search: 'return irqRank(irq) < irqRank(highestIrq(vm.virtInService)) ? irq : -1;', replace: 'return irq;',
    spec: '§6/§7 not simulated while a higher-priority virtual IRQ is in service', invariant: true,
  },
  {
    id: 'virtual-same-irq-nests', file: 'src/vmm/services/virtualPic.ts',
    search: 'return irqRank(irq) < irqRank(highestIrq(vm.virtInService)) ? irq : -1;', replace: 'return irqRank(irq) <= irqRank(highestIrq(vm.virtInService)) ? irq : -1;',
    spec: '§6/§7 an IRQ in service is not simulated again before its EOI', invariant: true,
  },
  {
    id: 'virtual-eoi-ends-lowest', file: 'src/vmm/services/virtualPic.ts',
    search: '  const irq = highestIrq(vm.virtInService);\n  if (irq < 0) return;', replace: '  const irq = vm.virtInService === 0 ? -1 : 31 - Math.clz32(vm.virtInService);\n  if (irq < 0) return;',
    spec: '§6 a (non-specific) virtual EOI ends the highest-priority IRQ in service', invariant: false,
  },
  {
    id: 'eoi-proc-not-called', file: 'src/vmm/services/virtualPic.ts',
    search: "  callProcs(vmm, 'eoi', irq, vm);\n", replace: '',
    spec: '§6 the EOI_Proc runs when the VM issues an EOI', invariant: false,
  },
  {
    id: 'iret-keeps-if-clear', file: 'src/vmm/services/virtualPic.ts',
    search: '  setVif(vm, vif);\n', replace: '',
    spec: '§6 the VM\'s iret ends the simulated interrupt (its interrupt flag comes back)', invariant: false,
  },
  {
    id: 'iret-timeout-ignored', file: 'src/vmm/services/virtualPic.ts',
    search: 'if (frame.timedOut || vmm.ticks < frame.deadlineTicks || !vm.alive) continue;', replace: 'if (true) continue;',
    spec: '§6 IRET time-out (500 ms default): IRET_Proc with carry set', invariant: false,
  },
  // --- call now or schedule (SPEC §3) ---
  {
    id: 'global-calls-now-when-reentered', file: 'src/vmm/services/globalEvents.ts',
    search: 'const allowed = vmm.reenter === 0;', replace: 'const allowed = vmm.reenter <= 1;',
    spec: '§3/§7 Call_Global_Event calls now only at re-enter count 0', invariant: true,
  },
  {
    id: 'global-schedules-in-any-handler', file: 'src/vmm/services/globalEvents.ts',
    search: 'const allowed = vmm.reenter === 0;', replace: 'const allowed = !vmm.atInterruptTime;',
    spec: '§3/§7 Call_Global_Event calls now whenever the re-enter count is 0 (inside a Hw_Int_Proc too)', invariant: true,
  },
  {
    id: 'vm-event-calls-now-for-any-vm', file: 'src/vmm/services/vmEvents.ts',
    search: 'const allowed = vmm.reenter === 0 && vm === vmm.current;', replace: 'const allowed = vmm.reenter === 0;',
    spec: '§3/§7 Call_VM_Event calls now only for the current VM', invariant: true,
  },
  {
    id: 'priority-ignores-always-sched', file: 'src/vmm/services/priority.ts',
    search: ' && !(flags & PEF.Always_Sched) && ', replace: ' && ',
    spec: '§3/§7 Call_Priority_VM_Event never calls now with PEF_Always_Sched', invariant: true,
  },
  {
    id: 'priority-call-now-ignores-restrictions', file: 'src/vmm/services/priority.ts',
    search: '!(flags & PEF.Always_Sched) && restrictionsMet(vmm, vm, flags, boost | 0);', replace: '!(flags & PEF.Always_Sched);',
    spec: '§3/§7 Call_Priority_VM_Event calls now only with its restrictions met', invariant: true,
  },
  {
    id: 'priority-never-calls-now', file: 'src/vmm/services/priority.ts',
    search: 'const allowed = vmm.reenter === 0 && vm === vmm.current', replace: 'const allowed = false && vmm.reenter === 0 && vm === vmm.current',
    spec: '§3/§7 the call-now rule of Call_Priority_VM_Event', invariant: true,
  },
  {
    id: 'called-now-returns-nonzero', file: 'src/vmm/services/schedule.ts',
    search: '  vmm.restoreRegs(saved);\n  vmm.regs.esi = 0;', replace: '  vmm.restoreRegs(saved);\n  vmm.regs.esi = 1;',
    spec: '§7 Call_* returned 0 exactly when the callback ran inside the call', invariant: true,
  },
  // --- dispatch (SPEC §3, §4, §7) ---
  {
    id: 'callback-ebx-system-vm', file: 'src/vmm/dispatch.ts',
    search: '  regs.ebx = vmm.current.handle;\n', replace: '  regs.ebx = vmm.systemVm.handle;\n',
    spec: '§3/§7 a callback gets EBX = the current VM (a global callback runs in the VM that was current)', invariant: true,
  },
  {
    id: 'vm-event-runs-in-any-vm', file: 'src/vmm/processing.ts',
    search: 'const vmEvent = vm.runnable ? takeNext(vmm, vm.vmEvents) : undefined;', replace: 'const vmEvent = takeNext(vmm, vmm.vms.find((v) => v.vmEvents.length > 0)?.vmEvents ?? []);',
    spec: '§7 a VM event runs in its VM', invariant: true,
  },
  {
    id: 'wait-for-sti-ignored', file: 'src/vmm/services/priority.ts',
    search: '  if (flags & PEF.Wait_For_STI && !vm.vif) return false;\n', replace: '',
    spec: '§4/§7 a priority event runs only when its restrictions hold', invariant: true,
  },
  {
    id: 'process-last-first', file: 'src/vmm/services/priority.ts',
    search: 'const last = eligibleFirst === 0;', replace: 'const last = eligibleLast > 0;',
    spec: '§3 PEF_Process_Last events are considered on a second pass', invariant: false,
  },
  {
    id: 'timeout-noticed-late', file: 'src/vmm/services/priority.ts',
    search: 'if (vmm.ticks >= node.deadlineTicks) due.push(node);',
    replace: 'if (vmm.ticks >= node.deadlineTicks + 1_000_000) due.push(node);',
    spec: '§4 with PEF_Time_Out the callback is called once the timeout passes', invariant: false,
  },
  {
    id: 'dont-unboost-ignored', file: 'src/vmm/services/boost.ts',
    search: "if (reason === 'callback' && (flags & PEF.Dont_Unboost) !== 0) {", replace: 'if (false) {',
    spec: '§4 PEF_Dont_Unboost keeps the boost after the callback', invariant: false,
  },
  {
    id: 'cancel-keeps-boost', file: 'src/vmm/services/cancel.ts',
    search: "  if (node.kind === 'priority') removeBoost(vmm, node, 'cancel');\n", replace: '',
    spec: '§4 cancel removes the boost', invariant: false,
  },
  {
    id: 'cancel-leaves-event-queued', file: 'src/vmm/services/cancel.ts',
    search: "  unlink(vmm, node);\n  if (node.kind === 'priority') removeBoost(vmm, node, 'cancel');\n  vmm.table.release(node);",
    replace: "  if (node.kind === 'priority') removeBoost(vmm, node, 'cancel');",
    spec: '§7 every scheduled event is dispatched exactly once or cancelled, never both', invariant: true,
  },
  {
    id: 'cancel-any-kind', file: 'src/vmm/services/cancel.ts',
    search: '  if (node.kind !== kind) {', replace: '  if (false) {',
    spec: '§3 a Cancel_XX may only cancel an event made by the matching Schedule_/Call_XX', invariant: false,
  },
  // --- handles (SPEC §3) ---
  {
    id: 'handle-generation-not-bumped', file: 'src/vmm/eventTable.ts',
    search: '      node.generation++;\n', replace: '',
    spec: '§3 a stale cancel is always detected (handles carry a generation tag)', invariant: false,
  },
  {
    // The handle as a generation tag alone: two live events of the same generation share it.
    id: 'handle-without-node-index', file: 'src/vmm/eventTable.ts',
    search: 'return ((node.generation << 17) | CHECKED_MARK | node.index) >>> 0;', replace: 'return ((node.generation << 17) | CHECKED_MARK) >>> 0;',
    spec: '§7 handles are non-zero and unique among live events', invariant: true,
    quotedIn: ['test/vmm/eventTable.test.ts'],
  },
  {
    id: 'dispatched-node-not-freed', file: 'src/vmm/processing.ts',
    search: '  vmm.table.release(node);\n  vmm.lastDispatchedCallback = callback;', replace: '  vmm.lastDispatchedCallback = callback;',
    spec: '§3 a dispatched event\'s handle is stale (its node free)', invariant: false,
  },
  // --- device-bug detection and the critical section (SPEC §5, §7) ---
  {
    id: 'callback-registers-unchecked', file: 'src/vmm/dispatch.ts',
    search: 'const clobbered = restoreClobbered(regs, before);', replace: 'const clobbered = restoreClobbered(regs, before, []);',
    spec: '§7 a callback that clobbers a register it must preserve is a device bug', invariant: false,
  },
  {
    id: 'direction-flag-unchecked', file: 'src/vmm/dispatch.ts',
    search: '  if (takeDirectionFlag(regs)) {', replace: '  if (false && takeDirectionFlag(regs)) {',
    spec: '§7 a callback that returns with the direction flag set is a device bug', invariant: false,
  },
  {
    id: 'livelock-bound-lost', file: 'src/vmm/processing.ts',
    search: 'if (beyond - (vmm.eventsFromInterrupts - fromInterruptsBefore) > bound || beyond > bound * STORM_BOUND_FACTOR) {', replace: 'if (beyond - (vmm.eventsFromInterrupts - fromInterruptsBefore) > bound * 1000) {',
    spec: '§7 an event that reschedules itself forever (livelock bound)', invariant: false,
    // × 1000 also makes every zoo scenario's livelock run a million dispatches per pass (recordKinds
    // and traceHashAtSource run them all): gigabytes of records, past the judge's time limit.
    quotedIn: ['test/vmm/services/globalEvents.deviceBugs.test.ts'],
  },
  {
    id: 'critical-two-owners', file: 'src/vmm/services/critical.ts',
    search: 'if (vmm.critOwner === null || vmm.critOwner === vm) {', replace: 'if (true) {',
    spec: '§5 one owner; a VM that asks while another owns it blocks', invariant: false,
  },
  {
    id: 'scheduler-runs-blocked-vm', file: 'src/vmm/vm.ts',
    search: 'return this.alive && this.executable && !this.suspended && !this.blockedOnCritical;', replace: 'return this.alive && this.executable && !this.suspended;',
    spec: '§5 a VM that asks for the critical section while another owns it blocks: the scheduler skips it until the release', invariant: false,
    quotedIn: ['test/vmm/services/critical.test.ts'],
  },
  {
    id: 'critical-no-boost', file: 'src/vmm/services/critical.ts',
    search: '      vm.boost += Boost.Critical_Section_Boost;\n', replace: '',
    spec: '§5 the first claim boosts the owner by Critical_Section_Boost', invariant: false,
  },
  {
    id: 'scheduler-ignores-priority', file: 'src/vmm/scheduler.ts',
    search: '    const priority = vmm.execPriority(vm);', replace: '    const priority = 0;',
    spec: '§2 the scheduler runs the VM with the highest execution priority', invariant: false,
  },
  // --- VM destruction (SPEC §5b, the DDK's System_Control messages) ---
  {
    id: 'destroy-dying-vm-stays-current', file: 'src/vmm/services/vmControl.ts',
    search: '  vmm.processEvents(false);\n  schedule(vmm);\n', replace: '  vmm.processEvents(false);\n',
    spec: '§5b VM_Not_Executeable: the VM "is no longer capable of executing" (not current at VM_Not_Executeable and Destroy_VM)', invariant: false,
  },
  {
    id: 'destroy-switch-before-global-events', file: 'src/vmm/services/vmControl.ts',
    search: '  vmm.processEvents(false);\n  schedule(vmm);\n', replace: '  schedule(vmm);\n',
    spec: '§3 no task switch before the pending global events, when the current VM is destroyed', invariant: false,
  },
  // --- rules without a mutant before the conformance audit (docs/conformance.md) ---
  {
    id: 'not-executable-still-runnable', file: 'src/vmm/vm.ts',
    search: 'return this.alive && this.executable && !this.suspended && !this.blockedOnCritical;', replace: 'return this.alive && !this.suspended && !this.blockedOnCritical;',
    spec: '§5b VM_Not_Executeable: the VM "is no longer capable of executing" (the scheduler never picks it again)', invariant: false,
  },
  {
    id: 'system-vm-suspendable', file: 'src/vmm/services/vmControl.ts',
    search: 'const refused = vm === undefined || vm.isSystemVm || vm === vmm.critOwner;', replace: 'const refused = vm === undefined || vm === vmm.critOwner;',
    spec: '§2 VM 1 is the system VM: it always exists and can never be suspended', invariant: false,
  },
  {
    id: 'callback-ebp-system-vm', file: 'src/vmm/dispatch.ts',
    search: '  regs.ebp = vmm.current.cb.CB_Client_Pointer;', replace: '  regs.ebp = vmm.systemVm.cb.CB_Client_Pointer;',
    spec: '§3 callback entry: EBP = pointer to the current VM\'s Client_Reg_Struc', invariant: false,
  },
  {
    id: 'cancel-vm-event-any-vm', file: 'src/vmm/services/cancel.ts',
    search: "if (kind === 'vm' && named?.id !== node.vm) {", replace: 'if (false) {',
    spec: '§4 Cancel_VM_Event\'s EBX must be the VM the event was scheduled for (reported, nothing cancelled)', invariant: false,
  },
  {
    id: 'adjust-boost-unchecked', file: 'src/vmm/services/vmControl.ts',
    search: 'if (ownBoosted < 0 || boosted > Boost.Reserved_High_Boost) {', replace: 'if (false) {',
    spec: '§7 a boost out of range is a device bug (Adjust_Exec_Priority: the devices\' boosts at least 0, the VM\'s within Reserved_High_Boost, model choice)', invariant: false,
  },
  {
    id: 'reserved-flags-ignored', file: 'src/vmm/services/priority.ts',
    search: 'if (reserved !== 0) {', replace: 'if (false) {',
    spec: '§4 other PEF bits are reserved and must be zero: a clear error, not a silent ignore', invariant: false,
  },
  {
    id: 'boost-range-unchecked', file: 'src/vmm/services/priority.ts',
    search: 'if ((boost | 0) !== 0 && (boosted < Boost.Reserved_Low_Boost || boosted > Boost.Reserved_High_Boost)) {', replace: 'if (false) {',
    spec: '§4 the boost plus the VM\'s priority stays within Reserved_Low_Boost .. Reserved_High_Boost (reported, refused)', invariant: false,
  },
  {
    id: 'never-satisfiable-not-warned', file: 'src/vmm/services/priority.ts',
    search: 'if ((boost | 0) >= Boost.Critical_Section_Boost && flags & PEF.Wait_Not_Crit) {', replace: 'if (false) {',
    spec: '§4 a boost at or above Critical_Section_Boost with PEF_Wait_Not_Crit: warned at schedule time', invariant: false,
  },
  {
    id: 'call-now-not-boosted', file: 'src/vmm/services/priority.ts',
    search: "    vm.boost += boost;\n    if (!kept) vm.heldBoost += boost;\n    schedulingChanged(vmm);\n    rec.boost(vmm, vm.id, boost, 'immediate', 0);\n  }\n  callNow(", replace: "  }\n  callNow(",
    spec: '§4 a call that runs the callback at once boosts first ("boosts the priority ... before calling the callback function")', invariant: false,
  },
  {
    id: 'runaway-never-stopped', file: 'src/vmm/ring0Watch.ts',
    search: 'if (calls > this.budget)', replace: 'if (calls > this.budget * 1000)',
    spec: '§7 device code that never returns: the run ends with a report naming the device and procedure, never hangs', invariant: false,
  },
  {
    id: 'wait-not-crit-ignored', file: 'src/vmm/services/priority.ts',
    search: '  if (flags & PEF.Wait_Not_Crit && (vmm.critOwner !== null || vmm.execPriority(vm) + extraPriority >= Boost.Critical_Section_Boost)) return false;\n', replace: '',
    spec: '§4/§7 PEF_Wait_Not_Crit: waits until the critical section is free and the priority is below Critical_Section_Boost', invariant: true,
    checkerScenario: 'examples/real/vkdhk.ts',
  },
  {
    id: 'wait-not-hw-int-ignored', file: 'src/vmm/services/priority.ts',
    search: '  if (flags & PEF.Wait_Not_HW_Int && vm.simulatingHwInt) return false;\n', replace: '',
    spec: '§4/§7 PEF_Wait_Not_HW_Int: waits until VPICD is not simulating a hardware interrupt', invariant: true,
    checkerScenario: 'examples/outside/fixed/timeoutIgnored.ts',
  },
  {
    id: 'immediate-end-unmarked', file: 'src/vmm/services/priority.ts',
    search: "rec.boost(vmm, vm.id, -boost, 'immediateEnd', 0);", replace: "rec.boost(vmm, vm.id, -boost, 'immediate', 0);",
    spec: '§4 boosts are signed; an immediate call boosts first and unboosts after (the end recorded as such)', invariant: false,
    quotedIn: ['test/vmm/services/priority.test.ts'],
  },
  {
    id: 'timeouts-in-vm-order', file: 'src/vmm/services/priority.ts',
    search: '  if (due.length > 1) due.sort(byDeadline);\n  const node = due[pickIndex(vmm, due.length)];', replace: '  const node = due[0];',
    spec: '§3 no order between pending events: FIFO by default (for time-outs, the earliest deadline), a choice point in exploration', invariant: false,
    quotedIn: ['test/vmm/services/eventOrder.test.ts'],
  },
  {
    id: 'nested-exec-switch-when-unrunnable', file: 'src/vmm/scheduler.ts',
    search: '  if (vmm.current.nestedExec > 0) return;', replace: '  if (vmm.current.nestedExec > 0 && vmm.current.runnable) return;',
    spec: '§2 task switches only at scheduler points; nested execution (model choice): the VM keeps the CPU until its nested execution ends, suspended or not', invariant: true,
    quotedIn: ['test/vmm/scheduler.test.ts'],
    checkerScenario: 'scripts/mutants/scenarios/suspendedNestedExec.ts',
  },
  {
    id: 'wait-not-nested-exec-ignored', file: 'src/vmm/services/priority.ts',
    search: '  if (flags & PEF.Wait_Not_Nested_Exec && vm.nestedExec > 0) return false;\n', replace: '',
    spec: '§4/§7 PEF_Wait_Not_Nested_Exec: waits until the VM is not in nested execution', invariant: true,
    checkerScenario: 'scripts/mutants/scenarios/nestedExec.ts',
  },
  {
    id: 'wait-in-pm-ignored', file: 'src/vmm/services/priority.ts',
    search: '  if (flags & PEF.Wait_In_PM && !vm.pm) return false;\n', replace: '',
    spec: '§4/§7 PEF_Wait_In_PM: waits until the VM runs in protected mode', invariant: true,
  },
  {
    id: 'timeout-entry-carry-clear', file: 'src/vmm/dispatch.ts',
    search: 'regs.eflags = (timedOut ? regs.eflags | EFLAGS_CF : regs.eflags & ~EFLAGS_CF) & ~EFLAGS_DF;', replace: 'regs.eflags = (regs.eflags & ~EFLAGS_CF) & ~EFLAGS_DF;',
    spec: '§3/§4 a priority callback called because its timeout passed is entered with the carry flag set', invariant: true,
    quotedIn: ['test/vmm/services/priority.test.ts'],
  },
  {
    id: 'cancel-zero-not-noop', file: 'src/vmm/services/cancel.ts',
    search: '  if (handle === 0) {\n', replace: '  if (false) {\n',
    spec: '§3 Cancel_XX with ESI = 0 is allowed (a no-op)', invariant: false,
  },
  {
    id: 'interrupts-left-disabled-unchecked', file: 'src/vmm/dispatch.ts',
    search: '  if (!vmm.interruptsEnabled) {\n', replace: '  if (false) {\n',
    spec: '§7 a callback that leaves interrupts disabled is a device bug', invariant: false,
  },
  {
    id: 'critical-released-at-first-end', file: 'src/vmm/services/critical.ts',
    search: '  if (vmm.critCount > 0) return;\n  releaseCriticalSection(vmm);', replace: '  releaseCriticalSection(vmm);',
    spec: '§5 End_Critical_Section decrements and releases at zero', invariant: false,
  },
  {
    id: 'schedule-global-calls-now', file: 'src/vmm/services/globalEvents.ts',
    search: 'export function scheduleGlobalEvent(vmm: Machine): void {\n', replace: 'export function scheduleGlobalEvent(vmm: Machine): void {\n  if (vmm.reenter === 0) return callGlobalEvent(vmm);\n',
    spec: '§3 Schedule_Global_Event never runs the callback now: always scheduled', invariant: false,
  },
  {
    id: 'shared-irq-first-sharer-claims', file: 'src/vmm/services/vpicd.ts',
    search: '    if (claimed) return sharer.device;', replace: '    return sharer.device;',
    spec: '§6 shared IRQs call each sharer\'s Hw_Int_Proc until one claims it (carry clear)', invariant: false,
    quotedIn: ['test/vmm/services/vpicd.test.ts'],
  },
  {
    id: 'clear-request-ignored', file: 'src/vmm/services/vpicd.ts',
    search: '  vm.virtRequests &= ~(1 << irq);\n  rec.virtRequest(vmm, \'clear\'', replace: '  rec.virtRequest(vmm, \'clear\'',
    spec: '§6 VPICD_Clear_Int_Request before the simulation prevents it', invariant: false,
    quotedIn: ['test/vmm/services/virtualPic.test.ts'],
  },
  {
    id: 'time-slicer-stuck', file: 'src/vmm/scheduler.ts',
    search: '      vmm.curRunHolder = candidate;\n', replace: '',
    spec: '§2 the time slicer rotates Cur_Run_VM_Boost among VMs', invariant: false,
    quotedIn: ['test/vmm/scheduler.test.ts'],
  },
  {
    id: 'latitude-ignored', file: 'src/vmm/services/schedule.ts',
    search: 'return !vmm.config.latitude || vmm.choices.callNow();', replace: 'return true;',
    spec: '§3 (model choice) with the latitude on, call now or schedule is a choice point', invariant: false,
    quotedIn: ['test/vmm/services/globalEvents.test.ts'],
  },
  {
    id: 'event-order-choice-ignored', file: 'src/vmm/order.ts',
    search: 'return index >= 0 && index < pending ? index : 0;', replace: 'return 0;',
    spec: '§3 (model choice) the order among pending events is a choice point in exploration', invariant: false,
    quotedIn: ['test/vmm/services/eventOrder.test.ts'],
  },
  // --- rules the conformance table (docs/conformance.md) had without a mutant ---
  {
    id: 'virtualize-irq-async', file: 'src/vmm/services.ts',
    search: '  VPICD_Virtualize_IRQ: { async: false },', replace: '  VPICD_Virtualize_IRQ: { async: true },',
    spec: '§1 VPICD_Virtualize_IRQ is not asynchronous: called at interrupt time it is a device bug', invariant: false,
    quotedIn: ['test/vmm/services/synchronousServices.test.ts'],
  },
  {
    id: 'nest-exec-async', file: 'src/vmm/services.ts',
    search: '  Begin_Nest_Exec: { async: false },', replace: '  Begin_Nest_Exec: { async: true },',
    spec: '§1 Resume_Exec / nested execution is not asynchronous: no nested execution inside a Hw_Int_Proc', invariant: false,
    quotedIn: ['test/vmm/services/synchronousServices.test.ts'],
  },
  {
    id: 'client-reg-esp-ss-swapped', file: 'src/shared/clientRegs.ts',
    search: 'ESP: 0x30, SS: 0x34,', replace: 'ESP: 0x34, SS: 0x30,',
    spec: '§2 Client_Reg_Struc layout: ESP 30, SS 34', invariant: false,
    quotedIn: ['test/shared/clientRegs.test.ts'],
  },
  {
    id: 'client-reg-alias-ah-low-byte', file: 'src/shared/clientRegs.ts',
    search: 'AH: [0x1d, 1],', replace: 'AH: [0x1c, 1],',
    spec: '§2 byte aliases follow from the layout: AH at 1D', invariant: false,
    quotedIn: ['test/shared/clientRegs.test.ts'],
  },
  {
    id: 'cb-signature-byte-swapped', file: 'src/vmm/constants.ts',
    search: 'export const CB_SIGNATURE = 0x62634d56;', replace: 'export const CB_SIGNATURE = 0x564d6362;',
    spec: '§2 CB_Signature = 0x62634D56 on Windows 95', invariant: false,
    quotedIn: ['test/vmm/controlBlock.test.ts'],
  },
  {
    id: 'cb-vmid-zero-based', file: 'src/vmm/vm.ts',
    search: '    cb.CB_VMID = this.id;\n', replace: '    cb.CB_VMID = this.id - 1;\n',
    spec: '§2 VM 1 is the system VM: its CB_VMID is 1', invariant: false,
    quotedIn: ['test/vmm/controlBlock.test.ts'],
  },
  {
    id: 'time-critical-boost-value', file: 'src/vmm/constants.ts',
    search: '  Time_Critical_Boost: 0x00400000,', replace: '  Time_Critical_Boost: 0x00040000,',
    spec: '§4 boost values: Time_Critical_Boost = 0x00400000', invariant: false,
    quotedIn: ['test/vmm/constants.test.ts'],
  },
  {
    id: 'process-last-value', file: 'src/vmm/constants.ts',
    search: '  Process_Last: 0x2000,', replace: '  Process_Last: 0x200,',
    spec: '§4 PEF flag values: PEF_Process_Last = 0x2000', invariant: false,
    quotedIn: ['test/vmm/constants.test.ts'],
  },
  {
    id: 'priority-callback-flags-checked', file: 'src/vmm/dispatch.ts',
    search: '  const clobbered = restoreClobbered(regs, before);\n',
    replace: '  const clobbered = [...restoreClobbered(regs, before), ...(kind === \'priority\' && ((regs.eflags ^ before.eflags) & 0x8d5) !== 0 ? [\'eflags\'] : [])];\n',
    spec: '§3 priority-event callbacks may also modify the flags', invariant: false,
    quotedIn: ['test/vmm/services/priorityCallbackFlags.test.ts'],
  },
  {
    id: 'livelock-discounts-unrelated-interrupts', file: 'src/vmm/services/schedule.ts',
    // Every event counts as one an interrupt made: a chain under frequent IRQs is never cut.
    search: '  if (vmm.atInterruptTime) vmm.eventsFromInterrupts++;', replace: '  vmm.eventsFromInterrupts++;',
    spec: '§7 an event that reschedules itself forever (livelock bound): interrupts that scheduled nothing excuse nothing', invariant: false,
    quotedIn: ['test/vmm/services/globalEvents.deviceBugs.test.ts'],
  },
  {
    id: 'livelock-counts-pending-batch', file: 'src/vmm/processing.ts',
    // The events pending as the pass begins count toward the bound: a long batch is a "livelock".
    search: '  const pendingBefore = vmm.table.live;', replace: '  const pendingBefore = 0;',
    spec: '§7 an event that reschedules itself forever (livelock bound): a batch scheduled before the pass is no chain', invariant: false,
    quotedIn: ['test/vmm/services/globalEvents.deviceBugs.test.ts'],
  },
  {
    id: 'interrupt-storm-never-cut', file: 'src/vmm/processing.ts',
    search: ' || beyond > bound * STORM_BOUND_FACTOR) {', replace: ') {',
    spec: '§7 never hang: a processing pass that interrupts feed ends (at 64 times the livelock bound)', invariant: false,
    quotedIn: ['test/vmm/services/globalEvents.deviceBugs.test.ts'],
  },
  {
    id: 'new-events-wait-next-pass', file: 'src/vmm/processing.ts',
    search: '    if (vmm.globals.length > 0) {\n      beginPass(vmm);',
    replace: '    if (vmm.globals.length > 0 && dispatched < pendingBefore) {\n      beginPass(vmm);',
    spec: '§3 events scheduled during processing are processed in the same processing pass', invariant: false,
    quotedIn: ['test/vmm/services/globalEvents.seed.test.ts'],
  },
  {
    id: 'callback-client-regs-system-vm', file: 'src/vmm/ring0.ts',
    search: '    return this.vmm.current.client;', replace: '    return this.vmm.systemVm.client;',
    spec: '§3 the client registers seen from an event callback are those of the VM (the current one)', invariant: false,
    quotedIn: ['test/vmm/services/globalEvents.seed.test.ts'],
  },
  {
    id: 'refused-call-returns-zero', file: 'src/vmm/services/schedule.ts',
    search: '  if (vmm.regs.esi === 0) vmm.regs.esi = 0xffffffff;', replace: '  vmm.regs.esi = 0;',
    spec: '§4/§7 (model choice) a refused call never returns ESI = 0, which means the callback ran inside the call', invariant: true,
    checkerScenario: 'scripts/mutants/scenarios/refusedCall.ts',
    quotedIn: ['test/vmm/services/refusedCall.test.ts'],
  },
  {
    id: 'refused-call-carry-clear', file: 'src/vmm/services/schedule.ts',
    search: '  vmm.regs.eflags |= EFLAGS_CF;\n  if (vmm.regs.esi === 0)', replace: '  if (vmm.regs.esi === 0)',
    spec: '§4 (model choice) the refusal of a Call_/Schedule_ service sets the carry flag', invariant: false,
    quotedIn: ['test/vmm/services/refusedCall.test.ts'],
  },
  {
    id: 'control-ebx-current-vm', file: 'src/vmm/control.ts',
    search: '    vmm.regs.ebx = vm.handle;', replace: '    vmm.regs.ebx = vmm.current.handle;',
    spec: '§5b control messages are sent with EBX = the VM concerned', invariant: false,
    quotedIn: ['test/vmm/control.test.ts'],
  },
  {
    id: 'control-vm-critical-init-not-sent', file: 'src/vmm/control.ts',
    search: "['Create_VM', 'VM_Critical_Init', 'VM_Init']", replace: "['Create_VM', 'VM_Init']",
    spec: '§5b the VMM sends at least Create_VM, VM_Critical_Init, VM_Init at VM creation', invariant: false,
    quotedIn: ['test/vmm/control.test.ts'],
  },
  {
    id: 'control-keeps-caller-context', file: 'src/vmm/control.ts',
    search: "    vmm.ctx = 'vmm';\n", replace: '',
    spec: '§5b control messages run in ring 0 in the vmm context (not at interrupt time)', invariant: false,
    quotedIn: ['test/vmm/control.test.ts'],
  },
  {
    id: 'control-not-preemptible', file: 'src/vmm/control.ts',
    search: '    vmm.interruptsEnabled = interrupts;\n', replace: '    vmm.interruptsEnabled = false;\n',
    spec: '§5b control messages are preemption points like any device code', invariant: false,
    quotedIn: ['test/vmm/control.test.ts'],
  },
  {
    id: 'hwint-eax-irq-number', file: 'src/vmm/services/vpicd.ts',
    search: '    regs.eax = sharer.handle;\n', replace: '    regs.eax = sharer.irq;\n',
    spec: '§6 a Hw_Int_Proc gets EAX = the IRQ handle', invariant: false,
    quotedIn: ['test/vmm/services/hwIntEntry.test.ts'],
  },
  {
    id: 'hwint-ebx-system-vm', file: 'src/vmm/services/vpicd.ts',
    search: '    regs.ebx = vmm.current.handle;\n', replace: '    regs.ebx = vmm.systemVm.handle;\n',
    spec: '§6 a Hw_Int_Proc gets EBX = the current VM', invariant: false,
    quotedIn: ['test/vmm/services/hwIntEntry.test.ts'],
  },
  {
    id: 'hwint-interrupts-enabled', file: 'src/vmm/cpu.ts',
    search: "  m.ctx = 'hwint';\n  m.interruptsEnabled = false;\n", replace: "  m.ctx = 'hwint';\n",
    spec: '§6 a Hw_Int_Proc runs with interrupts disabled (it may enable them)', invariant: false,
    quotedIn: ['test/vmm/services/hwIntEntry.test.ts'],
  },
  // --- SPEC rules that had no row in the conformance table ---
  {
    id: 'timeout-keeps-boost', file: 'src/vmm/services/priority.ts',
    search: "  if (timedOut) unboost(vmm, vm, boost, flags, handle, 'timeout');\n", replace: '',
    spec: '§4 cancel and timeout remove the boost regardless', invariant: false,
    quotedIn: ['test/vmm/services/priority.test.ts'],
  },
  {
    id: 'scheduler-runs-suspended-vm', file: 'src/vmm/vm.ts',
    search: 'return this.alive && this.executable && !this.suspended && !this.blockedOnCritical;', replace: 'return this.alive && this.executable && !this.blockedOnCritical;',
    spec: '§2 the scheduler runs the non-suspended, non-blocked VM with the highest priority', invariant: false,
    quotedIn: ['test/vmm/scheduler.test.ts'],
  },
  {
    id: 'virtual-into-suspended-vm', file: 'src/vmm/services/virtualPic.ts',
    search: 'if (vm !== vmm.current || !vm.vif || !vm.runnable || vmm.atInterruptTime) return -1;', replace: 'if (vm !== vmm.current || !vm.vif || vmm.atInterruptTime) return -1;',
    spec: '§6 a virtual interrupt is not simulated while the VM is suspended or cannot run', invariant: false,
    quotedIn: ['test/vmm/services/virtualPicSuspended.test.ts'],
  },
  {
    id: 'wait-not-crit-ignores-priority', file: 'src/vmm/services/priority.ts',
    search: 'if (flags & PEF.Wait_Not_Crit && (vmm.critOwner !== null || vmm.execPriority(vm) + extraPriority >= Boost.Critical_Section_Boost)) return false;',
    replace: 'if (flags & PEF.Wait_Not_Crit && vmm.critOwner !== null) return false;',
    spec: '§4/§7 PEF_Wait_Not_Crit waits until the critical section is free and the priority is below Critical_Section_Boost', invariant: true,
    checkerScenario: 'scripts/mutants/scenarios/waitNotCritPriority.ts',
    quotedIn: ['test/vmm/services/priority.test.ts'],
  },
  {
    id: 'timeout-waits-for-its-vm', file: 'src/vmm/services/priority.ts',
    search: '    if (!vm.executable) continue;\n', replace: '    if (!vm.executable || vm !== vmm.current) continue;\n',
    spec: '§4 PEF_Time_Out: once the timeout passes the callback is called at once, in whatever VM is current', invariant: false,
    quotedIn: ['test/vmm/services/priority.test.ts'],
  },
  {
    id: 'critical-release-keeps-boost', file: 'src/vmm/services/critical.ts',
    search: '  owner.boost -= Boost.Critical_Section_Boost;\n', replace: '',
    spec: '§5 the critical section\'s boost (Critical_Section_Boost) lasts while the VM owns it', invariant: false,
    quotedIn: ['test/vmm/services/critical.test.ts'],
  },
  {
    id: 'schedule-vm-calls-now', file: 'src/vmm/services/vmEvents.ts',
    search: "  if (vm === undefined) return;\n  const node = makeEvent(vmm, 'vm', 'Schedule_VM_Event'",
    replace: "  if (vm === undefined) return;\n  if (vmm.reenter === 0 && vm === vmm.current) return callVmEvent(vmm, device);\n  const node = makeEvent(vmm, 'vm', 'Schedule_VM_Event'",
    spec: '§3 Schedule_VM_Event never runs the callback now: always scheduled for that VM', invariant: false,
    quotedIn: ['test/vmm/services/vmEvents.test.ts'],
  },
  // --- event callbacks that block on the critical section (SPEC §5, §7) ---
  {
    id: 'blocked-callback-dispatched-again', file: 'src/vmm/dispatch.ts',
    search: "  if (restart) rec.blockedCallback(vmm, 'restart',", replace: "  if (false) rec.blockedCallback(vmm, 'restart',",
    spec: '§7 every scheduled event is dispatched exactly once: a blocked callback\'s restart is no second dispatch', invariant: true,
    quotedIn: ['test/vmm/services/criticalInCallback.test.ts'],
    checkerScenario: 'scripts/mutants/scenarios/blockingCallback.ts',
  },
  {
    id: 'blocked-callback-restarts-in-another-vm', file: 'src/vmm/processing.ts',
    search: '    const here = vmm.current;\n    if (here.blockedCallback !== null) {',
    replace: '    const waiting = vmm.vms.find((v) => v.blockedCallback !== null && v.runnable);\n    const here = waiting !== undefined && vmm.passFromRing3 ? waiting : vmm.current;\n    if (here.blockedCallback !== null) {',
    spec: '§7 a VM event runs in its VM; a blocked callback runs again in the VM that blocked', invariant: true,
    quotedIn: ['test/vmm/services/criticalInCallback.test.ts'],
    checkerScenario: 'scripts/mutants/scenarios/blockingCallback.ts',
  },
  {
    id: 'blocked-callback-restarts-while-owned', file: 'src/vmm/processing.ts',
    search: '  if (owner !== null && owner !== vm) {\n    vm.blockedOnCritical = true;',
    replace: '  if (false && owner !== null && owner !== vm) {\n    vm.blockedOnCritical = true;',
    spec: '§5 Begin_Critical_Section blocks another VM that asks for it: a blocked callback runs again only once the section is free or its VM\'s', invariant: false,
    quotedIn: ['test/vmm/services/criticalInCallback.test.ts'],
    checkerScenario: 'scripts/mutants/scenarios/blockingCallback.ts',
  },
  // --- the machine's own control messages, shared IRQs, traps, handles (SPEC §1, §3, §6, §7) ---
  {
    id: 'control-critical-init-interrupts-enabled', file: 'src/vmm/control.ts',
    search: "new Set(['Sys_Critical_Init', 'VM_Critical_Init'])", replace: 'new Set([])',
    spec: '§5b (DDK) Sys_Critical_Init and VM_Critical_Init run with interrupts disabled', invariant: false,
    quotedIn: ['test/vmm/control.test.ts'],
  },
  {
    id: 'shutdown-keeps-vms-alive', file: 'src/vmm/services/vmControl.ts',
    search: '  for (const vm of vmm.vms.filter((v) => v.alive && !v.isSystemVm)) destroyVm(vmm, vm.id);\n', replace: '',
    spec: '§5b (DDK) Sys_VM_Terminate is sent only after all other virtual machines have terminated', invariant: false,
    quotedIn: ['test/vmm/control.test.ts'],
  },
  {
    id: 'control-message-no-processing-point', file: 'src/vmm/control.ts',
    search: "  if (vmm.ctx === 'vm') vmm.returnToRing3();\n", replace: '',
    spec: '§3 global events run before returning to any VM: also those a control message the machine sent itself scheduled', invariant: true,
    quotedIn: ['test/vmm/controlProcessing.test.ts'],
    checkerScenario: 'scripts/mutants/scenarios/controlEvents.ts',
  },
  {
    id: 'physical-mask-ignored', file: 'src/vmm/services/vpicd.ts',
    search: '  vmm.pic.setMasked(irq, masked);\n', replace: '',
    spec: '§6 the PIC\'s mask (IMR): VPICD_Physically_Mask "masks the specified IRQ on the hardware PIC"', invariant: false,
    quotedIn: ['test/vmm/services/physicalMask.test.ts'],
    checkerScenario: 'scripts/mutants/scenarios/physicalMask.ts',
  },
  {
    id: 'pic-presents-masked', file: 'src/vmm/pic.ts',
    search: 'return highestIrq(this.irr & ~this.imr & ~this.isr & ~(1 << CASCADE_IRQ));', replace: 'return highestIrq(this.irr & ~this.isr & ~(1 << CASCADE_IRQ));',
    spec: '§6 the PIC presents no request of a masked line', invariant: false,
    quotedIn: ['test/vmm/services/physicalMask.test.ts', 'test/vmm/pic.test.ts'],
    checkerScenario: 'scripts/mutants/scenarios/physicalMask.ts',
  },
  {
    id: 'physically-unmask-masks', file: 'src/vmm/services/vpicd.ts',
    search: "  setPhysicalMask(vmm, device, 'VPICD_Physically_Unmask', false);", replace: "  setPhysicalMask(vmm, device, 'VPICD_Physically_Unmask', true);",
    spec: '§6 VPICD_Physically_Unmask "unmasks the physical IRQ"', invariant: false,
    quotedIn: ['test/vmm/services/physicalMask.test.ts'],
  },
  {
    id: 'shared-irq-sharer-interrupts-kept', file: 'src/vmm/services/vpicd.ts',
    search: '    if (i > 0) vmm.interruptsEnabled = false;\n', replace: '',
    spec: '§6 Hw_Int_Proc runs with interrupts disabled: each sharer\'s, also after one before it enabled them and declined', invariant: false,
    quotedIn: ['test/vmm/services/hwIntEntry.test.ts'],
  },
  {
    id: 'bad-trap-no-return', file: 'src/vmm/executeOp.ts',
    search: "client trapped into unknown entry ${op.device}.${op.entry}`, '', 0);\n    rec.trapReturn(m);\n    returnToRing3(m);\n",
    replace: "client trapped into unknown entry ${op.device}.${op.entry}`, '', 0);\n",
    spec: '§1/§7 a trap into no entry is a device bug: the trap returns to the VM through an event-processing point', invariant: false,
    quotedIn: ['test/vmm/badTrap.test.ts'],
  },
  {
    id: 'handle-generation-wraps', file: 'src/vmm/eventTable.ts',
    search: "if (this.mode === 'checked' && node.generation === LAST_GENERATION) {", replace: "if (this.mode === 'checked' && node.generation === LAST_GENERATION && false) {",
    spec: '§3 (model choice) a stale cancel is always detected: a handle saved across 32,767 reuses of its node too', invariant: false,
    quotedIn: ['test/vmm/eventTable.test.ts'],
  },
  {
    id: 'dispatch-stamped-inline', file: 'src/vmm/dispatch.ts',
    search: 'vmm, kind, handle, name, nameWord, refData, targetVm, handle === 0, timedOut, regs,', replace: 'vmm, kind, handle, name, nameWord, refData, targetVm, true, timedOut, regs,',
    spec: '§7 only callbacks a Call_XX_Event runs inline are exempt, derived from the records, not from a stamp the model writes', invariant: true,
    quotedIn: ['test/vmm/services/globalEvents.test.ts'],
  },
  {
    id: 'simulated-interrupt-vif-kept', file: 'src/vmm/services/virtualPic.ts',
    search: '  setVif(vm, false);\n  rec.virtInt(vmm, irq, vm.id);', replace: '  vm.client.setInterruptFlag(false);\n  rec.virtInt(vmm, irq, vm.id);',
    spec: '§4/§7 a priority event runs only when its restrictions hold: PEF_Wait_For_STI waits while a simulated interrupt has the VM\'s interrupts disabled', invariant: true,
    quotedIn: ['test/vmm/services/virtualPic.test.ts'],
  },
  // --- trace format 10 ---
  {
    id: 'global-event-in-sleeping-vm', file: 'src/vmm/processing.ts',
    search: '      if (mayTaskSwitch) schedule(vmm, beginPass);\n      if (vmm.current === here) break;\n      continue;\n', replace: '',
    spec: '§3/§7 a callback that blocked keeps its VM asleep in ring 0: no global event runs there (a second blocking one took the first one\'s place, dispatched and never completed)', invariant: true,
    quotedIn: ['test/vmm/services/criticalInCallback.test.ts'],
    checkerScenario: 'scripts/mutants/scenarios/twoBlockingGlobals.ts',
  },
  {
    id: 'virt-boost-ends-with-request-waiting', file: 'src/vmm/services/virtualPic.ts',
    search: 'if (vm.virtBoosted && !vm.simulatingHwInt && (vm.virtRequests & ~vm.virtMask) === 0)', replace: 'if (vm.virtBoosted && !vm.simulatingHwInt)',
    spec: '§6 a request into a VM that is not current boosts it "so that the scheduler runs it soon": the boost lasts while a request waits to be simulated', invariant: false,
    quotedIn: ['test/vmm/services/vpicd.test.ts'],
  },
  {
    id: 'hardware-not-fair', file: 'src/vmm/cpu.ts',
    search: '    if (raised === 0 && inRing0 && ++m.ring0PointsWithoutIrq >= FAIR_IRQ_POINTS) raised = eligible;\n', replace: '',
    spec: '(model choice) the hardware is fair: a long ring-0 stretch with no IRQ gets one from every source (a legal poll loop ends)', invariant: false,
    quotedIn: ['test/vmm/fairIrq.test.ts'],
  },
  {
    id: 'nested-exec-in-critical-init-unreported', file: 'src/vmm/services/vmControl.ts',
    search: "  if (message !== null && NO_NESTED_EXEC.has(message)) {", replace: "  if (message !== null && NO_NESTED_EXEC.has(message) && false) {",
    spec: '§5b Sys_Critical_Init, VM_Critical_Init: "the Simulate_Int and Exec_Int services must not be used" (a device bug)', invariant: false,
    quotedIn: ['test/vmm/controlNestedExec.test.ts'],
  },
  // --- trace format 11 ---
  {
    id: 'adjust-removes-held-boost', file: 'src/vmm/services/vmControl.ts',
    search: 'const ownBoosted = boosted - vm.heldBoost;', replace: 'const ownBoosted = boosted;',
    spec: '§7 a boost out of range is a device bug: Adjust_Exec_Priority may not take away a boost the VMM holds (the owner\'s Critical_Section_Boost, a pending priority event\'s), model choice', invariant: false,
    quotedIn: ['test/vmm/services/priority.test.ts'],
  },
  {
    id: 'dont-unboost-held-in-callback', file: 'src/vmm/services/priority.ts',
    search: '  else if ((flags & PEF.Dont_Unboost) !== 0) handBoostToDevice(vmm, vm, boost);\n', replace: '',
    spec: '§4 PEF_Dont_Unboost: the boost is not removed when the callback returns; the callback may remove it itself (Adjust_Exec_Priority)', invariant: false,
    quotedIn: ['test/vmm/services/priority.test.ts'],
  },
  {
    id: 'trap-restart-unwarned', file: 'src/vmm/checker/trapRestartRule.ts',
    search: '    if (before <= 0) return;\n', replace: '    return;\n',
    spec: '(model choice) a trap handler that blocks is re-executed: calls it made before the block are made again, with a warning (restartRepeatsCalls)', invariant: false,
    quotedIn: ['test/vmm/services/critical.test.ts'],
  },
];
