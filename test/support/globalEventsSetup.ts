// The small machine the global-event tests share.
import { ackIrq, bump, testDevice, type TestProc } from './devices.js';
import { machine, type ChoiceScript } from './machine.js';

/** One device "dev" on IRQ 5 whose callbacks a, b, c count their runs; `procs` add or override. */
export const DEV_IRQ = 5;

export function globalEventsSetup(procs: Record<string, TestProc>, config: Parameters<typeof machine>[0]['config'] = {}, choices: ChoiceScript = {}) {
  const dev = testDevice('dev', {
    hwInt: (r) => ackIrq(r, DEV_IRQ),
    a: (r) => bump(r, 'a'),
    b: (r) => bump(r, 'b'),
    c: (r) => bump(r, 'c'),
    ...procs,
  }, { irq: DEV_IRQ });
  const m = machine({ devices: [dev], config, choices });
  return { m, state: m.state<Record<string, number>>('dev'), irq: m.source('dev', DEV_IRQ) };
}
