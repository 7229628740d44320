/**
 * The orchestrator's workers: spawning each actor with its report port and its Comlink proxy,
 * routing what actors report (log lines, faults, the VMM's chunks), noticing the first actor
 * that fails (a fault it reports, an uncaught error, an exit nobody asked for), and ending
 * every worker for sure at the end.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { MainLog } from '../../shared/log.js';
import { CORE_RUNTIME_VERDICTS, CORE_WRAPPED_USER_ERRORS, SCENARIO_CODE_ERROR, scenarioCodeFailureOf } from '../../shared/scenarioCodeFailure.js';
import { actorFaultText, serializeError, type ActorData, type ActorFault, type ActorName, type ActorReport } from './protocol.js';
import { spawnActor, type ActorEntry } from './spawn.js';

/** A control call lost to a failed actor: the run ends with that actor's fault. */
export class ActorFailed extends Error {
  override readonly name = 'ActorFailed';
  constructor(readonly fault: ActorFault) {
    super(`${fault.actor} failed: ${actorFaultText(fault)}`);
  }
}

interface Running {
  name: ActorName;
  worker: Worker;
  port: MessagePort;
  exited: Promise<void>;
}

export class ActorSet {
  private readonly running: Running[] = [];
  private closing = false;
  private live = 0;
  fault: ActorFault | null = null;
  /** Settles with the first fault; never if none. */
  readonly faulted: Promise<ActorFault>;
  private resolveFault!: (fault: ActorFault) => void;

  constructor(private readonly log: MainLog, private readonly onReport: (actor: ActorName, report: ActorReport) => void) {
    this.faulted = new Promise((resolve) => (this.resolveFault = resolve));
  }

  get workers(): number {
    return this.running.length;
  }

  /** Workers whose thread has not exited yet. */
  get workersRunning(): number {
    return this.live;
  }

  /** `afterPost`: called after each control message posted to the actor (the VMM's attention word). */
  spawn<Api>(entry: ActorEntry, name: ActorName, afterPost: (() => void) | null = null): Comlink.Remote<Api> {
    const { port1, port2 } = new MessageChannel();
    const data: ActorData = { actor: name, reportPort: port2, logLevel: this.log.level };
    const worker = spawnActor(entry, data, [port2]);
    this.live++;
    port1.on('message', (report: ActorReport) => this.route(name, report));
    worker.on('error', (error: unknown) => this.raise({ actor: name, error: outOfMemory(error) ?? serializeError(error) }));
    const exited = new Promise<void>((resolve) => {
      worker.once('exit', (code: number) => {
        this.live--;
        if (!this.closing) this.raise({ actor: name, error: { name: 'ActorExited', message: `${name} exited unexpectedly with code ${code}` } });
        resolve();
      });
    });
    this.running.push({ name, worker, port: port1, exited });
    const endpoint = nodeEndpoint(worker);
    if (afterPost === null) return Comlink.wrap<Api>(endpoint);
    return Comlink.wrap<Api>({
      ...endpoint,
      postMessage(message: unknown, transfer?: Parameters<typeof endpoint.postMessage>[1]) {
        endpoint.postMessage(message, transfer);
        afterPost();
      },
    });
  }

  /** The first failure wins; later ones are consequences of it. */
  raise(fault: ActorFault): void {
    if (this.fault !== null || this.closing) return;
    // Logged as it came (with its stack); the run ends on it as classified.
    this.log.logger.error({ failedActor: fault.actor, error: fault.error }, 'actor failed');
    this.fault = scenarioCodeFault(fault) ?? fault;
    this.resolveFault(this.fault);
  }

  /** Ends a stuck actor's thread (terminate interrupts even a busy loop), with `fault` as the run's failure. */
  kill(fault: ActorFault): void {
    this.raise(fault);
    void this.running.find((r) => r.name === fault.actor)?.worker.terminate();
  }

  /**
   * Telling an actor to stop at the end of a run: an error it answers with, no answer within
   * timeoutMs (a thread stuck while stopping), or its thread exiting, is that actor's failure.
   */
  async stopActor(actor: ActorName, call: Promise<unknown>, timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, timeoutMs, 'late')));
    try {
      const answer = await Promise.race([call, late]);
      if (answer === 'late') this.kill({ actor, error: { name: 'ActorHung', message: `${actor} did not stop within ${timeoutMs} ms: its thread is stuck` } });
    } catch (error) {
      this.raise({ actor, error: serializeError(error) });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A control call to `actor`, or ActorFailed if any actor fails first. A call the actor
   * answers with an error is that actor's failure too (a control call never fails otherwise).
   */
  guard<T>(actor: ActorName, call: Promise<T>, timeoutMs?: number): Promise<T> {
    if (timeoutMs !== undefined) {
      // An actor stuck in a control call (a busy loop) never answers: end it after timeoutMs.
      const timer = setTimeout(() => this.kill({ actor, error: { name: 'ActorHung', message: `${actor} did not answer within ${timeoutMs} ms: its thread is stuck` } }), timeoutMs);
      timer.unref();
      void call.finally(() => clearTimeout(timer)).catch(() => undefined);
    }
    const answered = call.catch((error: unknown) => {
      this.raise({ actor, error: serializeError(error) });
      return this.faulted.then((fault) => Promise.reject(new ActorFailed(fault)));
    });
    return Promise.race([answered, this.faulted.then((fault) => Promise.reject(new ActorFailed(fault)))]);
  }

  /** A call for information that may take at most timeoutMs: undefined if it did not answer (in time). */
  async ask<T>(call: Promise<T>, timeoutMs: number): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, timeoutMs, undefined)));
    try {
      return await Promise.race([call, late]);
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Terminates every worker and waits until each thread has exited. What they posted before
   * they ended (the last log lines, the last chunk) is still taken off their ports first.
   */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.running.map(async ({ name, worker, port, exited }) => {
      await worker.terminate();
      await exited;
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) this.route(name, m.message as ActorReport);
      port.close();
    }));
  }

  private route(actor: ActorName, report: ActorReport): void {
    switch (report.t) {
      case 'log':
        this.log.writeLine(report.line);
        return;
      case 'fault':
        this.raise(report.fault);
        return;
      default:
        this.onReport(actor, report);
    }
  }
}

/**
 * An actor's thread loads the scenario module too, so a stray throw of the module's own code (a
 * timer it set at its top level) may end the run from there before the command's thread sees
 * its own: the user's error either way (exit 1, the same line), not an actor that crashed.
 * Errors the core already wraps (device code, invariants) keep their own report.
 */
function scenarioCodeFault(fault: ActorFault): ActorFault | null {
  const { name, message, stack } = fault.error;
  if (stack === undefined || CORE_WRAPPED_USER_ERRORS.has(name) || CORE_RUNTIME_VERDICTS.has(name)) return null;
  const line = scenarioCodeFailureOf(message, stack);
  return line === null ? null : { actor: fault.actor, error: { name: SCENARIO_CODE_ERROR, message: line } };
}

/** V8 ended a worker whose heap reached its limit: said as what it most likely is (Node's own text names no cause). */
function outOfMemory(error: unknown): { name: string; message: string } | null {
  if ((error as { code?: unknown } | null)?.code !== 'ERR_WORKER_OUT_OF_MEMORY') return null;
  return { name: 'OutOfMemory', message: "its thread's JavaScript heap reached its limit (scenario or device code that keeps allocating, such as state or a module-level array that grows every step?)" };
}
