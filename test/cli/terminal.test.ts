// Progress bars redraw their line on stderr: only on a terminal that can (shared/terminal.ts).
// A fresh-machine audit ran `vmmsim explore` under TERM=dumb (an Emacs shell) and got every
// redraw as a line of its own.
import { afterEach, describe, expect, it } from 'vitest';
import { stderrRedraws } from '../../src/shared/terminal.js';
import { terminalProgress } from '../../src/explore/progress.js';
import { progressBar } from '../../src/cli/progressBar.js';

const wasTty = process.stderr.isTTY;
const wasTerm = process.env.TERM;
const write = process.stderr.write.bind(process.stderr);
afterEach(() => {
  Object.assign(process.stderr, { isTTY: wasTty, write });
  if (wasTerm === undefined) delete process.env.TERM;
  else process.env.TERM = wasTerm;
});

/** What the displays write to stderr, on a terminal (isTTY) whose TERM is `term`. */
function drawnWith(term: string): string {
  let written = '';
  Object.assign(process.stderr, { isTTY: true, columns: 100, write: (chunk: string | Uint8Array) => ((written += String(chunk)), true) });
  process.env.TERM = term;
  const progress = terminalProgress('explore pct', 10, () => false);
  progress.stop();
  progressBar(5_000)?.stop();
  Object.assign(process.stderr, { write });
  return written;
}

describe('stderrRedraws', () => {
  it('a terminal redraws; TERM=dumb does not; a pipe does not', () => {
    Object.assign(process.stderr, { isTTY: true });
    process.env.TERM = 'xterm-256color';
    expect(stderrRedraws()).toBe(true);
    process.env.TERM = 'dumb';
    expect(stderrRedraws()).toBe(false);
    Object.assign(process.stderr, { isTTY: false });
    process.env.TERM = 'xterm-256color';
    expect(stderrRedraws()).toBe(false);
  });

  it('the progress displays draw on xterm and write nothing on TERM=dumb', () => {
    expect(drawnWith('xterm-256color')).toMatch(/explore pct/);
    expect(drawnWith('dumb')).toBe('');
  });
});
