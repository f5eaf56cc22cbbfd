// End-to-end smoke test in real headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core; no browser download) against a running stack (`make up`).
//
//   npm --prefix frontend run e2e
//
// Env: E2E_BASE_URL (default http://127.0.0.1:8000), CHROMIUM_PATH (default /usr/bin/chromium),
// E2E_FLOWS (comma-separated e2e/flows names to run; default all, `none` for none),
// E2E_PYTHON (the project's Python, for `manage.py tenant_tier`; default ../.venv/bin/python),
// QT_DEMO_EMAIL / QT_DEMO_PASSWORD (default: read from ../.run/demo.env, written by `make up`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

const baseUrl = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8000';
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function demoCredentials() {
  const file = join(here, '..', '..', '.run', 'demo.env');
  const fromFile = existsSync(file)
    ? Object.fromEntries(
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line) => line.match(/^\s*(?:export\s+)?([A-Z_]+)=(.*)$/))
          .filter(Boolean)
          .map((m) => [m[1], m[2].replace(/^['"]|['"]$/g, '')]),
      )
    : {};
  const email = process.env.QT_DEMO_EMAIL ?? fromFile.QT_DEMO_EMAIL;
  const password = process.env.QT_DEMO_PASSWORD ?? fromFile.QT_DEMO_PASSWORD;
  if (!email || !password) throw new Error(`No demo login: set QT_DEMO_EMAIL/QT_DEMO_PASSWORD or run make up (${file})`);
  return { email, password };
}

const consoleErrors = [];
let perf = null;
let coldChart = null;
const timings = [];
const started = performance.now();

async function step(name, fn) {
  const t0 = performance.now();
  process.stdout.write(`• ${name} … `);
  await fn();
  const ms = Math.round(performance.now() - t0);
  timings.push([name, ms]);
  console.log(`ok (${ms} ms)`);
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(20_000);
page.on('console', (message) => {
  if (message.type() !== 'error') return;
  consoleErrors.push(`console: ${message.text()} ${message.location()?.url ?? ''}`);
});
page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

let exitCode = 0;
try {
  const { email, password } = demoCredentials();

  await step('login', async () => {
    await page.goto(`${baseUrl}/markets`);
    await page.waitForURL(/\/login/);
    await shot('01-login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/markets$/);
    await page.getByRole('table').waitFor();
    await shot('02-markets');
  });

  await step('initial JS size', async () => {
    const scripts = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.initiatorType === 'script' || e.name.endsWith('.js'))
        .map((e) => ({ name: e.name.split('/').pop(), transfer: e.transferSize, decoded: e.decodedBodySize })),
    );
    const total = scripts.reduce((sum, s) => sum + s.transfer, 0);
    console.log(`\n  scripts loaded for /markets: ${scripts.map((s) => s.name).join(', ')}; transferred ${(total / 1024).toFixed(1)} KiB`);
  });

  await step('chart page updates live', async () => {
    const t0 = Date.now();
    await page.getByRole('link', { name: 'BTC-USDT' }).first().click();
    await page.waitForURL(/\/markets\/[^/]+\/BTC-USDT/);
    await page.getByRole('button', { name: '1s' }).click();
    await page.getByTestId('candle-chart').locator('canvas').first().waitFor();
    await page.getByTestId('last-close').waitFor();
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    const before = Number(await page.getByTestId('live-updates').textContent());
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="live-updates"]')?.textContent) > n + 1,
      before,
      { timeout: 30_000 },
    );
    console.log(`\n  chart ready + live update in ${Date.now() - t0} ms; document FCP ${fcp?.toFixed?.(0)} ms`);
    await page.getByRole('table').filter({ hasText: 'Price' }).locator('tbody tr').first().waitFor();
    await page.getByRole('button', { name: '1m' }).click();
    // Scroll back by dragging the chart right until older history loads (lazy loading on dataZoom).
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="bar-count"]')?.textContent) > 0);
    const initialBars = Number(await page.getByTestId('bar-count').textContent());
    const box = await page.getByTestId('candle-chart').boundingBox();
    for (let i = 0; i < 10; i += 1) {
      if (Number(await page.getByTestId('bar-count').textContent()) > initialBars) break;
      await page.mouse.move(box.x + 100, box.y + box.height * 0.4);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width - 80, box.y + box.height * 0.4, { steps: 8 });
      await page.mouse.up();
      await page.waitForTimeout(300);
    }
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="bar-count"]')?.textContent) > n, initialBars);
    console.log(`\n  scrolled back: ${initialBars} -> ${await page.getByTestId('bar-count').textContent()} bars`);
    await page.getByText(/Indicators/).click();
    await page.getByLabel('SMA 20').check();
    await page.getByLabel('RSI 14').check();
    await page.waitForTimeout(1500);
    await shot('03-chart');
  });

  await step('10,000 candles: frame rate under live updates', async () => {
    // Closes the indicator menu, then loads history pages until 10,000 bars are held.
    await page.keyboard.press('Escape');
    await page.getByText(/Indicators/).click();
    const loadOlder = page.getByRole('button', { name: /Load older history|Loading older history|Start of history/ });
    for (let i = 0; i < 40; i += 1) {
      const bars = Number(await page.getByTestId('bar-count').textContent());
      if (bars >= 10_000 || (await loadOlder.textContent()) === 'Start of history') break;
      await page.getByRole('button', { name: 'Load older history' }).click();
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid="bar-count"]')?.textContent) > n
        || document.body.textContent.includes('Start of history'), bars);
    }
    const bars = Number(await page.getByTestId('bar-count').textContent());
    await page.getByRole('button', { name: 'Go to latest' }).click();
    const updatesBefore = Number(await page.getByTestId('live-updates').textContent());
    await page.evaluate(() => performance.clearMeasures('qt:chart-update'));
    const frames = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const gaps = [];
          let last = performance.now();
          const end = last + 5000;
          const tick = (now) => {
            gaps.push(now - last);
            last = now;
            if (now < end) requestAnimationFrame(tick);
            else resolve(gaps);
          };
          requestAnimationFrame(tick);
        }),
    );
    const updates = Number(await page.getByTestId('live-updates').textContent()) - updatesBefore;
    const redraws = await page.evaluate(() =>
      performance.getEntriesByName('qt:chart-update').map((e) => e.duration).sort((a, b) => a - b),
    );
    const p50 = redraws[Math.floor(redraws.length / 2)] ?? 0;
    const p95 = redraws[Math.floor(redraws.length * 0.95)] ?? 0;
    const fps = frames.length / 5;
    const worst = Math.max(...frames);
    const longFrames = frames.filter((g) => g > 50).length;
    console.log(`\n  ${bars} bars held; ${updates} live updates in 5 s; ${fps.toFixed(1)} fps; worst frame ${worst.toFixed(0)} ms; ${longFrames} frames > 50 ms; ${redraws.length} redraws, setOption p50 ${p50.toFixed(1)} ms / p95 ${p95.toFixed(1)} ms`);
    perf = { bars, fps, worst, longFrames, updates };
    await shot('03b-chart-10k');
  });

  await step('chart page cold load: first contentful paint', async () => {
    // A fresh tab straight onto the chart URL (session cookie already set): FCP of that document.
    const fresh = await context.newPage();
    fresh.on('console', (m) => m.type() === 'error' && consoleErrors.push(`console (cold chart): ${m.text()}`));
    const t0 = Date.now();
    await fresh.goto(`${baseUrl}/markets/sim/BTC-USDT?interval=1m`);
    await fresh.getByTestId('last-close').waitFor();
    const candlesMs = Date.now() - t0;
    const fcp = await fresh.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    console.log(`\n  chart page FCP ${fcp?.toFixed(0)} ms; candles drawn after ${candlesMs} ms`);
    coldChart = { fcp, candlesMs };
    await fresh.close();
  });

  await step('run a backtest and open its results', async () => {
    await page.getByRole('link', { name: 'Backtests' }).click();
    const form = page.getByRole('form', { name: 'New backtest' });
    await form.getByLabel('Strategy').selectOption('sma_cross');
    await form.getByLabel('Interval').selectOption('1h');
    await form.getByRole('button', { name: 'Run backtest' }).click();
    await page.waitForURL(/\/backtests\/\d+$/);
    await page.getByLabel('Metrics').waitFor({ timeout: 60_000 });
    await page.getByTestId('backtest-curves').locator('canvas').first().waitFor();
    await page.getByRole('table', { name: 'Monte Carlo percentiles' }).waitFor();
    await page.getByTestId('monte-carlo-charts').locator('canvas').first().waitFor();
    await shot('07-backtest');
  });

  await step('compare two backtests side by side', async () => {
    const firstUrl = page.url();
    const firstId = Number(firstUrl.split('/').pop());
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Backtests' }).click();
    const form = page.getByRole('form', { name: 'New backtest' });
    await form.getByLabel('Strategy').selectOption('sma_cross');
    await form.getByLabel('Interval').selectOption('4h');
    await form.getByRole('button', { name: 'Run backtest' }).click();
    await page.waitForURL(/\/backtests\/\d+$/);
    await page.getByLabel('Metrics').waitFor({ timeout: 60_000 });
    const secondId = Number(page.url().split('/').pop());
    await nav.getByRole('link', { name: 'Backtests' }).click();
    await page.getByRole('checkbox', { name: `Compare backtest ${firstId}` }).check();
    await page.getByRole('checkbox', { name: `Compare backtest ${secondId}` }).check();
    await page.getByRole('link', { name: /^Compare #/ }).click();
    await page.waitForURL(/\/backtests\/compare\?a=\d+&b=\d+$/);
    const table = page.getByRole('table', { name: 'Metrics compared' });
    await table.getByRole('row', { name: /Total return/ }).waitFor();
    await page.getByTestId('compare-chart').locator('canvas').first().waitFor();
    await shot('07b-backtest-compare');
  });

  await step('sign out, then sign up a fresh user (its own tenant, so paper-account quotas never fill up)', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.getByRole('link', { name: 'Create an account' }).click();
    const form = page.getByRole('form', { name: 'Sign up' });
    const stamp = Date.now();
    await form.getByLabel('Email').fill(`e2e-${stamp}@example.com`);
    await form.getByLabel('Password').fill(`e2e passphrase ${stamp}`);
    await form.getByLabel('Full name').fill('E2E Trader');
    await form.getByLabel('Organisation (your first tenant)').fill(`E2E ${stamp}`);
    await form.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/markets$/);
    await page.getByRole('combobox', { name: 'Active tenant' }).filter({ hasText: `E2E ${stamp}` }).waitFor();
    await shot('04a-signed-up');
    // The new tenant starts on the free tier (60 requests a minute for the whole tenant); this run
    // clicks through every screen in seconds, far faster than a person, and a 429 would only fail
    // it on timing. An operator moves it to Pro the way one would by hand (the limiter has its own
    // tests in tests/tenancy).
    const slug = await page.evaluate(async () => (await (await fetch('/api/v1/auth/session')).json()).me.memberships[0].tenant_slug);
    const repo = join(here, '..', '..');
    const python = process.env.E2E_PYTHON ?? join(repo, '.venv', 'bin', 'python');
    console.log(`\n  ${execFileSync(python, [join(repo, 'manage.py'), 'tenant_tier', slug, 'pro'], { cwd: repo, encoding: 'utf8' }).trim()}`);
  });

  let accountUrl = '';
  await step('create a paper account', async () => {
    await page.getByRole('link', { name: 'Paper trading' }).click();
    await page.getByRole('button', { name: 'New account' }).click();
    const form = page.getByRole('form', { name: 'Create account' });
    await form.getByLabel('Name').fill(`e2e ${new Date().toISOString()}`);
    await form.getByLabel('Starting balance (USDT)').fill('25000');
    await form.getByLabel('Max order notional').fill('10000');
    await form.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/paper\/\d+$/);
    accountUrl = page.url();
    await page.getByRole('table', { name: 'Balances' }).waitFor();
    await shot('04-account');
  });

  await step('market order fills and shows a position', async () => {
    const ticket = page.getByRole('form', { name: 'Order ticket' });
    await ticket.getByLabel('Instrument').selectOption('BTC-USDT');
    await ticket.getByLabel(/^Quantity/).fill('0.01');
    await ticket.getByRole('button', { name: 'Place buy order' }).click();
    await ticket.getByRole('status').filter({ hasText: /Order/ }).waitFor();
    const positions = page.getByRole('table', { name: 'Positions' });
    await positions.getByRole('cell', { name: 'BTC-USDT' }).waitFor();
    await page.getByRole('table', { name: 'Fills' }).getByRole('cell', { name: 'BTC-USDT' }).first().waitFor();
    console.log(`\n  position: ${(await positions.locator('tbody tr').first().innerText()).replace(/\s+/g, ' ')} (${accountUrl})`);
    await shot('05-position');
  });

  // Feature flows (e2e/flows/NN-name.mjs, run in file-name order) continue as the fresh user, in
  // its own tenant, with its paper account. Each default-exports `async (ctx) => {}` and calls
  // ctx.step(name, fn) for its steps; ctx.state carries what one flow leaves for the next.
  const flowsDir = join(here, 'flows');
  // E2E_FLOWS=20-marketplace,40-alerts runs only those (E2E_FLOWS=none: the core steps alone).
  const only = process.env.E2E_FLOWS ? process.env.E2E_FLOWS.split(',').map((f) => f.trim()) : null;
  const flowFiles = (existsSync(flowsDir) ? readdirSync(flowsDir).filter((f) => f.endsWith('.mjs')).sort() : [])
    .filter((f) => !only || only.includes(f.replace(/\.mjs$/, '')));
  const state = { accountUrl, accountId: Number(accountUrl.split('/').pop()) };
  for (const file of flowFiles) {
    const { default: flow } = await import(pathToFileURL(join(flowsDir, file)).href);
    await flow({ page, context, step, shot, baseUrl, state, consoleErrors, log: (line) => console.log(`\n  ${line}`) });
  }

  await step('phone width: every main screen fits 390 px (wide tables scroll inside their card)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(accountUrl);
    await page.getByRole('form', { name: 'Order ticket' }).waitFor();
    await shot('08-account-phone');
    const screens = ['/markets', '/markets/sim/BTC-USDT', '/paper', '/backtests', '/marketplace', '/deployments', '/alerts', '/publisher', '/settings'];
    const overflowing = [];
    for (const path of screens) {
      await page.goto(`${baseUrl}${path}`);
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 391) overflowing.push(`${path} (${width} px)`);
      await shot(`09-phone${path.replaceAll('/', '-')}`);
    }
    if (overflowing.length) throw new Error(`wider than a 390 px phone: ${overflowing.join(', ')}`);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await step('theme toggle renders', async () => {
    // Headless Chromium may start in either theme (prefers-color-scheme): flip whichever it is.
    await page.getByRole('button', { name: /Switch to (light|dark) theme/ }).click();
    await page.waitForTimeout(300);
    await shot('06-account-other-theme');
  });

} catch (error) {
  exitCode = 1;
  console.log('FAILED');
  console.error(error);
  await shot('failure').catch(() => {});
} finally {
  await browser.close();
}

if (consoleErrors.length > 0) {
  exitCode = 1;
  console.error(`Console errors during the run (${consoleErrors.length}):\n  ${consoleErrors.join('\n  ')}`);
} else {
  console.log('No console errors.');
}
const durationS = (performance.now() - started) / 1000;
writeFileSync(
  join(artifacts, 'summary.json'),
  JSON.stringify({ passed: exitCode === 0, durationS, steps: Object.fromEntries(timings), chart10k: perf, coldChart, consoleErrors }, null, 2),
);
console.log(`e2e ${exitCode === 0 ? 'passed' : 'FAILED'} in ${durationS.toFixed(1)} s; screenshots in ${artifacts}`);
process.exit(exitCode);
