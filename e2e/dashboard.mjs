// Browser test of the dashboard: headless Chromium (Debian) opens /dashboard on BASE_URL after a
// pipeline run (scripts/test-dashboard.sh), waits until the page has drawn its data, and checks that
// every chart drew points and pixels, the tables have rows, nothing scrolls sideways on a
// 1366x768 laptop screen, and the console stayed clean. Keeps a full-page screenshot.
import fs from 'node:fs';
import path from 'node:path';
import { checks, launchChromium, watchProblems } from './browser.mjs';

const base = process.argv[2] ?? process.env.BASE_URL ?? 'http://127.0.0.1:5000';
const artifacts = process.env.ARTIFACTS_DIR ?? 'test-artifacts';
fs.mkdirSync(artifacts, { recursive: true });

const { check, finish } = checks();

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.setDefaultTimeout(20_000);
  const problems = watchProblems(page);

  await page.goto(`${base}/dashboard`, { waitUntil: 'networkidle' });
  await page.waitForSelector('body[data-rendered]');
  check((await page.getAttribute('body', 'data-rendered')) === 'true', 'the page loaded and drew its data');

  for (const id of ['chart-quality', 'chart-drift', 'chart-traffic', 'chart-live']) {
    const drawn = await page.evaluate((canvasId) => {
      const canvas = document.getElementById(canvasId);
      if (!canvas) return { points: 0, pixels: 0 };
      const { width, height } = canvas;
      const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
      return { points: Number(canvas.dataset.points), pixels: painted };
    }, id);
    check(
      drawn.points > 0 && drawn.pixels > 2000,
      `${id} drew ${drawn.points} points (${drawn.pixels} pixels painted)`,
    );
  }
  for (const id of ['table-models', 'table-promotions', 'table-validation', 'table-alerts']) {
    const rows = await page.locator(`#${id} tbody tr, #${id} table tr`).count();
    check(rows > 1, `${id} lists ${rows - 1} rows`);
  }
  const champion = await page.textContent('#summary');
  check(/champion \d{8}T\d+Z-mlp/.test(champion ?? ''), `the header names the champion (${champion})`);
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
  check(
    widths.page <= widths.view,
    `no sideways scrolling at 1366x768 (page ${widths.page}px, window ${widths.view}px)`,
  );
  check(problems.length === 0, `no console errors${problems.length ? `: ${problems.join(' | ')}` : ''}`);

  const shot = path.join(artifacts, 'dashboard.png');
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);
} finally {
  await browser.close();
}
finish();
