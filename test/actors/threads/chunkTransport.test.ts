// The decision log's way from the VMM actor to the trace: choices recorded run-length encoded as
// they come (ChoiceRuns), drained at chunk boundaries, moved to the main thread (transferred, not
// copied) and joined again by the TraceCollector, in memory and in a streamed file, give exactly
// the triples one ChoiceLog of the whole run serializes to, runs split by a boundary included;
// and the buffers on the VMM's side stay bounded however long the run. The checkpoints travel as
// one string (PostedChunk) and arrive as the list they were.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ChoiceRuns, RecordingChoices, type ChoiceSink, RUN_REPEAT_MAX, joinRuns, type FlatChoiceRuns } from '../../../src/actors/sim/choiceLog.js';
import type { TraceChunk } from '../../../src/actors/threads/protocol.js';
import { StepStartLog } from '../../../src/actors/threads/stepTimes.js';
import { TraceCollector } from '../../../src/actors/threads/traceCollector.js';
import { chunkTransfers, postedChunk, receivedChunk, type PostedChunk } from '../../../src/actors/traceChunk.js';
import { readTraceFile } from '../../../src/shared/traceFile.js';
import type { ChoiceSource } from '../../../src/vmm/choices.js';
import { emptyCounts } from '../../../src/vmm/counters.js';

/** One answer the core gets: which question, and what the (scripted) source says. */
type Answer = { kind: 'irq' | 'order' | 'latitude' | 'idle'; value: number };

const answerArb: fc.Arbitrary<Answer> = fc.oneof(
  // Mostly "no IRQ", as in a real run: long runs that chunk boundaries cut.
  { weight: 6, arbitrary: fc.constant({ kind: 'irq' as const, value: 0 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x7fffffff }).map((value) => ({ kind: 'irq' as const, value })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }).map((value) => ({ kind: 'order' as const, value })) },
  { weight: 1, arbitrary: fc.boolean().map((b) => ({ kind: 'latitude' as const, value: b ? 1 : 0 })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'idle' as const, value: 1 }) },
);

/** Records `answers` through a RecordingChoices into `log` (the source answers what the script says). */
function record(recording: RecordingChoices<ChoiceSink>, source: { next?: Answer }, answer: Answer): void {
  source.next = answer;
  const point = { ticks: 0, inRing0: false, eligibleSources: 0xffffffff };
  if (answer.kind === 'irq') recording.irqArrivals(point);
  else if (answer.kind === 'order') recording.nextGlobalEvent(8);
  else if (answer.kind === 'latitude') recording.callNow();
  else recording.clientStillRunning(1);
}

function scriptedSource(source: { next?: Answer }): ChoiceSource {
  return {
    irqArrivals: () => source.next!.value,
    nextGlobalEvent: () => source.next!.value,
    callNow: () => source.next!.value === 1,
    clientStillRunning: () => true,
  };
}

function chunk(steps: number, choiceRuns: FlatChoiceRuns, stepTimesUs: Float64Array = new Float64Array(0), checkpoints: string[] = []): TraceChunk {
  return {
    steps, records: steps, traceHash: steps.toString(16).padStart(16, '0'), checkpoints, choiceRuns, stepTimesUs, violations: [], warnings: [],
    counts: emptyCounts(), ticks: steps, invariantsOk: true, vmmBugs: 0, deviceBugs: 0, firstViolation: null,
    pendingEvents: 0, elapsedUs: steps, lifecycleAtStep: null, final: false,
  };
}

/** Across a real MessageChannel as the VMM actor posts a chunk (its buffers transferred) and the orchestrator receives it. */
function throughPort(sent: TraceChunk): TraceChunk {
  const { port1, port2 } = new MessageChannel();
  try {
    port1.postMessage(postedChunk(sent), chunkTransfers(sent));
    return receivedChunk(receiveMessageOnPort(port2)!.message as PostedChunk);
  } finally {
    port1.close();
  }
}

const meta = { scenario: () => ({ kind: 'builtin' as const, name: 'default', vms: 2, steps: 2 }), seed: 1, config: { handleMode: 'checked' as const, latitude: false } };
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('choices streamed in chunks', () => {
  it('property: chunks drained anywhere, moved across threads and joined give the triples of one ChoiceLog of the whole run', () => {
    let file = 0;
    fc.assert(fc.property(fc.array(answerArb, { maxLength: 400 }), fc.array(fc.nat(400), { maxLength: 12 }), (answers, cuts) => {
      const whole = { next: undefined as Answer | undefined };
      const wholeLog = new RecordingChoices(scriptedSource(whole));
      const streamed = { next: undefined as Answer | undefined };
      const runs = new RecordingChoices(scriptedSource(streamed), new ChoiceRuns(2)); // small: it grows mid-chunk
      const path = join(dir, `t${file++}.jsonl`);
      const inMemory = new TraceCollector();
      const toFile = new TraceCollector(undefined, { path, meta });
      const cutAt = new Set(cuts);
      const send = (steps: number): void => {
        const received = throughPort(chunk(steps, runs.log.drainRuns()));
        inMemory.add(received);
        toFile.add(received);
      };
      answers.forEach((answer, i) => {
        if (cutAt.has(i)) send(i);
        record(wholeLog, whole, answer);
        record(runs, streamed, answer);
      });
      send(answers.length);
      const expected = wholeLog.log.serialize();
      expect(inMemory.traceFile(meta)!.choices).toEqual(expected);
      toFile.finishFile();
      expect(readTraceFile(path).choices).toEqual(expected);
    }), { seed: 15, numRuns: 200 });
  });

  it('a run of equal answers that goes on across boundaries is one triple in the trace', () => {
    const source = { next: undefined as Answer | undefined };
    const recording = new RecordingChoices(scriptedSource(source), new ChoiceRuns());
    const collector = new TraceCollector();
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 5; i++) record(recording, source, { kind: 'irq', value: 0 });
      collector.add(throughPort(chunk(c, recording.log.drainRuns())));
    }
    record(recording, source, { kind: 'irq', value: 4 });
    collector.add(throughPort(chunk(3, recording.log.drainRuns())));
    expect(collector.traceFile(meta)!.choices).toEqual([[0, 0, 15], [0, 4, 1]]);
  });

  it('moves the buffers instead of copying them: the VMM side no longer holds what it posted', () => {
    const runs = new ChoiceRuns();
    runs.addCode(0, 0);
    const times = new StepStartLog(10);
    times.note(5);
    const sent = chunk(1, runs.drainRuns(), times.drain());
    const received = throughPort(sent);
    expect(sent.choiceRuns.length).toBe(0); // detached
    expect(sent.stepTimesUs.length).toBe(0);
    expect(Array.from(received.choiceRuns)).toEqual([0, 0, 1]);
    expect(Array.from(received.stepTimesUs)).toEqual([5]);
  });

  it('property: the checkpoints of chunks posted anywhere arrive in the trace as the run made them, none lost, none added', () => {
    const checkpointArb = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((h) => h.toString(16).padStart(16, '0'));
    fc.assert(fc.property(fc.array(fc.array(checkpointArb, { maxLength: 40 }), { maxLength: 8 }), (perChunk) => {
      const collector = new TraceCollector();
      const made: string[] = [];
      perChunk.forEach((checkpoints, i) => {
        made.push(...checkpoints);
        const received = throughPort(chunk(i, new ChoiceRuns().drainRuns(), new Float64Array(0), checkpoints.slice()));
        expect(received.checkpoints).toEqual(checkpoints);
        collector.add(received);
      });
      if (perChunk.length > 0) expect(collector.traceFile(meta)!.expect.checkpoints).toEqual(made);
    }), { seed: 15, numRuns: 200 });
  });

  it('a chunk without checkpoints arrives with none (not one empty checkpoint)', () => {
    expect(throughPort(chunk(1, new ChoiceRuns().drainRuns())).checkpoints).toEqual([]);
    expect(postedChunk(chunk(1, new ChoiceRuns().drainRuns(), new Float64Array(0), ['00000000000000ff'])).checkpoints).toBe('00000000000000ff');
  });

  it('never joins past the longest run a trace file may hold', () => {
    const into = [0, 0, RUN_REPEAT_MAX - 1];
    joinRuns(into, [0, 0, 1, 0, 0, 1, 1, 2, 1]);
    expect(into).toEqual([0, 0, RUN_REPEAT_MAX, 0, 0, 1, 1, 2, 1]);
  });
});

describe('the VMM side stays bounded', () => {
  it('a busy chunk grows the choice buffer for the next one only; a quiet chunk brings it back to its initial size', () => {
    const runs = new ChoiceRuns(64);
    for (let i = 0; i < 10_000; i++) runs.addCode(0, i); // all different: 10,000 runs
    expect(runs.drainRuns().length).toBe(30_000);
    expect(runs.capacityRuns).toBeLessThanOrEqual(12_500);
    runs.addCode(1, 0);
    runs.drainRuns();
    expect(runs.capacityRuns).toBe(64);
    for (let round = 0; round < 1000; round++) {
      for (let i = 0; i < 100; i++) runs.addCode(0, i % 2);
      runs.drainRuns();
      expect(runs.capacityRuns).toBeLessThanOrEqual(128);
    }
  });

  it('step start times: only the first `max` steps are noted, then nothing is held', () => {
    const log = new StepStartLog(1000, 16);
    let noted = 0;
    for (let chunkNo = 0; chunkNo < 50; chunkNo++) {
      for (let i = 0; i < 100; i++) if (log.wanted) log.note(noted++);
      const drained = log.drain();
      if (chunkNo === 0) expect(Array.from(drained.subarray(0, 3))).toEqual([0, 1, 2]);
    }
    expect(noted).toBe(1000);
    expect(log.wanted).toBe(false);
    expect(log.drain().length).toBe(0);
  });
});
