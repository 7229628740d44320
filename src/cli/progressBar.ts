/**
 * Progress of a long run on a terminal: a bar of the elapsed time with events/s, pending events
 * and violations, redrawn every second on stderr (stdout stays for --json). Nothing when stderr
 * is not a terminal that redraws (shared/terminal.ts): a log file (--log) has the same figures as JSON lines.
 */
import cliProgress from 'cli-progress';
import type { RunProgress } from '../actors/threads/orchestrator.js';
import { stderrRedraws } from '../shared/terminal.js';

export interface ProgressDisplay {
  update(progress: RunProgress): void;
  stop(): void;
}

export function progressBar(durationMs: number): ProgressDisplay | null {
  if (!stderrRedraws()) return null;
  const totalS = Math.round(durationMs / 1000);
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    hideCursor: true,
    format: '{bar} {value}/{total} s | {eps} events/s | pending {pending} | violations {violations} (VMM {vmmBugs}) | {rss} MB',
  }, cliProgress.Presets.shades_classic);
  bar.start(totalS, 0, { eps: 0, pending: 0, violations: 0, vmmBugs: 0, rss: 0 });
  return {
    update(p) {
      bar.update(Math.min(totalS, Math.floor(p.elapsedS)), {
        eps: p.eventsPerSec.toLocaleString('en-US'), pending: p.pendingEvents, violations: p.violations, vmmBugs: p.vmmBugs, rss: p.rssMb,
      });
    },
    stop() {
      bar.stop();
    },
  };
}
