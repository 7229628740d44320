// Runs the four transport measurements with small defaults and prints one table:
//   npm run build && node dist/bench/transport/main.js      (or: npx tsx bench/transport/main.ts)
import { availableParallelism } from 'node:os';
import type { LatencySummaryUs } from './latency.js';
import { measureComlinkRtt } from './comlinkRtt.js';
import { measurePostMessageRtt } from './postMessageRtt.js';
import { RAW_QUEUE_DEFAULTS, measureRawQueue, type RawQueueOptions } from './rawQueue.js';
import { measureWakeRtt } from './wakeRtt.js';

interface Row {
  transport: string;
  config: string;
  throughput: string;
  p50Us: string;
  p99Us: string;
  p999Us: string;
  maxUs: string;
  notes: string;
}

const RAW_QUEUE_RUNS: Partial<RawQueueOptions>[] = [
  { producers: 1, messagesPerProducer: 1_000_000 },
  { producers: 2, messagesPerProducer: 500_000 },
  { producers: 4, messagesPerProducer: 250_000 },
  { producers: 4, messagesPerProducer: 250_000, capacityMessages: 64 },
];
const RTT_ROUND_TRIPS = 20_000;

const perSec = (n: number, unit: string): string => `${n.toLocaleString('en-US')} ${unit}/s`;
const latencyColumns = (l: LatencySummaryUs): Pick<Row, 'p50Us' | 'p99Us' | 'p999Us' | 'maxUs'> => ({
  p50Us: l.p50Us.toFixed(1),
  p99Us: l.p99Us.toFixed(1),
  p999Us: l.p999Us.toFixed(1),
  maxUs: l.maxUs.toFixed(0),
});
const NO_LATENCY = { p50Us: '-', p99Us: '-', p999Us: '-', maxUs: '-' };

async function collectRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const overrides of RAW_QUEUE_RUNS) {
    const options = { ...RAW_QUEUE_DEFAULTS, ...overrides };
    const r = await measureRawQueue(options);
    rows.push({
      transport: 'SAB MPSC queue',
      config: `${options.producers}P->1C, cap ${options.capacityMessages}, ${options.wordsPerMessage} words, ${r.messages.toLocaleString('en-US')} msgs`,
      throughput: perSec(r.msgsPerSec, 'msg'),
      ...NO_LATENCY,
      notes: `${r.elapsedMs.toFixed(0)} ms, parks P ${r.producerParks} / C ${r.consumerParks}`,
    });
  }
  const wake = await measureWakeRtt({ roundTrips: RTT_ROUND_TRIPS });
  rows.push({
    transport: 'Atomics wait/notify',
    config: `ping-pong, ${wake.roundTrips.toLocaleString('en-US')} round trips`,
    throughput: perSec(wake.roundTripsPerSec, 'rt'),
    ...latencyColumns(wake.rttUs),
    notes: 'always parks',
  });
  const post = await measurePostMessageRtt({ roundTrips: RTT_ROUND_TRIPS });
  rows.push({
    transport: 'worker postMessage',
    config: `ping-pong, ${post.roundTrips.toLocaleString('en-US')} round trips`,
    throughput: perSec(post.roundTripsPerSec, 'rt'),
    ...latencyColumns(post.rttUs),
    notes: 'one number per message',
  });
  const comlink = await measureComlinkRtt({ roundTrips: RTT_ROUND_TRIPS });
  rows.push({
    transport: 'Comlink call',
    config: `await echo(n), ${comlink.roundTrips.toLocaleString('en-US')} calls`,
    throughput: perSec(comlink.roundTripsPerSec, 'rt'),
    ...latencyColumns(comlink.rttUs),
    notes: 'node-adapter over worker',
  });
  return rows;
}

function printTable(rows: Row[]): void {
  const headers: Record<keyof Row, string> = {
    transport: 'transport',
    config: 'config',
    throughput: 'throughput',
    p50Us: 'p50 us',
    p99Us: 'p99 us',
    p999Us: 'p99.9 us',
    maxUs: 'max us',
    notes: 'notes',
  };
  const keys = Object.keys(headers) as (keyof Row)[];
  const numeric = new Set<keyof Row>(['throughput', 'p50Us', 'p99Us', 'p999Us', 'maxUs']);
  const widths = keys.map((k) => Math.max(headers[k].length, ...rows.map((r) => r[k].length)));
  const line = (cells: Record<keyof Row, string>): string =>
    keys.map((k, i) => (numeric.has(k) ? cells[k].padStart(widths[i]!) : cells[k].padEnd(widths[i]!))).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

console.log(`vmmsim transport bench - node ${process.version}, ${availableParallelism()} cores\n`);
printTable(await collectRows());
