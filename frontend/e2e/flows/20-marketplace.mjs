// Marketplace, as the fresh user (owner of its own tenant):
// - browse: search and filter the catalogue down to a free reference listing the platform publishes
//   (`manage.py seed_marketplace`, run by make up: the built-ins published by the qt-platform tenant);
// - open it: the verified track record draws its chart (the platform backtest's equity and drawdown);
// - subscribe (free: active at once, no Stripe) and follow the link to deploy it, then see the
//   subscription under My subscriptions. Leaves state.listingSlug for 30-deployments.mjs.
const PUBLISHER = 'Quant-Trader';

export default async function ({ page, step, shot, state, log }) {
  let slug = '';
  let name = '';

  await step('marketplace: search the catalogue for a free platform listing', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Marketplace' }).click();
    await page.waitForURL(/\/marketplace$/);
    await page.getByRole('article').first().waitFor();
    const filters = page.getByRole('search', { name: 'Search listings' });
    await filters.getByLabel('Price', { exact: true }).selectOption('free');
    await page.waitForURL(/price=free/);
    await filters.getByLabel('Search', { exact: true }).fill('trend');
    // The count names the search once the list shown is its answer (not the previous one kept while loading).
    const count = page.getByRole('status').filter({ hasText: /^\d+ listings? matching “trend”$/ });
    await count.waitFor();
    const card = page.getByRole('article').filter({ hasText: `by ${PUBLISHER}` }).filter({ hasText: 'Free' }).first();
    await card.waitFor();
    const link = card.getByRole('heading').getByRole('link');
    name = (await link.textContent()).trim();
    slug = (await link.getAttribute('href')).split('/').pop();
    log(`found ${name} (${slug}); ${await count.textContent()}`);
    await shot('20-marketplace');
    await link.click();
  });

  await step('marketplace: the listing page draws its verified track record', async () => {
    await page.waitForURL(new RegExp(`/marketplace/${slug}$`));
    await page.getByRole('heading', { name, level: 2 }).waitFor();
    const record = page.getByRole('region', { name: 'Verified track record' });
    await record.getByTestId('track-record-chart').locator('canvas').first().waitFor();
    await record.getByLabel('Track record metrics').waitFor();
    await page.getByRole('table', { name: 'Versions' }).locator('tbody tr').first().waitFor();
    await page.getByRole('region', { name: 'Description' }).waitFor();
    await shot('21-listing');
  });

  await step('marketplace: subscribe for free, then find it under My subscriptions', async () => {
    const panel = page.getByRole('complementary', { name: 'Subscription' });
    await panel.getByRole('button', { name: 'Subscribe for free' }).click();
    const deploy = panel.getByRole('link', { name: 'Deploy it' });
    await deploy.waitFor();
    const href = await deploy.getAttribute('href');
    if (href !== `/deployments/new?listing=${slug}`) throw new Error(`unexpected deploy link ${href}`);
    await panel.getByRole('status').filter({ hasText: 'Your subscription is active' }).waitFor();
    await panel.getByRole('link', { name: 'Manage my subscriptions' }).click();
    await page.waitForURL(/\/marketplace\/subscriptions$/);
    const row = page.getByRole('table', { name: 'Subscriptions' }).locator('tbody tr').filter({ hasText: name });
    await row.getByText('active', { exact: true }).waitFor();
    await row.getByRole('link', { name: 'Deploy' }).waitFor();
    await shot('22-subscriptions');
  });

  state.listingSlug = slug;
}
