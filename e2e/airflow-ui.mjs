// Browser test of the Airflow UI (headless Chromium from Debian, driven by playwright-core): log in
// as airflow/airflow, trigger load_client_data from the DAG page, see the run succeed, keep a
// screenshot. The stack (scripts/test-airflow-ui.sh) is already up on AIRFLOW_URL.
import fs from 'node:fs';
import path from 'node:path';
import { checks, launchChromium } from './browser.mjs';

const base = process.env.AIRFLOW_URL ?? 'http://localhost:8082';
const artifacts = process.env.ARTIFACTS_DIR ?? 'test-artifacts';
const deadline = Date.now() + 240_000;
fs.mkdirSync(artifacts, { recursive: true });

const { check, finish } = checks();

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(30_000);
  await page.goto(`${base}/`, { waitUntil: 'networkidle' });
  await page.fill('input[name=username]', 'airflow');
  await page.fill('input[name=password]', 'airflow');
  await page.click('input[type=submit], button[type=submit]');
  await page.waitForLoadState('networkidle');
  check(!(await page.locator('input[name=password]').count()), 'logged in as airflow/airflow');

  await page.goto(`${base}/dags/load_client_data`, { waitUntil: 'networkidle' });
  await page.getByRole('button', { name: 'Trigger' }).first().click();
  await page.getByRole('dialog').getByRole('button', { name: 'Trigger' }).click();
  check(true, 'triggered load_client_data from its page');

  // The run's state, read through the REST API with the same credentials.
  const { access_token: token } = await (
    await fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'airflow', password: 'airflow' }),
    })
  ).json();
  let state = 'none';
  while (Date.now() < deadline) {
    const runs = await (
      await fetch(`${base}/api/v2/dags/load_client_data/dagRuns?order_by=-start_date&limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    state = runs.dag_runs?.[0]?.state ?? 'none';
    if (state === 'success' || state === 'failed') break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  await page.goto(`${base}/dags/load_client_data`, { waitUntil: 'networkidle' });
  await page.waitForTimeout(1500);
  const shot = path.join(artifacts, 'airflow-run.png');
  await page.screenshot({ path: shot });
  console.log(`screenshot: ${shot}`);
  check(state === 'success', `the run ended in state success (was ${state})`);
  for (const task of ['migrate', 'ingest_clients', 'validate_clients']) {
    check((await page.getByText(task, { exact: true }).count()) > 0, `the DAG page lists task ${task}`);
  }
} finally {
  await browser.close();
}
finish();
