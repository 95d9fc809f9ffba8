// What the browser tests share: headless Chromium from the Debian package driven by playwright-core,
// a record of what went wrong on a page, and checks that print one line each and fail at the end.
import { chromium } from 'playwright-core';

export const launchChromium = () =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });

/** Console errors, uncaught page errors and failed responses of `page`, as they happen. */
export function watchProblems(page) {
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  return problems;
}

/** `check(ok, message)` prints ok/FAIL per check; `finish()` exits 1 when any failed. */
export function checks() {
  let failed = 0;
  return {
    check(ok, message) {
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
      if (!ok) failed += 1;
    },
    finish() {
      if (failed > 0) {
        console.error(`${failed} check(s) failed`);
        process.exit(1);
      }
    },
  };
}
