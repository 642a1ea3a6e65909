import { eventNode } from './describeEvent.ts';
import type { LogEvent } from '../model/events.ts';
import type { MopStep, NodeCheck, PhoneGroup } from '../model/plan/mop.ts';
import type { Diagnosis } from '../machines/diagnose.ts';
import type { PlanStep } from '../model/plan/runPlan.ts';
import { AUTO_RESET_SECONDS } from '../model/cluster/step.ts';
import { adviceText } from './adviceText.ts';
import { escapeHtml } from './htmlReport.ts';
import { groupedLines, namesText, saferLines, stepText, troubleText, type PlanReport } from './planText.ts';
import { refusalText } from './refusalText.ts';

/** Text on one line of a Markdown table (cells or code): no line break, `|` escaped. Pure. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
}

/**
 * Text for Markdown, in a table cell or not: on one line, `&`, `<` and `>` written as entities and
 * the `(` of a `](` too, so that a name (a certificate subject from a listing, a file name) is shown,
 * never read as HTML, a link or an image (a `[list]` alone stays as it is: no link can follow it). Pure.
 */
function cell(text: string): string {
  return oneLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\]\(/g, ']&#40;');
}

/** Inline code that holds any text (backticks in it are replaced: no name this tool reads has one; code shows entities as written, so none is used). Pure. */
function code(text: string): string {
  return `\`${oneLine(text).replace(/`/g, "'")}\``;
}

/** The `show itl` table of the TFTP nodes. Pure. */
function nodeTable(nodes: NodeCheck[]): string[] {
  return [
    '| TFTP node | `show itl`: ITL SHA-1 | "This etoken was used to sign the ITL file." under | signer | file |',
    '|---|---|---|---|---|',
    ...nodes.map(
      (n) =>
        `| ${cell(n.hostname === n.node ? n.node : `${n.node} (${n.hostname})`)} | ${code(n.sha1)} | ITL Record #:${n.signerRecord} (FUNCTION ${cell(n.signerFunction)}) | ${cell(n.signer)} | ${cell(n.origin)}${n.changed ? ', **changed by this step**' : ''} |`,
    ),
  ];
}

/** The phones' table: the ITL hash each group must report. Pure. */
function groupTable(groups: PhoneGroup[]): string[] {
  return [
    '| phones | ITL File Status / DeviceTLInfo hash | file of | trust |',
    '|---|---|---|---|',
    ...groups.map(
      (g) =>
        `| ${g.phones.length}: ${cell(namesText(g.phones))}${g.offline ? ` (${g.offline} unplugged: no report until they come back)` : ''} | ${g.sha1 ? code(g.sha1) : 'no ITL'} | ${g.servedBy.length ? cell(g.servedBy.join(', ')) : 'no node serves it now'} | ${g.trust} |`,
    ),
  ];
}

/** What undoes a step, or why nothing does. Pure. */
export function rollbackText(event: LogEvent, step: PlanStep<Diagnosis>): string {
  const locked = step.trouble.filter((t) => t.state === 'locked');
  const remedy = locked.length
    ? ` Phones locked after it: ${groupedLines(locked, (t) => adviceText(t.diagnosis.advice)).join('; ')}.`
    : '';
  switch (event.type) {
    case 'cert.regenerate':
      return `No command brings the old ${event.cert} certificate back: its key is gone unless the node is restored from its DRS backup. Phones that lock are brought back with utils itl reset (the report's way back per phone).${remedy}`;
    case 'itl.reset':
      return 'Restart Cisco Tftp on every TFTP node (they serve their normal ITL again), then reset all.';
    case 'ctl.setCluster':
      return `utils ctl set-cluster ${event.mode === 'mixed' ? 'non-secure-mode' : 'mixed-mode'}, then reset all.${remedy}`;
    case 'ctl.reset':
      return 'utils ctl update CTLFile, then reset all.';
    case 'cluster.parameter':
      return `Set ${event.name} back to its value before this step.`;
    case 'phone.power':
      return `Unplug or plug in ${event.phone} again as before.`;
    case 'tftp.restart':
    case 'devices.reset':
    case 'phone.reset':
    case 'itlrecovery.backup':
    case 'ctl.update':
      return `Nothing to undo.${remedy}`;
    default:
      return `The model knows no command that undoes it.${remedy}`;
  }
}

/** Where a step is typed. Pure. */
function typedOn(event: LogEvent): string {
  const node = eventNode(event);
  return node ? `the CLI of ${node}` : 'CUCM Administration (or the phone)';
}

/** One step of the procedure. Pure. */
function stepLines(report: PlanReport, i: number, m: MopStep): string[] {
  const step = report.run.steps[i]!;
  const typed = report.typed[i]!;
  const lines = [
    `## Step ${i + 1}: ${code(typed)} (plan line ${m.line})`,
    '',
    `Type on ${typedOn(step.event)}:`,
    '',
    `    admin:${typed.replace(/\s+on\s+\S+$/i, '')}`,
    '',
  ];
  if (m.refused)
    lines.push(
      `**The model predicts CUCM refuses it:** ${step.refusals.map((r) => `"${cell(refusalText(r))}"`).join('; ')}. Do not go on: correct the plan (the report's safer order), then type it again.`,
      '',
    );
  lines.push(
    `Predicted: ${cell(stepText(step, report.run.pointOfNoReturn === i))}.`,
    '',
    `Wait until the automatic restarts have ended (about ${AUTO_RESET_SECONDS / 60} minutes after the last reset), then verify before going on:`,
    '',
    `1. \`show itl\` on each TFTP node:`,
    '',
    ...nodeTable(m.nodes),
    '',
    `2. ${m.mustRegister.length} phone(s) must register again${m.mustRegister.length ? `: ${cell(namesText(m.mustRegister))}` : ''} (Device > Phone, Status Registered).`,
    '',
    '3. Each group of phones reports its ITL hash (Settings > Security Configuration > Trust List, ITL File Status on the phone or its web page, or the DeviceTLInfo alarm in RTMT):',
    '',
    ...groupTable(m.groups),
    '',
    `Rollback: ${cell(rollbackText(step.event, step))}`,
    '',
  );
  return lines;
}

/** The method of procedure as Markdown lines. Pure. */
export function planMop(report: PlanReport): string[] {
  const { run, mop } = report;
  const cluster = run.start.cluster!;
  const from =
    report.source.kind === 'log'
      ? `the end of the log ${code(report.source.path)}`
      : `the cluster folder ${code(report.source.path)}`;
  const visits = mop.after.filter((t) => t.visit);
  const byCommand = mop.after.filter((t) => !t.visit);
  const lines = [
    `# Method of procedure: ${cell(report.plan)}`,
    '',
    `Predicted by itl-model from ${from}: CUCM ${cell(cluster.version)}, ${cluster.nodes.length} node(s), ${cluster.phones.length} phone(s).`,
    mop.pointOfNoReturn === null
      ? 'Point of no return: none: the plan puts no phone beyond the reach of a command.'
      : `**Point of no return: step ${mop.pointOfNoReturn + 1}** (plan line ${run.steps[mop.pointOfNoReturn]!.line}): after it some phone can be brought back only by a visit.`,
    '',
    '## Before you start',
    '',
    '1. `show itl` on each TFTP node:',
    '',
    ...nodeTable(mop.before.nodes),
    '',
    '2. The phones report:',
    '',
    ...groupTable(mop.before.groups),
    '',
    ...mop.steps.flatMap((m, i) => stepLines(report, i, m)),
    '## After the plan',
    '',
  ];
  if (visits.length)
    lines.push(
      `Phones that need a visit (${visits.length}): someone at the phone erases its ITL (the menu path is in each line), or resets it to factory settings; the phone then takes the ITL it is offered next:`,
      '',
      ...groupedLines(visits, troubleText).map((l) => `- ${cell(l)}`),
      '',
    );
  else lines.push('No phone needs a visit.', '');
  if (byCommand.length)
    lines.push(
      'Phones a command brings back:',
      '',
      ...groupedLines(byCommand, troubleText).map((l) => `- ${cell(l)}`),
      '',
    );
  lines.push(
    '## Safer order',
    '',
    ...saferLines(report.safer).flatMap((l) =>
      l.startsWith('  why: ') ? [`- ${cell(l.slice(7))}`] : l.startsWith('  ') ? [`    ${l.trim()}`] : [cell(l), ''],
    ),
  );
  while (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Markdown text as it reads: `\|` and the entities `cell` writes back to their characters. Pure. */
function unescaped(text: string): string {
  return text
    .replace(/\\\|/g, '|')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#40;/g, '(')
    .replace(/&amp;/g, '&');
}

/** Inline Markdown of one line as HTML: escaped, then `code` and **bold**. Pure. */
function inline(text: string): string {
  return escapeHtml(unescaped(text))
    .replace(/`([^`]*)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

/** Splits a Markdown table row on its unescaped `|`. Pure. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** The same procedure as a self-contained HTML page (no script, no network), every value escaped. Pure. */
export function planHtml(report: PlanReport): string {
  const md = planMop(report);
  const body: string[] = [];
  let table: string[][] = [];
  let code: string[] = [];
  const flushTable = () => {
    if (!table.length) return;
    const [head, , ...rows] = table;
    body.push(
      `<table><thead><tr>${head!.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
    );
    table = [];
  };
  const flushCode = () => {
    if (!code.length) return;
    body.push(`<pre>${code.map(escapeHtml).join('\n')}</pre>`);
    code = [];
  };
  for (const line of md) {
    if (line.startsWith('|')) {
      table.push(cells(line));
      continue;
    }
    flushTable();
    if (line.startsWith('    ')) {
      code.push(line.slice(4));
      continue;
    }
    flushCode();
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (heading) body.push(`<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`);
    else if (line.startsWith('- ')) body.push(`<ul><li>${inline(line.slice(2))}</li></ul>`);
    else if (line !== '') body.push(`<p>${inline(line)}</p>`);
  }
  flushTable();
  flushCode();
  const style =
    'body{font:14px/1.45 system-ui,sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f4f4f4;padding:.5em}h2{border-top:1px solid #ccc;padding-top:.5em}';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(`itl-model plan: ${report.plan}`)}</title><style>${style}</style></head>
<body>
${body.join('\n')}
</body></html>
`;
}
