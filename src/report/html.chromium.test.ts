/**
 * The HTML report in headless Chromium (Debian's `chromium`, driven by playwright-core): it
 * works offline, runs without errors, and its timeline really renders. Without chromium these
 * tests fail and say to run scripts/setup.sh; they never skip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertifyResult } from '../model/results.ts';
import { CHROMIUM_MISSING, launchChromium, type OfflinePage, offlinePage } from './__fixtures__/chromium.ts';
import {
  erroringResult,
  largeResult,
  NASTY_IDS,
  nastyResult,
  passingResult,
  realResult,
} from './__fixtures__/results.ts';
import { writeReports } from './index.ts';
import { TIMELINE_COLORS } from './timeline.ts';

/** A failing result whose counterexample has no history: its timeline has lanes but no marks. */
function blankResult(): CertifyResult {
  const r = realResult();
  const ce = r.counterexample;
  if (!ce) throw new Error('fixture without counterexample');
  return { ...r, counterexample: { ...ce, outcome: { ...ce.outcome, history: [] } } };
}

const results = [
  passingResult(),
  nastyResult(),
  erroringResult(),
  largeResult(50),
  realResult(),
  blankResult(),
];
const NASTY = 1;
const LARGE = 3;
const REAL = 4;
const BLANK = 5;

const dir = mkdtempSync(join(tmpdir(), 'ackcheck-html-'));
let browser: Browser | undefined;
let view: OfflinePage;
const dialogs: string[] = [];

beforeAll(async () => {
  const { html } = writeReports(results, dir, ['html']);
  browser = await launchChromium(); // throws "… run scripts/setup.sh" without chromium
  view = await offlinePage(browser, pathToFileURL(html ?? '').href);
  view.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
}, 60_000);

afterAll(async () => {
  await view?.close();
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const timeline = (i: number) => view.page.locator(`[data-testid="timeline-${i}"]`);
const historyOf = (i: number) => results[i]?.counterexample?.outcome.history ?? [];

/** Pixels of the screenshot (below the axis, right of the lane labels) close to each event colour. */
function eventPixels(png: Buffer): Map<string, number> {
  const image = PNG.sync.read(png);
  const colours = Object.entries(TIMELINE_COLORS).map(([name, hex]) => ({
    name,
    rgb: [1, 3, 5].map((k) => Number.parseInt(hex.slice(k, k + 2), 16)),
  }));
  const counts = new Map<string, number>();
  for (let y = 40; y < image.height; y++) {
    for (let x = 125; x < image.width; x++) {
      const at = (y * image.width + x) * 4;
      const px = [image.data[at] ?? 0, image.data[at + 1] ?? 0, image.data[at + 2] ?? 0];
      const hit = colours.find((c) => c.rgb.every((v, k) => Math.abs(v - (px[k] ?? 0)) <= 24));
      if (hit) counts.set(hit.name, (counts.get(hit.name) ?? 0) + 1);
    }
  }
  return counts;
}

describe('HTML report in Chromium', () => {
  it('without chromium, fails with a message that says to run scripts/setup.sh', async () => {
    await expect(launchChromium(['/nonexistent'])).rejects.toThrow(CHROMIUM_MISSING);
    expect(CHROMIUM_MISSING).toContain('scripts/setup.sh');
  });

  it('loads from file:// with no network request, no console error and no page error', async () => {
    expect(view.requests).toEqual([]);
    expect(view.blocked).toEqual([]);
    expect(view.consoleErrors).toEqual([]);
    expect(view.pageErrors).toEqual([]);
    expect(await view.page.locator('[data-testid="summary"] tbody tr').count()).toBe(results.length);
  });

  it('shows ids with <&" and </script> as text and runs none of them', async () => {
    expect(dialogs).toEqual([]);
    expect(await view.page.locator('script').count()).toBe(2);
    const scenario = await view.page.locator(`[data-testid="scenario-${NASTY}"]`).innerText();
    for (const id of NASTY_IDS) expect(scenario).toContain(id);
  });

  it.each([
    ['two workers', NASTY],
    ['50 messages, a broker pause and a kill', LARGE],
    ['the real Kafka counterexample', REAL],
  ])(
    'timeline of %s: a lane per worker + producer + broker, one mark per event, offending ids highlighted',
    async (_name, i) => {
      const history = historyOf(i);
      const workers = new Set(
        history.map((e) => e.process).filter((p) => p !== 'producer' && p !== 'harness'),
      );
      expect(await timeline(i).locator('[data-testid="lane"]').count()).toBe(workers.size + 2);
      expect(await timeline(i).locator('.ev').count()).toBe(history.length);

      const offending = new Set(results[i]?.counterexample?.verdict.findings.flatMap((f) => f.messageIds));
      const shown = new Set(history.flatMap((e) => ('id' in e && offending.has(e.id) ? [e.id] : [])));
      expect(shown.size).toBeGreaterThan(0);
      const highlighted = await timeline(i)
        .locator('.ev.hl')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
      expect(new Set(highlighted)).toEqual(shown);
      expect(highlighted).toHaveLength(history.filter((e) => 'id' in e && offending.has(e.id)).length);
    },
  );

  it("the real counterexample shows both kills where the workers' lanes end", async () => {
    expect(await timeline(REAL).locator('.crash').count()).toBe(2);
    const lanes = await timeline(REAL)
      .locator('[data-testid="lane"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-lane')));
    expect(lanes).toEqual(['producer', 'w1', 'w1#2', 'w1#3', 'w2', 'harness']);
    const crashed = await timeline(REAL)
      .locator('.crash')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-lane')));
    expect(crashed).toEqual(['w1', 'w1#2']);
  });

  it('hovering a mark shows its details', async () => {
    const tooltip = view.page.locator('[data-testid="tooltip"]');
    expect(await tooltip.isHidden()).toBe(true);
    const mark = timeline(REAL).locator('.ev.hl[data-type="process-begin"]').first();
    await mark.scrollIntoViewIfNeeded();
    await mark.hover({ force: true });
    await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await tooltip.innerText();
    expect(text).toMatch(/^process-begin m3 {2}\(w1#2\)/);
    expect(text).toContain('attempt: 1');
  });

  it('the timeline really renders: enough pixels of the event colours in the lane area', async () => {
    const counts = eventPixels(await timeline(REAL).screenshot());
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(total, JSON.stringify(Object.fromEntries(counts))).toBeGreaterThan(800);
    for (const colour of ['produce', 'deliver', 'ok', 'ack', 'crash', 'highlight'])
      expect(
        counts.get(colour) ?? 0,
        `${colour}: ${JSON.stringify(Object.fromEntries(counts))}`,
      ).toBeGreaterThan(20);
  });

  it('the pixel check catches a timeline that draws no events', async () => {
    const counts = eventPixels(await timeline(BLANK).screenshot());
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(50);
  });
});
