/**
 * Progress on a terminal: executions done, executions per second, distinct violations, race
 * windows hit. Drawn on stderr, only when it is a terminal that redraws (shared/terminal.ts), at most ten times a second.
 */
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import type { CampaignAccumulator, CampaignHooks } from './campaign.js';
import { WINDOWS } from './coverage.js';
import { stderrRedraws } from '../shared/terminal.js';

const REDRAW_MS = 100;

export interface Progress {
  hooks: CampaignHooks;
  stop(): void;
}

export function terminalProgress(label: string, total: number, cancelled: () => boolean): Progress {
  if (!stderrRedraws()) return { hooks: { cancelled }, stop: () => {} };
  const bar = new cliProgress.SingleBar({
    format: `${label} [{bar}] {value}/{total} | {rate} exec/s | violations {violations} | windows {windows}/${WINDOWS.length}`,
    stream: process.stderr, hideCursor: true, clearOnComplete: true, barsize: 24,
  }, cliProgress.Presets.shades_classic);
  const started = performance.now();
  let lastDrawMs = -Infinity;
  bar.start(total, 0, { rate: 0, violations: 0, windows: 0 });
  const draw = (acc: CampaignAccumulator): void => {
    const nowMs = performance.now();
    if (nowMs - lastDrawMs < REDRAW_MS) return;
    lastDrawMs = nowMs;
    const rate = Math.round((acc.executions * 1000) / Math.max(1, nowMs - started));
    bar.update(acc.executions, { rate, violations: acc.distinct.size, windows: acc.coverage.windowsHit });
  };
  return {
    hooks: { cancelled, onExecution: (_summary, acc) => draw(acc), onFold: draw },
    stop: () => bar.stop(),
  };
}
