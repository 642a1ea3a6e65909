import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { diagnoseAll, type Diagnosis } from '../machines/diagnose.ts';
import { replay, type Replay } from '../machines/replay.ts';
import type { LogEvent } from '../model/events.ts';
import { htmlReport } from '../cli/htmlReport.ts';
import { launchChromium, openHtml, type OpenedPage } from './chromium.ts';

// The hostile report the HTML escaping tests (cli/htmlEscape.test.ts, cli/htmlEscapeText.test.ts)
// open. Defence in depth: the values below bypass the log parser (events built in code, replay data
// mutated afterwards), so the report's own escaping is all that stands between them and the page.

export const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '"><img src=x onerror="window.__pwned=2">',
  '</style><script>window.__pwned=3</script>',
  "'",
  '&amp;',
  '</title><script>window.__pwned=4</script>',
];

/** A field's value: its name (to tell the fields apart on the page), then every payload. */
const hostile = (field: string) => `${field}-${PAYLOADS.join('')}`;

/** Every string that reaches the page, each holding every payload. */
export const V = {
  title: hostile('title'),
  phoneA: hostile('SEP-A'),
  phoneB: hostile('SEP-B'),
  publisher: hostile('pub'),
  subscriber: hostile('sub'),
  domain: hostile('domain'),
  newDomain: hostile('domain2'),
  hostname: hostile('hostname'),
  OU: hostile('OU'),
  O: hostile('O'),
  L: hostile('L'),
  ST: hostile('ST'),
  C: hostile('C'),
  backupHost: hostile('backup-host'),
  backupUser: hostile('backup-user'),
  backupPath: hostile('backup-path'),
  resetHost: hostile('reset-host'),
  resetUser: hostile('reset-user'),
  resetPath: hostile('reset-path'),
  version: hostile('version'),
  upgradeVersion: hostile('upgrade-version'),
  at: hostile('at'),
  note: hostile('note'),
  message: hostile('message'),
  alert: hostile('alert'),
  status: hostile('status'),
  rule: hostile('rule'),
  decisionReason: hostile('decision-reason'),
  origin: hostile('origin'),
  sha1: hostile('sha1'),
  diagnosisReason: hostile('diagnosis-reason'),
  recovery: hostile('recovery'),
  explanation: hostile('explanation'),
};

/** A small valid log, built in code with hostile names; versions stay valid for the replay and are made hostile after it. */
function hostileEvents(): LogEvent[] {
  const { publisher: pub, subscriber: sub } = V;
  return [
    {
      type: 'cluster.install',
      at: '2014-02-26T10:00:00-08:00',
      version: '10.0(1)',
      domain: V.domain,
      securityPassword: 'Pa55-<script>window.__pwned=5</script>',
      keyBits: 2048,
      subject: { OU: V.OU, O: V.O, L: V.L, ST: V.ST, C: V.C },
      nodes: [
        { name: pub, role: 'publisher', tftp: true, keyBits: 1024 },
        { name: sub, role: 'subscriber', tftp: true, keyBits: 2048 },
      ],
    },
    {
      type: 'itlrecovery.backup',
      at: '2014-02-26T10:05:00-08:00',
      node: pub,
      host: V.backupHost,
      user: V.backupUser,
      path: V.backupPath,
    },
    {
      type: 'phone.add',
      at: '2014-02-26T10:10:00-08:00',
      phone: V.phoneA,
      tftp: pub,
      tvs: [pub],
      firmware: hostile('firmware'),
    },
    {
      type: 'phone.add',
      at: '2014-02-26T10:10:30-08:00',
      phone: V.phoneB,
      tftp: sub,
      tvs: [sub, pub],
      firmware: hostile('firmware'),
    },
    { type: 'phone.power', at: '2014-02-26T10:20:00-08:00', phone: V.phoneA, on: false },
    { type: 'cert.regenerate', at: '2014-02-26T10:24:27-08:00', node: pub, cert: 'CallManager' },
    { type: 'cert.regenerate', at: '2014-02-26T10:30:00-08:00', node: pub, cert: 'TVS' },
    { type: 'node.rename', at: '2014-02-26T10:31:00-08:00', node: sub, hostname: V.hostname },
    { type: 'cluster.domain', at: '2014-02-26T10:31:30-08:00', domain: V.newDomain },
    { type: 'phone.power', at: '2014-02-26T10:40:00-08:00', phone: V.phoneA, on: true },
    { type: 'phone.tftp', at: '2014-02-26T10:41:00-08:00', phone: V.phoneB, tftp: pub },
    { type: 'cluster.upgrade', at: '2014-02-26T10:42:00-08:00', version: '10.5(1)' },
    {
      type: 'itl.reset',
      at: '2014-02-26T10:50:00-08:00',
      node: pub,
      key: 'remotekey',
      host: V.resetHost,
      user: V.resetUser,
      path: V.resetPath,
    },
    { type: 'tftp.restart', at: '2014-02-26T10:55:00-08:00', node: pub },
  ];
}

/** The report with a hostile value in every field that reaches the page. */
export function hostileReport(): string {
  const built = hostileEvents();
  const replayed = replay(built, { keepContexts: true });
  const found = diagnoseAll(replayed.final, replayed.reports[replayed.reports.length - 1]!.at);
  // One clone of the whole graph keeps the sharing the lanes rely on (one phone object across contexts) and undoes immer's freezing.
  const { events, result, diagnoses } = structuredClone({ events: built, result: replayed, diagnoses: found }) as {
    events: LogEvent[];
    result: Replay;
    diagnoses: Diagnosis[];
  };
  for (const e of events)
    if (e.type === 'cluster.install' || e.type === 'cluster.upgrade')
      e.version = e.type === 'cluster.install' ? V.version : V.upgradeVersion;
  const last = result.reports[result.reports.length - 1]!;
  last.at = V.at;
  last.notes.push({ kind: 'backupSaved', location: V.note });
  last.refusals.push({ kind: 'remoteP12Missing', host: V.message, path: V.message });
  last.alerts.push({ kind: V.alert as 'itlrecovery-not-backed-up' });
  const phones = result.contexts![result.contexts!.length - 1]!.cluster!.phones;
  for (const phone of phones) {
    phone.status = V.status;
    if (phone.lastDecision)
      phone.lastDecision = {
        ...phone.lastDecision,
        rule: V.rule as 'R4',
        failures: [
          ...phone.lastDecision.failures,
          {
            rule: 'R3',
            why: 'unknownSigner',
            tvs: { id: V.decisionReason, hostname: V.decisionReason },
            signer: { subject: V.decisionReason, serial: V.decisionReason },
          },
        ],
      };
  }
  for (const context of result.contexts!)
    for (const itl of Object.values(context.cluster?.itls ?? {}))
      Object.assign(itl, { origin: V.origin, sha1: `${itl.sha1}${V.sha1}` });
  for (const d of diagnoses)
    Object.assign(d, {
      failures: [
        ...d.failures,
        { rule: 'R3', why: 'tlsFailed', tvs: { id: V.diagnosisReason, hostname: V.diagnosisReason } },
      ],
      recovery: V.recovery,
      advice: {
        recovery: 'itl-reset-remotekey',
        publisher: { id: V.explanation, hostname: V.explanation },
        backup: { host: V.explanation, user: V.explanation, path: V.explanation },
      },
    });
  if (diagnoses.length === 0)
    throw new Error('fixture: no phone is locked at the end, so the diagnosis table would not be tested');
  return htmlReport(events, result, diagnoses, V.title);
}

/** Opens a report in a fresh page (openHtml, chromium.ts), after letting any queued error event (an injected image's onerror) fire. */
export async function openSettled(browser: Browser, dir: string, name: string, content: string): Promise<OpenedPage> {
  const opened = await openHtml(browser, dir, name, content);
  await opened.page.evaluate('new Promise((resolve) => setTimeout(resolve, 100))');
  return opened;
}

/** The hostile report and a way to open it, for one test file (`hostileSuite`). */
export interface HostileSuite {
  /** The report's HTML (built before the file's tests run). */
  readonly html: string;
  /** Opens the report (or `content`) as `name` in a fresh page of the file's browser (`openSettled`). */
  open(name: string, content?: string): Promise<OpenedPage>;
}

/**
 * Registers a test file's hooks: before its tests, the hostile report built, Chromium launched and a
 * scratch folder made; after them, both closed and removed. Call it at the top of the file.
 */
export function hostileSuite(): HostileSuite {
  let browser: Browser | undefined;
  let dir = '';
  let html = '';
  beforeAll(async () => {
    html = hostileReport();
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'itl-html-escape-'));
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    get html() {
      return html;
    },
    open: (name, content = html) => openSettled(browser!, dir, name, content),
  };
}
