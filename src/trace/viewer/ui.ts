/**
 * The timeline page's state and interaction (browser JavaScript, inlined into the page): track
 * labels, zoom (wheel, buttons), pan (drag), axis switch, clicks that fill the details panel,
 * and the first violation brought into view and selected on load. `window.vmmsimTimeline`
 * exposes the state and item positions to tests.
 */
export const VIEWER_UI_JS = String.raw`
var S = { data: JSON.parse(document.getElementById('timeline-data').textContent), axis: 'seq', view: { a: 0, b: 1 },
  width: 0, dpr: window.devicePixelRatio || 1, hits: [], stats: {}, selected: { item: null, flow: null }, allFlows: true };
var $ = function (id) { return document.getElementById(id); };
var canvas = $('canvas'), stage = $('stage');
S.ctx = canvas.getContext('2d');
S.hatch = hatch(S.ctx);
S.layout = layoutRows(S.data);

function el(tag, attrs, text) {
  var e = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
  if (text !== undefined) e.textContent = text;
  return e;
}

function buildLabels() {
  var labels = $('labels');
  labels.appendChild(el('div', { 'class': 'axis-spacer', style: 'height:' + AXIS + 'px' }));
  S.data.tracks.forEach(function (t) {
    var d = el('div', { 'class': 'track-label', 'data-track': t.id, 'data-track-kind': t.kind, style: 'height:' + S.layout.rows[t.id].height + 'px' }, t.name);
    var sub = t.kind === 'vm' ? 'client · ring 0 · frames' : t.kind === 'irq' ? 'handler runs' : 'queues · processing';
    d.appendChild(el('small', {}, sub));
    labels.appendChild(d);
  });
}

function extent(axis) {
  if (axis === 'seq') return { a: S.data.firstSeq, b: S.data.lastSeq + 1 };
  var a = Infinity, b = -Infinity;
  S.data.spans.forEach(function (s) { a = Math.min(a, s.t0); b = Math.max(b, s.t1); });
  return a < b ? { a: a, b: b } : { a: 0, b: 1 };
}

/** seq <-> ts through the span boundaries, linear in between. */
var pairs = (function () {
  var m = {};
  S.data.spans.forEach(function (s) { m[s.s] = s.t0; m[s.e] = s.t1; });
  return Object.keys(m).map(Number).sort(function (x, y) { return x - y; }).map(function (k) { return [k, m[k]]; });
})();
function convert(v, to) {
  var from = to === 'ts' ? 0 : 1, dst = 1 - from;
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

function placeMarker() {
  var m = $('violation-marker'), seq = S.data.firstViolationSeq;
  if (!m || seq === null) return;
  var v = S.axis === 'seq' ? seq + 0.5 : S.data.instants.filter(function (i) { return i.seq === seq; })[0].ts;
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
  S.selected = { item: hit ? hit.item : null, flow: hit ? (hit.flow ? hit.flow.id : hit.item.flow !== undefined ? hit.item.flow : null) : null };
  showDetails(hit);
  draw();
}

function flowById(id) { return S.data.flows.filter(function (f) { return f.id === id; })[0]; }

function showDetails(hit) {
  var box = $('details'); box.textContent = '';
  if (!hit) { box.appendChild(el('p', { 'class': 'hint' }, 'Click a span, an arrow point or a marker.')); return; }
  var item = hit.item, title, args = item.args || {};
  if (hit.kind === 'counter') { title = 'Pending events after record #' + item.seq; args = { global: item.global, vm: item.vm, priority: item.priority }; }
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

function buildViolations() {
  var ol = $('violations');
  var list = S.data.instants.filter(function (i) { return i.cat === 'violation'; });
  if (!list.length) ol.appendChild(el('li', { 'class': 'none' }, 'none in these records'));
  list.forEach(function (i) {
    var li = el('li', { 'data-seq': String(i.seq), 'class': i.seq === S.data.firstViolationSeq ? 'first' : '' }, i.name + ' at #' + i.seq);
    li.addEventListener('click', function () { focusViolation(i); });
    ol.appendChild(li);
  });
}
/** Brings a violation into view with the whole life of the event it names (schedule, dispatch, cancel). */
function focusViolation(i) {
  var flow = i.flow !== undefined ? flowById(i.flow) : null;
  var start = flow && flow.points.length ? Math.min(flow.points[0].seq, i.seq - 12) : i.seq - 40;
  goToSeq(i.seq, i.seq - start + 6, 10);
  select({ kind: 'instant', item: i });
}
function firstViolation() { return S.data.instants.filter(function (i) { return i.seq === S.data.firstViolationSeq && i.cat === 'violation'; })[0]; }

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
if (marker) marker.addEventListener('click', function () { var v = firstViolation(); if (v) select({ kind: 'instant', item: v }); });
window.addEventListener('resize', resize);

buildLabels(); buildViolations();
var full = extent('seq'); S.view = full;
resize();
if (firstViolation()) focusViolation(firstViolation()); else showDetails(null);

window.vmmsimTimeline = {
  state: S,
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
