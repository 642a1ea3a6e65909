import { createHash } from 'node:crypto';
import type { Diagnosis } from '../machines/diagnose.ts';
import type { Replay } from '../machines/replay.ts';
import type { LogEvent } from '../model/events.ts';
import { HTML_SCRIPT, HTML_STYLE } from './htmlAssets.ts';
import { columnsOf, type Column } from './htmlColumns.ts';
import { eventLine, itlLanes, phoneLanes, type Cell, type Lane, type LaneState } from './htmlLanes.ts';
import { adviceText } from './adviceText.ts';
import { reasonText } from './reasonText.ts';
import { AUTO_RESTARTS_END, caused, endedText } from './replayText.ts';

/**
 * The CSP source that allows the report's own script and no other: were a value ever to escape
 * its escaping, an injected script or event handler would still not run.
 */
const SCRIPT_HASH = `sha256-${createHash('sha256').update(HTML_SCRIPT).digest('base64')}`;

/** Above this many phones the lanes are data (a JSON island) and the script draws only the rows in view. */
export const VIRTUAL_ABOVE = 1000;

/** The diagnosis table's rows at most (the text report and --json have every one). */
const DIAGNOSIS_ROWS = 200;

/** Escapes text for HTML content and attribute values. Pure. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON for a `<script type="application/json">` island: no `<` can close the element or open a comment. Pure. */
export function jsonIsland(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const GROUPS: { outcome: LaneState; label: string }[] = [
  { outcome: 'locked', label: 'Locked (Trust List Update Failed)' },
  { outcome: 'recovered', label: 'Recovered (trusted again after a lock)' },
  { outcome: 'trusted', label: 'Trusted' },
  { outcome: 'noItl', label: 'No ITL' },
];
const OUTCOME_WORD: Record<LaneState, string> = {
  absent: 'absent',
  noItl: 'no-itl',
  trusted: 'trusted',
  locked: 'locked',
  recovered: 'recovered',
};

/** A cell's classes: its state, and `off` or `restarting` when the phone could not fetch anything. Pure. */
const cellClass = (cell: Cell) => (cell.power && cell.power !== 'on' ? `${cell.state} ${cell.power}` : cell.state);

function cellHtml(cell: Cell, wide: boolean): string {
  const span = cell.span > 1 ? ` style="grid-column:span ${cell.span}"` : '';
  return `<span class="${escapeHtml(cellClass(cell))}"${span} tabindex="0" data-col="${cell.column}" data-from="${cell.from + 1}" title="${escapeHtml(cell.title)}">${wide ? escapeHtml(cell.text) : ''}</span>`;
}

function laneHtml(lane: Lane, wide: boolean): string {
  return `<div class="lane" data-phone="${escapeHtml(lane.phone)}" data-outcome="${OUTCOME_WORD[lane.outcome]}"><span class="name">${escapeHtml(lane.phone)}</span>${lane.cells.map((c) => cellHtml(c, wide)).join('')}</div>`;
}

/** The time axis: each column's time and event name, written upwards; cluster events stand out. Pure. */
function headHtml(columns: Column[]): string {
  const cols = columns.map(
    (c) =>
      `<span class="${c.landmark ? 'mark' : c.fold ? 'fold' : ''}" title="${escapeHtml(c.title)}"><b>${escapeHtml(c.label)}</b></span>`,
  );
  return `<div class="lane head"><span class="name">event (time, name)</span>${cols.join('')}</div>`;
}

/** Lanes by outcome, and within one by TVS list (phones that trust the same servers fail alike). Pure. */
function grouped(lanes: Lane[]): { outcome: LaneState; label: string; subs: { tvs: string; lanes: Lane[] }[] }[] {
  return GROUPS.flatMap(({ outcome, label }) => {
    const group = lanes.filter((l) => l.outcome === outcome);
    if (group.length === 0) return [];
    const subs = new Map<string, Lane[]>();
    for (const lane of group) {
      const tvs = lane.tvs.join(', ');
      const sub = subs.get(tvs);
      if (sub) sub.push(lane);
      else subs.set(tvs, [lane]);
    }
    return [{ outcome, label: `${label}: ${group.length}`, subs: [...subs].map(([tvs, l]) => ({ tvs, lanes: l })) }];
  });
}

function phonesHtml(lanes: Lane[], wide: boolean): string {
  return grouped(lanes)
    .map(
      ({ outcome, label, subs }) =>
        `<div class="group-box" data-group="${OUTCOME_WORD[outcome]}"><div class="group">${escapeHtml(label)}</div>${subs
          .map(
            (s) =>
              `<div class="sub-box"><div class="sub">TVS list ${escapeHtml(s.tvs)}: ${s.lanes.length}</div>${s.lanes.map((l) => laneHtml(l, wide)).join('\n')}</div>`,
          )
          .join('\n')}</div>`,
    )
    .join('\n');
}

/**
 * The lanes as data for the script to draw (above VIRTUAL_ABOVE phones): rows of group headings and
 * phones, each phone naming one of the distinct cell patterns (most phones share one). Pure.
 */
function lanesData(lanes: Lane[], columns: Column[]) {
  const patterns: unknown[][] = [];
  const index = new Map<string, number>();
  const rows: unknown[] = [];
  for (const { outcome, label, subs } of grouped(lanes)) {
    rows.push([0, label, OUTCOME_WORD[outcome]]);
    for (const s of subs) {
      rows.push([1, `TVS list ${s.tvs}: ${s.lanes.length}`, OUTCOME_WORD[outcome]]);
      for (const lane of s.lanes) {
        const cells = lane.cells.map((c) => [cellClass(c), c.column, c.span, c.text, c.from + 1]);
        const key = JSON.stringify(cells);
        if (!index.has(key)) index.set(key, patterns.push(cells) - 1);
        rows.push([lane.phone, index.get(key), OUTCOME_WORD[outcome], lane.tvs.join(', ')]);
      }
    }
  }
  return { columns: columns.map((c) => c.title), patterns, rows };
}

/** The timeline as a table (it prints): a row per column of the lanes, with what its events caused. Pure. */
function timelineHtml(events: LogEvent[], replay: Replay, columns: Column[]): string {
  const rows = columns.map((c) => {
    const r = replay.reports[c.from]!;
    const at = c.from === c.to ? r.at : `${r.at} .. ${replay.reports[c.to]!.at}`;
    const what =
      c.from === c.to
        ? `${r.ended ? `${AUTO_RESTARTS_END} at ${r.ended.at}: ${endedText(r.ended, false)}; then ` : ''}${caused(r, false)}`
        : `${c.to - c.from + 1} events`;
    const name = c.from === c.to ? eventLine(events, replay.reports, c.from).replace(/ \([^)]*\)$/, '') : c.label;
    return `<tr${c.landmark ? ' class="mark"' : ''}><td>${c.from === c.to ? c.from + 1 : `${c.from + 1}..${c.to + 1}`}</td><td>${escapeHtml(at)}</td><td>${escapeHtml(name)}</td><td>${escapeHtml(what)}</td></tr>`;
  });
  return `<table class="timeline"><thead><tr><th>#</th><th>at</th><th>event</th><th>caused</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function diagnosisHtml(diagnoses: Diagnosis[]): string {
  if (diagnoses.length === 0) return '<p>No phone is locked at the end of the log.</p>';
  const rows = diagnoses
    .slice(0, DIAGNOSIS_ROWS)
    .map(
      (d) =>
        `<tr><td>${escapeHtml(d.phone)}</td><td>${d.failures.map((f) => escapeHtml(reasonText(f))).join('<br>')}</td><td>${escapeHtml(d.recovery)}</td><td>${escapeHtml(adviceText(d.advice))}</td></tr>`,
    );
  const more =
    diagnoses.length > DIAGNOSIS_ROWS
      ? `<p>The first ${DIAGNOSIS_ROWS} of ${diagnoses.length} locked phones (the text report with --phones all, and --json, have every one).</p>`
      : '';
  return `${more}<table class="diag"><thead><tr><th>phone</th><th>why R2 and R3 failed</th><th>recovery</th><th>what to do</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

/**
 * The incident as one self-contained HTML page (inline CSS and script, no network): phone swimlanes on
 * a time axis named by event, colored by trust state (hatched while unplugged, dotted while restarting),
 * grouped by outcome and TVS list, runs of like phone events (the `phone.add` preamble) collapsed to a
 * column; the ITL each TFTP node served (reset and forged ITLs labelled); the timeline as a printable
 * table; the diagnosis. Above VIRTUAL_ABOVE phones the lanes are a JSON island the script draws a
 * screenful at a time. Needs the replay's contexts (`replay(events, { keepContexts: true })`). Pure.
 */
export function htmlReport(events: LogEvent[], replay: Replay, diagnoses: Diagnosis[], title: string): string {
  const contexts = replay.contexts ?? [];
  const describe = (i: number) => {
    const r = replay.reports[i]!;
    return `${r.ended ? `${AUTO_RESTARTS_END} at ${r.ended.at}: ${endedText(r.ended, false)}\n` : ''}${eventLine(events, replay.reports, i)}\ncaused: ${caused(r, false)}`;
  };
  const columns = columnsOf(events, replay.reports, describe);
  const n = columns.length;
  const wide = n <= 40;
  const phones = contexts[contexts.length - 1]?.cluster?.phones.length ?? 0;
  const virtual = phones > VIRTUAL_ABOVE;
  const lanes = phoneLanes(events, replay.reports, contexts, columns, !virtual);
  const itls = itlLanes(events, replay.reports, contexts, columns);
  const vars = `--n:${n};--col:${wide ? Math.min(90, Math.max(30, Math.floor(900 / n))) : Math.max(16, Math.floor(1200 / n))}px;--name:170px`;
  const itlRows = itls.map(
    (l) =>
      `<div class="lane" data-node="${escapeHtml(l.node)}"><span class="name">${escapeHtml(l.node)}</span>${l.cells.map((c) => cellHtml(c, wide)).join('')}</div>`,
  );
  const recovered = lanes.filter((l) => l.outcome === 'recovered').length;
  const collapsed = columns.filter((c) => c.to > c.from).reduce((sum, c) => sum + c.to - c.from + 1, 0);
  const phoneGrid = virtual
    ? `<div class="grid" style="${vars}">${headHtml(columns)}</div>
<div id="vlanes" class="grid virtual" style="${vars}" data-wide="${wide ? 1 : 0}"><div id="vspace"></div></div>
<script type="application/json" id="lanes-data">${jsonIsland(lanesData(lanes, columns))}</script>`
    : `<div class="grid" style="${vars}">${headHtml(columns)}
${phonesHtml(lanes, wide)}</div>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'">
<title>${escapeHtml(title)}</title><style>${HTML_STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="headline">${events.length} events, ${lanes.length} phones: <b${diagnoses.length ? ' class="c-locked"' : ''}>${diagnoses.length} locked</b>, <b${recovered ? ' class="c-recovered"' : ''}>${recovered} recovered</b>, ${lanes.filter((l) => l.outcome === 'trusted').length} trusted${collapsed ? `; ${columns.filter((c) => c.to > c.from).length} column(s) stand for ${collapsed} events (runs of like phone events, such as the phone.add preamble, and what lies outside the incident window)` : ''}.</p>
<p class="legend"><span class="noItl">no ITL</span><span class="trusted">trusted</span><span class="locked">locked</span><span class="recovered">recovered</span><span class="absent">not added yet</span><span class="trusted off">unplugged</span><span class="trusted restarting">restarting</span><span class="itl itl0 itl-reset">RESET ITL</span><span class="itl itl1 itl-forged">FORGED ITL</span></p>
<p class="hint">Hover a cell, or reach it with Tab and the arrow keys, for the event and the rule that decided (R0 first ITL, R2 signed by a SAST of the installed ITL, R3 vouched for by TVS, R4 rejected).</p>
<p id="detail" aria-live="polite"></p>
<h2>Phones</h2>
<p class="noprint"><label>Filter by phone, outcome or TVS list: <input id="filter" type="search" placeholder="SEP0011, locked, recovered…"></label> showing <span id="shown">${lanes.length}</span> of ${lanes.length}</p>
${phoneGrid}
<h2>ITL served by each TFTP node</h2>
<div class="grid" style="${vars}">${headHtml(columns)}
${itlRows.join('\n')}</div>
<h2>Timeline</h2>
${timelineHtml(events, replay, columns)}
<h2>Diagnosis of the phones locked at the end</h2>
${diagnosisHtml(diagnoses)}
<script>${HTML_SCRIPT}</script>
</body></html>
`;
}
