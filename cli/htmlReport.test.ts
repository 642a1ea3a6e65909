import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openHtml } from '../test-support/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseAll } from '../machines/diagnose.ts';
import { replay } from '../machines/replay.ts';
import type { LogEvent } from '../model/events.ts';
import { parseLog } from '../model/parseLog.ts';
import { htmlIncident } from '../test-support/htmlIncident.ts';
import { escapeHtml, htmlReport, VIRTUAL_ABOVE } from './htmlReport.ts';

const seedText = readFileSync(new URL('../examples/seed-incident.jsonl', import.meta.url), 'utf8');
const COLORS = { locked: 'rgb(209, 36, 47)', recovered: 'rgb(31, 111, 235)', trusted: 'rgb(46, 158, 79)' };

function reportOf(events: LogEvent[], title: string): string {
  const result = replay(events, { keepContexts: true });
  return htmlReport(events, result, diagnoseAll(result.final, result.reports[result.reports.length - 1]!.at), title);
}

let browser: Browser;
let dir: string;

/** Opens a report in a fresh page (test-support/chromium.ts). */
const open = (html: string, name: string) => openHtml(browser, dir, name, html);

/** The color of a screenshot's pixel near an element's lower-left corner (clear of its centered text), decoded by the browser from the PNG. */
async function pixelAt(page: Page, png: Buffer, selector: string): Promise<string> {
  const box = (await page.locator(selector).first().boundingBox())!;
  const decoder = await browser.newPage();
  const [x, y] = [Math.round(box.x + 3), Math.round(box.y + box.height - 3)];
  // A string expression: it runs in the browser, whose DOM types this Node project does not load.
  const rgb = await decoder.evaluate<string>(`(async () => {
    const image = new Image();
    image.src = 'data:image/png;base64,${png.toString('base64')}';
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const g = canvas.getContext('2d');
    g.drawImage(image, 0, 0);
    const [r, gr, b] = g.getImageData(${x}, ${y}, 1, 1).data;
    return 'rgb(' + r + ', ' + gr + ', ' + b + ')';
  })()`);
  await decoder.close();
  return rgb;
}

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'itl-html-'));
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('htmlReport', () => {
  it('should escape text when it holds markup', () => {
    expect(escapeHtml(`<b a="x">'&`)).toBe('&#60;b a=&#34;x&#34;&#62;&#39;&#38;');
  });

  it('should be one self-contained file when rendered: no external script, style, font or image', () => {
    const html = reportOf(parseLog(seedText, 'seed').events, 'seed');
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]*\s(src|href)=/i);
    expect(html).not.toMatch(/url\(|@import|https?:\/\//i);
  });

  it('should never contain the cluster security password when the log has one', () => {
    const events = parseLog(seedText.replace('Cisco-Sec-123', 'Very-Secret-Pa55'), 'seed').events;
    expect(reportOf(events, 'seed')).not.toContain('Very-Secret-Pa55');
  });

  it('should load with no console error or request and show every phone of the seed incident when opened in Chromium', async () => {
    const events = parseLog(seedText, 'seed').events;
    const { page, errors, requests } = await open(reportOf(events, 'seed incident'), 'seed.html');
    const phones = [...new Set(events.flatMap((e) => (e.type === 'phone.add' ? [e.phone] : [])))];
    expect(
      await page.locator('.lane[data-phone]').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-phone'))),
    ).toEqual(expect.arrayContaining(phones));
    for (const phone of phones)
      await expect(page.getByText(phone, { exact: true }).first().isVisible()).resolves.toBe(true);
    expect(
      await page.locator('.lane[data-node]').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-node'))),
    ).toEqual(['test10pub', 'test10sub']);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('should paint the locked and the recovered cells of SEP001122334455 in their colors when screenshot', async () => {
    const { page } = await open(reportOf(parseLog(seedText, 'seed').events, 'seed incident'), 'seed.html');
    const lane = '.lane[data-phone="SEP001122334455"]';
    // The phone locks at event 10 and recovers at event 12 (examples/seed-incident.jsonl).
    const locked = `${lane} .locked[data-from="10"]`;
    const recovered = `${lane} .recovered[data-from="12"]`;
    expect(await page.locator(locked).getAttribute('title')).toMatch(
      /#10 phone\.power SEP001122334455 on[^]*LOCKED[^]*decided by R4: R2: [^]*R3: /,
    );
    expect(await page.locator(recovered).getAttribute('title')).toMatch(
      /#12 devices\.reset[^]*recovered after a lock[^]*decided by R2/,
    );
    const png = await page.screenshot({ path: join(dir, 'seed.png'), fullPage: true });
    expect(await pixelAt(page, png, locked)).toBe(COLORS.locked);
    expect(await pixelAt(page, png, recovered)).toBe(COLORS.recovered);
    expect(await pixelAt(page, png, `.lane[data-phone="SEP00AABBCCDD01"] .trusted`)).toBe(COLORS.trusted);
    await page.close();
  });

  it('should render 500 phones grouped locked first and filter them when a name or an outcome is typed', async () => {
    const events = parseLog(htmlIncident(500), 'big').events;
    const { page, errors } = await open(reportOf(events, '500 phones'), 'big.html');
    expect(errors).toEqual([]);
    expect(await page.locator('.lane[data-phone]').count()).toBe(500);
    expect(await page.locator('.group-box').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-group')))).toEqual([
      'locked',
      'recovered',
      'trusted',
    ]);
    await page.locator('#filter').fill('locked');
    expect(await page.locator('#shown').textContent()).toBe('10');
    expect(
      await page
        .locator('.lane[data-phone]:visible')
        .evaluateAll((ls) => ls.map((l) => l.getAttribute('data-outcome'))),
    ).toEqual(Array(10).fill('locked'));
    await page.locator('#filter').fill('sep1000000000c8');
    expect(
      await page.locator('.lane[data-phone]:visible').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-phone'))),
    ).toEqual(['SEP1000000000C8']);
    expect(await page.locator('.group-box[data-group="recovered"]').isVisible()).toBe(false);
    await page.locator('#filter').fill('');
    expect(await page.locator('#shown').textContent()).toBe('500');
    await page.close();
  });

  it('should name the events on the time axis and draw unplugged and restarting phones as such', async () => {
    const { page } = await open(reportOf(parseLog(seedText, 'seed').events, 'seed incident'), 'axis.html');
    const axis = await page.locator('.grid').first().locator('.head > span:not(.name)').allTextContents();
    expect(axis).toContain('10:24:27 regen CallManager on test10pub');
    expect(axis).toContain('10:36:00 devices.reset (all phones)');
    // SEP001122334455 is unplugged from event 6 to 10; the others restart after each regeneration.
    expect(await page.locator('.lane[data-phone="SEP001122334455"] .off').getAttribute('data-from')).toBe('6');
    expect(await page.locator('.lane[data-phone="SEP00AABBCCDD01"] .restarting').count()).toBeGreaterThan(0);
    expect(await page.locator('.lane[data-phone="SEP00AABBCCDD02"] .off').count()).toBe(0);
    await page.close();
  });

  it('should label a reset ITL and a forged ITL apart from the normal ones', async () => {
    const reset = await open(reportOf(parseLog(seedText, 'seed').events, 'seed'), 'reset.html');
    const resetCells = reset.page.locator('.lane[data-node="test10pub"] .itl-reset');
    expect(await resetCells.first().textContent()).toMatch(/^RESET [0-9a-f]{8}$/);
    expect(await reset.page.locator('.lane[data-node] .itl:not(.itl-reset)').first().textContent()).toMatch(
      /^[0-9a-f]{8}$/,
    );
    await reset.page.close();
    const forgedLog = readFileSync(new URL('../examples/regression-forged-node-advice.jsonl', import.meta.url), 'utf8');
    const forged = await open(reportOf(parseLog(forgedLog, 'forged').events, 'forged'), 'forged.html');
    const cell = forged.page.locator('.lane[data-node="pub"] .itl-forged').first();
    expect(await cell.getAttribute('title')).toMatch(/serves its forged ITL/);
    expect(await forged.page.locator('.itl-forged').count()).toBeGreaterThan(0);
    await forged.page.close();
  });

  it('should reach the cells with the keyboard and say what the focused one shows', async () => {
    const { page } = await open(reportOf(parseLog(seedText, 'seed').events, 'seed'), 'keys.html');
    await page.locator('.lane[data-phone="SEP001122334455"] .locked').focus();
    expect(await page.locator('#detail').textContent()).toMatch(/^#10 phone\.power SEP001122334455 on[^]*LOCKED/);
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate('document.activeElement.className')).toBe('recovered');
    expect(await page.locator('#detail').textContent()).toMatch(/recovered after a lock/);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate('document.activeElement.parentElement.dataset.phone')).toBe('SEP00AABBCCDD01');
    await page.close();
  });

  it('should print the timeline table and not the filter', async () => {
    const { page } = await open(reportOf(parseLog(seedText, 'seed').events, 'seed'), 'print.html');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#filter').isVisible()).toBe(false);
    expect(await page.locator('table.timeline tbody tr').count()).toBe(15);
    expect(await page.locator('table.timeline').isVisible()).toBe(true);
    const pdf = await page.pdf();
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('should draw only the rows in view above the threshold, other rows when scrolled, and a hostile name as text', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">SEP';
    const first = 'SEP100000000000';
    const events = parseLog(htmlIncident(VIRTUAL_ABOVE + 200), 'huge').events.map((e) =>
      'phone' in e && e.phone === first ? { ...e, phone: hostile } : e,
    );
    const html = reportOf(events, 'many phones');
    expect(html).not.toContain(hostile);
    const { page, errors, requests } = await open(html, 'virtual.html');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('#shown').textContent()).toBe(String(VIRTUAL_ABOVE + 200));
    const drawn = () =>
      page.locator('.lane[data-phone]').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-phone')));
    const top = await drawn();
    expect(top.length).toBeGreaterThan(10);
    expect(top.length).toBeLessThan(120);
    expect(top[0]).toBe(hostile);
    await expect(page.getByText(hostile, { exact: true }).first().isVisible()).resolves.toBe(true);
    const lastPhone = `SEP${(0x1000_0000_0000 + VIRTUAL_ABOVE + 199).toString(16).toUpperCase()}`;
    expect(top).not.toContain(lastPhone);
    await page.evaluate(
      "(() => { const box = document.getElementById('vlanes'); box.scrollTop = box.scrollHeight; box.dispatchEvent(new Event('scroll')); })()",
    );
    const bottom = await drawn();
    expect(bottom).toContain(lastPhone);
    expect(bottom).not.toContain(hostile);
    expect(bottom.length).toBeLessThan(120);
    await page.locator('#filter').fill('sep1000000001f4');
    expect(await drawn()).toEqual(['SEP1000000001F4']);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    await page.close();
  });
});
