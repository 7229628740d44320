/**
 * Hostile driver 5 (state kept on the object the tool hands it): the driver counts its calls on
 * `r`, the Ring0 context, and fails its own check at the second. The context lives as long as the
 * machine, which a campaign reuses for every execution: the count ran on across executions, so
 * `run` showed the failure and `explore` (whose first execution is not the machine's first run)
 * never did. Adding a property to the context now throws at once, exit 1.
 */
import type { Ring0 } from '../../src/index.js';
import { hostileScenario } from './common.js';

type Counted = Ring0<object> & { pokes?: number };

export default hostileScenario('context-counter', () => ({}), {
  poke(r) {
    const counted = r as Counted;
    counted.pokes = (counted.pokes ?? 0) + 1;
    if (counted.pokes === 2) r.fail('secondPoke', 'the second poke of this run');
  },
});
