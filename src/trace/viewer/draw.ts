/**
 * The timeline page's canvas renderer (browser JavaScript, inlined into the page). It reads the
 * shared state `S` (see ui.ts): the detail window in view (`S.data`, or null for the whole-run
 * view of overview.ts), the axis ('seq': one column per record, the order of events; 'ts':
 * microseconds), the visible range, and the selection. Every drawn item that can be clicked is
 * pushed onto `S.hits`.
 */
export const VIEWER_DRAW_JS = String.raw`
var LANE = 20, AXIS = 28, COUNTER = 40, PAD = 5;
var COLORS = { client: '#a8d5a2', ring0: '#7fb3e0', irq: '#f4b860', irqNested: '#e8743b', callback: '#b39ddb', processing: '#cfd4d9' };
var FLOW = 'rgba(70,84,96,0.55)', BAD = '#d32f2f', SELECTED = '#111';

function layoutRows(data) {
  var y = AXIS, rows = {};
  data.tracks.forEach(function (t) {
    var extra = t.kind === 'vmm' ? COUNTER : 0;
    var h = Math.max(40, extra + t.lanes * LANE + PAD * 2);
    rows[t.id] = { top: y, height: h, lanesTop: y + PAD + extra, track: t };
    y += h;
  });
  return { rows: rows, height: y + 8 };
}

function X(v) { return (v - S.view.a) / (S.view.b - S.view.a) * S.width; }
function spanA(s) { return S.axis === 'seq' ? s.s : s.t0; }
function spanB(s) { return S.axis === 'seq' ? s.e : s.t1; }
function pointA(p) { return S.axis === 'seq' ? p.seq + 0.5 : p.ts; }
function laneY(track, lane) { var row = S.layout.rows[track]; return row ? row.lanesTop + lane * LANE : -100; }

function hatch(c) {
  var p = document.createElement('canvas'); p.width = 8; p.height = 8;
  var g = p.getContext('2d');
  g.fillStyle = COLORS.irqNested; g.fillRect(0, 0, 8, 8);
  g.strokeStyle = 'rgba(255,255,255,0.3)'; g.lineWidth = 2;
  g.beginPath(); g.moveTo(-2, 10); g.lineTo(10, -2); g.moveTo(6, 10); g.lineTo(10, 6); g.moveTo(-2, 2); g.lineTo(2, -2); g.stroke();
  return c.createPattern(p, 'repeat');
}

function draw() {
  var c = S.ctx;
  c.setTransform(S.dpr, 0, 0, S.dpr, 0, 0);
  c.clearRect(0, 0, S.width, S.layout.height);
  S.hits = [];
  S.stats = { spans: 0, flows: 0, violations: 0, bins: 0 };
  S.detail = detailFor(S.view);
  S.data = S.detail >= 0 ? windowData(S.detail) : null;
  drawRows(c); drawAxis(c);
  if (S.data) { drawCounters(c); drawSpans(c); drawSwitches(c); drawFlows(c); drawInstants(c); }
  else drawOverview(c);
  drawWindowBand(c);
  placeMarker();
  var note = document.getElementById('arrows-note');
  if (note) note.textContent = S.stats.arrowsHidden ? '(' + S.stats.arrowsHidden + ' in view: zoom in to see them)' : '';
  var mode = document.getElementById('view-mode');
  if (mode) {
    mode.textContent = S.data ? (S.digest.complete ? '' : 'detail: records ' + S.data.firstSeq + ' to ' + S.data.lastSeq)
      : 'whole-run view: ' + S.digest.overview.binStartUs.length + ' bins' + (S.digest.complete ? '; zoom in for detail' : '; zoom into a green-marked stretch for detail');
    mode.setAttribute('data-mode', S.data ? 'detail' : 'overview');
  }
}

function drawRows(c) {
  S.tracks.forEach(function (t, i) {
    var row = S.layout.rows[t.id];
    c.fillStyle = t.kind === 'irq' ? '#fffaf3' : t.kind === 'vmm' ? '#f7f9fb' : (i % 2 ? '#fbfcfd' : '#ffffff');
    c.fillRect(0, row.top, S.width, row.height);
    c.fillStyle = '#eceff2'; c.fillRect(0, row.top + row.height - 1, S.width, 1);
  });
}

function niceStep(range, px) {
  var raw = range / Math.max(1, px / 110), p = Math.pow(10, Math.floor(Math.log10(raw))), m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

function drawAxis(c) {
  var step = niceStep(S.view.b - S.view.a, S.width);
  if (S.axis === 'seq') step = Math.max(1, Math.round(step));
  c.fillStyle = '#fff'; c.fillRect(0, 0, S.width, AXIS);
  c.font = '11px system-ui, sans-serif'; c.textBaseline = 'middle';
  for (var v = Math.ceil(S.view.a / step) * step; v <= S.view.b; v += step) {
    var x = Math.round(X(v)) + 0.5;
    c.fillStyle = 'rgba(0,0,0,0.06)'; c.fillRect(x, AXIS, 1, S.layout.height - AXIS);
    c.fillStyle = '#5b6770'; c.fillRect(x, AXIS - 6, 1, 6);
    var label = S.axis === 'seq' ? '#' + v : fmtUs(v, step);
    c.fillText(label, x + 3, AXIS / 2 - 2);
  }
  c.fillStyle = '#dde1e6'; c.fillRect(0, AXIS - 1, S.width, 1);
}

function fmtUs(v, step) {
  var d = step >= 1 ? 0 : Math.min(4, Math.ceil(-Math.log10(step)));
  return v.toFixed(d) + ' µs';
}

function drawCounters(c) {
  var row = S.layout.rows.vmm; if (!row) return;
  var samples = S.data.counters, top = row.top + PAD, h = COUNTER - 8, max = 1;
  samples.forEach(function (s) { max = Math.max(max, s.global + s.vm + s.priority); });
  var layers = [['global', '#5c8fd6'], ['vm', '#6dbb75'], ['priority', '#9b7fd1']];
  for (var i = 0; i < samples.length; i++) {
    var s = samples[i], next = samples[i + 1];
    var a = S.axis === 'seq' ? s.seq + 1 : s.ts, b = next ? (S.axis === 'seq' ? next.seq + 1 : next.ts) : S.view.b;
    if (b < S.view.a || a > S.view.b) continue;
    var x0 = Math.max(0, X(a)), x1 = Math.min(S.width, X(b)), base = top + h;
    layers.forEach(function (l) {
      var n = s[l[0]]; if (!n) return;
      var hh = n / max * h; c.fillStyle = l[1]; c.fillRect(x0, base - hh, Math.max(1, x1 - x0), hh); base -= hh;
    });
    S.hits.push({ x0: x0, x1: x1, y0: top, y1: top + h, kind: 'counter', item: s });
  }
  c.font = '10px system-ui, sans-serif'; c.textBaseline = 'top'; c.lineWidth = 3; c.strokeStyle = 'rgba(255,255,255,0.9)';
  var text = 'pending events (max ' + max + '): global / vm / priority';
  c.strokeText(text, 4, top); c.fillStyle = '#37474f'; c.fillText(text, 4, top);
}

function drawSpans(c) {
  var last = {};
  c.font = '11px system-ui, sans-serif'; c.textBaseline = 'middle';
  S.data.spans.forEach(function (s) {
    var a = spanA(s), b = spanB(s);
    if (b < S.view.a || a > S.view.b) return;
    var x0 = X(a), x1 = X(b), y = laneY(s.track, s.lane) + 1, key = s.track + ':' + s.lane;
    if (x1 - x0 < 1 && last[key] === Math.floor(x0)) return;
    last[key] = Math.floor(x0);
    var selected = S.selected.item === s || (S.selected.flow !== null && s.flow === S.selected.flow);
    c.fillStyle = s.cat === 'irqNested' ? S.hatch : COLORS[s.cat];
    c.fillRect(x0, y, Math.max(1, x1 - x0 - 0.5), LANE - 3);
    if (selected) { c.strokeStyle = SELECTED; c.lineWidth = 2; c.strokeRect(x0 + 1, y + 1, Math.max(1, x1 - x0 - 2), LANE - 5); }
    S.stats.spans++;
    var vx0 = Math.max(x0, 0), vx1 = Math.min(x1, S.width);
    if (vx1 - vx0 > 28) {
      c.save(); c.beginPath(); c.rect(vx0, y, vx1 - vx0 - 2, LANE - 3); c.clip();
      if (s.cat === 'irqNested') {
        c.font = 'bold 11px system-ui, sans-serif'; c.lineWidth = 3; c.strokeStyle = 'rgba(90,25,0,0.8)';
        c.strokeText(s.name, vx0 + 4, y + (LANE - 3) / 2);
      }
      c.fillStyle = s.cat === 'irqNested' ? '#fff' : '#1d2329';
      c.fillText(s.name, vx0 + 4, y + (LANE - 3) / 2);
      c.font = '11px system-ui, sans-serif';
      c.restore();
    }
    S.hits.push({ x0: x0, x1: Math.max(x1, x0 + 2), y0: y, y1: y + LANE - 3, kind: 'span', item: s, depth: s.lane });
  });
}

function drawSwitches(c) {
  var vmRows = S.tracks.filter(function (t) { return t.kind === 'vm'; }).map(function (t) { return S.layout.rows[t.id]; });
  if (!vmRows.length) return;
  var top = vmRows[0].top, bottom = vmRows[vmRows.length - 1].top + vmRows[vmRows.length - 1].height, labelEnd = {};
  S.data.instants.forEach(function (i) {
    if (i.cat !== 'taskSwitch') return;
    var v = pointA(i); if (v < S.view.a || v > S.view.b) return;
    var x = Math.round(X(v)) + 0.5;
    c.strokeStyle = '#37474f'; c.lineWidth = 1; c.setLineDash([4, 3]);
    c.beginPath(); c.moveTo(x, top); c.lineTo(x, bottom); c.stroke(); c.setLineDash([]);
    var row = S.layout.rows[i.track];
    if (!(x < labelEnd[i.track])) {
      c.fillStyle = '#37474f'; c.font = 'bold 10px system-ui, sans-serif'; c.textBaseline = 'top';
      c.fillText(i.name, x + 3, row.top + 1);
      labelEnd[i.track] = x + 6 + c.measureText(i.name).width;
    }
    S.hits.push({ x0: x - 4, x1: x + 4, y0: top, y1: bottom, kind: 'instant', item: i, depth: -1 });
  });
}

function pointXY(p) { return { x: X(pointA(p)), y: laneY(p.track, p.lane) + LANE / 2 - 0.5 }; }

/** Above this many arrows in view only the violating and the selected ones are drawn: the rest would be a smear. */
var MAX_ARROWS = 400;

function drawFlows(c) {
  var visible = S.data.flows.filter(function (f) {
    var first = f.points[0], last = f.points[f.points.length - 1];
    return pointA(last) >= S.view.a && pointA(first) <= S.view.b;
  });
  var crowded = visible.length > MAX_ARROWS;
  S.stats.arrowsHidden = crowded ? visible.length : 0;
  visible.forEach(function (f) {
    var selected = S.selected.flow === f.id;
    if ((!S.allFlows || crowded) && !f.bad && !selected) return;
    var pts = f.points.map(pointXY);
    var color = f.bad ? BAD : selected ? SELECTED : FLOW;
    c.strokeStyle = color; c.fillStyle = color; c.lineWidth = f.bad && selected ? 3.5 : selected || f.bad ? 2.5 : 1.2;
    for (var k = 1; k < pts.length; k++) arrow(c, pts[k - 1], pts[k], selected || f.bad ? 9 : 6);
    f.points.forEach(function (p, k) { pointMark(c, p, pts[k], color, f); });
    if (f.bad || selected) f.points.forEach(function (p, k) { caption(c, captionOf(f, p), pts[k], color); });
    S.stats.flows++;
  });
}

function hexOf(n) { return '0x' + ('0000000' + (n >>> 0).toString(16)).slice(-8); }

/** What happened at a step of an event's life, in the words of the DDK. */
function captionOf(f, p) {
  if (p.step === 'scheduled') return (p.args.service || 'scheduled') + ' → handle ' + hexOf(f.handle) + ' saved';
  if (p.step === 'dispatched') return f.callback + ' runs (handle now stale)';
  if (p.step === 'staleCancel') return 'Cancel ' + hexOf(f.handle) + ': already ran!';
  if (p.step === 'wrongService') return 'cancelled with the wrong service';
  return p.step;
}

/** A caption above a point, on a white halo so it reads over spans and arrows. */
function caption(c, text, at, color) {
  c.save(); c.font = 'bold 11px system-ui, sans-serif'; c.textBaseline = 'bottom';
  var w = c.measureText(text).width, x = Math.min(Math.max(2, at.x - w / 2), S.width - w - 2), y = at.y - 9;
  c.lineWidth = 4; c.strokeStyle = 'rgba(255,255,255,0.92)'; c.strokeText(text, x, y);
  c.fillStyle = color; c.fillText(text, x, y);
  c.restore();
}

function arrow(c, p, q, head) {
  var dx = q.x - p.x, bend = Math.max(18, Math.abs(dx) * 0.35);
  var c1 = { x: p.x + Math.min(bend, Math.abs(dx) / 2 + 10), y: p.y }, c2 = { x: q.x - Math.min(bend, Math.abs(dx) / 2 + 10), y: q.y };
  if (Math.abs(q.y - p.y) < 2) { c1.y -= 24; c2.y -= 24; }
  c.beginPath(); c.moveTo(p.x, p.y); c.bezierCurveTo(c1.x, c1.y, c2.x, c2.y, q.x, q.y); c.stroke();
  var ang = Math.atan2(q.y - c2.y, q.x - c2.x);
  c.beginPath(); c.moveTo(q.x, q.y);
  c.lineTo(q.x - head * Math.cos(ang - 0.4), q.y - head * Math.sin(ang - 0.4));
  c.lineTo(q.x - head * Math.cos(ang + 0.4), q.y - head * Math.sin(ang + 0.4));
  c.closePath(); c.fill();
}

function pointMark(c, p, at, color, f) {
  var r = f.bad ? 5 : 3.5;
  c.save(); c.lineWidth = 2;
  if (p.step === 'scheduled') { c.beginPath(); c.arc(at.x, at.y, r, 0, 7); c.fillStyle = '#fff'; c.fill(); c.strokeStyle = color; c.stroke(); }
  else if (p.step === 'dispatched') { c.beginPath(); c.arc(at.x, at.y, r, 0, 7); c.fillStyle = color; c.fill(); }
  else {
    var bad = p.step === 'staleCancel' || p.step === 'wrongService', d = bad ? 7 : 4;
    c.strokeStyle = bad ? BAD : color; c.lineWidth = bad ? 3 : 2;
    c.beginPath(); c.moveTo(at.x - d, at.y - d); c.lineTo(at.x + d, at.y + d); c.moveTo(at.x + d, at.y - d); c.lineTo(at.x - d, at.y + d); c.stroke();
  }
  c.restore();
  S.hits.push({ x0: at.x - 7, x1: at.x + 7, y0: at.y - 8, y1: at.y + 8, kind: 'point', item: p, flow: f, depth: 100 });
}

function drawInstants(c) {
  S.data.instants.forEach(function (i) {
    if (i.cat === 'taskSwitch') return;
    var v = pointA(i); if (v < S.view.a || v > S.view.b) return;
    var x = X(v), y = laneY(i.track, i.lane) + LANE / 2 - 0.5;
    if (i.cat === 'violation') {
      var first = i.seq === S.data.firstViolationSeq;
      c.fillStyle = first ? 'rgba(211,47,47,0.12)' : 'rgba(211,47,47,0.06)';
      c.fillRect(x - (first ? 6 : 3), AXIS, first ? 12 : 6, S.layout.height - AXIS);
      c.fillStyle = BAD; c.fillRect(Math.round(x) - (first ? 1 : 0), AXIS, first ? 2 : 1, S.layout.height - AXIS);
      c.beginPath(); c.moveTo(x, y - 9); c.lineTo(x + 9, y); c.lineTo(x, y + 9); c.lineTo(x - 9, y); c.closePath();
      c.fill(); c.strokeStyle = '#fff'; c.lineWidth = 1.5; c.stroke();
      S.stats.violations++;
      S.hits.push({ x0: x - 10, x1: x + 10, y0: y - 10, y1: y + 10, kind: 'instant', item: i, depth: 200 });
    } else if (i.cat === 'cancel') {
      c.strokeStyle = '#37474f'; c.lineWidth = 1.5;
      c.beginPath(); c.moveTo(x, y - 8); c.lineTo(x, y + 8); c.stroke();
      S.hits.push({ x0: x - 4, x1: x + 4, y0: y - 9, y1: y + 9, kind: 'instant', item: i, depth: 50 });
    }
  });
}
`;
