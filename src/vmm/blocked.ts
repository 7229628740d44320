/**
 * Thrown by a blocking service (Begin_Critical_Section on a section another VM owns) to unwind
 * the ring-0 code that called it: a trap handler, whose VM re-executes the trapping instruction
 * when it runs again, like a restartable fault; or a dispatched event's callback, which its VM
 * keeps and runs again from the start when it is current again at a processing point
 * (dispatch.ts, processing.ts). The model's way of suspending a VM's ring-0 thread without a
 * second stack. Devices therefore call blocking services first.
 */
export class VmBlocked {
  readonly name = 'VmBlocked';
  constructor(readonly vmId: number) {}
}
