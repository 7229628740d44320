// postMessageRtt.ts peer: sends every message straight back.
import { parentPort } from 'node:worker_threads';

const port = parentPort!;
port.on('message', (value: unknown) => port.postMessage(value));
