// Alerts and webhooks, as the fresh user (owner of its own tenant):
// - a webhook endpoint pointing at a receiver this flow runs on 127.0.0.1 (the stack must allow it:
//   QT_WEBHOOKS__ALLOWED_PRIVATE_NETWORKS='["127.0.0.1/32"]'), its secret revealed once and copied;
// - an alert rule the engine fires at once on the simulated market: SMA(2) of BTC-USDT's live 1s
//   candle above 1 holds from the first evaluation, and a state condition fires when it starts to
//   hold (backend/engine/alerts: rule.gate(edge=True)); mode "once", so it then switches itself off;
// - the firing shows up in the history (pushed over the alerts channel), the alert.fired delivery
//   and a test event show in the delivery log with a 200, and the receiver checks every request's
//   Standard Webhooks signature (docs/webhooks.md) with the secret the screen showed.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

function startReceiver() {
  const received = [];
  const waiters = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (c) => chunks.push(c));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('received by the e2e receiver');
      for (const w of waiters.splice(0)) w();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}/hook`,
        received,
        close: () => new Promise((done) => server.close(() => done())),
        /** Resolves with the first request `match` accepts (waits for new ones up to timeoutMs). */
        async waitFor(match, timeoutMs = 30_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const found = received.find(match);
            if (found) return found;
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`receiver: no matching request within ${timeoutMs} ms (got ${received.length})`);
            await new Promise((r) => {
              const t = setTimeout(r, left);
              waiters.push(() => { clearTimeout(t); r(); });
            });
          }
        },
      });
    });
  });
}

/** docs/webhooks.md: HMAC-SHA256 keyed with base64(secret after whsec_) over "id.timestamp.body". */
function signatureValid(secret, headers, body) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = Buffer.concat([Buffer.from(`${headers['webhook-id']}.${headers['webhook-timestamp']}.`), body]);
  const expected = createHmac('sha256', key).update(signed).digest();
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .map((s) => Buffer.from(s.split(',')[1] ?? '', 'base64'))
    .some((sig) => sig.length === expected.length && timingSafeEqual(sig, expected));
}

/**
 * The fresh user's tenant is on the free tier: 60 API requests a minute shared by every flow of the
 * run. Before a stretch of screens, read the budget left (X-RateLimit-* on a cheap API call, made
 * outside the page so it logs nothing) and, if it is short, wait for the window the server names.
 */
async function ensureBudget(context, baseUrl, need, log) {
  const answer = await context.request.get(`${baseUrl}/api/v1/alerts/rules?limit=1`);
  const remaining = Number(answer.headers()['x-ratelimit-remaining']);
  const resetAt = Number(answer.headers()['x-ratelimit-reset']);
  if (!Number.isFinite(remaining) || remaining >= need) return;
  const waitMs = Math.max(0, resetAt * 1000 - Date.now()) + 1_000;
  log(`rate limit: ${remaining} requests left this minute, ${need} wanted: waiting ${Math.round(waitMs / 1000)} s for the next window`);
  await new Promise((r) => setTimeout(r, waitMs));
}

export default async function ({ page, context, step, shot, baseUrl, state, log }) {
  const receiver = await startReceiver();
  const ruleName = `e2e SMA above 1 ${Date.now()}`;
  let secret = '';
  try {
    await step('alerts: add a webhook endpoint; its secret is shown once and copies', async () => {
      await ensureBudget(context, baseUrl, 45, log);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
      await page.getByRole('navigation', { name: 'Alerts sections' }).getByRole('link', { name: 'Webhooks' }).click();
      await page.getByText(/No webhook endpoints yet/).waitFor();
      const form = page.getByRole('form', { name: 'New webhook endpoint' });
      await form.getByLabel('URL').fill(receiver.url);
      await form.getByLabel('Description (optional)').fill('e2e receiver');
      await form.getByRole('button', { name: 'Add endpoint' }).click();
      const reveal = page.getByRole('region', { name: 'New signing secret' });
      await reveal.waitFor();
      secret = await reveal.getByLabel('Signing secret').inputValue();
      if (!/^whsec_[A-Za-z0-9+/=]{40,}$/.test(secret)) throw new Error(`unexpected secret format: ${secret.slice(0, 10)}…`);
      await reveal.getByText('you won’t see it again', { exact: false }).waitFor();
      await reveal.getByRole('button', { name: 'Copy secret' }).click();
      await reveal.getByText('Copied to the clipboard.').waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      if (copied !== secret) throw new Error('the clipboard does not hold the secret');
      await page.getByRole('table', { name: 'Webhook endpoints' }).getByText(receiver.url).waitFor();
      await shot('41-webhooks');
      await reveal.getByRole('button', { name: /I have stored it/ }).click();
      await reveal.waitFor({ state: 'detached' });
      if ((await page.content()).includes(secret)) throw new Error('the secret is still on the page after hiding it');
    });

    await step('alerts: create a rule routed to the webhook; it fires and shows in the history live', async () => {
      await page.getByRole('navigation', { name: 'Alerts sections' }).getByRole('link', { name: 'Rules and firings' }).click();
      const form = page.getByRole('form', { name: 'New alert rule' });
      await form.getByLabel('Name').fill(ruleName);
      await form.getByLabel('Condition type').selectOption('indicator');
      await form.getByLabel('Market').selectOption('sim:BTC-USDT');
      await form.getByLabel('Evaluate on').selectOption('live');
      await form.getByLabel('Interval').selectOption('1s');
      const settings = form.getByRole('group', { name: 'Condition settings' });
      await settings.getByLabel('Indicator').selectOption('sma');
      await settings.getByLabel('Period').fill('2');
      await settings.getByLabel('Condition').selectOption('above');
      await settings.getByLabel('Level').fill('1');
      await form.getByLabel('Trigger').selectOption('once');
      await form.getByText(`Sent to 1 enabled endpoint subscribed to alert.fired: ${receiver.url}.`).waitFor();
      // The firings page is open (subscribed to the alerts channel) before the rule exists.
      await page.getByRole('table', { name: 'Firings' }).or(page.getByText(/Nothing has fired yet/)).waitFor();
      await form.getByRole('button', { name: 'Create rule' }).click();
      await page.getByRole('status').filter({ hasText: `Created “${ruleName}”` }).waitFor();
      const rules = page.getByRole('table', { name: 'Alert rules' });
      await rules.getByRole('link', { name: ruleName }).waitFor();
      const firings = page.getByRole('table', { name: 'Firings' });
      await firings.getByRole('link', { name: ruleName }).waitFor({ timeout: 45_000 });
      // A once-rule switches itself off after firing; the list refreshes on the pushed firing.
      await rules.getByLabel(`Enabled: ${ruleName}`).and(page.locator(':not(:checked)')).waitFor({ timeout: 15_000 });
      log(`firing: ${(await firings.locator('tbody tr').first().innerText()).replace(/\s+/g, ' ')}`);
      await shot('40-alerts');
    });

    await step('alerts: the rule’s own history has the firing', async () => {
      await page.getByRole('table', { name: 'Alert rules' }).getByRole('link', { name: ruleName }).click();
      await page.waitForURL(/\/alerts\/rules\/\d+$/);
      await page.getByRole('heading', { name: ruleName }).waitFor();
      await page.getByRole('table', { name: 'Firings' }).locator('tbody tr').first().waitFor();
    });

    await step('webhooks: the alert.fired delivery and a test event succeed with 200 in the delivery log', async () => {
      await ensureBudget(context, baseUrl, 20, log);
      await page.getByRole('navigation', { name: 'Alerts sections' }).getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('link', { name: `Delivery log of ${receiver.url}` }).click();
      await page.waitForURL(/\/alerts\/webhooks\/\d+$/);
      state.alertsEndpointUrl = page.url();
      const deliveryLog = page.getByRole('table', { name: 'Deliveries' });
      const fired = deliveryLog.locator('tbody tr').filter({ hasText: 'alert.fired' }).first();
      await fired.filter({ hasText: 'succeeded' }).waitFor({ timeout: 30_000 });
      await fired.getByText(/^200 · \d+ ms$/).waitFor();
      await page.getByRole('button', { name: 'Send test event' }).click();
      await page.getByRole('status').filter({ hasText: 'Test event queued.' }).waitFor();
      const test = deliveryLog.locator('tbody tr').filter({ hasText: 'msg_' }).filter({ hasNotText: 'alert.fired' }).first();
      await test.filter({ hasText: 'succeeded' }).waitFor({ timeout: 30_000 });
      await test.getByText(/^200 · \d+ ms$/).click(); // open the attempts
      await test.getByText('received by the e2e receiver').waitFor();
      await shot('42-deliveries');
    });

    await step('webhooks: the receiver got correctly signed alert.fired and test requests', async () => {
      const fired = await receiver.waitFor((r) => JSON.parse(r.body.toString()).type === 'alert.fired');
      const test = await receiver.waitFor((r) => JSON.parse(r.body.toString()).type === 'test');
      for (const r of [fired, test]) {
        if (!signatureValid(secret, r.headers, r.body)) throw new Error(`bad signature on ${r.headers['webhook-id']}`);
        const body = JSON.parse(r.body.toString());
        if (body.id !== r.headers['webhook-id']) throw new Error('body id differs from webhook-id');
        if (Math.abs(Date.now() / 1000 - Number(r.headers['webhook-timestamp'])) > 300) throw new Error('stale webhook-timestamp');
      }
      if (signatureValid(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, fired.headers, fired.body)) {
        throw new Error('a wrong secret verified');
      }
      const data = JSON.parse(fired.body.toString()).data;
      if (data.name !== ruleName || typeof data.firing !== 'number') throw new Error(`unexpected alert payload ${JSON.stringify(data)}`);
      log(`receiver: ${receiver.received.length} signed request(s), alert.fired for "${data.name}": ${data.message}`);
    });

    if (state.accountId) {
      await step('signals: an inbound signal endpoint on the paper account places the order a signal asks for', async () => {
        await ensureBudget(context, baseUrl, 25, log);
        await page.getByRole('navigation', { name: 'Alerts sections' }).getByRole('link', { name: 'Inbound signals' }).click();
        const form = page.getByRole('form', { name: 'New signal endpoint' });
        await form.getByLabel('Name').fill('e2e signals');
        await form.getByLabel('Paper account').selectOption(String(state.accountId));
        await form.getByRole('button', { name: 'Create signal endpoint' }).click();
        const reveal = page.getByRole('region', { name: 'New signing secret' });
        const signalSecret = await reveal.getByLabel('Signing secret').inputValue();
        const url = (await reveal.getByText(/^Send signals with/).innerText()).match(/POST (\S+)/)?.[1];
        if (!url || !signalSecret.startsWith('sig_')) throw new Error(`no signal URL/secret shown (${url})`);
        const signalId = `e2e-${Date.now()}`;
        const answer = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ secret: signalSecret, action: 'buy', symbol: 'BTC-USDT', size: '0.001', signal_id: signalId }),
        });
        if (answer.status !== 202) throw new Error(`signal answered ${answer.status}: ${await answer.text()}`);
        await reveal.getByRole('button', { name: /I have stored it/ }).click();
        await page.getByRole('button', { name: 'Signals', exact: true }).click();
        const row = page.getByRole('table', { name: 'Signals' }).getByRole('row').filter({ hasText: signalId });
        await row.filter({ hasText: 'placed' }).waitFor({ timeout: 30_000 });
        log(`signal: ${(await row.innerText()).replace(/\s+/g, ' ')}`);
        await shot('43-signals');
      });
    }

    await step('alerts: phone width', async () => {
      await ensureBudget(context, baseUrl, 15, log);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('navigation', { name: 'Alerts sections' }).getByRole('link', { name: 'Rules and firings' }).click();
      await page.getByRole('table', { name: 'Firings' }).waitFor();
      await shot('40b-alerts-phone');
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    await step('alerts: the other theme', async () => {
      const toggle = page.getByRole('button', { name: /Switch to (light|dark) theme/ });
      const before = await page.evaluate(() => document.documentElement.className);
      await toggle.click();
      await page.waitForFunction((b) => document.documentElement.className !== b, before);
      await shot('40c-alerts-other-theme');
      await toggle.click();
      await page.waitForFunction((b) => document.documentElement.className === b, before);
    });

    await step('alerts: delete the rule after confirming', async () => {
      const rules = page.getByRole('table', { name: 'Alert rules' });
      const row = rules.locator('tr').filter({ has: page.getByRole('link', { name: ruleName }) });
      await row.getByRole('button', { name: 'Delete', exact: true }).click();
      await row.getByRole('button', { name: 'Delete rule' }).click();
      await rules.getByRole('link', { name: ruleName }).waitFor({ state: 'detached' });
      // Its firings go with it.
      await page.getByRole('table', { name: 'Firings' }).getByRole('link', { name: ruleName }).waitFor({ state: 'detached' });
    });
  } finally {
    await receiver.close();
  }
}
