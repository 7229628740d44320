// Worker entry of the vmm actor (src/actors/threads/vmmActor.ts).
import { startVmmActor } from '../src/actors/threads/vmmActor.js';

startVmmActor();
