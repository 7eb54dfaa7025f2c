/**
 * The timeline of a counterexample as inline SVG markup: one lane for the producer, one per
 * worker (w1, w2, …) and one for the broker/network (the harness's events). The x axis is
 * the events' `time` (ms since the run started); events are laid out in (time, seq) order and
 * kept at least MIN_GAP pixels apart, so that events in the same millisecond stay legible in
 * `seq` order (the axis then stretches locally; its ticks follow the stretch).
 *
 * Every history event is exactly one mark (`.ev`, with `data-ev` = its index in the history,
 * `data-type`, `data-id`); bars (process begin→end), fault spans (fault-start→fault-heal),
 * crashes and lane lines are drawn in addition, never instead.
 */
import type { HistoryEvent } from '../model/history.ts';

export const TIMELINE_COLORS = {
  produce: '#2563eb',
  produceFail: '#dc2626',
  produceInfo: '#d97706',
  deliver: '#7c3aed',
  begin: '#15803d',
  ok: '#16a34a',
  error: '#dc2626',
  unfinished: '#9ca3af',
  ack: '#0891b2',
  fault: '#ea580c',
  crash: '#b91c1c',
  highlight: '#fde047',
} as const;

const LABEL_W = 120;
const LANE_H = 46;
const AXIS_H = 40;
const LEFT = LABEL_W + 16;
const RIGHT_PAD = 40;
const MIN_GAP = 8;
const MAX_IDLE_PX = 60;

export interface TimelineOptions {
  /** Index of the result in the report (for data attributes the page script reads). */
  readonly result: number;
  /** Message ids to highlight (the findings' ids). */
  readonly highlight: ReadonlySet<string>;
}

export interface Lane {
  readonly process: string;
  readonly label: string;
  readonly kind: 'producer' | 'worker' | 'broker';
}

const esc = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** The lanes, top to bottom: producer, workers in natural order (w2 before w10), broker/network. */
export function timelineLanes(history: readonly HistoryEvent[]): Lane[] {
  const workers = [...new Set(history.map((e) => e.process))]
    .filter((p) => p !== 'producer' && p !== 'harness')
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return [
    { process: 'producer', label: 'producer', kind: 'producer' },
    ...workers.map((w) => ({ process: w, label: `worker ${w}`, kind: 'worker' as const })),
    { process: 'harness', label: 'broker / network', kind: 'broker' },
  ];
}

/** A stretch of idle time drawn narrower than its length (a broken axis). */
interface AxisBreak {
  readonly x1: number;
  readonly x2: number;
  readonly ms: number;
  /** The time the events resume at. */
  readonly resume: number;
}

/**
 * x of each event (by history index), the x of a time on the (stretched, broken) axis (NaN
 * inside a break), and the breaks. Events are placed in (time, seq) order at `pxPerMs`, at
 * least MIN_GAP apart; an idle stretch wider than MAX_IDLE_PX is drawn MAX_IDLE_PX wide, so
 * that a slow start (a consumer group forming) does not squeeze the interesting part.
 */
/** History indexes in (time, seq) order. */
function order(history: readonly HistoryEvent[]): number[] {
  return [...history.keys()].sort(
    (a, b) =>
      (history[a]?.time ?? 0) - (history[b]?.time ?? 0) || (history[a]?.seq ?? 0) - (history[b]?.seq ?? 0),
  );
}

function layoutX(history: readonly HistoryEvent[]): {
  xs: number[];
  xOfTime: (t: number) => number;
  breaks: AxisBreak[];
  end: number;
} {
  const sorted = order(history).map((i) => ({ e: history[i] as HistoryEvent, i }));
  const times = [0, ...sorted.map((o) => o.e.time)];
  const target = Math.max(700, Math.min(1400, history.length * 10));
  const widthAt = (pxPerMs: number) => {
    let w = 0;
    for (let k = 1; k < times.length; k++)
      w += Math.max(MIN_GAP, Math.min(MAX_IDLE_PX, ((times[k] ?? 0) - (times[k - 1] ?? 0)) * pxPerMs));
    return w;
  };
  // The scale at which the drawing is about `target` wide (bisection; at most 2 px per ms).
  let lo = 0;
  let hi = 2;
  if (widthAt(hi) > target) {
    for (let k = 0; k < 40; k++) {
      const mid = (lo + hi) / 2;
      if (widthAt(mid) > target) hi = mid;
      else lo = mid;
    }
  }
  const pxPerMs = hi;
  const xs: number[] = new Array<number>(history.length).fill(LEFT);
  const points: Array<{ time: number; x: number; broken: boolean }> = [{ time: 0, x: LEFT, broken: false }];
  const breaks: AxisBreak[] = [];
  let prevX = LEFT;
  let prevT = 0;
  let first = true;
  for (const { e, i } of sorted) {
    const natural = (e.time - prevT) * pxPerMs;
    const broken = natural > MAX_IDLE_PX;
    const x = first && e.time <= 0 ? LEFT : prevX + Math.max(MIN_GAP, Math.min(MAX_IDLE_PX, natural));
    if (broken) breaks.push({ x1: prevX, x2: x, ms: e.time - prevT, resume: e.time });
    xs[i] = x;
    points.push({ time: e.time, x, broken });
    prevX = x;
    prevT = e.time;
    first = false;
  }
  const xOfTime = (t: number) => {
    for (let k = 1; k < points.length; k++) {
      const a = points[k - 1];
      const b = points[k];
      if (!a || !b || t > b.time) continue;
      if (b.broken) return Number.NaN;
      return b.time === a.time ? b.x : Math.min(b.x, a.x + (t - a.time) * pxPerMs);
    }
    return prevX + (t - prevT) * pxPerMs;
  };
  return { xs, xOfTime, breaks, end: prevX + RIGHT_PAD };
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function niceStep(span: number, ticks: number): number {
  const raw = span / ticks;
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  return ([1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow) || 1;
}

interface Crash {
  readonly process: string;
  readonly x: number;
  readonly fault: Extract<HistoryEvent, { fault: number }>;
}

/**
 * Which worker each consumer-kill ended. A kill at a message's phase is recorded by the dying
 * worker itself (its last event); a progress-triggered kill is recorded by the harness, and the
 * worker it ended is the one whose events stop there.
 */
function crashes(history: readonly HistoryEvent[], xs: readonly number[], lanes: readonly Lane[]): Crash[] {
  const lastSeq = new Map<string, number>();
  for (const e of history) lastSeq.set(e.process, Math.max(lastSeq.get(e.process) ?? -1, e.seq));
  const found: Crash[] = [];
  const taken = new Set<string>();
  history.forEach((e, i) => {
    if (e.type !== 'fault-start' || e.kind !== 'consumer-kill') return;
    let victim: string | undefined;
    if (e.process !== 'harness' && e.process !== 'producer') victim = e.process;
    else {
      // The worker whose last event came last before this kill.
      let best = -1;
      for (const lane of lanes) {
        if (lane.kind !== 'worker' || taken.has(lane.process)) continue;
        const seq = lastSeq.get(lane.process) ?? -1;
        if (seq < e.seq && seq > best) {
          best = seq;
          victim = lane.process;
        }
      }
    }
    if (victim === undefined || taken.has(victim)) return;
    taken.add(victim);
    found.push({ process: victim, x: xs[i] ?? LEFT, fault: e });
  });
  return found;
}

/** The timeline SVG (a string of markup) and the number of event marks in it. */
export function renderTimeline(
  history: readonly HistoryEvent[],
  options: TimelineOptions,
): { svg: string; marks: number; lanes: readonly Lane[] } {
  const lanes = timelineLanes(history);
  const laneIndex = new Map(lanes.map((l, i) => [l.process, i]));
  const laneOf = (process: string) => laneIndex.get(process) ?? 0;
  const yMid = (lane: number) => AXIS_H + lane * LANE_H + LANE_H / 2;
  const { xs, xOfTime, breaks, end } = layoutX(history);
  const width = Math.ceil(end);
  const height = AXIS_H + lanes.length * LANE_H + 8;
  const C = TIMELINE_COLORS;
  const r = options.result;

  const back: string[] = []; // lane backgrounds, lines, axis
  const grid: string[] = []; // ticks and axis breaks, over the lane backgrounds
  const spans: string[] = []; // bars and fault spans
  const halos: string[] = [];
  const marks: string[] = [];
  const labels: string[] = [];

  // Axis: ticks at nice times along the stretched scale.
  const times = history.map((e) => e.time);
  const tMax = Math.max(0, ...times);
  const step = niceStep(tMax, 8);
  const tickXs: number[] = [];
  for (let t = 0; t <= tMax + step / 2; t += step) {
    const x = xOfTime(t);
    if (Number.isNaN(x) || tickXs.some((other) => Math.abs(other - x) < 56) || x > width - 20) continue;
    tickXs.push(x);
    grid.push(
      `<line class="tick" x1="${x.toFixed(1)}" y1="${AXIS_H - 6}" x2="${x.toFixed(1)}" y2="${height - 8}"/>`,
      `<text class="tick-label" x="${x.toFixed(1)}" y="${AXIS_H - 10}" text-anchor="middle">${t} ms</text>`,
    );
  }

  // Breaks: idle stretches drawn short, as a grey band labelled with their length.
  for (const b of breaks) {
    const mid = (b.x1 + b.x2) / 2;
    grid.push(
      `<g class="axis-break"><rect x="${(mid - 6).toFixed(1)}" y="${AXIS_H - 4}" width="12" height="${height - AXIS_H - 4}"/>` +
        `<text class="break-label" x="${mid.toFixed(1)}" y="12" text-anchor="middle">+${formatMs(b.ms)}</text></g>`,
    );
  }
  // After each break, the time the events resume at (nice ticks rarely land between breaks).
  for (const b of breaks) {
    const t = b.resume;
    if (tickXs.some((x) => Math.abs(x - b.x2) < 50)) continue;
    tickXs.push(b.x2);
    grid.push(
      `<line class="tick" x1="${b.x2.toFixed(1)}" y1="${AXIS_H - 6}" x2="${b.x2.toFixed(1)}" y2="${height - 8}"/>`,
      `<text class="tick-label" x="${b.x2.toFixed(1)}" y="${AXIS_H - 10}" text-anchor="middle">${Math.round(t)} ms</text>`,
    );
  }

  // Lanes.
  const crashList = crashes(history, xs, lanes);
  const crashOf = new Map(crashList.map((c) => [c.process, c]));
  lanes.forEach((lane, i) => {
    const y0 = AXIS_H + i * LANE_H;
    const own = history
      .map((e, j) => ({ e, x: xs[j] ?? LEFT }))
      .filter(({ e }) => e.process === lane.process);
    const from = lane.kind === 'worker' && own.length > 0 ? Math.min(...own.map((o) => o.x)) - MIN_GAP : LEFT;
    const crash = crashOf.get(lane.process);
    const to = crash
      ? crash.x
      : lane.kind === 'worker' && own.length > 0
        ? Math.max(...own.map((o) => o.x))
        : width - 8;
    back.push(
      `<g class="lane lane-${lane.kind}${i % 2 === 1 ? ' lane-alt' : ''}" data-testid="lane" data-lane="${esc(lane.process)}">` +
        `<rect class="lane-bg" x="0" y="${y0}" width="${width}" height="${LANE_H}"/>` +
        `<text class="lane-label" x="8" y="${y0 + LANE_H / 2 + 4}">${esc(lane.label)}</text>` +
        `<line class="lane-line" x1="${from.toFixed(1)}" y1="${yMid(i)}" x2="${to.toFixed(1)}" y2="${yMid(i)}"/>` +
        `</g>`,
    );
  });

  // Process bars (begin → end), unfinished bars (begin, then a crash or nothing).
  const begins = new Map<string, number>();
  const attemptKey = (e: { process: string; id: string; copy: number; attempt: number }) =>
    JSON.stringify([e.process, e.id, e.copy, e.attempt]);
  const bar = (x1: number, x2: number, lane: number, cls: string, id: string, fill: string) => {
    const y = yMid(lane) - 6;
    if (options.highlight.has(id)) cls += ' hl';
    const w = Math.max(3, x2 - x1);
    spans.push(
      `<rect class="bar ${cls}" data-id="${esc(id)}" x="${x1.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="12" rx="2" fill="${fill}"/>`,
    );
  };
  history.forEach((e, i) => {
    if (e.type === 'process-begin') begins.set(attemptKey(e), i);
    if (e.type === 'process-end') {
      const b = begins.get(attemptKey(e));
      if (b === undefined) return;
      begins.delete(attemptKey(e));
      bar(
        xs[b] ?? LEFT,
        xs[i] ?? LEFT,
        laneOf(e.process),
        e.outcome,
        e.id,
        e.outcome === 'ok' ? C.ok : C.error,
      );
    }
  });
  for (const b of begins.values()) {
    const e = history[b];
    if (!e || e.type !== 'process-begin') continue;
    const crash = crashOf.get(e.process);
    const x1 = xs[b] ?? LEFT;
    const x2 = crash && crash.x > x1 ? crash.x : x1 + 3 * MIN_GAP;
    bar(x1, x2, laneOf(e.process), 'unfinished', e.id, C.unfinished);
  }

  // Fault spans: fault-start → fault-heal, in the lane that recorded them.
  const open = new Map<string, number>();
  const faultKey = (e: HistoryEvent & { fault: number; kind: string }) =>
    JSON.stringify([e.process, e.fault, e.kind]);
  const faultSpan = (start: number, x2: number) => {
    const e = history[start];
    if (!e || e.type !== 'fault-start') return;
    const lane = laneOf(e.process);
    const x1 = xs[start] ?? LEFT;
    const y = AXIS_H + lane * LANE_H + 5;
    spans.push(
      `<rect class="fault-span" data-kind="${esc(e.kind)}" x="${x1.toFixed(1)}" y="${y}" width="${Math.max(4, x2 - x1).toFixed(1)}" height="${LANE_H - 10}" rx="3"/>`,
    );
    // In a worker lane the label goes under the marks; in the broker lane, at the top of the span.
    const labelY = lanes[lane]?.kind === 'worker' ? y + LANE_H - 12 : y + 10;
    labels.push(`<text class="fault-label" x="${(x1 + 6).toFixed(1)}" y="${labelY}">${esc(e.kind)}</text>`);
  };
  history.forEach((e, i) => {
    if (e.type === 'fault-start') open.set(faultKey(e), i);
    if (e.type === 'fault-heal') {
      const s = open.get(faultKey(e));
      if (s === undefined) return;
      open.delete(faultKey(e));
      faultSpan(s, xs[i] ?? LEFT);
    }
  });
  for (const s of open.values()) {
    const e = history[s];
    if (e?.type === 'fault-start' && e.kind === 'consumer-kill' && e.process !== 'harness') continue; // drawn as a crash
    faultSpan(s, (xs[s] ?? LEFT) + 2 * MIN_GAP);
  }

  // Crashes: an ✕ where a worker's lane ends.
  for (const c of crashList) {
    const y = yMid(laneOf(c.process));
    spans.push(
      `<g class="crash" data-lane="${esc(c.process)}" data-fault="${c.fault.fault}">` +
        `<line x1="${(c.x - 7).toFixed(1)}" y1="${y - 7}" x2="${(c.x + 7).toFixed(1)}" y2="${y + 7}"/>` +
        `<line x1="${(c.x - 7).toFixed(1)}" y1="${y + 7}" x2="${(c.x + 7).toFixed(1)}" y2="${y - 7}"/></g>`,
    );
    labels.push(`<text class="crash-label" x="${(c.x + 9).toFixed(1)}" y="${y + 16}">killed</text>`);
  }

  // Message ids above produce and deliver marks, where they fit, the highlighted ones first
  // (hover shows every id).
  const placed = new Map<string, Array<readonly [number, number]>>();
  const labelled = order(history).filter((i) => {
    const t = history[i]?.type;
    return t === 'produce' || t === 'deliver';
  });
  const highlighted = (i: number) => {
    const e = history[i];
    return e !== undefined && 'id' in e && options.highlight.has(e.id);
  };
  for (const i of [...labelled.filter(highlighted), ...labelled.filter((i) => !highlighted(i))]) {
    const e = history[i];
    if (!e || (e.type !== 'produce' && e.type !== 'deliver')) continue;
    const x = xs[i] ?? LEFT;
    const text = e.copy > 0 ? `${e.id}′` : e.id;
    const half = (text.length * 5.6) / 2 + 4;
    const taken = placed.get(e.process) ?? [];
    if (taken.some(([a, b]) => x - half < b && x + half > a)) continue;
    placed.set(e.process, [...taken, [x - half, x + half]]);
    labels.push(
      `<text class="id-label${highlighted(i) ? ' hl' : ''}" x="${x.toFixed(1)}" y="${yMid(laneOf(e.process)) - 15}" text-anchor="middle">${esc(text)}</text>`,
    );
  }

  // One mark per event.
  history.forEach((e, i) => {
    const x = xs[i] ?? LEFT;
    const y = yMid(laneOf(e.process));
    const id = 'id' in e ? e.id : '';
    const hl = id !== '' && options.highlight.has(id);
    const attrs = `class="ev ev-${e.type}${hl ? ' hl' : ''}" data-result="${r}" data-ev="${i}" data-x="${x.toFixed(1)}" data-type="${e.type}"${id ? ` data-id="${esc(id)}"` : ''}`;
    if (hl) halos.push(`<circle class="halo" data-id="${esc(id)}" cx="${x.toFixed(1)}" cy="${y}" r="8"/>`);
    const X = x.toFixed(1);
    switch (e.type) {
      case 'produce': {
        const fill = e.outcome === 'ok' ? C.produce : e.outcome === 'fail' ? C.produceFail : C.produceInfo;
        marks.push(`<circle ${attrs} cx="${X}" cy="${y}" r="5" fill="${fill}"/>`);
        break;
      }
      case 'deliver':
        marks.push(
          `<path ${attrs} d="M${(x - 5).toFixed(1)},${y - 13} L${(x + 5).toFixed(1)},${y - 13} L${X},${y - 5} Z" fill="${C.deliver}"/>`,
        );
        break;
      case 'process-begin':
        marks.push(
          `<rect ${attrs} x="${(x - 1.5).toFixed(1)}" y="${y - 9}" width="3" height="18" fill="${C.begin}"/>`,
        );
        break;
      case 'process-end':
        marks.push(
          `<rect ${attrs} x="${(x - 1.5).toFixed(1)}" y="${y - 9}" width="3" height="18" fill="${e.outcome === 'ok' ? C.ok : C.error}"/>`,
        );
        break;
      case 'ack':
        marks.push(
          `<path ${attrs} d="M${X},${y + 5} L${(x + 5).toFixed(1)},${y + 10} L${X},${y + 15} L${(x - 5).toFixed(1)},${y + 10} Z" fill="${C.ack}"/>`,
        );
        break;
      case 'fault-start':
        marks.push(
          `<path ${attrs} d="M${X},${y - 14} L${(x + 6).toFixed(1)},${y - 2} L${(x - 6).toFixed(1)},${y - 2} Z" fill="${C.fault}"/>`,
        );
        break;
      case 'fault-heal':
        marks.push(
          `<path ${attrs} d="M${X},${y + 14} L${(x + 6).toFixed(1)},${y + 2} L${(x - 6).toFixed(1)},${y + 2} Z" fill="${C.fault}" fill-opacity="0.55"/>`,
        );
        break;
    }
  });

  const svg =
    `<svg class="timeline-svg" role="img" aria-label="timeline of the counterexample" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    back.join('') +
    grid.join('') +
    halos.join('') +
    spans.join('') +
    marks.join('') +
    labels.join('') +
    `</svg>`;
  return { svg, marks: marks.length, lanes };
}
