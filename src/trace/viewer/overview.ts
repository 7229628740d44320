/**
 * The whole-run view (browser JavaScript, inlined into the page): drawn from the per-track bins
 * of the overview when the view is wider than any stored detail window. VM rows: the share of
 * each bin's records the VM was current for (ring 0 blue under client green); IRQ rows: handler
 * activity (orange) and nested entries (dark, from the bottom), scaled to the line's busiest
 * bin; the VMM row: the most pending events (blue area) over dispatches (grey) and stale cancels
 * (red). Violations are red lines at their records; the stretches that have detail are marked
 * under the axis. Bins narrower than a pixel overdraw each other, so a column shows its bins'
 * largest values: a hot spot never disappears at low zoom.
 */
export const VIEWER_OVERVIEW_JS = String.raw`
var WINDOW_BAND = 6;

function binSeq(i) { var o = S.digest.overview; return o.firstSeq + i * o.binRecords; }
function binA(i) {
  var o = S.digest.overview;
  if (S.axis === 'seq') return binSeq(i);
  return i < o.binStartUs.length ? o.binStartUs[i] : o.endUs;
}
function maxOf(list) { var m = 0; for (var i = 0; i < list.length; i++) if (list[i] > m) m = list[i]; return m || 1; }

function drawOverview(c) {
  var o = S.digest.overview, n = o.binStartUs.length;
  S.tracks.forEach(function (t) {
    var row = S.layout.rows[t.id], top = row.top + PAD, h = row.height - PAD * 2, k = t.counts;
    var scale = t.kind === 'irq' ? [maxOf(k.irq), maxOf(k.nested)] : t.kind === 'vmm' ? [maxOf(k.pendingMax), maxOf(k.dispatched)] : null;
    for (var i = 0; i < n; i++) {
      var a = binA(i), b = binA(i + 1);
      if (b < S.view.a || a > S.view.b) continue;
      var x0 = X(a), w = Math.max(1, X(b) - x0), base = top + h, records = i === n - 1 ? (o.lastSeq + 1 - binSeq(i)) : o.binRecords;
      if (t.kind === 'vm') {
        var r0 = k.ring0[i] / records * h, cl = k.client[i] / records * h;
        c.fillStyle = COLORS.ring0; c.fillRect(x0, base - r0, w, r0);
        c.fillStyle = COLORS.client; c.fillRect(x0, base - r0 - cl, w, cl);
        if (k.callbacks[i]) { c.fillStyle = COLORS.callback; c.fillRect(x0, top, w, 3); }
      } else if (t.kind === 'irq') {
        var hi = k.irq[i] / scale[0] * h, hn = k.nested[i] / scale[1] * h * 0.6;
        c.fillStyle = COLORS.irq; c.fillRect(x0, base - hi, w, hi);
        if (k.nested[i]) { c.fillStyle = '#a33a10'; c.fillRect(x0, base - hn, w, hn); }
      } else {
        var hd = k.dispatched[i] / scale[1] * h, hp = k.pendingMax[i] / scale[0] * h;
        c.fillStyle = '#cfd4d9'; c.fillRect(x0, base - hd, w, hd);
        c.fillStyle = 'rgba(92,143,214,0.75)'; c.fillRect(x0, base - hp, w, hp);
        if (k.stale[i]) { c.fillStyle = BAD; c.fillRect(x0, top, w, 4); }
      }
      S.hits.push({ x0: x0, x1: x0 + w, y0: row.top, y1: row.top + row.height, kind: 'bin', item: { track: t, bin: i, records: records }, depth: -2 });
    }
  });
  drawOverviewViolations(c);
  S.stats.bins = n;
}

function drawOverviewViolations(c) {
  var o = S.digest.overview, listed = {};
  o.violations.forEach(function (v) {
    var at = S.axis === 'seq' ? v.seq + 0.5 : v.ts;
    if (at < S.view.a || at > S.view.b) return;
    var x = Math.round(X(at)), y = laneY(v.track, 0) + LANE / 2;
    listed[Math.floor((v.seq - o.firstSeq) / o.binRecords)] = true;
    c.fillStyle = 'rgba(211,47,47,0.3)'; c.fillRect(x, AXIS, 1, S.layout.height - AXIS);
    c.fillStyle = BAD; c.beginPath(); c.moveTo(x, y - 7); c.lineTo(x + 7, y); c.lineTo(x, y + 7); c.lineTo(x - 7, y); c.closePath(); c.fill();
    S.stats.violations++;
    S.hits.push({ x0: x - 8, x1: x + 8, y0: y - 8, y1: y + 8, kind: 'violation', item: v, depth: 200 });
  });
  // Violations past the listed ones: a red tick on the axis for each bin that has any.
  for (var i = 0; i < o.violationBins.length; i++) {
    if (!o.violationBins[i] || listed[i]) continue;
    var a = binA(i); if (a < S.view.a || a > S.view.b) continue;
    c.fillStyle = BAD; c.fillRect(Math.round(X(a)), AXIS - 10, 2, 10);
  }
}

/** Under the axis: where detail is stored (click to zoom there). */
function drawWindowBand(c) {
  if (S.digest.complete) return;
  S.digest.windows.forEach(function (w, i) {
    var a = S.axis === 'seq' ? w.firstSeq : w.t0, b = S.axis === 'seq' ? w.lastSeq + 1 : w.t1;
    if (b < S.view.a || a > S.view.b) return;
    var x0 = X(a), x1 = Math.max(x0 + 3, X(b));
    c.fillStyle = i === S.detail ? '#00695c' : '#26a69a'; c.fillRect(x0, AXIS - WINDOW_BAND, x1 - x0, WINDOW_BAND);
    S.hits.push({ x0: x0, x1: x1, y0: AXIS - WINDOW_BAND - 2, y1: AXIS, kind: 'window', item: w, index: i, depth: 300 });
  });
}
`;
