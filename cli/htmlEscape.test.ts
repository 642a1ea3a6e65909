import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium, openHtml, type OpenedPage } from '../test-support/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseAll, type Diagnosis } from '../machines/diagnose.ts';
import { replay, type Replay } from '../machines/replay.ts';
import type { LogEvent } from '../model/events.ts';
import { HTML_SCRIPT } from './htmlAssets.ts';
import { htmlReport } from './htmlReport.ts';

// Defence in depth: the values below bypass the log parser (events built in code, replay data
// mutated afterwards), so the report's own escaping is all that stands between them and the page.

const PAYLOADS = [
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
const V = {
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
function hostileReport(): string {
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

let browser: Browser;
let dir: string;
let html: string;

/** Opens a report in a fresh page (test-support/chromium.ts), after letting any queued error event (an injected image's onerror) fire. */
async function open(name: string, content = html): Promise<OpenedPage> {
  const opened = await openHtml(browser, dir, name, content);
  await opened.page.evaluate('new Promise((resolve) => setTimeout(resolve, 100))');
  return opened;
}

beforeAll(async () => {
  html = hostileReport();
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'itl-html-escape-'));
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('htmlReport escaping', () => {
  it('should contain no payload unescaped in the HTML when every field holds markup', () => {
    for (const payload of PAYLOADS.filter((p) => p !== "'")) expect(html).not.toContain(payload);
    // The report's own quotes are in its CSP and its script; anywhere else a raw one came from a value.
    const own = html
      .replace(HTML_SCRIPT, '')
      .replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, '');
    expect(own).not.toContain("'");
    for (const value of Object.values(V)) expect(html).not.toContain(value);
    expect(html).not.toContain('Pa55-');
  });

  it('should still run no injected script when markup gets past the escaping, because the CSP allows only the report’s own script', async () => {
    const broken = html.replace(
      '<h2>Phones</h2>',
      '<h2>Phones</h2><script>window.__pwned=9</script><img src="x" onerror="window.__pwned=8">',
    );
    const { page, errors } = await open('csp.html', broken);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(errors.join('\n')).toMatch(/Content Security Policy/);
    // The report's own script (the filter) still ran.
    expect(await page.locator('#shown').textContent()).not.toBe('');
    await page.close();
  });

  it('should run no injected script, make no request, open no dialog and log no error when opened in Chromium', async () => {
    const { page, errors, requests, dialogs } = await open('hostile.html');
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('style').count()).toBe(1);
    expect(await page.locator('img').count()).toBe(0);
    expect(
      await page
        .locator('body *')
        .evaluateAll((els) => els.filter((e) => e.getAttributeNames().some((a: string) => a.startsWith('on'))).length),
    ).toBe(0);
    await page.close();
  });

  it('should show every payload as the text it was when it is a title, a name, a rule or a diagnosis', async () => {
    const { page } = await open('hostile-text.html');
    expect(await page.title()).toBe(V.title);
    expect(await page.locator('h1').textContent()).toBe(V.title);
    const lanes = page.locator('.lane[data-phone]');
    expect(await lanes.evaluateAll((ls) => ls.map((l) => l.getAttribute('data-phone')))).toEqual([V.phoneA, V.phoneB]);
    expect(await lanes.locator('.name').allTextContents()).toEqual([V.phoneA, V.phoneB]);
    for (const phone of [V.phoneA, V.phoneB])
      await expect(page.getByText(phone, { exact: true }).first().isVisible()).resolves.toBe(true);
    const nodes = page.locator('.lane[data-node]');
    expect(await nodes.evaluateAll((ls) => ls.map((l) => l.getAttribute('data-node')))).toEqual([
      V.publisher,
      V.subscriber,
    ]);
    expect(await nodes.locator('.name').allTextContents()).toEqual([V.publisher, V.subscriber]);
    await expect(lanes.getByText(V.rule, { exact: true }).first().isVisible()).resolves.toBe(true);
    const cells = await page
      .locator('table.diag tbody tr')
      .first()
      .locator('td')
      .evaluateAll((tds) => tds.map((td) => td.textContent));
    expect(cells[0]).toBe(V.phoneA);
    expect(cells[1]).toContain(V.diagnosisReason);
    expect(cells[2]).toBe(V.recovery);
    expect(cells[3]).toBe(
      `utils itl reset remotekey ${V.explanation} ${V.explanation} ${V.explanation} on ${V.explanation}, then reset the phone`,
    );
    await page.close();
  });

  it('should carry every payload intact in the hover titles when a value is shown only on hover', async () => {
    const { page } = await open('hostile-titles.html');
    const titles = await page.locator('[title]').evaluateAll((els) => els.map((e) => e.getAttribute('title')!));
    const {
      title: _title,
      rule: _rule,
      recovery: _recovery,
      explanation: _explanation,
      diagnosisReason: _reason,
      ...hovered
    } = V;
    const missing = Object.entries(hovered).filter(([, value]) => !titles.some((t) => t.includes(value)));
    expect(missing.map(([field]) => field)).toEqual([]);
    await page.close();
  });

  it('should filter to one phone when its whole hostile name is typed', async () => {
    const { page } = await open('hostile-filter.html');
    await page.locator('#filter').fill(V.phoneB);
    expect(await page.locator('#shown').textContent()).toBe('1');
    expect(
      await page.locator('.lane[data-phone]:visible').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-phone'))),
    ).toEqual([V.phoneB]);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    await page.close();
  });
});
