/**
 * The timeline page's state and interaction (browser JavaScript, inlined into the page): track
 * labels, zoom (wheel, buttons), pan (drag), axis switch, clicks that fill the details panel.
 * The page holds the whole-run overview and detail windows, each window's JSON left as text
 * until the view first needs it (decoded once, then kept). A run drawn whole in detail opens on
 * its first violation; a longer one opens on the whole run. `window.vmmsimTimeline` exposes the
 * state and item positions to tests.
 */
export const VIEWER_UI_JS = String.raw`
var $ = function (id) { return document.getElementById(id); };
var D = JSON.parse($('timeline-digest').textContent);
var S = { digest: D, data: null, detail: -1, decoded: {}, tracks: D.overview.tracks, axis: 'seq', view: { a: 0, b: 1 },
  width: 0, dpr: window.devicePixelRatio || 1, hits: [], stats: {}, selected: { item: null, flow: null }, allFlows: true };
var canvas = $('canvas'), stage = $('stage');
S.ctx = canvas.getContext('2d');
S.hatch = hatch(S.ctx);
S.layout = layoutRows({ tracks: S.tracks });

/** A detail window's timeline, parsed the first time it is drawn. */
function windowData(i) {
  if (!S.decoded[i]) S.decoded[i] = JSON.parse($('window-' + i).textContent);
  return S.decoded[i];
}

/** Records in view above which a run drawn whole in detail shows the overview instead: past it, spans are a smear. */
var DETAIL_VIEW_RECORDS_MAX = 5000;

/** The window that holds (nearly) all of the view, else -1: the whole-run view. */
function detailFor(view) {
  var a = S.axis === 'seq' ? view.a : convert(view.a, 'seq'), b = S.axis === 'seq' ? view.b : convert(view.b, 'seq');
  if (D.complete) return D.windows.length && b - a <= DETAIL_VIEW_RECORDS_MAX ? 0 : -1;
  var best = -1, bestCover = 0;
  D.windows.forEach(function (w, i) {
    var lo = w.firstSeq, hi = w.lastSeq + 1, cover = (Math.min(b, hi) - Math.max(a, lo)) / (b - a);
    if (cover >= 0.8 && b - a <= (hi - lo) * 1.25 && cover > bestCover) { best = i; bestCover = cover; }
  });
  return best;
}

function el(tag, attrs, text) {
  var e = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
  if (text !== undefined) e.textContent = text;
  return e;
}

function buildLabels() {
  var labels = $('labels');
  labels.appendChild(el('div', { 'class': 'axis-spacer', style: 'height:' + AXIS + 'px' }));
  S.tracks.forEach(function (t) {
    var d = el('div', { 'class': 'track-label', 'data-track': t.id, 'data-track-kind': t.kind, style: 'height:' + S.layout.rows[t.id].height + 'px' }, t.name);
    var sub = t.kind === 'vm' ? 'client · ring 0 · frames' : t.kind === 'irq' ? 'handler runs' : 'queues · processing';
    d.appendChild(el('small', {}, sub));
    labels.appendChild(d);
  });
}

function extent(axis) {
  var o = D.overview;
  return axis === 'seq' ? { a: o.firstSeq, b: o.lastSeq + 1 } : { a: o.binStartUs[0], b: Math.max(o.endUs, o.binStartUs[0] + 1) };
}

/** seq <-> ts: through the overview's bin starts, or a detail window's span boundaries inside it. */
var overviewPairs = D.overview.binStartUs.map(function (t, i) { return [D.overview.firstSeq + i * D.overview.binRecords, t]; })
  .concat([[D.overview.lastSeq + 1, D.overview.endUs]]);
var windowPairs = {};
function pairsOf(i) {
  if (!windowPairs[i]) {
    var m = {};
    windowData(i).spans.forEach(function (s) { m[s.s] = s.t0; m[s.e] = s.t1; });
    windowPairs[i] = Object.keys(m).map(Number).sort(function (x, y) { return x - y; }).map(function (k) { return [k, m[k]]; });
  }
  return windowPairs[i];
}
function convert(v, to) {
  var from = to === 'ts' ? 0 : 1, pairs = overviewPairs;
  if (S.detail >= 0 && S.decoded[S.detail]) {
    var wp = pairsOf(S.detail);
    if (wp.length > 1 && v >= wp[0][from] && v <= wp[wp.length - 1][from]) pairs = wp;
  }
  return interpolate(pairs, v, from);
}
function interpolate(pairs, v, from) {
  var dst = 1 - from;
  if (!pairs.length) return v;
  var lo = 0, hi = pairs.length - 1;
  if (v <= pairs[0][from]) return pairs[0][dst];
  if (v >= pairs[hi][from]) return pairs[hi][dst];
  while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (pairs[mid][from] <= v) lo = mid; else hi = mid; }
  var p = pairs[lo], q = pairs[hi], f = (v - p[from]) / ((q[from] - p[from]) || 1);
  return p[dst] + f * (q[dst] - p[dst]);
}

function setView(a, b) {
  var full = extent(S.axis), span = full.b - full.a, min = S.axis === 'seq' ? 4 : span / 1e6;
  if (b - a < min) { var c = (a + b) / 2; a = c - min / 2; b = c + min / 2; }
  if (b - a > span * 1.1) { a = full.a - span * 0.05; b = full.b + span * 0.05; }
  S.view = { a: a, b: b };
  draw();
}
function zoomAt(x, factor) {
  var v = S.view.a + (S.view.b - S.view.a) * (x / S.width);
  setView(v - (v - S.view.a) * factor, v + (S.view.b - v) * factor);
}
function goToSeq(seq, before, after) {
  var a = seq - before, b = seq + after;
  if (S.axis === 'ts') { a = convert(a, 'ts'); b = convert(b, 'ts'); }
  setView(a, b);
}

function resize() {
  S.width = stage.clientWidth;
  canvas.width = Math.round(S.width * S.dpr); canvas.height = Math.round(S.layout.height * S.dpr);
  canvas.style.width = S.width + 'px'; canvas.style.height = S.layout.height + 'px';
  draw();
}

function firstViolation() { return D.overview.violations[0] || null; }

function placeMarker() {
  var m = $('violation-marker'), first = firstViolation();
  if (!m || !first) return;
  var v = S.axis === 'seq' ? first.seq + 0.5 : first.ts;
  var inView = v >= S.view.a && v <= S.view.b;
  m.style.display = inView ? 'block' : 'none';
  m.setAttribute('data-visible', String(inView));
  m.style.left = X(v) + 'px';
  m.style.top = (AXIS + 2) + 'px';
}

function hitAt(x, y) {
  var best = null;
  S.hits.forEach(function (h) {
    if (x >= h.x0 && x <= h.x1 && y >= h.y0 && y <= h.y1 && (!best || (h.depth || 0) >= (best.depth || 0))) best = h;
  });
  return best;
}

function select(hit) {
  if (hit && hit.kind === 'window') { var w = hit.item; goToSeq(w.firstSeq, 0, w.lastSeq + 1 - w.firstSeq); return; }
  S.selected = { item: hit ? hit.item : null, flow: hit ? (hit.flow ? hit.flow.id : hit.item.flow !== undefined ? hit.item.flow : null) : null };
  showDetails(hit);
  draw();
}

function flowById(id) { return !S.data ? null : S.data.flows.filter(function (f) { return f.id === id; })[0]; }

function showDetails(hit) {
  var box = $('details'); box.textContent = '';
  if (!hit) { box.appendChild(el('p', { 'class': 'hint' }, 'Click a span, an arrow point or a marker.')); return; }
  var item = hit.item, title, args = item.args || {};
  if (hit.kind === 'bin') { title = item.track.name + ': records #' + Math.ceil(binSeq(item.bin)) + ' to #' + (Math.ceil(binSeq(item.bin) + item.records) - 1); args = binArgs(item); }
  else if (hit.kind === 'violation') { title = (item.severity === 'vmm' ? 'VMM bug: ' : 'Device bug: ') + item.name; args = { message: item.message, record: item.seq, 'time (µs)': item.ts.toFixed(3), track: trackName(item.track) }; }
  else if (hit.kind === 'counter') { title = 'Pending events after record #' + item.seq; args = { global: item.global, vm: item.vm, priority: item.priority }; }
  else if (hit.kind === 'point') title = hit.flow.callback + ': ' + item.step;
  else if (hit.kind === 'instant' && item.cat === 'violation') title = (item.severity === 'vmm' ? 'VMM bug: ' : 'Device bug: ') + item.name;
  else title = item.name;
  box.appendChild(el('h3', {}, title));
  if (args.message) box.appendChild(el('div', { 'class': 'message' }, String(args.message)));
  var table = el('table', {});
  Object.keys(args).forEach(function (k) {
    if (k === 'message') return;
    var tr = el('tr', {}); tr.appendChild(el('td', {}, k));
    tr.appendChild(el('td', { 'class': /^(E[A-Z]{2}|RefData|handle|flags|boost)$/.test(k) ? 'reg' : '' }, String(args[k])));
    table.appendChild(tr);
  });
  box.appendChild(table);
  var flow = hit.flow || (item.flow !== undefined ? flowById(item.flow) : null);
  if (flow) {
    box.appendChild(el('h2', {}, 'Event life: ' + flow.kind + ' event ' + flow.callback));
    var ol = el('ol', { 'class': 'steps' });
    flow.points.forEach(function (p) {
      var li = el('li', { 'data-seq': String(p.seq) }, p.step + ' at #' + p.seq + ' on ' + trackName(p.track));
      if (p.step === 'staleCancel' || p.step === 'wrongService') li.className = 'bad';
      li.addEventListener('click', function () { goToSeq(p.seq, 30, 30); select({ kind: 'point', item: p, flow: flow }); });
      ol.appendChild(li);
    });
    box.appendChild(ol);
  }
}
function trackName(id) { var r = S.layout.rows[id]; return r ? r.track.name : id; }

/** What a bin of the whole-run view counted on its track. */
function binArgs(item) {
  var k = item.track.counts, i = item.bin, out = { 'records in the bin': Math.round(item.records), 'starts at (µs)': D.overview.binStartUs[i].toFixed(1) };
  Object.keys(k).forEach(function (m) { out[m] = k[m][i]; });
  return out;
}

function buildViolations() {
  var ol = $('violations'), o = D.overview;
  if (!o.violations.length) ol.appendChild(el('li', { 'class': 'none' }, 'none in these records'));
  o.violations.forEach(function (v, n) {
    var li = el('li', { 'data-seq': String(v.seq), 'class': n === 0 ? 'first' : '' }, v.name + ' at #' + v.seq);
    li.addEventListener('click', function () { focusViolation(v); });
    ol.appendChild(li);
  });
  if (o.violationsTotal > o.violations.length) ol.appendChild(el('li', { 'class': 'none' }, (o.violationsTotal - o.violations.length) + ' more (red ticks on the axis)'));
}
/** Brings a violation into view; where detail is stored, with the whole life of the event it names. */
function focusViolation(v) {
  goToSeq(v.seq, 40, 10);
  var i = S.data && S.data.instants.filter(function (x) { return x.cat === 'violation' && x.seq === v.seq; })[0];
  if (!i) { select({ kind: 'violation', item: v }); return; }
  var flow = i.flow !== undefined ? flowById(i.flow) : null;
  var start = Math.max(S.data.firstSeq, flow && flow.points.length ? Math.min(flow.points[0].seq, i.seq - 12) : i.seq - 40);
  goToSeq(i.seq, i.seq - start + 6, 10);
  select({ kind: 'instant', item: i });
}

var drag = null;
stage.addEventListener('mousedown', function (e) { drag = { x: e.clientX, view: S.view, moved: false }; stage.classList.add('dragging'); });
window.addEventListener('mousemove', function (e) {
  if (!drag) return;
  var dx = e.clientX - drag.x; if (Math.abs(dx) > 3) drag.moved = true;
  var shift = dx / S.width * (drag.view.b - drag.view.a);
  setView(drag.view.a - shift, drag.view.b - shift);
});
window.addEventListener('mouseup', function () { stage.classList.remove('dragging'); setTimeout(function () { drag = null; }, 0); });
canvas.addEventListener('click', function (e) {
  if (drag && drag.moved) return;
  var r = canvas.getBoundingClientRect();
  select(hitAt(e.clientX - r.left, e.clientY - r.top));
});
stage.addEventListener('wheel', function (e) {
  e.preventDefault();
  var r = canvas.getBoundingClientRect();
  if (Math.abs(e.deltaX) > Math.abs(e.deltaY) || e.shiftKey) { var d = (e.deltaX || e.deltaY) / S.width * (S.view.b - S.view.a); setView(S.view.a + d, S.view.b + d); }
  else zoomAt(e.clientX - r.left, Math.exp(e.deltaY * 0.0015));
}, { passive: false });
$('zoom-in').addEventListener('click', function () { zoomAt(S.width / 2, 0.6); });
$('zoom-out').addEventListener('click', function () { zoomAt(S.width / 2, 1 / 0.6); });
$('fit').addEventListener('click', function () { var f = extent(S.axis); setView(f.a, f.b); });
$('goto-violation').addEventListener('click', function () { var v = firstViolation(); if (v) focusViolation(v); });
$('all-flows').addEventListener('change', function (e) { S.allFlows = e.target.checked; draw(); });
$('axis').addEventListener('change', function (e) {
  var to = e.target.value, a = convert(S.view.a, to), b = convert(S.view.b, to);
  S.axis = to; setView(a, b);
});
var banner = $('violation-banner');
if (banner) banner.addEventListener('click', function () { var v = firstViolation(); if (v) focusViolation(v); });
var marker = $('violation-marker');
if (marker) marker.addEventListener('click', function () { var v = firstViolation(); if (v) focusViolation(v); });
window.addEventListener('resize', resize);

buildLabels(); buildViolations();
S.view = extent('seq');
resize();
if (D.complete && firstViolation()) focusViolation(firstViolation()); else showDetails(null);

window.vmmsimTimeline = {
  state: S,
  /** Shows records seq - before to seq + after (tests and scripts drive the view with it). */
  goToSeq: goToSeq,
  /** Page coordinates of a flow point (by step and seq) or an instant (by cat and seq), when drawn. */
  positionOf: function (what, seq) {
    var h = S.hits.filter(function (h) { return h.item && h.item.seq === seq && (h.item.step === what || h.item.cat === what); })[0];
    if (!h) return null;
    var r = canvas.getBoundingClientRect();
    return { x: r.left + (h.x0 + h.x1) / 2, y: r.top + (h.y0 + h.y1) / 2 };
  },
};
document.body.setAttribute('data-rendered', 'true');
`;
