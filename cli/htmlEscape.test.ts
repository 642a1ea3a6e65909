import { hostileSuite, PAYLOADS, V } from '../test-support/hostileReport.ts';
import { describe, expect, it } from 'vitest';
import { HTML_SCRIPT } from './htmlAssets.ts';

// That no hostile value runs as code: none reaches the HTML unescaped, and the CSP stops any that
// would get past the escaping. The hostile report and why it bypasses the log parser are in
// test-support/hostileReport.ts; cli/htmlEscapeText.test.ts checks the values still read as they were.

const suite = hostileSuite();
const { open } = suite;

describe('htmlReport escaping', () => {
  it('should contain no payload unescaped in the HTML when every field holds markup', () => {
    for (const payload of PAYLOADS.filter((p) => p !== "'")) expect(suite.html).not.toContain(payload);
    // The report's own quotes are in its CSP and its script; anywhere else a raw one came from a value.
    const own = suite.html
      .replace(HTML_SCRIPT, '')
      .replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, '');
    expect(own).not.toContain("'");
    for (const value of Object.values(V)) expect(suite.html).not.toContain(value);
    expect(suite.html).not.toContain('Pa55-');
  });

  it('should still run no injected script when markup gets past the escaping, because the CSP allows only the report’s own script', async () => {
    const broken = suite.html.replace(
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
});
