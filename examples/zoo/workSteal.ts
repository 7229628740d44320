/**
 * Zoo bug 11: the CHESS work-stealing queue (repository mc-imperial/sctbench, path
 * benchmarks/chess/WorkStealQueue.cpp; the same queue in sosy-lab/sv-benchmarks,
 * c/pthread-ext and c/pthread-wmm "wsq" tasks), after the Cilk THE protocol.
 *
 * The owner (a VM, trapping into `push` and `pop`) works at the tail; a thief steals at the head.
 * Here the thief is the DMA engine's completion interrupt, which takes the oldest item from its
 * handler. The owner's pop must publish the decremented tail *before* it reads the head (a thief
 * that comes after sees the shorter queue; one that came before has moved the head). The buggy
 * pop reads the head first: a steal between that read and the tail update takes the last item,
 * and the owner, trusting the stale head, takes it too.
 *
 * The fixed twin follows the protocol: tail first, then head, and backs off when they crossed.
 */
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { defineDevice, type Ring0 } from '../../src/vmm/device.js';
import { BACKGROUND, ZOO_MIX } from './mix.js';

const STEAL_IRQ = 11;

export interface QueueState {
  head: number;
  tail: number;
  /** Slot index → item id. */
  items: Record<number, number>;
  nextItem: number;
  /** Item ids taken (by the owner or the thief). */
  taken: Record<number, true>;
}

function take(r: Ring0<QueueState>, index: number, who: string): void {
  const item = r.state.items[index]!;
  if (r.state.taken[item]) r.fail('duplicateTake', `item ${item} taken twice (the second time by the ${who})`);
  r.state.taken[item] = true;
}

export function workStealDevice(fixed: boolean) {
  return defineDevice<QueueState>({
    name: 'wsq',
    state: () => ({ head: 0, tail: 0, items: {}, nextItem: 1, taken: {} }),
    irqs: [{ irq: STEAL_IRQ, hwIntProc: 'steal', meanIntervalTicks: 300 }],
    entries: ['push', 'pop', 'poll'],
    procs: {
      steal(r) {
        r.takeHardwareRequest(STEAL_IRQ);
        r.physEoi(r.irqHandle(STEAL_IRQ));
        const h = r.state.head;
        if (h < r.state.tail) {
          r.state.head = h + 1;
          take(r, h, 'thief');
        }
      },
      push(r) {
        r.state.items[r.state.tail] = r.state.nextItem++;
        r.currentVm();
        r.state.tail++;
      },
      pop(r) {
        let head = r.state.head;
        if (fixed) {
          r.state.tail--;
          r.currentVm();
          head = r.state.head;
        } else {
          r.currentVm();
          r.state.tail--;
        }
        const t = r.state.tail;
        if (head <= t) take(r, t, 'owner');
        else r.state.tail = t + 1;
      },
      poll(r) {
        r.currentVm();
        r.sysVm();
      },
    },
  });
}

export function workStealScenario(fixed: boolean): Scenario {
  return defineScenario({
    name: fixed ? 'work-steal-queue (fixed)' : 'work-steal-queue',
    description: "a steal from the interrupt handler between the owner's read of the head and its tail update takes the last item twice",
    vms: 1,
    devices: [workStealDevice(fixed), ...BACKGROUND],
    mix: ZOO_MIX,
    steps: 40,
  });
}
