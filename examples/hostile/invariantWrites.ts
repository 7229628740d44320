/**
 * Hostile driver 12 (an invariant that writes): the scenario's invariant "repairs" the device
 * state it checks. `view.device(name)` hands the live state, so the write changes the run: the
 * driver's own check (`tooMany`, at the second poke) is never reached. What this shows is kept as
 * a finding in the README (an invariant is trusted not to write), not refused.
 */
import { defineScenario } from '../../src/index.js';
import base from './fanOut.js';
import { hostileScenario } from './common.js';

interface Count { pokes: number }

const device = hostileScenario<Count>('invariant-writes', () => ({ pokes: 0 }), {
  poke(r) {
    r.state.pokes++;
    if (r.state.pokes >= 2) r.fail('tooMany', `${r.state.pokes} pokes`);
  },
}).devices;

export default defineScenario({
  ...base,
  name: 'invariant-writes',
  devices: device,
  invariants: [{
    name: 'writesState',
    check: (view) => {
      view.device<Count>('d').pokes = 0;
      return undefined;
    },
  }],
});
