/**
 * Whether stderr takes redrawn lines (the progress bars). A terminal, but not one whose TERM is
 * `dumb` (an Emacs shell, some CI consoles): it cannot move the cursor back, so each redraw
 * would stay on screen as a line of its own.
 */
export function stderrRedraws(): boolean {
  return process.stderr.isTTY === true && process.env.TERM !== 'dumb';
}
