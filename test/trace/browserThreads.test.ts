/**
 * The timeline of a real threaded run in Chromium (from npm, test/support/chromium.ts): the
 * page `vmmsim trace --format html` writes for a run on worker threads, and the same run drawn
 * with a small detail budget so that the whole-run view is the overview whatever the machine's
 * speed. Checks the overview draws every track and the violations, that detail windows are
 * decoded only when zoomed into, and saves screenshots to out/screenshots/
 * (VMMSIM_UPDATE_SCREENSHOT=1 also refreshes the README's). VMMSIM_SKIP_BROWSER=1 skips it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { readTrace } from '../../src/cli/commands/replay.js';
import { loadScenario } from '../../src/scenario/load.js';
import { DigestBuilder } from '../../src/trace/digest.js';
import { toHtml } from '../../src/trace/html.js';
import { saveArtifact } from '../support/artifacts.js';
import { npmChromium } from '../support/chromium.js';
import { childBound } from '../support/childBound.js';

const TIMEOUT_MS = 300_000;
const PAGE_MB_MAX = 25;
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-browser-threads-'));
const tracePath = join(dir, 'threads.json');
const cliPage = join(dir, 'threads.html');
const overviewPage = join(dir, 'overview.html');

interface State { detail: number; decoded: Record<string, unknown>; stats: { spans: number; violations: number; bins: number } }
const state = (page: Page): Promise<State> => page.evaluate('window.vmmsimTimeline.state') as Promise<State>;

/** Red pixels across the canvas (violations are drawn in #d32f2f). */
const redPixels = (page: Page): Promise<number> => page.evaluate(`(() => {
  const c = document.getElementById('canvas'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let red = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] > 180 && d[i + 1] < 90 && d[i + 2] < 90) red++;
  return red;
})()`) as Promise<number>;

async function open(browser: Browser, file: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-rendered="true"]');
  return { page, errors };
}

describe.skipIf(process.env.VMMSIM_SKIP_BROWSER === '1')('the timeline of a threaded run in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    const bin = resolve('bin/vmmsim.js');
    // A device with a stale-cancel bug, two seconds on worker threads: a real run with violations.
    // It finds the bug, so `run` exits 1 (a violation), having written the trace.
    const run = spawnSync(process.execPath, [bin, 'run', '--runtime', 'threads', '--scenario', 'test/trace/fixtures/leakyModem.ts', '--duration', '2', '--trace', tracePath], { encoding: 'utf8', ...childBound() });
    expect(run.status, run.stderr).toBe(1);
    execFileSync(process.execPath, [bin, 'trace', tracePath, '--format', 'html', '-o', cliPage], childBound());
    const trace = readTrace(tracePath);
    const digest = new DigestBuilder({
      runtime: 'threads', title: 'leaky-modem on threads (small detail budget)', meta: {}, firstSeq: 0, lastSeq: trace.expect.records - 1,
      times: { stepTimesUs: trace.stepTimesUs!, strideSteps: trace.stepTimesStride ?? 1 }, detailRecordsMax: 20_000, windowRecords: 2_000,
    });
    replayTrace(trace, await loadScenario(trace.scenario), false, { onRecord: (r) => digest.push(r) });
    writeFileSync(overviewPage, toHtml(digest.end()));
    browser = await chromium.launch(npmChromium());
  }, TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`writes a page of at most ${PAGE_MB_MAX} MB that renders the run and its violations`, async () => {
    expect(statSync(cliPage).size).toBeLessThanOrEqual(PAGE_MB_MAX * 1e6);
    const { page, errors } = await open(browser, cliPage);
    expect(errors).toEqual([]);
    expect((await state(page)).stats.violations).toBeGreaterThan(0);
    expect(await redPixels(page)).toBeGreaterThan(100);
    saveArtifact('screenshots/timeline-threads-whole.png', await page.screenshot());
    await page.click('#goto-violation');
    expect((await state(page)).detail).toBeGreaterThanOrEqual(0);
    expect(await page.locator('#details').innerText()).toContain('staleCancel');
    saveArtifact('screenshots/timeline-threads-zoom.png', await page.screenshot());
    if (process.env.VMMSIM_UPDATE_SCREENSHOT === '1') {
      mkdirSync('docs/screenshots', { recursive: true });
      await page.click('#fit');
      await page.screenshot({ path: 'docs/screenshots/timeline-threads-whole.png' });
      await page.click('#goto-violation');
      await page.screenshot({ path: 'docs/screenshots/timeline-threads-zoom.png' });
    }
    await page.close();
  }, TIMEOUT_MS);

  it('opens on the whole-run overview, and decodes a detail window only when zoomed into', async () => {
    const { page, errors } = await open(browser, overviewPage);
    const whole = await state(page);
    expect(whole.detail).toBe(-1);
    expect(Object.keys(whole.decoded)).toEqual([]);
    expect(whole.stats.bins).toBeGreaterThan(100);
    expect(whole.stats.violations).toBeGreaterThan(0);
    expect(await page.locator('#view-mode').getAttribute('data-mode')).toBe('overview');
    for (const kind of ['vmm', 'vm', 'irq']) expect(await page.locator(`[data-track-kind="${kind}"]`).count()).toBeGreaterThan(0);
    saveArtifact('screenshots/timeline-overview.png', await page.screenshot());
    await page.click('#goto-violation');
    const zoomed = await state(page);
    expect(zoomed.detail).toBeGreaterThanOrEqual(0);
    expect(Object.keys(zoomed.decoded)).toEqual([String(zoomed.detail)]);
    expect(zoomed.stats.spans).toBeGreaterThan(10);
    expect(await page.locator('#view-mode').getAttribute('data-mode')).toBe('detail');
    await page.click('#fit');
    expect((await state(page)).detail).toBe(-1);
    expect(errors).toEqual([]);
    await page.close();
  }, TIMEOUT_MS);
});
