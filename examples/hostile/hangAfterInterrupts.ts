/**
 * Hostile driver 14 (a wait that never ends, under one interleaving): `poke` lets the VM run
 * (nested execution) and counts the card's interrupts meanwhile; after two or more it waits for a
 * flag that the interrupts' handler already cleared, in a loop that calls no service. A run with
 * fewer interrupts inside one `poke` returns at once. So the hang is found only by exploring, and
 * only the wall-clock watchdog can end it: exit 3, naming `poke` (the procedure that loops), not
 * `hwInt` (the last one to run inside it), on one thread and on `--workers N` pool threads alike.
 */
import { hostileScenario, IRQ } from './common.js';

export interface Waiting { inPoke: boolean; interruptsInPoke: number; spins: number }

export default hostileScenario<Waiting>('hang-after-interrupts', () => ({ inPoke: false, interruptsInPoke: 0, spins: 0 }), {
  hwInt(r) {
    r.takeHardwareRequest(IRQ);
    r.physEoi(r.irqHandle(IRQ));
    if (r.state.inPoke) r.state.interruptsInPoke++;
  },
  poke(r) {
    r.state.inPoke = true;
    r.state.interruptsInPoke = 0;
    r.execNested();
    r.state.inPoke = false;
    // BUG: waits for a second card interrupt to be acknowledged; the handler already ran.
    while (r.state.interruptsInPoke >= 2) r.state.spins++;
  },
});
