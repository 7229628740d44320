// comlinkRtt.ts peer: exposes an echo method over Comlink's Node adapter.
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { EchoApi } from '../comlinkApi.js';

const api: EchoApi = {
  echo(value: number): number {
    return value;
  },
};
Comlink.expose(api, nodeEndpoint(parentPort!));
