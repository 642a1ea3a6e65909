import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium; the HTML tests need a real browser and are never skipped. */
const CHROMIUM = '/usr/bin/chromium';

/** Headless, and quiet: no background networking, which this machine's closed network would refuse. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium, or throws saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); this test needs a real browser and is not skipped`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A page opened on an HTML file, with what it logged, fetched and asked. */
export interface OpenedPage {
  page: Page;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/** Writes `html` to `dir/name` and opens it in a fresh page, recording console and page errors, dialogs, and every request but the file itself. */
export async function openHtml(browser: Browser, dir: string, name: string, html: string): Promise<OpenedPage> {
  const file = join(dir, name);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const errors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => void errors.push(e.message));
  page.on('request', (r) => void (r.url() !== pathToFileURL(file).href && requests.push(r.url())));
  page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, requests, dialogs };
}
