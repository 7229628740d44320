// Bounded multi-producer / single-consumer queue of fixed-size Int32 messages in one
// SharedArrayBuffer, for VM and interrupt-controller workers feeding the VMM actor.
//
// Shared memory layout (Int32 word indices; 16 words = one 64-byte cache line):
//
//   line 0  [0] MAGIC 'MPSQ'+version  [1] CAPACITY (power of 2)  [2] WORDS_PER_MESSAGE (W)
//           [3] CLOSED                                   written at creation/close, else read-only
//   line 1  [16] TAIL: next ticket                       CAS by every producer (the only
//                                                        word producers fight over)
//   line 2  [32] HEAD: next ticket to pop                consumer-only writes
//           [34..35] POPPED (float64)                    consumer-only writes
//   line 3  [48] NOT_EMPTY_WAITERS [49] NOT_EMPTY_EPOCH  consumer parks here (woken by a push,
//           [50] CONSUMER_PARKS                          close or ConsumerWaker); producers
//                                                        read [48] per push
//   line 4  [64] NOT_FULL_WAITERS  [65] NOT_FULL_EPOCH   producers park here;
//           [66] PRODUCER_PARKS                          consumer reads [64] per pop
//   [80]    slot 0:  | seq | w0 | w1 | ... | w(W-1) |   1 + W words per slot
//   [81+W]  slot 1:  | seq | w0 | ...               |
//           ...      slot CAPACITY-1
//
// Why the header is spread over cache lines: the words written by producers (TAIL),
// by the consumer (HEAD), and by parking threads would otherwise share a line, and
// every write would invalidate the line in the other cores' caches ("false sharing").
// Slots are not padded: adjacent slots written by different producers do share
// lines, but padding every slot to 64 bytes would multiply memory for small messages.
//
// Algorithm (Dmitry Vyukov's bounded MPMC queue, single-consumer variant). Tickets
// are Int32 counters that wrap; ticket t uses slot t & (CAPACITY-1). A slot's seq
// word says whose turn it is:
//   seq == t      slot is free for the producer holding ticket t
//   seq == t + 1  the message of ticket t is published, the consumer may take it
//   seq == t + C  consumed; free for ticket t + C, one lap later
// Producer: read TAIL = t; if slot seq == t, claim t with compareExchange(TAIL, t, t+1),
//   write the payload with plain stores, then publish with Atomics.store(seq, t+1).
//   If seq < t the slot still holds last lap's message: the queue is full.
// Consumer: if slot seq of HEAD == HEAD + 1, copy the payload out, then release the
//   slot with Atomics.store(seq, HEAD + C) and advance HEAD. No CAS: one consumer.
//   Producers read HEAD only for the queue's size (never to claim a slot), so drainInPlace
//   publishes it once per batch of messages rather than once per message.
// The seq store/load pair is the only synchronisation a message needs: Atomics are
// sequentially consistent, so the plain payload writes before the store are visible
// after the load that sees it. Per-producer FIFO holds because a producer's later
// message gets a later ticket and the consumer takes tickets strictly in order.
// (A producer stalled between claim and publish holds up the messages behind it;
// that is inherent to this design and fine for threads that never block mid-push.)
//
// Blocking: both sides spin a few (bounded) attempts and then park with Atomics.wait
// on an "event count" (wake.ts). A waiter increments the condition's WAITERS word
// *before* its final re-check; the other side reads WAITERS after each operation
// and only then pays for Atomics.notify. That ordering is what rules out lost
// wake-ups (argument in wake.ts). The consumer wakes parked producers once the queue
// is at most half full, so they resume with room for a batch instead of one
// message each.
//
// Close: sets CLOSED and wakes everyone. push/tryPush then return false; the
// consumer still receives what was published, and pop returns false instead of
// parking once nothing is ready (a push racing with close may still land; its
// push() returned true, so drain after close if you need every such message).

export {
  createQueueBuffer,
  readQueueCounters,
  DEFAULT_SPIN_ITERATIONS,
  MAX_BUFFER_BYTES,
  MAX_CAPACITY_MESSAGES,
  MAX_WORDS_PER_MESSAGE,
  type QueueCounters,
  type QueueOptions,
  type WaitOptions,
} from './layout.js';
export { QueueProducer } from './producer.js';
export { QueueConsumer, type MessageReader, type QueueStats } from './consumer.js';
export { ConsumerWaker } from './waker.js';

import { attachQueue, closeQueue } from './layout.js';

/** Closes a queue from a thread that holds neither a producer nor the consumer (e.g. an orchestrator). */
export function closeQueueBuffer(sab: SharedArrayBuffer): void {
  closeQueue(attachQueue(sab));
}
