/**
 * The HTML timeline in a real browser: headless Chromium from npm (test/support/chromium.ts)
 * driven by playwright-core. It opens the page of a run with a stale cancel, checks that the VM and IRQ
 * tracks and the violation marker render (in the DOM and in the canvas pixels), that clicks,
 * zoom and pan work, that the page makes no request, and saves a screenshot to
 * out/screenshots/timeline.png (VMMSIM_UPDATE_SCREENSHOT=1 also refreshes the README's).
 * VMMSIM_SKIP_BROWSER=1 skips it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHtml } from '../../src/trace/html.js';
import { saveArtifact } from '../support/artifacts.js';
import { CHROMIUM_CACHE, npmChromium } from '../support/chromium.js';
import { digestOf } from './fixtures/digest.js';
import { entryName, staleCancelRun } from './fixtures/leakyRun.js';

const BROWSER_TIMEOUT_MS = 60_000;

interface Stats { spans: number; flows: number; violations: number }
interface View { a: number; b: number }

describe.skipIf(process.env.VMMSIM_SKIP_BROWSER === '1')('the HTML timeline in Chromium', () => {
  const run = staleCancelRun();
  const dir = mkdtempSync(join(tmpdir(), 'vmmsim-browser-'));
  const violation = run.result.firstViolation!;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const digest = digestOf(run.records, {
      runtime: 'sim', title: `leaky-modem, seed ${run.seed}`, entryName,
      meta: { scenario: 'leaky-modem', seed: run.seed, steps: run.trace.steps },
    });
    // A page of this run's own: another test run in the checkout may be writing its page too.
    const file = join(dir, 'timeline.html');
    writeFileSync(file, toHtml(digest));
    const npm = npmChromium();
    // The browser is the one npm installed, never the system's.
    expect(npm.executablePath.startsWith(`${CHROMIUM_CACHE}/`)).toBe(true);
    browser = await chromium.launch(npm);
    page = await browser.newPage({ viewport: { width: 1500, height: 640 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-rendered="true"]');
  }, BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders without errors or network requests, and saves a screenshot', async () => {
    saveArtifact('screenshots/timeline.png', await page.screenshot());
    if (process.env.VMMSIM_UPDATE_SCREENSHOT === '1') {
      mkdirSync('docs/screenshots', { recursive: true });
      await page.screenshot({ path: 'docs/screenshots/timeline.png' });
    }
    expect(pageErrors).toEqual([]);
    expect(requests).toEqual([]);
  }, BROWSER_TIMEOUT_MS);

  it('shows a labelled track per VM and per IRQ line', async () => {
    expect(await page.locator('[data-track-kind="vm"]').allInnerTexts()).toEqual([
      expect.stringContaining('VM 1 (system)'), expect.stringContaining('VM 2'), expect.stringContaining('VM 3'),
    ]);
    expect(await page.locator('[data-track="irq:3"]').isVisible()).toBe(true);
    const stats = (await page.evaluate('window.vmmsimTimeline.state.stats')) as Stats;
    expect(stats.spans).toBeGreaterThan(10);
    expect(stats.flows).toBeGreaterThan(0);
  });

  it('brings the first violation into view, marked in the DOM and drawn in red on the canvas', async () => {
    const marker = page.locator('[data-testid="violation-marker"]');
    expect(await marker.isVisible()).toBe(true);
    expect(await marker.getAttribute('data-seq')).toBe(String(violation.seq));
    expect(await marker.innerText()).toContain('staleCancel');
    expect(((await page.evaluate('window.vmmsimTimeline.state.stats')) as Stats).violations).toBe(1);
    // The red line under the marker: sample the canvas column at the marker's x.
    const box = (await marker.boundingBox())!;
    const redPixels = (await page.evaluate(`(() => {
      const c = document.getElementById('canvas'), r = c.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
      const x = Math.round((${box.x + box.width / 2} - r.left) * dpr);
      const column = c.getContext('2d').getImageData(x - 2, 0, 5, c.height).data;
      let red = 0;
      for (let i = 0; i < column.length; i += 4) if (column[i] > 180 && column[i + 1] < 90 && column[i + 2] < 90) red++;
      return red;
    })()`)) as number;
    expect(redPixels).toBeGreaterThan(100);
    expect(await page.locator('#details').innerText()).toContain(violation.message);
  });

  it('shows the registers, handle and RefData of a callback when its dispatch is clicked', async () => {
    const at = (await page.evaluate(`(() => {
      const s = window.vmmsimTimeline.state, v = s.data.instants.find((i) => i.cat === 'violation');
      const flow = s.data.flows.find((f) => f.id === v.flow);
      return window.vmmsimTimeline.positionOf('dispatched', flow.points[1].seq);
    })()`)) as { x: number; y: number } | null;
    expect(at).not.toBeNull();
    await page.mouse.click(at!.x, at!.y);
    const details = await page.locator('#details').innerText();
    const handle = `0x${(violation.handle ?? 0).toString(16).padStart(8, '0')}`;
    expect(violation.handle).toBeGreaterThan(0);
    for (const field of ['modem.rxDone', 'EBX', 'EDX', 'EBP', 'RefData', handle, 'staleCancel']) expect(details).toContain(field);
  });

  it('zooms with the buttons and pans by dragging', async () => {
    const view = async (): Promise<View> => (await page.evaluate('window.vmmsimTimeline.state.view')) as View;
    const before = await view();
    await page.click('#zoom-out');
    const zoomed = await view();
    expect(zoomed.b - zoomed.a).toBeGreaterThan(before.b - before.a);
    const stage = (await page.locator('#stage').boundingBox())!;
    await page.mouse.move(stage.x + 600, stage.y + 300);
    await page.mouse.down();
    await page.mouse.move(stage.x + 300, stage.y + 300, { steps: 4 });
    await page.mouse.up();
    const panned = await view();
    expect(panned.a).toBeGreaterThan(zoomed.a);
    expect(panned.b - panned.a).toBeCloseTo(zoomed.b - zoomed.a, 6);
  });
});
