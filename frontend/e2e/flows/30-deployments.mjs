// Deployments, as the fresh user on its paper account (state.accountId):
// - deploy the marketplace listing 20-marketplace.mjs subscribed to (state.listingSlug, preselected
//   through /deployments/new?listing=<slug>), or else the built-in sma_cross, on BTC-USDT at the
//   shortest interval the strategy supports (1s for the built-ins: decisions every second);
// - the detail page shows it running, the performance and signals sections render (and, for the
//   built-in on 1s bars, the first live signal arrives over the deployments channel);
// - pause it: the status follows, and the list shows the row paused with its controls.
export default async function ({ page, step, shot, baseUrl, state, log }) {
  const name = `e2e deployment ${Date.now().toString(36)}`;
  const listing = state.listingSlug;
  let deploymentUrl = '';
  let interval = '';

  await step('deployments: create form (params from the manifest)', async () => {
    await page.goto(`${baseUrl}/deployments/new${listing ? `?listing=${encodeURIComponent(listing)}` : ''}`);
    const form = page.getByRole('form', { name: 'New deployment' });
    await form.waitFor();
    const strategy = form.getByLabel('Strategy', { exact: true });
    if (listing) {
      if ((await strategy.inputValue()) !== `listing:${listing}`) {
        throw new Error(`?listing=${listing} was not preselected (got ${await strategy.inputValue()})`);
      }
    } else {
      await strategy.selectOption('builtin:sma_cross');
      // Generated from the manifest: int inputs with defaults, the 0..1 int as a switch.
      await form.getByLabel('fast', { exact: true }).fill('2');
      await form.getByLabel('slow', { exact: true }).fill('3');
      await form.getByLabel('fast', { exact: true }).fill('1');
      await form.getByText('fast must be at least 2.').waitFor();
      await form.getByLabel('fast', { exact: true }).fill('2');
      await form.getByRole('checkbox', { name: 'allow_short' }).check();
    }
    await form.getByLabel('Paper account', { exact: true }).selectOption(String(state.accountId));
    await form.getByLabel('Market', { exact: true }).selectOption('BTC-USDT');
    const intervals = await form.getByLabel('Interval', { exact: true }).locator('option').allTextContents();
    interval = ['1s', '1m', '3m', '5m'].find((i) => intervals.includes(i)) ?? intervals[0];
    await form.getByLabel('Interval', { exact: true }).selectOption(interval);
    await form.getByLabel('Name (optional)', { exact: true }).fill(name);
    await form.getByLabel('fraction', { exact: true }).fill('0.2');
    await form.getByLabel('Stop-loss', { exact: true }).fill('0.05');
    await shot('31-deployment-new');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/deployments') && r.request().method() === 'POST');
    await form.getByRole('button', { name: 'Deploy and start' }).click();
    const response = await created;
    if (response.status() !== 201) throw new Error(`create answered ${response.status()}: ${await response.text()}`);
    await page.waitForURL(/\/deployments\/\d+$/);
    deploymentUrl = page.url();
    log(`deployed ${listing ? `listing ${listing}` : 'sma_cross'} on ${interval}: ${deploymentUrl}`);
  });

  await step('deployment: running, performance and signals render', async () => {
    await page.getByRole('heading', { name }).waitFor();
    await page.getByLabel('Status').getByText('running', { exact: true }).waitFor();
    await page.getByRole('button', { name: `Pause ${name}` }).waitFor();
    await page.getByRole('heading', { name: 'Performance' }).waitFor();
    await page
      .getByTestId('deployment-performance-chart')
      .or(page.getByText(/No equity samples yet/))
      .first()
      .waitFor();
    await page.getByRole('heading', { name: 'Signals' }).waitFor();
    if (!listing && interval === '1s') {
      // A 2/3-bar SMA cross on 1 s bars changes its mind within seconds: the signal is pushed live.
      await page.getByRole('table', { name: 'Signals' }).locator('tbody tr').first().waitFor({ timeout: 45_000 });
      log(`first signal: ${(await page.getByRole('table', { name: 'Signals' }).locator('tbody tr').first().innerText()).replace(/\s+/g, ' ')}`);
    } else {
      await page.getByRole('table', { name: 'Signals' }).or(page.getByText(/No signals yet/)).first().waitFor();
    }
    await shot('32-deployment');
  });

  await step('deployment: pause', async () => {
    const paused = page.waitForResponse((r) => r.url().endsWith('/pause') && r.request().method() === 'POST');
    await page.getByRole('button', { name: `Pause ${name}` }).click();
    if ((await paused).status() !== 200) throw new Error(`pause answered ${(await paused).status()}`);
    await page.getByLabel('Status').getByText('paused', { exact: true }).waitFor();
    await page.getByRole('button', { name: `Start ${name}` }).waitFor();
  });

  await step('deployments: list shows it paused', async () => {
    // In-app navigation (no page load): a free tier allows 60 requests a minute for the whole run.
    await page.getByRole('link', { name: '← Deployments' }).click();
    const row = page.getByRole('table', { name: 'Deployments' }).getByRole('row').filter({ hasText: name });
    await row.getByText('paused', { exact: true }).waitFor();
    await row.getByRole('button', { name: `Start ${name}` }).waitFor();
    await shot('30-deployments');
  });

  await step('deployments: list, new and detail fit a 390 px phone, and the other theme', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const wide = [];
    const measure = async (what) => {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 391) wide.push(`${what} (${width} px)`);
    };
    try {
      await measure('/deployments');
      await page.getByRole('link', { name: 'New deployment' }).click();
      await page.getByRole('form', { name: 'New deployment' }).waitFor();
      await measure('/deployments/new');
      await page.goBack();
      await page.getByRole('table', { name: 'Deployments' }).getByRole('link', { name }).click();
      await page.getByRole('heading', { name }).waitFor();
      await page.getByRole('heading', { name: 'Signals' }).waitFor();
      await measure('deployment detail');
      await shot('32b-deployment-phone');
      if (wide.length) throw new Error(`wider than a 390 px phone: ${wide.join(', ')}`);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await page.getByRole('button', { name: /Switch to (light|dark) theme/ }).click();
    await page.getByLabel('Status').getByText('paused', { exact: true }).waitFor();
    await shot('32c-deployment-other-theme');
    await page.getByRole('button', { name: /Switch to (light|dark) theme/ }).click();
  });

  state.deploymentUrl = deploymentUrl;
}
