// The one-method API the Comlink bench calls across the thread boundary.
export interface EchoApi {
  echo(value: number): number;
}
