// Publisher, as the fresh user (owner of its own tenant): create the publisher profile, create a
// listing, edit its price, upload a text file as a module (refused: 415 not_wasm, its message shown),
// then upload the built reference module strategies/build/rsi.wasm + rsi.json as 1.0.0 and watch the
// version go through validation and the platform backtest to staff review ("In review": publishing
// needs staff, which this flow is not).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const build = join(here, '..', '..', '..', 'strategies', 'build');
const MODULE = 'rsi';

export default async function ({ page, step, shot, baseUrl, state, consoleErrors, log }) {
  const wasm = join(build, `${MODULE}.wasm`);
  const manifest = join(build, `${MODULE}.json`);
  if (!existsSync(wasm) || !existsSync(manifest)) throw new Error(`${wasm} missing: run make strategies`);
  const suffix = Date.now().toString(36);

  await step('publisher: create the profile', async () => {
    await page.goto(`${baseUrl}/publisher`);
    await page.getByRole('heading', { name: 'Become a publisher' }).waitFor();
    await page.getByLabel('Display name').fill(`E2E Quant ${suffix}`);
    await page.getByRole('button', { name: 'Create publisher profile' }).click();
    await page.getByRole('heading', { name: `E2E Quant ${suffix}` }).waitFor();
    await page.getByText('No listings yet').waitFor();
    await page.getByLabel('Payouts').getByText(/Billing disabled|Not started|Onboarding incomplete|Payouts enabled/).first().waitFor();
    await shot('60-publisher');
  });

  await step('publisher: create a listing and price it', async () => {
    await page.getByRole('button', { name: 'New listing' }).click();
    const form = page.getByRole('form', { name: 'New listing' });
    await form.getByLabel('Name').fill(`E2E RSI ${suffix}`);
    await form.getByLabel(/^Summary/).fill('Buys oversold, sells overbought (e2e)');
    await form.getByLabel('Description (Markdown)').fill('## How it trades\nBuys when **RSI** is below 30.\n\n- BTC-USDT\n- 1m bars');
    await form.getByRole('tab', { name: 'Preview' }).click();
    await form.getByRole('heading', { name: 'How it trades' }).waitFor();
    await form.getByRole('button', { name: 'Create listing' }).click();
    await page.waitForURL(/\/publisher\/listings\/\d+$/);
    await page.getByRole('heading', { name: `E2E RSI ${suffix}`, level: 2 }).waitFor();
    await page.getByText('No versions yet').waitFor();

    const details = page.getByRole('form', { name: 'Edit listing' });
    await details.getByLabel('Monthly subscription').check();
    await details.getByLabel('Price per month (USD)').fill('9.999');
    await details.getByRole('button', { name: 'Save changes' }).click();
    await details.getByText(/at most two decimals/).waitFor(); // checked before anything is sent
    await details.getByLabel('Price per month (USD)').fill('9.99');
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && /my-listings\/\d+$/.test(r.url()));
    await details.getByRole('button', { name: 'Save changes' }).click();
    if (!(await saved).ok()) throw new Error('saving the listing failed');
    await page.getByRole('status').filter({ hasText: 'Changes saved.' }).waitFor();
    await page.getByText('$9.99 / month').first().waitFor();
    state.publisher = { listingUrl: page.url(), listingId: Number(page.url().split('/').pop()) };
    await shot('61-listing-edit');
  });

  await step('publisher: a text file is refused with the API message', async () => {
    await page.getByRole('button', { name: 'Upload version' }).click();
    const form = page.getByRole('form', { name: 'Upload a version' });
    await form.getByLabel('Module (.wasm)').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a module\n') });
    await form.getByLabel('Manifest file (.json)').setInputFiles(manifest);
    await form.getByLabel('Version').fill('1.0.0');
    // The browser logs the refused request (415) as a console error: expected here, so taken off the list.
    const logged = page.waitForEvent('console', { predicate: (m) => m.type() === 'error' && /status of 415/.test(m.text()) });
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && /\/versions$/.test(r.url()));
    await form.getByRole('button', { name: 'Upload version' }).click();
    const response = await refused;
    if (response.status() !== 415) throw new Error(`expected 415 for a text file, got ${response.status()}`);
    await form.getByRole('alert').filter({ hasText: 'not a WebAssembly binary' }).waitFor();
    await logged;
    for (let i = consoleErrors.length - 1; i >= 0; i--) if (/status of 415/.test(consoleErrors[i])) consoleErrors.splice(i, 1);
    log(`refused: ${(await form.getByRole('alert').innerText()).replace(/\s+/g, ' ')}`);
  });

  await step(`publisher: upload ${MODULE}.wasm 1.0.0 and follow it to review`, async () => {
    const form = page.getByRole('form', { name: 'Upload a version' });
    await form.getByLabel('Module (.wasm)').setInputFiles(wasm);
    await form.getByLabel('Changelog').fill('First release');
    const accepted = page.waitForResponse((r) => r.request().method() === 'POST' && /\/versions$/.test(r.url()));
    await form.getByRole('button', { name: 'Upload version' }).click();
    const response = await accepted;
    if (response.status() !== 202) throw new Error(`upload answered ${response.status()}: ${await response.text()}`);
    const report = page.getByRole('region', { name: 'Version 1.0.0 report' });
    const status = report.getByRole('status', { name: 'Version status' });
    await status.waitFor();
    const seen = [await status.innerText()];
    const t0 = Date.now();
    const outcome = await Promise.race([
      status.filter({ hasText: 'In review' }).waitFor({ timeout: 120_000 }).then(() => 'In review'),
      status.filter({ hasText: 'Rejected' }).waitFor({ timeout: 120_000 }).then(() => 'Rejected'),
    ]);
    seen.push(outcome);
    if (outcome !== 'In review') throw new Error(`version rejected: ${await report.innerText()}`);
    await report.getByLabel(/^Batch equals stream .*: passed$/).waitFor();
    await report.getByLabel(/^Platform backtest .*: passed$/).waitFor();
    await report.getByRole('definition').first().waitFor();
    const metrics = (await report.getByLabel('Platform backtest metrics').innerText()).replace(/\s+/g, ' ');
    await page.getByRole('table', { name: 'Versions' }).getByText('In review').waitFor();
    state.publisher.versionId = Number(new URL(page.url()).searchParams.get('version'));
    log(`version 1.0.0: ${seen.join(' -> ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${metrics}`);
    await shot('62-version-report');
    // The other theme (headless Chromium may start in either).
    const theme = () => page.evaluate(() => document.documentElement.className);
    const before = await theme();
    await page.getByRole('button', { name: /Switch to (light|dark) theme/ }).click();
    await page.waitForFunction((b) => document.documentElement.className !== b, before);
    await report.getByRole('img', { name: 'Platform backtest equity curve' }).locator('canvas').waitFor();
    await shot('62b-version-report-other-theme');
    await page.getByRole('button', { name: /Switch to (light|dark) theme/ }).click();
    await page.waitForFunction((b) => document.documentElement.className === b, before);
  });

  await step('publisher: the listing shows in My listings', async () => {
    await page.getByRole('link', { name: '← Publisher' }).click();
    const row = page.getByRole('table', { name: 'My listings' }).getByRole('row').filter({ hasText: `E2E RSI ${suffix}` });
    await row.getByText('$9.99 / month').waitFor();
    await row.getByText('Draft: no published version').waitFor();
    await shot('60b-publisher-listings');
    await row.getByRole('link', { name: `E2E RSI ${suffix}` }).click();
    await page.getByRole('table', { name: 'Versions' }).getByText('In review').waitFor();
  });

  await step('publisher: phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const width = () => page.evaluate(() => document.documentElement.scrollWidth);
    await page.getByRole('table', { name: 'Versions' }).waitFor();
    await shot('63-listing-phone');
    if ((await width()) > 391) throw new Error(`the listing page is ${await width()} px wide at 390 px`);
    await page.getByRole('link', { name: '← Publisher' }).click();
    await page.getByRole('table', { name: 'My listings' }).waitFor();
    if ((await width()) > 391) throw new Error(`the publisher page is ${await width()} px wide at 390 px`);
    await shot('64-publisher-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
}
