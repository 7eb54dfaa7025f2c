/**
 * Headless Chromium for the HTML report's tests and screenshot script: Debian's `chromium`
 * (installed by scripts/setup.sh) driven by playwright-core, which downloads no browser.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

const CANDIDATES = ['chromium', 'chromium-browser'];

const searchPath = () => [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin'];

/** The chromium executable in `dirs` (default: PATH, then /usr/bin), or undefined. */
export function findChromium(dirs: readonly string[] = searchPath()): string | undefined {
  for (const dir of dirs) {
    for (const name of CANDIDATES) {
      const path = join(dir, name);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export const CHROMIUM_MISSING =
  'Chromium was not found on PATH or at /usr/bin/chromium: the HTML report tests need it. ' +
  'Run scripts/setup.sh (it installs Debian\'s "chromium" package), or install a chromium and put it on PATH.';

/** Launches headless chromium (found in `dirs`, default PATH); throws CHROMIUM_MISSING when there is none. */
export async function launchChromium(dirs?: readonly string[]): Promise<Browser> {
  const executablePath = findChromium(dirs);
  if (!executablePath) throw new Error(CHROMIUM_MISSING);
  return chromium.launch({
    executablePath,
    headless: true,
    timeout: 30_000,
    // root in a container has no user namespaces for the sandbox; /dev/shm may be small.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

export interface OfflinePage {
  readonly page: Page;
  /** Every request the page made, other than for the file itself. */
  readonly requests: string[];
  /** Requests refused by the route (a subset of `requests`, or the file:// ones it saw). */
  readonly blocked: string[];
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  close(): Promise<void>;
}

/**
 * A page that refuses every request other than the file itself and data: URLs, and records
 * what it refused, what the console said at error level and uncaught page errors.
 */
export async function offlinePage(browser: Browser, fileUrl: string): Promise<OfflinePage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const blocked: string[] = [];
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === fileUrl) await route.continue();
    else {
      blocked.push(url);
      await route.abort();
    }
  });
  page.on('request', (r) => {
    if (r.url() !== fileUrl) requests.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(fileUrl, { waitUntil: 'load', timeout: 30_000 });
  return { page, requests, blocked, consoleErrors, pageErrors, close: () => context.close() };
}
