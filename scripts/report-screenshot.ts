/**
 * Renders the HTML report of the real counterexample captured on Kafka
 * (src/report/__fixtures__/kafka-increment.result.json) in headless Chromium and writes a
 * screenshot of its timeline and legend to docs/timeline.png, for the README.
 *
 *   node scripts/report-screenshot.ts [out.png]
 *
 * Needs chromium (scripts/setup.sh installs it).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium, offlinePage } from '../src/report/__fixtures__/chromium.ts';
import { realResult } from '../src/report/__fixtures__/results.ts';
import { writeReports } from '../src/report/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(process.argv[2] ?? join(root, 'docs/timeline.png'));
const dir = mkdtempSync(join(tmpdir(), 'ackcheck-screenshot-'));
const browser = await launchChromium();
try {
  const { html } = writeReports([realResult()], dir, ['html'], { now: new Date('2026-01-01T00:00:00Z') });
  const view = await offlinePage(browser, pathToFileURL(html ?? '').href);
  if (view.requests.length > 0 || view.pageErrors.length > 0 || view.consoleErrors.length > 0)
    throw new Error(`the report did not load cleanly: ${JSON.stringify(view)}`);
  mkdirSync(dirname(out), { recursive: true });
  await view.page.locator('[data-testid="timeline-section-0"]').screenshot({ path: out });
  await view.close();
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
