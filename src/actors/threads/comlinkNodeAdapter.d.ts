// comlink ships its Node adapter as dist/esm/node-adapter.mjs with a sibling .d.ts that
// TypeScript (NodeNext) does not pair with an .mjs file, so declare it here, once for the
// whole project (bench/transport uses it too). Types follow comlink's node-adapter.d.ts.
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
