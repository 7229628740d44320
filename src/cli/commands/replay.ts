/**
 * `vmmsim replay <trace>`: reproduces a recorded run (simulated or threaded) in the simulated
 * runtime, checks it took the same decisions, and shows the violation with what led to it.
 */
import { readFileSync } from 'node:fs';
import { replayTrace } from '../../actors/sim/simulate.js';
import { loadScenario } from '../../scenario/load.js';
import { TraceFileSchema, type TraceFile } from '../../shared/trace.js';
import { HistoryRing } from '../../vmm/history.js';
import { EXIT, UsageError } from '../errors.js';
import { formatRecord, formatViolation } from '../format.js';
import { humanOut, printJson } from '../io.js';

export function readTrace(path: string): TraceFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read trace ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = TraceFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${path} is not a vmmsim trace: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

export async function replayCommand(path: string, flags: { json?: boolean; context: number }): Promise<number> {
  const trace = readTrace(path);
  const scenario = await loadScenario(trace.scenario);
  // The records leading to the first violation, kept as the replay streams them (any run length).
  const lastRecords = new HistoryRing(Math.max(1, flags.context));
  let violationSeen = false;
  const { result, divergence } = replayTrace(trace, scenario, false, (r) => {
    if (violationSeen) return;
    lastRecords.push(r);
    if (r.k === 'violation') violationSeen = true;
  });
  const first = result?.firstViolation ?? null;
  const leading = first === null || flags.context === 0 ? [] : lastRecords.toArray();
  const render = `npx vmmsim trace ${path} --format html -o ${path.replace(/\.json$/, '')}.html`;
  const report = {
    trace: path, runtime: trace.runtime, scenario: scenario.name, seed: trace.seed, steps: trace.steps,
    reproduced: divergence === null, divergence, traceHash: result?.traceHash ?? null,
    invariantsOk: result?.invariantsOk ?? null, firstViolation: first, violations: result?.violations.length ?? 0,
    leadingRecords: leading, render,
  };
  if (flags.json) printJson(report);
  else {
    const out = humanOut(false);
    out(`vmmsim replay ${path}: ${trace.runtime} run of ${scenario.name}, seed ${trace.seed}, ${trace.steps} steps`);
    if (divergence !== null) out(`  DIVERGED: ${divergence.message}`);
    else out(`  reproduced exactly: ${result!.records} records, trace hash ${result!.traceHash}`);
    if (first !== null) {
      out(`  ${formatViolation(first)}`);
      out(`  the ${leading.length} records leading to it:`);
      for (const r of leading) out(`    ${formatRecord(r)}`);
    } else if (result !== null) out('  no violation');
    out(`  see it: ${render}`);
  }
  if (divergence !== null) return EXIT.violation;
  return first === null ? EXIT.ok : EXIT.violation;
}
