import { createHash } from 'node:crypto';
import type { Diagnosis } from '../machines/diagnose.ts';
import type { Replay } from '../machines/replay.ts';
import type { LogEvent } from '../model/events.ts';
import { HTML_SCRIPT, HTML_STYLE } from './htmlAssets.ts';
import { eventLine, itlLanes, phoneLanes, type Cell, type Lane, type LaneState } from './htmlLanes.ts';
import { adviceText } from './adviceText.ts';
import { reasonText } from './reasonText.ts';
import { AUTO_RESTARTS_END, caused, endedText } from './replayText.ts';

/**
 * The CSP source that allows the report's own script and no other: were a value ever to escape
 * its escaping, an injected script or event handler would still not run.
 */
const SCRIPT_HASH = `sha256-${createHash('sha256').update(HTML_SCRIPT).digest('base64')}`;

/** Escapes text for HTML content and attribute values. Pure. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
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

function cellHtml(cell: Cell, wide: boolean): string {
  const span = cell.span > 1 ? ` style="grid-column:span ${cell.span}"` : '';
  return `<span class="${escapeHtml(cell.state)}"${span} data-from="${cell.from + 1}" title="${escapeHtml(cell.title)}">${wide ? escapeHtml(cell.text) : ''}</span>`;
}

function laneHtml(lane: Lane, wide: boolean): string {
  return `<div class="lane" data-phone="${escapeHtml(lane.phone)}" data-outcome="${OUTCOME_WORD[lane.outcome]}"><span class="name">${escapeHtml(lane.phone)}</span>${lane.cells.map((c) => cellHtml(c, wide)).join('')}</div>`;
}

function headHtml(events: LogEvent[], replay: Replay, wide: boolean): string {
  const cols = replay.reports.map(
    (r, i) =>
      `<span title="${escapeHtml(`${r.ended ? `${AUTO_RESTARTS_END} at ${r.ended.at}: ${endedText(r.ended)}\n` : ''}${eventLine(events, replay.reports, i)}\ncaused: ${caused(r)}`)}">${wide ? i + 1 : ''}</span>`,
  );
  return `<div class="lane head"><span class="name">event</span>${cols.join('')}</div>`;
}

function phonesHtml(lanes: Lane[], wide: boolean): string {
  return GROUPS.map(({ outcome, label }) => {
    const group = lanes.filter((l) => l.outcome === outcome);
    if (group.length === 0) return '';
    return `<div class="group-box" data-group="${OUTCOME_WORD[outcome]}"><div class="group">${escapeHtml(label)}: ${group.length}</div>${group.map((l) => laneHtml(l, wide)).join('\n')}</div>`;
  }).join('\n');
}

function diagnosisHtml(diagnoses: Diagnosis[]): string {
  if (diagnoses.length === 0) return '<p>No phone is locked at the end of the log.</p>';
  const rows = diagnoses.map(
    (d) =>
      `<tr><td>${escapeHtml(d.phone)}</td><td>${d.failures.map((f) => escapeHtml(reasonText(f))).join('<br>')}</td><td>${escapeHtml(d.recovery)}</td><td>${escapeHtml(adviceText(d.advice))}</td></tr>`,
  );
  return `<table class="diag"><thead><tr><th>phone</th><th>why R2 and R3 failed</th><th>recovery</th><th>what to do</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

/**
 * The incident as one self-contained HTML page (inline CSS and script, no network): phone swimlanes
 * colored by trust state and grouped by outcome, the ITL each TFTP node served, the diagnosis table.
 * Needs the replay's contexts (`replay(events, { keepContexts: true })`). Pure.
 */
export function htmlReport(events: LogEvent[], replay: Replay, diagnoses: Diagnosis[], title: string): string {
  const contexts = replay.contexts ?? [];
  const n = replay.reports.length;
  const wide = n <= 40;
  const lanes = phoneLanes(events, replay.reports, contexts);
  const itls = itlLanes(events, replay.reports, contexts);
  const vars = `--n:${n};--col:${wide ? 28 : Math.max(2, Math.floor(1200 / n))}px;--name:${wide ? 170 : 150}px`;
  const itlRows = itls.map(
    (l) =>
      `<div class="lane" data-node="${escapeHtml(l.node)}"><span class="name">${escapeHtml(l.node)}</span>${l.cells.map((c) => cellHtml(c, wide)).join('')}</div>`,
  );
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'">
<title>${escapeHtml(title)}</title><style>${HTML_STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${events.length} events, ${lanes.length} phones. Hover a cell for the event and the rule that decided (R0 first ITL, R2 signed by a SAST of the installed ITL, R3 vouched for by TVS, R4 rejected).</p>
<p class="legend"><span class="noItl">no ITL</span><span class="trusted">trusted</span><span class="locked">locked</span><span class="recovered">recovered</span><span class="absent">not added yet</span></p>
<h2>Phones</h2>
<p><label>Filter by phone or outcome: <input id="filter" type="search" placeholder="SEP0011, locked, recovered…"></label> showing <span id="shown">${lanes.length}</span> of ${lanes.length}</p>
<div class="grid" style="${vars}">${headHtml(events, replay, wide)}
${phonesHtml(lanes, wide)}</div>
<h2>ITL served by each TFTP node</h2>
<div class="grid" style="${vars}">${headHtml(events, replay, wide)}
${itlRows.join('\n')}</div>
<h2>Diagnosis of the phones locked at the end</h2>
${diagnosisHtml(diagnoses)}
<script>${HTML_SCRIPT}</script>
</body></html>
`;
}
