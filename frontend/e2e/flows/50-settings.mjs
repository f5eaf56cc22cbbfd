// Settings as the fresh user (owner of its own tenant): an API key created, revealed once, used
// from node, revoked and then refused; a member invited, and the invitee (signed out, in a browser
// of their own) opens the emailed link, signs up and joins; plan and usage; the audit log.
import { createHmac } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// config.yaml's email backend "file" writes one file per mail here (make up's default);
// E2E_MAIL_DIR points elsewhere.
const mailDir = process.env.E2E_MAIL_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '.run', 'mail');

/** RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret: what an authenticator app shows. */
function totp(base32, now = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of base32.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The accept link of the newest mail to `email`, or null when there is no such mail (yet). */
function invitationLink(email) {
  if (!existsSync(mailDir)) return null;
  const mails = readdirSync(mailDir).sort().reverse().slice(0, 50).map((f) => readFileSync(join(mailDir, f), 'utf8'));
  const mail = mails.find((m) => m.includes(`To: ${email}`));
  return mail?.match(/(https?:\/\/\S+\/invitations\/accept\?token=\S+)/)?.[1] ?? null;
}

const api = (baseUrl, path, key) =>
  fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' } });

export default async function ({ page, context, step, shot, baseUrl, state, consoleErrors, log }) {
  const keyName = `e2e key ${Date.now()}`;
  let fullKey = '';
  let prefix = '';

  await step('settings: create an API key, revealed once', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings\/members$/);
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'API keys' }).click();
    await page.waitForURL(/\/settings\/api-keys$/);
    const form = page.getByRole('form', { name: 'Create API key' });
    await form.getByLabel('Name').fill(keyName);
    // read is ticked by default; add trade.
    await form.getByRole('checkbox', { name: /^trade/ }).check();
    await form.getByRole('button', { name: 'Create key' }).click();
    const reveal = page.getByRole('region', { name: 'New API key' });
    await reveal.waitFor();
    fullKey = await reveal.getByLabel('Full API key').inputValue();
    if (!/^qt_live_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/.test(fullKey)) throw new Error(`unexpected key shape: ${fullKey}`);
    prefix = fullKey.split('_').slice(0, 3).join('_');
    await reveal.getByText('It is shown only this once', { exact: false }).waitFor();
    const row = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: keyName });
    await row.getByRole('cell', { name: prefix }).waitFor();
    await row.getByText('read, trade').waitFor();
    await shot('50-api-keys');
    // Dismissed, the key is gone from the page for good.
    await reveal.getByRole('button', { name: 'I have stored the key' }).click();
    await page.getByRole('form', { name: 'Create API key' }).waitFor();
    if ((await page.content()).includes(fullKey)) throw new Error('the full key is still in the page after dismissal');
    state.settingsKeyPrefix = prefix;
  });

  await step('settings: the key works from outside the browser, then revocation refuses it', async () => {
    const ok = await api(baseUrl, '/api/v1/members', fullKey);
    if (ok.status !== 200) throw new Error(`GET /api/v1/members with the new key answered ${ok.status}: ${await ok.text()}`);
    const members = await ok.json();
    log(`key ${prefix} reads ${members.length} member(s)`);
    const row = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: keyName });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await row.getByText('revoked').waitFor();
    const refused = await api(baseUrl, '/api/v1/members', fullKey);
    const body = await refused.json().catch(() => ({}));
    if (refused.status !== 401 && refused.status !== 403) {
      throw new Error(`the revoked key still answered ${refused.status}`);
    }
    log(`revoked key refused: ${refused.status} ${body?.error?.code ?? ''}`);
  });

  await step('settings: invite a member and see the pending invitation', async () => {
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Members' }).click();
    await page.getByRole('table', { name: 'Members' }).getByText('(you)').waitFor();
    const email = `invitee-${Date.now()}@example.com`;
    const form = page.getByRole('form', { name: 'Invite a member' });
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await form.getByRole('status').filter({ hasText: `Invitation sent to ${email}` }).waitFor();
    const row = page.getByRole('table', { name: 'Pending invitations' }).getByRole('row').filter({ hasText: email });
    await row.getByRole('cell', { name: 'viewer' }).waitFor();
    await shot('51-members');
    state.invitedEmail = email;
  });

  await step('invitation: the invitee opens the emailed link signed out, signs up and joins', async () => {
    const email = state.invitedEmail;
    let link = null;
    for (let i = 0; i < 50 && !link; i += 1) {
      link = invitationLink(email);
      if (!link) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!link) {
      log(`no mail to ${email} under ${mailDir} (email backend not "file"?): accept screen not checked`);
      return;
    }
    const accepted = new URL(link);
    const invitee = await context.browser().newContext({ viewport: { width: 390, height: 844 } });
    const tab = await invitee.newPage();
    tab.setDefaultTimeout(20_000);
    tab.on('console', (m) => m.type() === 'error' && consoleErrors.push(`console (invitee): ${m.text()} ${m.location()?.url ?? ''}`));
    tab.on('pageerror', (error) => consoleErrors.push(`pageerror (invitee): ${error.message}`));
    try {
      await tab.goto(`${baseUrl}${accepted.pathname}${accepted.search}`);
      const card = tab.getByRole('region', { name: 'Invitation' });
      await card.getByText('You are invited to join').filter({ hasText: 'as viewer' }).waitFor();
      await card.getByRole('link', { name: 'Create an account' }).click();
      const form = tab.getByRole('form', { name: 'Sign up' });
      await form.getByLabel('Email').fill(email);
      await form.getByLabel('Password').fill(`invitee passphrase ${Date.now()}`);
      await form.getByLabel('Full name').fill('E2E Invitee');
      await form.getByRole('button', { name: 'Create account' }).click();
      // Back on the invitation, signed in as the invitee.
      await tab.waitForURL(/\/invitations\/accept\?token=/);
      await card.getByRole('button', { name: /^Join / }).click();
      await card.getByRole('status').filter({ hasText: 'as viewer' }).waitFor();
      await tab.screenshot({ path: join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', '51b-invitation-accepted.png'), fullPage: true });
      // Not opened: the markets screen would spend the shared tenant's per-minute request budget.
      await card.getByRole('button', { name: /^Open / }).waitFor();
    } finally {
      await invitee.close();
    }
    // The owner sees the new member, and the invitation is no longer pending.
    await page.reload();
    await page.getByRole('table', { name: 'Members' }).getByText(email).waitFor();
    await page.getByText(/No pending invitations/).waitFor();
  });

  await step('settings: plan and usage', async () => {
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Plan and usage' }).click();
    await page.getByRole('list', { name: "Usage against your tier's limits" }).waitFor();
    // The main flow opened a paper account in this tenant (state.accountId): it counts.
    const meter = page.getByRole('meter', { name: 'Paper accounts' });
    await meter.waitFor();
    const used = Number(await meter.getAttribute('aria-valuenow'));
    if (state.accountId && used < 1) {
      throw new Error(`paper accounts meter shows ${used}, expected the account the main flow opened`);
    }
    const billing = page.getByRole('button', { name: 'Manage billing' }).or(page.getByText('Billing is disabled on this installation'));
    await billing.first().waitFor();
    log(`paper accounts used ${used} of ${await meter.getAttribute('aria-valuemax')}`);
    await shot('52-plan');
  });

  await step('settings: the audit log shows the key created and revoked', async () => {
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Audit log' }).click();
    const table = page.getByRole('table', { name: 'Audit log' });
    await table.getByRole('row').filter({ hasText: 'api_key.created' }).filter({ hasText: prefix }).waitFor();
    await table.getByRole('row').filter({ hasText: 'api_key.revoked' }).filter({ hasText: prefix }).waitFor();
    await table.getByRole('row').filter({ hasText: 'invitation.created' }).waitFor();
    await shot('53-audit');
    // Filtered to one action, only that action is listed.
    await page.getByLabel('Action').selectOption('api_key.revoked');
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('table[aria-label="Audit log"] tbody tr td:nth-child(3)')];
      return cells.length > 0 && cells.every((c) => c.textContent === 'api_key.revoked');
    });
  });


  await step('settings: two-factor sign-in turned on with a code computed from the shown secret', async () => {
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Security' }).click();
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const secret = (await page.getByLabel('Secret key').textContent()).trim();
    const form = page.getByRole('form', { name: 'Confirm two-factor sign-in' });
    await form.getByLabel('Authenticator code').fill(totp(secret));
    await shot('54-security');
    await form.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await page.getByRole('form', { name: 'Turn off two-factor sign-in' }).waitFor();
    // Later flows: signing in again as this user now needs a code (state.totpSecret).
    state.totpSecret = secret;
    log('two-factor sign-in is on for the fresh user');
  });
}
