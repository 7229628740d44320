/**
 * The timeline as one self-contained HTML page: inline CSS, the digest (digest.ts) as JSON, and
 * a small canvas viewer in plain JavaScript (viewer/). The whole-run overview is parsed when the
 * page opens; each detail window is its own JSON script element, parsed only when the view
 * first zooms into it, so a long run's page opens as fast as a short one's. No network: a
 * Content-Security-Policy forbids every request, so the page works offline and leaks nothing.
 * Written in pieces (`write`), never as one string.
 */
import type { TimelineDigest } from './digest.js';
import { VIEWER_DRAW_JS } from './viewer/draw.js';
import { VIEWER_OVERVIEW_JS } from './viewer/overview.js';
import { VIEWER_CSS } from './viewer/style.js';
import { VIEWER_UI_JS } from './viewer/ui.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const LEGEND: [string, string][] = [
  ['client code (ring 3)', '#a8d5a2'],
  ['ring 0', '#7fb3e0'],
  ['IRQ handler', '#f4b860'],
  ['nested IRQ (VMM re-entered)', 'repeating-linear-gradient(135deg,#e8743b 0 3px,#a33a10 3px 5px)'],
  ['event callback', '#b39ddb'],
  ['event processing', '#cfd4d9'],
];

export function toHtml(digest: TimelineDigest): string {
  const parts: string[] = [];
  writeHtml(digest, (text) => parts.push(text));
  return parts.join('');
}

export function writeHtml(digest: TimelineDigest, write: (text: string) => void): void {
  const timeline = digest;
  const { overview } = digest;
  const first = overview.violations[0];
  const more = overview.violationsTotal > 1 ? ` (${overview.violationsTotal.toLocaleString('en-US')} violations in all)` : '';
  const banner = first === undefined
    ? '<div id="violation-banner" class="none">No violation in these records.</div>'
    : `<div id="violation-banner" data-testid="first-violation-banner" data-seq="${first.seq}">` +
      `<b>${first.severity === 'vmm' ? 'VMM bug' : 'Device bug'} ${escape(first.name)}</b> at record #${first.seq}: ` +
      `${escape(first.message)}${more} <u>show it</u></div>`;
  const marker = first === undefined
    ? ''
    : `<div id="violation-marker" class="violation-marker" data-testid="violation-marker" data-seq="${first.seq}" title="${escape(first.message)}">⚠ ${escape(first.name)}</div>`;
  const meta = [
    `${timeline.runtime === 'sim' ? 'simulated run' : 'threaded run'}`,
    timeline.clock === 'virtualTicks' ? 'time in virtual ticks (µs)' : 'time in wall-clock µs',
    `records ${overview.firstSeq} to ${overview.lastSeq}`,
    digest.complete ? 'every record in detail' : `detail stored for ${digest.windows.length} stretches of the run`,
    ...Object.entries(timeline.meta).map(([k, v]) => `${k}: ${v}`),
  ].map(escape).join(' · ');
  const header = {
    title: digest.title, runtime: digest.runtime, clock: digest.clock, complete: digest.complete, overview,
    windows: digest.windows.map((w) => ({ firstSeq: w.firstSeq, lastSeq: w.lastSeq, ...timeRange(w.spans) })),
  };
  write(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vmmsim timeline: ${escape(timeline.title)}</title>
<style>${VIEWER_CSS}</style>
</head>
<body>
<header>
<h1>vmmsim timeline: ${escape(timeline.title)}</h1>
<div id="meta">${meta}</div>
${banner}
</header>
<nav id="toolbar">
<button id="zoom-in" title="zoom in (or the mouse wheel)">+</button>
<button id="zoom-out" title="zoom out">−</button>
<button id="fit">whole run</button>
<button id="goto-violation">first violation</button>
<label>axis <select id="axis"><option value="seq">records (order of events)</option><option value="ts">time (µs)</option></select></label>
<label><input type="checkbox" id="all-flows" checked> all event arrows</label> <span id="arrows-note" class="hint"></span>
<span id="view-mode" class="hint"></span>
<span id="legend">${LEGEND.map(([name, color]) => `<span><i style="background:${color}"></i>${name}</span>`).join('')}<span>○→● scheduled → dispatched, ✕ cancelled, <b style="color:#d32f2f">✕</b> stale cancel</span></span>
</nav>
<main>
<div id="scroller"><div id="labels"></div><div id="stage"><canvas id="canvas"></canvas><div id="markers">${marker}</div></div></div>
<aside><h2>Details</h2><div id="details"></div><h2>Violations</h2><ol id="violations"></ol>
<p class="hint">Wheel: zoom · drag: pan · click: details. Arrows follow one event from Schedule/Call to dispatch or cancel.</p></aside>
</main>
<script id="timeline-digest" type="application/json">${jsonForScript(header)}</script>
`);
  digest.windows.forEach((w, i) => write(`<script id="window-${i}" type="application/json">${jsonForScript(w)}</script>\n`));
  write(`<script>
(function () {
'use strict';
${VIEWER_DRAW_JS}
${VIEWER_OVERVIEW_JS}
${VIEWER_UI_JS}
})();
</script>
</body>
</html>
`);
}

function timeRange(spans: readonly { t0: number; t1: number }[]): { t0: number; t1: number } {
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const s of spans) {
    if (s.t0 < t0) t0 = s.t0;
    if (s.t1 > t1) t1 = s.t1;
  }
  return t0 <= t1 ? { t0, t1 } : { t0: 0, t1: 0 };
}

/** JSON that cannot end the script element early. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
