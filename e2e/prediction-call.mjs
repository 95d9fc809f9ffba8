// Browser test of a prediction call: headless Chromium (Debian) opens the API docs page (/docs,
// Swagger UI served from the API's own node_modules, no CDN) on BASE_URL, tries POST /predict
// with the challenge example, and sees a 200 answer with a label, a probability and the model
// version. Keeps a screenshot. Run by api/test/nginx.e2e.ts against the API behind real nginx.
import fs from 'node:fs';
import path from 'node:path';
import { checks, launchChromium, watchProblems } from './browser.mjs';

const base = process.argv[2] ?? process.env.BASE_URL ?? 'http://localhost';
const artifacts = process.env.ARTIFACTS_DIR ?? 'test-artifacts';
fs.mkdirSync(artifacts, { recursive: true });

const { check, finish } = checks();

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.setDefaultTimeout(20_000);
  const problems = watchProblems(page);

  await page.goto(`${base}/docs`, { waitUntil: 'networkidle' });
  const operation = page.locator('.opblock-post', { hasText: '/predict' }).first();
  await operation.locator('.opblock-summary').click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  const body = operation.locator('textarea.body-param__text');
  await body.fill(
    JSON.stringify({ idx: 150000, features: { attr_a: 1, attr_b: 'c', scd_a: 0.55, scd_b: 3 } }, null, 2),
  );
  await operation.getByRole('button', { name: 'Execute' }).click();

  const live = operation.locator('.live-responses-table .response').first();
  await live.waitFor();
  const status = (await live.locator('.response-col_status').innerText()).trim();
  const answer = JSON.parse(await live.locator('.response-col_description pre.microlight').first().innerText());
  await live.scrollIntoViewIfNeeded();
  const shot = path.join(artifacts, 'prediction-call.png');
  await page.screenshot({ path: shot, fullPage: false });
  console.log(`screenshot: ${shot}`);

  check(status === '200', `POST /predict from the docs page answered ${status}`);
  check([0, 1].includes(answer.label), `the answer has a label (${answer.label})`);
  check(answer.probability >= 0 && answer.probability <= 1, `and a probability (${answer.probability})`);
  check(
    typeof answer.model_version === 'string' && answer.model_version.length > 0,
    `and the model version (${answer.model_version})`,
  );
  check(problems.length === 0, `no console errors${problems.length ? `: ${problems.join(' | ')}` : ''}`);
} finally {
  await browser.close();
}
finish();
