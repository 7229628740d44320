/**
 * How long a timeline page takes to open in Chromium (from npm), and a screenshot of it: the
 * figures the README quotes. Not a test (tests never time anything):
 *
 *   npx tsx test/support/openTimeline.ts run.html [whole.png] [zoom.png]
 *
 * Prints the time from navigation to the page's first drawing (data-rendered), then, with a
 * second picture, zooms into the first violation (or the first detail window) and times that.
 */
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { npmChromium } from './chromium.js';

const [file, whole, zoom] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: npx tsx test/support/openTimeline.ts <page.html> [whole.png] [zoom.png]\n');
  process.exit(2);
}
const browser = await chromium.launch(npmChromium());
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const startMs = performance.now();
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-rendered="true"]', { timeout: 300_000 });
  process.stdout.write(`opened and drawn in ${Math.round(performance.now() - startMs)} ms${errors.length > 0 ? `; page errors: ${errors.join('; ')}` : ''}\n`);
  if (whole !== undefined) await page.screenshot({ path: whole });
  if (zoom !== undefined) {
    const zoomMs = performance.now();
    await page.evaluate(`(() => {
      const t = window.vmmsimTimeline, v = t.state.digest.overview.violations[0], w = t.state.digest.windows[0];
      if (v) document.getElementById('goto-violation').click(); else t.goToSeq(w.firstSeq + 100, 0, 300);
    })()`);
    process.stdout.write(`zoomed into detail (decoded lazily) in ${Math.round(performance.now() - zoomMs)} ms\n`);
    await page.screenshot({ path: zoom });
  }
} finally {
  await browser.close();
}
