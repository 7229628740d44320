/**
 * Thrown by a blocking service (Begin_Critical_Section on a section another VM owns) to unwind
 * the trap handler that called it. The VM is marked blocked and re-executes the trapping
 * instruction when it runs again, like a restartable fault: the model's way of suspending a
 * VM's ring-0 thread without a second stack. Devices therefore call blocking services first.
 */
export class VmBlocked {
  readonly name = 'VmBlocked';
  constructor(readonly vmId: number) {}
}
