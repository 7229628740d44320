/** The fixed twin of hostile driver 13 (`../freedRequest.ts`): it reads the request before it lets the VM run. */
import { freedRequest } from '../freedRequest.js';

export default freedRequest(true);
