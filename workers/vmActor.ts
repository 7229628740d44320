// Worker entry of the vm actor (src/actors/threads/vmActor.ts).
import { startVmActor } from '../src/actors/threads/vmActor.js';

startVmActor();
