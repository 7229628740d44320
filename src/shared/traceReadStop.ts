/**
 * A stop signal during a long trace read. A trace of hundreds of MB is read in passes of half a
 * minute (each line validated), and a stop signal meanwhile was only noted: an outside audit's
 * replay, trace and shrink went on 15-35 s after Ctrl-C. The command line points the question
 * at its stop flag; a library's reads never stop. Apart from traceFile.ts so that the command
 * line can name the error without loading the trace reader.
 */
let stopReading: () => boolean = () => false;

export function stopTraceReadsWhen(stop: () => boolean): void {
  stopReading = stop;
}

/** Asked at every line a stoppable read takes (traceFile.ts). */
export function traceReadsStopped(): boolean {
  return stopReading();
}

/** A read ended by the stop: nothing past it was done. */
export class TraceReadStopped extends Error {
  override readonly name = 'TraceReadStopped';
  constructor(readonly path: string) {
    super(`stopped while reading the trace ${path}: nothing past the read was done`);
  }
}
