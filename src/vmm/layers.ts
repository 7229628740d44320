/**
 * The layers of the core, bottom first. A file imports (values or types) only from its own
 * layer or a lower one, and no import circle exists at all; test/vmm/layers.test.ts holds every
 * file of src/vmm to this table, so a new file must be placed here. Outside src/vmm the core
 * imports only src/shared.
 *
 * The services act on the `Machine` interface (machine.ts), never on the `Vmm` class. What an
 * upper layer does for a lower one (taking interrupts, an event-processing point) reaches it as
 * a method of that interface, which the class implements.
 */
export interface Layer {
  readonly name: string;
  readonly holds: string;
  /** Paths relative to src/vmm. */
  readonly files: readonly string[];
}

export const LAYERS: readonly Layer[] = [
  {
    name: 'vocabulary',
    holds: 'constants, configuration, the device API, and the machine state: registers, VMs, the event table, the PIC; the record types',
    files: [
      'layers.ts', 'blocked.ts', 'callbackAddress.ts', 'choices.ts', 'clientOps.ts', 'config.ts', 'constants.ts', 'device.ts',
      'eventTable.ts', 'history.ts', 'recordKinds.ts', 'pic.ts', 'regs.ts', 'dword.ts', 'ring0Watch.ts', 'services.ts', 'vm.ts',
    ],
  },
  {
    name: 'history',
    holds: 'making records, hashing and counting them, and the invariant checker that reads them',
    files: [
      'traceHash.ts', 'checkpoints.ts', 'counters.ts', 'recordRing.ts', 'recordMaking.ts', 'eventRecords.ts', 'interruptRecords.ts',
      'machineRecords.ts', 'records.ts',
      'checker/report.ts', 'checker/restrictions.ts', 'checker/cpuTracker.ts', 'checker/liveEvents.ts', 'checker/vmSet.ts', 'checker/boostRule.ts', 'checker/callNowRule.ts',
      'checker/criticalRule.ts', 'checker/dispatchPlaceRule.ts', 'checker/interruptRule.ts', 'checker/lifecycleRule.ts',
      'checker/priorityOrderRule.ts', 'checker/virtBoostRule.ts', 'checker/virtualPicRule.ts', 'checker/notExecutableRule.ts', 'checker/blockedCallbackRule.ts', 'checker/snapshotRule.ts', 'checker/vmInitRule.ts', 'checker/trapRestartRule.ts',
      'checker/kindReaders.ts', 'checker/checker.ts', 'recordStream.ts',
    ],
  },
  {
    name: 'machine',
    holds: 'the Machine interface, and what every service acts through: a callback called under its contract, a System_Control message, the scheduler, the order of pending events',
    files: ['machine.ts', 'vmSnapshot.ts', 'order.ts', 'dispatch.ts', 'scheduler.ts', 'control.ts'],
  },
  {
    name: 'services',
    holds: 'the VMM and VPICD services (VMMcall), the virtual PIC, VxDcall',
    files: [
      'services/boost.ts', 'services/cancel.ts', 'services/critical.ts', 'services/schedule.ts', 'services/globalEvents.ts',
      'services/vmEvents.ts', 'services/priority.ts', 'services/virtualPic.ts', 'services/vpicd.ts', 'services/vmControl.ts',
      'services/index.ts', 'serviceTable.ts',
    ],
  },
  {
    name: 'processing',
    holds: 'the event-processing point, taking hardware interrupts, the ring-0 context device code calls through, the device runtime',
    files: ['processing.ts', 'cpu.ts', 'ring0.ts', 'deviceRuntime.ts'],
  },
  {
    name: 'step',
    holds: 'the Vmm class: the machine put together, and one client step (what a client op does: executeOp.ts)',
    files: ['executeOp.ts', 'vmm.ts'],
  },
];
