// The VMM actor's op path alone, on one thread: CPU nanoseconds per op that QueueOps spends
// handing the core its ops (ready, then next: the per-VM rings, the batched drain of the queue,
// the credit count, the decode), with no core behind it and no other thread. VM producers push
// a batch of trap ops per VM, interleaved as the queue sees them; the "core" then takes each
// VM's ops in turn, as the current VM's. Producing is not timed. The threaded run adds what one
// thread cannot show: cache lines moving between the producers' cores and the VMM's.
//   npm run build && node dist/bench/threads/opPathCost.js [vms] [rounds]
import { CreditLedger, createCreditBuffer } from '../../src/actors/threads/credits.js';
import { OP_MESSAGE_WORDS, writeOpMessage } from '../../src/actors/threads/opMessage.js';
import { DEFAULT_WINDOW_OPS } from '../../src/actors/threads/orchestrator.js';
import { QueueOps } from '../../src/actors/threads/queueOps.js';
import { QueueProducer, createQueueBuffer } from '../../src/shared/queue/mpscQueue.js';
import { runIfEntry } from '../transport/runDirectly.js';

/** Ops each VM pushes per round: an eighth of its window, so the rings wrap over the rounds. */
const OPS_PER_VM_PER_ROUND = DEFAULT_WINDOW_OPS / 8;
/** Rounds run before timing starts (V8 optimizes the path meanwhile). */
const WARM_UP_ROUNDS = 50;

export interface OpPathCost {
  vms: number;
  rounds: number;
  /** Median over the timed rounds of the CPU time per op. */
  nsPerOp: number;
}

export function measureOpPathCost(vms = 8, rounds = 300): OpPathCost {
  const queue = createQueueBuffer({ capacityMessages: vms * DEFAULT_WINDOW_OPS, wordsPerMessage: OP_MESSAGE_WORDS });
  const ops = new QueueOps(queue, new CreditLedger(createCreditBuffer(vms), DEFAULT_WINDOW_OPS), vms, DEFAULT_WINDOW_OPS, 10_000);
  const producer = new QueueProducer(queue);
  const msg = new Int32Array(OP_MESSAGE_WORDS);
  const pushed = new Array<number>(vms + 1).fill(0);
  const never = (): boolean => false;
  let checksum = 0;
  const nsPerOp: number[] = [];
  for (let round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
    for (let i = 0; i < OPS_PER_VM_PER_ROUND; i++) {
      for (let vmId = 1; vmId <= vms; vmId++) {
        writeOpMessage(msg, { producer: vmId, vmId, sequence: pushed[vmId]++ }, { op: 'trap', device: 0, entry: 0, arg: i });
        producer.push(msg);
      }
    }
    const start = process.cpuUsage();
    for (let vmId = 1; vmId <= vms; vmId++) {
      for (let i = 0; i < OPS_PER_VM_PER_ROUND; i++) {
        if (!ops.ready(vmId, never)) throw new Error(`vm${vmId} had no op ready`);
        const op = ops.next(vmId);
        if (op.op === 'trap') checksum += op.arg;
      }
    }
    const cpu = process.cpuUsage(start);
    if (round >= WARM_UP_ROUNDS) nsPerOp.push(((cpu.user + cpu.system) * 1000) / (vms * OPS_PER_VM_PER_ROUND));
  }
  // Every op came back: the sum of each round's args, for every VM and round.
  const expected = (WARM_UP_ROUNDS + rounds) * vms * ((OPS_PER_VM_PER_ROUND * (OPS_PER_VM_PER_ROUND - 1)) / 2);
  if (checksum !== expected) throw new Error(`ops lost or changed on the way: checksum ${checksum}, expected ${expected}`);
  nsPerOp.sort((a, b) => a - b);
  return { vms, rounds, nsPerOp: Math.round(10 * nsPerOp[Math.floor(nsPerOp.length / 2)]!) / 10 };
}

runIfEntry(import.meta.url, async () => measureOpPathCost(Number(process.argv[2] ?? 8), Number(process.argv[3] ?? 300)));
