/**
 * A checker for the Chrome Trace Event Format (the JSON Object Format of the "Trace Event Format"
 * document that chrome://tracing and Perfetto read), as strict as the parts vmmsim uses:
 * required fields per phase, begin/end pairs that match and nest per thread (complete events
 * included), flows with one start, one finish, steps in time order and every point inside a
 * slice of its thread, and names for every thread used. Returns the problems found.
 */

interface Event {
  ph?: unknown; name?: unknown; cat?: unknown; ts?: unknown; dur?: unknown; pid?: unknown; tid?: unknown;
  id?: unknown; bp?: unknown; s?: unknown; args?: unknown;
}

const PHASES = new Set(['B', 'E', 'X', 'i', 'C', 's', 't', 'f', 'M']);

export function validateChromeTrace(json: unknown): string[] {
  const problems: string[] = [];
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { traceEvents?: unknown }).traceEvents)) {
    return ['not an object with a traceEvents array'];
  }
  const events = (json as { traceEvents: Event[] }).traceEvents;
  events.forEach((e, index) => problems.push(...fieldProblems(e).map((p) => `event ${index} (${String(e.ph)} ${String(e.name)}): ${p}`)));
  if (problems.length > 0) return problems;
  problems.push(...nestingProblems(events), ...flowProblems(events), ...nameProblems(events));
  return problems;
}

function fieldProblems(e: Event): string[] {
  const out: string[] = [];
  const isInt = (v: unknown): boolean => Number.isInteger(v);
  if (typeof e.ph !== 'string' || !PHASES.has(e.ph)) return [`unknown phase ${String(e.ph)}`];
  if (!isInt(e.pid)) out.push('pid is not an integer');
  if (e.ph === 'M') {
    if (typeof e.name !== 'string' || typeof e.args !== 'object') out.push('metadata needs a name and args');
    return out;
  }
  if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) out.push('ts is not a finite non-negative number');
  if (e.ph !== 'C' && !(e.ph === 'i' && e.s === 'g') && !isInt(e.tid)) out.push('tid is not an integer');
  if (e.ph !== 'E' && typeof e.name !== 'string') out.push('no name');
  if (e.ph === 'X' && (typeof e.dur !== 'number' || e.dur < 0)) out.push('complete event without a non-negative dur');
  if (e.ph === 'i' && !['t', 'p', 'g'].includes(String(e.s))) out.push('instant scope must be t, p or g');
  if (e.ph === 'C') {
    const values = typeof e.args === 'object' && e.args !== null ? Object.values(e.args) : [];
    if (values.length === 0 || values.some((v) => typeof v !== 'number')) out.push('counter args must be numbers');
  }
  if ('sft'.includes(e.ph)) {
    if (!isInt(e.id) && typeof e.id !== 'string') out.push('flow event without an id');
    if (typeof e.cat !== 'string') out.push('flow event without a cat');
  }
  return out;
}

const threadKey = (e: Event): string => `${String(e.pid)}/${String(e.tid)}`;

/** Per thread, in timestamp order (file order on ties): B/E pair up, and every slice nests. */
function nestingProblems(events: readonly Event[]): string[] {
  const problems: string[] = [];
  const byThread = new Map<string, { e: Event; at: number }[]>();
  events.forEach((e, at) => {
    if (e.ph !== 'B' && e.ph !== 'E' && e.ph !== 'X') return;
    const list = byThread.get(threadKey(e)) ?? [];
    list.push({ e, at });
    byThread.set(threadKey(e), list);
  });
  for (const [thread, list] of byThread) {
    list.sort((a, b) => (a.e.ts as number) - (b.e.ts as number) || a.at - b.at);
    const stack: { name: unknown; end: number | null }[] = [];
    const popEnded = (ts: number): void => {
      while (stack.length > 0 && stack.at(-1)!.end !== null && stack.at(-1)!.end! <= ts) stack.pop();
    };
    for (const { e } of list) {
      const ts = e.ts as number;
      popEnded(ts);
      const top = stack.at(-1);
      if (e.ph === 'E') {
        if (top === undefined || top.end !== null) problems.push(`thread ${thread}: E ${String(e.name)} at ${ts} closes ${top ? 'a complete event' : 'nothing'}`);
        else if (e.name !== undefined && e.name !== top.name) problems.push(`thread ${thread}: E ${String(e.name)} at ${ts} closes B ${String(top.name)}`);
        else stack.pop();
        continue;
      }
      const end = e.ph === 'X' ? ts + (e.dur as number) : null;
      const parentEnd = [...stack].reverse().find((s) => s.end !== null)?.end ?? Infinity;
      if (end !== null && end > parentEnd + 1e-9) problems.push(`thread ${thread}: X ${String(e.name)} at ${ts} ends after its parent`);
      stack.push({ name: e.name, end });
    }
    popEnded(Infinity);
    const open = stack.filter((s) => s.end === null);
    if (open.length > 0) problems.push(`thread ${thread}: ${open.length} B event(s) never ended (${String(open[0]!.name)})`);
  }
  return problems;
}

/** Slices per thread as [start, end] intervals, for checking where flow points land. */
function sliceIntervals(events: readonly Event[]): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  const open = new Map<string, number[]>();
  for (const e of events) {
    const key = threadKey(e);
    const list = out.get(key) ?? [];
    out.set(key, list);
    if (e.ph === 'X') list.push([e.ts as number, (e.ts as number) + (e.dur as number)]);
    if (e.ph === 'B') open.set(key, [...(open.get(key) ?? []), e.ts as number]);
    if (e.ph === 'E') {
      const starts = open.get(key) ?? [];
      const start = starts.pop();
      if (start !== undefined) list.push([start, e.ts as number]);
    }
  }
  return out;
}

function flowProblems(events: readonly Event[]): string[] {
  const problems: string[] = [];
  const flows = new Map<string, Event[]>();
  for (const e of events) {
    if (e.ph !== 's' && e.ph !== 't' && e.ph !== 'f') continue;
    const key = `${String(e.cat)}|${String(e.name)}|${String(e.id)}`;
    flows.set(key, [...(flows.get(key) ?? []), e]);
  }
  const slices = sliceIntervals(events);
  for (const [key, points] of flows) {
    const phases = points.map((p) => p.ph).join('');
    if (!/^st*f$/.test(phases)) problems.push(`flow ${key}: phases ${phases}, not s t* f`);
    for (let i = 1; i < points.length; i++) {
      if ((points[i]!.ts as number) < (points[i - 1]!.ts as number)) problems.push(`flow ${key}: point ${i} goes back in time`);
    }
    const finish = points.at(-1)!;
    if (finish.ph === 'f' && finish.bp !== 'e') problems.push(`flow ${key}: the finish does not bind to its enclosing slice (bp e)`);
    for (const p of points) {
      const ts = p.ts as number;
      if (!(slices.get(threadKey(p)) ?? []).some(([a, b]) => a <= ts && ts <= b)) problems.push(`flow ${key}: ${String(p.ph)} at ${ts} is in no slice of thread ${threadKey(p)}`);
    }
  }
  return problems;
}

function nameProblems(events: readonly Event[]): string[] {
  const named = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map(threadKey));
  const used = new Set(events.filter((e) => e.ph !== 'M' && e.ph !== 'C' && !(e.ph === 'i' && e.s === 'g')).map(threadKey));
  const hasProcessName = events.some((e) => e.ph === 'M' && e.name === 'process_name');
  return [
    ...[...used].filter((t) => !named.has(t)).map((t) => `thread ${t} has no thread_name`),
    ...(hasProcessName ? [] : ['no process_name']),
  ];
}
