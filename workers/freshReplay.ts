// Worker entry of a found trace's replay on a fresh evaluation of its scenario (src/explore/freshReplay.ts).
import { freshReplayTask } from '../src/explore/freshReplay.js';

await freshReplayTask();
