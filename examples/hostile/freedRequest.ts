/**
 * Hostile driver 13 (a request freed under the driver's feet): `poke` starts a transfer, keeps
 * its request in the device state and lets the VM run (nested execution, as a driver waiting for
 * its card does) before it reads the request back. If the card's interrupt for the request's last
 * block lands while the request is out (three interrupts inside one `poke`), its handler
 * schedules the completion, which frees the request; nested
 * execution is an event-processing point, so the completion runs inside it, and `poke` then
 * reads `bytes` of null: a TypeError, under that interleaving only (a run with fewer interrupts
 * inside one `poke` never throws). `explore` reports it as `deviceThrew`, shrunk, with its trace.
 * The fixed twin (`fixed/freedRequest.ts`) reads what it needs before it lets the VM run.
 */
import { hostileScenario, IRQ } from './common.js';

interface Request { bytes: number }
export interface Transfer { request: Request | null; blocks: number; completed: number; bytes: number }

/** The card interrupts once per block; a request is this many blocks. */
const BLOCKS_PER_REQUEST = 3;

export function freedRequest(fixed: boolean): ReturnType<typeof hostileScenario> {
  return hostileScenario<Transfer>(fixed ? 'freed-request (fixed)' : 'freed-request', () => ({ request: null, blocks: 0, completed: 0, bytes: 0 }), {
    hwInt(r) {
      r.takeHardwareRequest(IRQ);
      r.physEoi(r.irqHandle(IRQ));
      if (r.state.request !== null && ++r.state.blocks === BLOCKS_PER_REQUEST) r.scheduleGlobalEvent('complete', 0);
    },
    complete(r) {
      r.state.request = null;                      // the request goes back to the pool
      r.state.completed++;
    },
    poke(r) {
      r.state.request = { bytes: 512 * BLOCKS_PER_REQUEST };
      r.state.blocks = 0;
      if (fixed) {
        const bytes = r.state.request.bytes;       // read before the VM runs: the completion may free it
        r.execNested();
        r.state.bytes += bytes;
      } else {
        r.execNested();
        r.state.bytes += r.state.request!.bytes;   // BUG: the completion may have run inside execNested
      }
      r.state.request = null;
    },
  });
}

export default freedRequest(false);
