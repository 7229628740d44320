/**
 * Hostile driver 11 (a service that calls itself): the device's exported service `Walk` calls
 * `Walk` through the service table without a base case. The JavaScript stack overflows before the
 * 100,000-call runaway bound: the procedure's error, exit 1, naming the device.
 */
import { hostileScenario } from './common.js';

export default hostileScenario('recursive-service', () => ({ depth: 0 }), {
  Walk(r) {
    r.state.depth++;
    r.vxdCall('d', 'Walk');
  },
  poke(r) {
    r.vxdCall('d', 'Walk');
  },
}, { exports: { services: ['Walk'] } });
