/**
 * The stack a browser test file of the web client runs against: all five
 * subgraphs and the gateway on one fresh database, meet pointed at the
 * LiveKit double, and one Chromium. `useWebClientStack()` registers the
 * file's hooks; each test opens its own contexts, which can reach nothing
 * but the gateway, and fails on any console error left in them.
 */
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { assertWebBuilt } from '../../scripts/lib/ensure-web-build.js';
import { startLiveKitDouble, type LiveKitDouble } from '../livekit/livekit-double.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';
import { launchChromium, recordProblems, type ConsoleProblem } from './browser-session.js';

export interface WebClientStack {
  readonly platform: TestPlatform;
  readonly livekit: LiveKitDouble;
  readonly origin: string;
  /**
   * A browser context that cannot reach anything but the gateway (a request
   * elsewhere fails the test: the pages must work offline). Signed out, as
   * after a sign-out, unless `autoSignIn` (the demo administrator of npm start).
   */
  newContext(options?: Parameters<Browser['newContext']>[0], allowed?: (text: string) => boolean, alsoReachable?: string[], autoSignIn?: boolean): Promise<BrowserContext>;
  /** Signs in through the sign-in page with the keyboard only: label, Tab, Enter. */
  signIn(page: Page, username: string, next?: string, token?: string): Promise<void>;
  /** A page of a new context (as newContext) whose clock stands still at `now`, signed in as `username` at `path`. */
  signedInAt(now: Date, username: string, path: string, options?: Parameters<Browser['newContext']>[0], allowed?: (text: string) => boolean): Promise<Page>;
}

/**
 * BROWSER_TEST_SLOW_ANSWERS_MS=<ms>: every answer a page gets from /graphql is held back that long
 * after the gateway gave it (the server has acted; the page hears late), and every message and close
 * of its graphql-ws sockets too, in order. Off (0) by default; for finding tests that read a page
 * before it heard back, and pages that race their own answers. A test's own routes come first.
 */
export const SLOW_ANSWERS_MS = Number(process.env.BROWSER_TEST_SLOW_ANSWERS_MS ?? 0) || 0;

/**
 * A context's routes to /graphql that hold each answer back SLOW_ANSWERS_MS (see above). The answer is fetched
 * from the test's process, which the browser's offline mode does not reach: an offline context's requests go on
 * to the browser, which fails them.
 */
async function slowAnswers(context: BrowserContext, origin: string): Promise<void> {
  const graphql = (url: URL) => url.origin === origin && url.pathname === '/graphql';
  let offline = false;
  const setOffline = context.setOffline.bind(context);
  context.setOffline = async (value) => {
    offline = value;
    await setOffline(value);
  };
  await context.route(graphql, async (route) => {
    if (offline) return route.fallback();
    let response: Awaited<ReturnType<typeof route.fetch>>;
    try {
      response = await route.fetch();
    } catch {
      // The page or context closed meanwhile, or the gateway is gone: as the page would have seen it.
      return route.abort('connectionfailed').catch(() => {});
    }
    await delay(SLOW_ANSWERS_MS);
    await route.fulfill({ response }).catch(() => {}); // the page may have closed while the answer was held
  });
  await context.routeWebSocket(
    (url) => graphql(new URL(url.toString().replace(/^ws/, 'http'))),
    (page) => {
      const server = page.connectToServer();
      // Each held SLOW_ANSWERS_MS from its arrival, through one queue per socket, so that the page hears the
      // messages and the close in the order the gateway sent them.
      let queue = Promise.resolve();
      const later = (deliver: () => unknown) => {
        const due = Date.now() + SLOW_ANSWERS_MS;
        queue = queue.then(async () => {
          await delay(Math.max(0, due - Date.now()));
          await Promise.resolve(deliver()).catch(() => {});
        });
      };
      // What the page sends once the gateway has closed, before it hears so, is lost on the way, as on a network.
      let closed = false;
      page.onMessage((message) => {
        if (!closed) server.send(message);
      });
      server.onMessage((message) => later(() => page.send(message)));
      server.onClose((code, reason) => {
        closed = true;
        later(() => page.close({ code, reason }));
      });
    },
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

export function useWebClientStack(env: Record<string, string> = {}): WebClientStack {
  let platform: TestPlatform;
  let livekit: LiveKitDouble;
  let browser: Browser;
  let origin: string;
  const contexts: BrowserContext[] = [];
  let problems: ConsoleProblem[] = [];

  beforeAll(async () => {
    assertWebBuilt();
    livekit = await startLiveKitDouble();
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    platform = await startTestPlatform({
      gatewayPort: port,
      // Signed upload and download URLs name the gateway's origin, as PUBLIC_URL does in production.
      env: { PUBLIC_URL: origin, LIVEKIT_URL: livekit.url, MEET_RECONCILE_INTERVAL_SECONDS: '0', MEET_ROOM_OPEN_INTERVAL_SECONDS: '0', GATEWAY_RATE_LIMIT_STORE: 'memory', ...env },
      devToken: () => platform.tokenFor('admin'),
    });
    livekit.webhookUrl = `${origin}/webhooks/livekit`;
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await livekit?.webhooksSettled();
    await platform?.stop();
    await livekit?.stop();
  });

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    const seen = problems;
    problems = [];
    expect(seen, 'console errors in the pages').toEqual([]);
  });

  return {
    get platform() {
      return platform;
    },
    get livekit() {
      return livekit;
    },
    get origin() {
      return origin;
    },
    async newContext(options = {}, allowed, alsoReachable = [], autoSignIn = false) {
      const context = await browser.newContext({ acceptDownloads: true, ...options });
      contexts.push(context);
      if (!autoSignIn) {
        await context.addInitScript(() => {
          if (location.protocol.startsWith('http')) localStorage.setItem('bheem.signed-out', '1'); // about:blank has no storage
        });
      }
      const recorded = recordProblems(context, allowed);
      const offsite: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if ([origin, ...alsoReachable, 'data:', 'blob:'].some((allowedStart) => url.startsWith(allowedStart))) return route.continue();
        offsite.push(url);
        return route.abort('internetdisconnected');
      });
      if (SLOW_ANSWERS_MS > 0) {
        if (options.offline) throw new Error('BROWSER_TEST_SLOW_ANSWERS_MS: a context made offline is not supported');
        await slowAnswers(context, origin);
      }
      context.on('close', () => {
        problems.push(...recorded, ...offsite.map((url) => ({ page: 'network', text: `request off the gateway: ${url}` })));
      });
      return context;
    },
    async signIn(page, username, next = '/app/', token) {
      await page.goto(`${origin}/app/sign-in?next=${encodeURIComponent(next.replace(/^\/app/, ''))}`);
      await page.getByRole('textbox', { name: 'Token', exact: true }).focus();
      await page.keyboard.insertText(token ?? (await platform.tokenFor(username)));
      await page.keyboard.press('Tab');
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Sign in');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
    },
    async signedInAt(now, username, path, options, allowed) {
      const context = await this.newContext(options, allowed);
      await context.clock.setFixedTime(now);
      const page = await context.newPage();
      await this.signIn(page, username, path);
      return page;
    },
  };
}
