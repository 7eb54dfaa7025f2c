/**
 * The HTML report: ONE self-contained file that works offline (inline CSS, inline script, no
 * external URL). A summary table of all results; for each failing result the verdict, the
 * shrunk scenario, a timeline of the counterexample (SVG, see timeline.ts), the final-state
 * diff and the replay command; for each erroring result its errors. The page is rendered
 * here, so it reads without JavaScript; the inline script only adds hover details, read from
 * the JSON report embedded in a `<script type="application/json">` (escaped so that no
 * string in the data can close the script element).
 *
 * Test hooks (`data-testid`): `summary`, `result-row-<i>`, `result-<i>`, `verdict-<i>`,
 * `finding-<i>-<j>`, `scenario-<i>`, `timeline-section-<i>` (timeline and legend),
 * `timeline-<i>`, `state-diff-<i>`, `replay-<i>`, `errors-<i>`, `tooltip`; timeline lanes are
 * `[data-testid=lane]`, event marks `.ev` (`data-ev`, `data-type`, `data-id`), highlighted
 * marks `.ev.hl`.
 */
import { describeCoverage, type FaultCoverage } from '../model/coverage.ts';
import type { CertifyResult } from '../model/results.ts';
import type { Finding } from '../model/verdict.ts';
import {
  describeFault,
  describeSettings,
  eventRow,
  formatDuration,
  processorName,
  replayCommand,
  resultStatus,
  runsDone,
  stateDiff,
} from './common.ts';
import { jsonReport, type JsonReportOptions } from './json.ts';
import { renderTimeline, TIMELINE_COLORS } from './timeline.ts';

export type HtmlOptions = JsonReportOptions;

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become
 * `\u003c`… (so `</script>` and `<!--` cannot appear), and U+2028/U+2029 are escaped too.
 * JSON.parse() reads it back unchanged.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

const h = escapeHtml;

function summaryTable(results: readonly CertifyResult[]): string {
  const rows = results.map((r, i) => {
    const status = resultStatus(r);
    const codes = [...new Set(r.counterexample?.verdict.findings.map((f) => f.code) ?? [])];
    const name = h(processorName(r));
    const link = status === 'pass' ? name : `<a href="#result-${i}">${name}</a>`;
    return (
      `<tr data-testid="result-row-${i}" class="row-${status}">` +
      `<td><span class="badge ${status}">${status.toUpperCase()}</span></td>` +
      `<td>${link}</td><td>${h(r.broker)}</td><td>${h(r.semantics)}</td><td>${h(r.runtime)}</td>` +
      `<td class="num">${runsDone(r)}${r.interrupted ? ' (time limit)' : ''}</td><td class="num">${r.seed}</td>` +
      `<td class="num">${h(formatDuration(r.durationMs))}</td>` +
      `<td>${h(codes.join(', ') || (status === 'pass' ? '—' : (r.reason ?? status)))}</td></tr>`
    );
  });
  const body =
    rows.length > 0
      ? rows.join('')
      : '<tr><td colspan="9" class="empty">No results: nothing was certified.</td></tr>';
  return (
    `<table class="summary" data-testid="summary"><thead><tr><th>status</th><th>processor</th><th>broker</th>` +
    `<th>semantics</th><th>runtime</th><th>runs</th><th>seed</th><th>duration</th><th>findings</th></tr></thead>` +
    `<tbody>${body}</tbody></table>`
  );
}

function findingHtml(f: Finding, result: number, i: number): string {
  const rows = f.events
    .map((e) => {
      const r = eventRow(e);
      return `<tr><td class="num">${r.seq}</td><td class="num">${Math.round(r.time)}</td><td>${h(r.process)}</td><td>${h(r.type)}</td><td>${h(r.id)}</td><td>${h(r.info)}</td></tr>`;
    })
    .join('');
  const ids = f.messageIds.map((id) => `<code class="msg-id hl-id">${h(id)}</code>`).join(' ');
  return (
    `<div class="finding ${f.violation ? 'violation' : 'reported'}" data-testid="finding-${result}-${i}">` +
    `<p><strong>${h(f.code)}</strong> <span class="invariant">${h(f.invariant)}</span> ` +
    `<span class="badge ${f.violation ? 'fail' : 'error'}">${f.violation ? 'violation' : 'reported only'}</span></p>` +
    `<p class="detail">${h(f.detail)}</p>` +
    (ids ? `<p>messages: ${ids}</p>` : '') +
    (rows
      ? `<details><summary>the events behind it (${f.events.length})</summary><table class="events"><thead><tr><th>seq</th><th>time ms</th><th>process</th><th>type</th><th>id</th><th></th></tr></thead><tbody>${rows}</tbody></table></details>`
      : '') +
    `</div>`
  );
}

function resultSection(result: CertifyResult, i: number): string {
  const status = resultStatus(result);
  const title = `<h2><span class="badge ${status}">${status.toUpperCase()}</span> ${h(processorName(result))} on ${h(result.broker)} (${h(result.semantics)})</h2>`;
  const facts = `<p class="facts">runtime ${h(result.runtime)} · ${runsDone(result)} run${result.requestedRuns === 1 ? '' : 's'} · seed ${result.seed} · ${h(formatDuration(result.durationMs))} · ${result.shrinkSteps} shrink steps</p>`;
  const parts = [title, facts];
  if (result.reason && status !== 'fail')
    parts.push(`<p class="reason" data-testid="reason-${i}">${h(result.reason)}</p>`);
  const ce = result.counterexample;
  if (ce) {
    const offending = new Set(ce.verdict.findings.flatMap((f) => f.messageIds));
    const findings = ce.verdict.findings.map((f, j) => findingHtml(f, i, j)).join('');
    const checkerErrors = ce.verdict.errors.map((e) => `<li>${h(e)}</li>`).join('');
    parts.push(
      `<section data-testid="verdict-${i}"><h3>Verdict</h3>${findings || '<p>invalid, with no findings</p>'}` +
        (checkerErrors ? `<p>checker errors:</p><ul>${checkerErrors}</ul>` : '') +
        (ce.outcome.drained ? '' : '<p class="warn">The run did not drain before its deadline.</p>') +
        `</section>`,
    );

    const s = ce.scenario;
    const dups = new Set(s.producerDuplicates);
    const messages = s.messages
      .map(
        (m) =>
          `<tr${offending.has(m.id) ? ' class="hl-row"' : ''}><td><code>${h(m.id)}</code></td><td>${h(m.key)}</td>` +
          `<td><code>${h(JSON.stringify(m.payload))}</code></td><td>${dups.has(m.id) ? 'published twice' : ''}</td></tr>`,
      )
      .join('');
    const faults = s.faults.map((f, j) => `<li>#${j} ${h(describeFault(f))}</li>`).join('');
    parts.push(
      `<section data-testid="scenario-${i}"><h3>Shrunk scenario</h3>` +
        `<p>${h(`${s.broker}, ${s.semantics}, ${describeSettings(s)}`)}</p>` +
        `<div class="messages-box"><table class="messages"><thead><tr><th>message</th><th>key</th><th>payload</th><th>producer</th></tr></thead><tbody>${messages}</tbody></table></div>` +
        `<p>faults:</p>${faults ? `<ul>${faults}</ul>` : '<p>none</p>'}</section>`,
    );

    const timeline = renderTimeline(ce.outcome.history, { result: i, highlight: offending });
    parts.push(
      `<section class="timeline-section" data-testid="timeline-section-${i}"><h3>Timeline</h3>` +
        `<div class="timeline" data-testid="timeline-${i}" data-marks="${timeline.marks}" data-lanes="${timeline.lanes.length}">${timeline.svg}</div>` +
        legend() +
        `</section>`,
    );

    const diff = stateDiff(result);
    parts.push(
      `<section data-testid="state-diff-${i}"><h3>Final state vs the exactly-once reference</h3>` +
        (diff.length > 0
          ? `<pre class="diff">${diff.map((d) => h(d)).join('\n')}</pre>`
          : '<p>The final state equals the reference.</p>') +
        `<details><summary>both states</summary><div class="states"><div><h4>final state</h4><pre>${h(JSON.stringify(ce.outcome.finalState, null, 2))}</pre></div>` +
        `<div><h4>reference</h4><pre>${h(JSON.stringify(ce.outcome.referenceState, null, 2))}</pre></div></div></details></section>`,
    );
    parts.push(
      `<section data-testid="replay-${i}"><h3>Replay</h3><pre class="cmd">${h(replayCommand(ce.file))}</pre>` +
        (result.path ? `<p>fast-check seed ${result.seed}, path <code>${h(result.path)}</code></p>` : '') +
        `</section>`,
    );
  }
  if (result.reported?.length) {
    const reported = result.reported
      .map((r, j) => `<p class="facts">first seen in run ${r.run}</p>${findingHtml(r.finding, i, 100 + j)}`)
      .join('');
    parts.push(
      `<section data-testid="reported-${i}"><h3>Reported findings</h3><p>Seen in the runs; they break no promise of the claimed semantics.</p>${reported}</section>`,
    );
  }
  if (result.coverage) parts.push(coverageHtml(result.coverage, i));
  if (result.errors.length > 0) {
    parts.push(
      `<section data-testid="errors-${i}"><h3>Infrastructure errors</h3><p>These runs failed outside the processor and were not counted.</p>` +
        `<ul>${result.errors.map((e) => `<li><pre>${h(e)}</pre></li>`).join('')}</ul></section>`,
    );
  }
  return `<article class="result" id="result-${i}" data-testid="result-${i}">${parts.join('')}</article>`;
}

/** The coverage table: one row per fault cell, drawn and fired counts, unfired rows marked. */
function coverageHtml(coverage: FaultCoverage, i: number): string {
  const rows = coverage.cells
    .map(
      (c) =>
        `<tr${c.fired === 0 ? ' class="hl-row"' : ''}><td>${h(c.kind)}</td><td>${h(c.trigger)}</td><td>${c.drawn}</td><td>${c.fired}</td></tr>`,
    )
    .join('');
  return (
    `<section data-testid="coverage-${i}"><h3>Fault coverage</h3><p>${h(describeCoverage(coverage))} on ${h(coverage.broker)} (${h(coverage.semantics)}): a pass is evidence of these cells only.</p>` +
    `<details><summary>cells (${coverage.total})</summary><table class="events"><thead><tr><th>kind</th><th>trigger</th><th>runs drawn</th><th>runs fired</th></tr></thead><tbody>${rows}</tbody></table></details></section>`
  );
}

function legend(): string {
  const C = TIMELINE_COLORS;
  const item = (svg: string, text: string) =>
    `<span class="legend-item"><svg width="18" height="18" viewBox="0 0 18 18">${svg}</svg>${h(text)}</span>`;
  return (
    `<div class="legend">` +
    item(`<circle cx="9" cy="9" r="5" fill="${C.produce}"/>`, 'produce') +
    item(`<path d="M4,4 L14,4 L9,12 Z" fill="${C.deliver}"/>`, 'deliver') +
    item(`<rect x="1" y="5" width="16" height="8" rx="2" fill="${C.ok}"/>`, 'process begin → end (ok)') +
    item(`<rect x="1" y="5" width="16" height="8" rx="2" fill="${C.error}"/>`, 'process failed') +
    item(`<rect x="1" y="5" width="16" height="8" rx="2" fill="${C.unfinished}"/>`, 'process cut short') +
    item(`<path d="M9,3 L15,9 L9,15 L3,9 Z" fill="${C.ack}"/>`, 'ack / commit') +
    item(`<path d="M9,2 L15,14 L3,14 Z" fill="${C.fault}"/>`, 'fault start (heal: ▽)') +
    item(`<path d="M3,3 L15,15 M3,15 L15,3" stroke="${C.crash}" stroke-width="3"/>`, 'worker killed') +
    item(`<circle cx="9" cy="9" r="7" fill="${C.highlight}"/>`, 'message named by a finding') +
    `</div>`
  );
}

const CSS = `
:root { color-scheme: light; --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 0 0 4px; } h3 { font-size: 15px; margin: 18px 0 6px; }
.meta, .facts { color: var(--muted); margin: 0 0 12px; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: #f9fafb; } td.num { text-align: right; font-variant-numeric: tabular-nums; } td.empty { color: var(--muted); }
.badge { display: inline-block; padding: 1px 7px; border-radius: 9px; font-size: 12px; font-weight: 700; color: #fff; }
.badge.pass { background: #16a34a; } .badge.fail { background: #dc2626; } .badge.error { background: #d97706; } .badge.incomplete { background: #d97706; }
.result { margin-top: 28px; padding-top: 16px; border-top: 2px solid var(--line); }
.finding { margin: 8px 0; padding: 8px 12px; border-left: 4px solid #dc2626; background: #fef2f2; }
.finding.reported { border-color: #d97706; background: #fffbeb; } .finding p { margin: 2px 0; }
.detail { white-space: pre-wrap; } .invariant { color: var(--muted); }
.hl-id { background: ${TIMELINE_COLORS.highlight}; padding: 0 4px; border-radius: 3px; } tr.hl-row td { background: #fef9c3; }
pre { margin: 0; white-space: pre-wrap; font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre.diff, pre.cmd { background: #f3f4f6; padding: 8px 12px; border-radius: 4px; }
.messages-box { max-height: 320px; overflow-y: auto; display: inline-block; border: 1px solid var(--line); }
.states { display: flex; gap: 24px; } .warn { color: #b45309; }
.timeline { width: fit-content; overflow-x: auto; border: 1px solid var(--line); border-radius: 4px; background: #fff; max-width: 100%; }
.timeline-svg { display: block; font: 11px system-ui, sans-serif; }
.lane-bg { fill: #fff; } .lane-alt .lane-bg { fill: #f8fafc; }
.lane-broker .lane-bg { fill: #fff7ed; } .lane-producer .lane-bg { fill: #eff6ff; }
.lane-label { fill: #374151; font-weight: 600; } .lane-line { stroke: #cbd5e1; stroke-width: 2; }
.tick { stroke: #e2e8f0; stroke-dasharray: 2 3; } .axis-break rect { fill: #e5e7eb; fill-opacity: 0.8; } .break-label { fill: #6b7280; font-size: 10px; font-style: italic; } .tick-label { fill: var(--muted); font-size: 10px; }
.fault-span { fill: ${TIMELINE_COLORS.fault}; fill-opacity: 0.18; stroke: ${TIMELINE_COLORS.fault}; stroke-dasharray: 3 2; }
.fault-label { fill: #9a3412; font-size: 10px; } .id-label { fill: #374151; font-size: 9.5px; } .id-label.hl { fill: #854d0e; font-weight: 700; }
.crash line { stroke: ${TIMELINE_COLORS.crash}; stroke-width: 3; stroke-linecap: round; } .crash-label { fill: ${TIMELINE_COLORS.crash}; font-size: 10px; font-weight: 700; }
.halo { fill: ${TIMELINE_COLORS.highlight}; } .bar.hl { stroke: #ca8a04; stroke-width: 2; }
.ev { cursor: pointer; } .ev:hover, .ev.focus { stroke: #111827; stroke-width: 1.5; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 8px 0; color: #374151; font-size: 12px; }
.legend-item { display: inline-flex; align-items: center; gap: 4px; }
#tooltip { position: fixed; z-index: 10; pointer-events: none; background: #111827; color: #f9fafb; padding: 6px 9px; border-radius: 4px; font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; max-width: 420px; white-space: pre-wrap; box-shadow: 0 2px 8px rgba(0,0,0,.25); }
`;

// The page script: hover details for timeline marks, from the embedded JSON report.
const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('ackcheck-data').textContent);
  var tip = document.getElementById('tooltip');
  var focused = [];
  function unfocus() { focused.forEach(function (el) { el.classList.remove('focus'); }); focused = []; }
  document.addEventListener('mouseover', function (event) {
    var mark = event.target instanceof Element ? event.target.closest('.ev') : null;
    unfocus();
    if (!mark) { tip.hidden = true; return; }
    var result = data.results[Number(mark.getAttribute('data-result'))];
    var ev = result && result.counterexample && result.counterexample.history[Number(mark.getAttribute('data-ev'))];
    if (!ev) { tip.hidden = true; return; }
    var lines = [ev.type + (ev.id !== undefined ? ' ' + ev.id : '') + '  (' + ev.process + ')'];
    Object.keys(ev).forEach(function (k) {
      if (k !== 'type' && k !== 'process') lines.push(k + ': ' + (typeof ev[k] === 'string' ? ev[k] : JSON.stringify(ev[k])));
    });
    tip.textContent = lines.join('\\n');
    tip.hidden = false;
    var x = Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    var y = event.clientY + 14 + tip.offsetHeight > window.innerHeight ? event.clientY - tip.offsetHeight - 10 : event.clientY + 14;
    tip.style.left = Math.max(4, x) + 'px';
    tip.style.top = Math.max(4, y) + 'px';
    var id = mark.getAttribute('data-id');
    if (id !== null) {
      document.querySelectorAll('.timeline .ev[data-result="' + mark.getAttribute('data-result') + '"]').forEach(function (el) {
        if (el.getAttribute('data-id') === id) { el.classList.add('focus'); focused.push(el); }
      });
    }
  });
})();
`;

/** The self-contained HTML report for a set of results. */
export function formatHtml(results: readonly CertifyResult[], options: HtmlOptions = {}): string {
  const report = jsonReport(results, options);
  const { passed, failed, errored, total } = report.summary;
  const sections = results
    // A pass gets a section when it has reported findings (e.g. stuck-consumer) or coverage to show.
    .map((r, i) =>
      resultStatus(r) === 'pass' && !r.reported?.length && !r.coverage ? '' : resultSection(r, i),
    )
    .filter(Boolean)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ackcheck report: ${failed > 0 ? `${failed} failed` : errored > 0 ? `${errored} errored` : 'all passed'}</title>
<style>${CSS}</style>
</head>
<body>
<h1>ackcheck report</h1>
<p class="meta">${total} result(s): ${passed} passed, ${failed} failed, ${errored} errored · ackcheck ${h(report.ackcheck)} · Node ${h(report.node)} · ${h(report.generatedAt)}</p>
${summaryTable(results)}
${sections}
<div id="tooltip" data-testid="tooltip" role="tooltip" hidden></div>
<script type="application/json" id="ackcheck-data">${scriptSafeJson(report)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
