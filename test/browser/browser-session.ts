/**
 * Debian's Chromium driven by playwright-core, as CI has it (.ci/run installs
 * the `chromium` package). Every page records console errors and uncaught
 * exceptions, so that a test can assert a page ran cleanly. `said` and
 * `focusedText` read a page as a screen reader user hears it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../platform/paths.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'browser');

export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // A fresh profile per launch (playwright's temporary user-data-dir); nothing reaches out on its own.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface ConsoleProblem {
  page: string;
  text: string;
}

/** Console errors and page exceptions of every page of a context, but those `allowed` says are expected. */
export function recordProblems(context: BrowserContext, allowed: (text: string) => boolean = () => false): ConsoleProblem[] {
  const problems: ConsoleProblem[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error' && !allowed(message.text())) problems.push({ page: page.url(), text: message.text() });
    });
    page.on('pageerror', (error) => problems.push({ page: page.url(), text: `uncaught: ${error.message}` }));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** What the page's polite log region has said (App.vue's announcer), '' before it exists. */
export const said = (page: Page): Promise<string> =>
  page
    .getByRole('log')
    .innerText()
    .catch(() => '');

/** The focused element, as "tag: its text" with white space folded. */
export const focusedText = (page: Page): Promise<string> =>
  page.evaluate(() => `${document.activeElement?.tagName.toLowerCase()}: ${(document.activeElement as HTMLElement | null)?.innerText.replace(/\s+/g, ' ').trim()}`);
