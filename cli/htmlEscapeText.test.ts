import { hostileSuite, V } from '../test-support/hostileReport.ts';
import { describe, expect, it } from 'vitest';

// That every hostile value, once escaped, still reads as the text it was: on the page, in the hover
// titles, and typed into the phone filter (test-support/hostileReport.ts builds the report).

const suite = hostileSuite();
const { open } = suite;

describe('htmlReport escaping', () => {
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
