/**
 * The peer figure: vmmsim's explorer against fast-check's `fc.scheduler` on the stale-cancel
 * race, in executions per second (wall) and per CPU-second of the process (which holds up on a
 * loaded machine). The method, the same for both sides:
 *
 * 1. Warm-up: `warmUpExecutions` untimed executions of each side, in two calls (V8 is still
 *    optimizing both after a thousand executions; and the end of a campaign that found a bug,
 *    its shrinking and trace, meets the core with new shapes: measured, the next campaign of the
 *    process runs its first few thousand executions at 2-3× the CPU while V8 optimizes the
 *    core again, a cost paid once per process, which a second warm-up call takes).
 * 2. `rounds` rounds; in each, both sides run `executionsPerRound` executions, timed, one after
 *    the other, and the side that goes first alternates from round to round (so neither always
 *    runs just after the other's garbage or always at the end of a burst of load).
 *    Each round's seed is new, the same number on both sides.
 * 3. Each side's figure is the median of its rounds; the ratio is the median of the rounds'
 *    ratios (the two batches of a round ran seconds apart, so a change in the machine's load
 *    between rounds cancels out). The spread (the smallest and largest round) is reported beside.
 *
 * Each batch is one call as a user makes it: `fc.assert` with `numRuns`, `explore` with
 * `iterations` (see fastCheckRace.ts and vmmsimRace.ts for what one execution is on each side).
 * Executions to the first bug are counted apart, untimed, from seed 1.
 */
import { repeated } from '../stats.js';
import { fastCheckExecsToFirstBug, timeFastCheckRace, type TimedBatch } from './fastCheckRace.js';
import { timeVmmsimRace, vmmsimExecsToFirstBug, VMMSIM_RACE } from './vmmsimRace.js';

export interface PeerRoundsOptions {
  warmUpExecutions: number;
  executionsPerRound: number;
  rounds: number;
}

/** The full bench run's: about half a second per batch on a 2-core machine. */
export const PEER_ROUNDS: PeerRoundsOptions = { warmUpExecutions: 5000, executionsPerRound: 10_000, rounds: 5 };
/** `vmmsim bench --quick`'s: the same method, in a fraction of a second. */
export const PEER_ROUNDS_QUICK: PeerRoundsOptions = { warmUpExecutions: 300, executionsPerRound: 300, rounds: 3 };

/** The smallest and the largest round. */
export interface Spread {
  min: number;
  max: number;
}

export interface SideFigure {
  execsPerSec: number;
  execsPerCpuSec: number;
  execsToFirstBug: number | null;
  execsPerSecSpread: Spread;
  execsPerCpuSecSpread: Spread;
}

export interface PeerRoundsResult {
  warmUpRuns: number;
  rounds: number;
  executionsPerRound: number;
  fastCheck: SideFigure;
  vmmsim: SideFigure & { scenario: string };
  ratio: number;
  ratioPerCpuSec: number;
  ratioSpread: Spread;
  ratioPerCpuSecSpread: Spread;
}

const perSec = (b: TimedBatch): number => (b.executions * 1000) / Math.max(1e-3, b.wallMs);
const perCpuSec = (b: TimedBatch): number => (b.executions * 1e6) / Math.max(1, b.cpuUs);

export async function measurePeerRounds(options: PeerRoundsOptions): Promise<PeerRoundsResult> {
  const { warmUpExecutions, executionsPerRound, rounds } = options;
  const half = Math.ceil(warmUpExecutions / 2);
  for (const seed of warmUpExecutions > 0 ? [1000, 1001] : []) {
    await timeFastCheckRace(half, seed);
    await timeVmmsimRace(half, seed);
  }
  const theirs: TimedBatch[] = [];
  const ours: TimedBatch[] = [];
  for (let round = 0; round < rounds; round++) {
    const seed = round + 1;
    if (round % 2 === 0) {
      theirs.push(await timeFastCheckRace(executionsPerRound, seed));
      ours.push(await timeVmmsimRace(executionsPerRound, seed));
    } else {
      ours.push(await timeVmmsimRace(executionsPerRound, seed));
      theirs.push(await timeFastCheckRace(executionsPerRound, seed));
    }
  }
  const ratios = ours.map((b, i) => perSec(b) / perSec(theirs[i]!));
  const cpuRatios = ours.map((b, i) => perCpuSec(b) / perCpuSec(theirs[i]!));
  const ratio = repeated(ratios);
  const cpuRatio = repeated(cpuRatios);
  return {
    warmUpRuns: warmUpExecutions, rounds, executionsPerRound,
    fastCheck: side(theirs, await fastCheckExecsToFirstBug(1)),
    vmmsim: { ...side(ours, vmmsimExecsToFirstBug()), scenario: `zoo ${VMMSIM_RACE}` },
    ratio: round2(ratio.median), ratioPerCpuSec: round2(cpuRatio.median),
    ratioSpread: { min: round2(ratio.min), max: round2(ratio.max) },
    ratioPerCpuSecSpread: { min: round2(cpuRatio.min), max: round2(cpuRatio.max) },
  };
}

function side(batches: readonly TimedBatch[], execsToFirstBug: number | null): SideFigure {
  const wall = repeated(batches.map(perSec));
  const cpu = repeated(batches.map(perCpuSec));
  return {
    execsPerSec: Math.round(wall.median), execsPerCpuSec: Math.round(cpu.median), execsToFirstBug,
    execsPerSecSpread: { min: Math.round(wall.min), max: Math.round(wall.max) },
    execsPerCpuSecSpread: { min: Math.round(cpu.min), max: Math.round(cpu.max) },
  };
}

function round2(x: number): number {
  return Math.round(100 * x) / 100;
}
