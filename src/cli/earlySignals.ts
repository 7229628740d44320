/**
 * Imported first by the executable (main.ts), before the modules of the commands load: from here
 * on a stop signal is held for the command rather than killing the process (interrupt.ts).
 */
import { holdEarlySignals } from './interrupt.js';

holdEarlySignals();
