// Worker entry of the pic actor (src/actors/threads/picActor.ts).
import { startPicActor } from '../src/actors/threads/picActor.js';

startPicActor();
