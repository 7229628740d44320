// comlink ships its Node adapter as dist/esm/node-adapter.mjs with a sibling .d.ts that
// TypeScript (NodeNext) does not pair with an .mjs file, so declare it here (the same
// declaration as bench/transport's; identical ambient declarations merge).
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';

  export interface NodeEndpoint {
    postMessage(message: unknown, transfer?: readonly unknown[]): void;
    on(type: string, listener: (value: unknown) => void): unknown;
    off(type: string, listener: (value: unknown) => void): unknown;
    start?: () => void;
  }

  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
