// Shared words of the wakeRtt ping-pong. Round r: main stores PING=r and notifies,
// the pong thread wakes, stores PONG=r and notifies, main wakes. Each word has a
// single writer, and a waiter parks on "still the previous round" so a reply that
// arrives before Atomics.wait is not missed (wait returns "not-equal").
export const PING = 0;
export const PONG = 1;
export const WORDS = 2;
/** PING value that tells the pong thread to exit. */
export const STOP = -1;
