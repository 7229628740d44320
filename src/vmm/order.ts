/**
 * The order of pending events: with more than one ready, which runs next is the strategy's
 * choice. Below both of its users: the processing pass (global and VM events) and the priority
 * event service.
 */
import type { Machine } from './machine.js';

/**
 * The next of a queue's pending events. "There is no guarantee on the order in which events are
 * processed": with more than one it is a choice (FIFO outside exploration).
 */
export function pickIndex(vmm: Machine, pending: number): number {
  if (pending <= 1) return 0;
  const index = vmm.choices.nextGlobalEvent(pending);
  return index >= 0 && index < pending ? index : 0;
}
