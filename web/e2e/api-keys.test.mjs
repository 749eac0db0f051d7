// An admin makes an API key held to one client account in a real browser: the secret is shown
// once, works as a bearer token on the REST API and sees only that account; revoked, it is
// refused at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, assertAccessible, screenshot, signIn, serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser({ demo: true });

test('an admin makes a key for one client account, an integration uses it, and revoking stops it', async () => {
  const { server, browser } = env;
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, server.base, ADMIN.email, ADMIN.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
  await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();

  const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'New key' }) });
  await form.getByLabel('Name').fill('Acme tracker sync');
  await form.getByLabel('Sees').selectOption({ label: 'Only Acme Corp (as its Client Admin)' });
  await form.getByLabel(/projects\.read/).check();
  await form.getByRole('button', { name: 'Make key' }).click();
  const secret = await page.getByRole('textbox', { name: 'Secret' }).inputValue();
  assert.match(secret, /^pk_live_/);
  await assertAccessible(page, 'api keys with a new secret');
  await screenshot(page, 'staff-api-keys');

  // The integration: the key on the REST API sees Acme's projects and nobody else's.
  const call = (path) => fetch(`${server.base}/api/v1${path}`, { headers: { authorization: `Bearer ${secret}` } });
  const projects = await call('/projects');
  assert.equal(projects.status, 200);
  const items = (await projects.json()).items;
  assert.ok(items.length > 0, 'Acme has projects');
  const clients = new Set(items.map((p) => p.client_id));
  assert.equal(clients.size, 1, 'one account only');
  assert.equal((await call('/invoices')).status, 403, 'not given invoices.read');

  await page.getByRole('button', { name: 'I have kept it' }).click();
  assert.equal(await page.getByRole('textbox', { name: 'Secret' }).count(), 0, 'the secret is shown once');
  const keys = page.getByRole('region', { name: 'Keys' });
  page.once('dialog', (dialog) => void dialog.accept());
  await keys.getByRole('button', { name: 'Revoke Acme tracker sync' }).click();
  await page.getByRole('status').filter({ hasText: 'is revoked' }).waitFor();
  assert.equal((await call('/projects')).status, 401, 'a revoked key is refused at once');
});

test('the audit log shows who made and revoked the key, and narrows to one action', async () => {
  const { server, browser } = env;
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, server.base, ADMIN.email, ADMIN.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
  await page.getByRole('table').waitFor();
  await assertAccessible(page, 'audit log');
  await screenshot(page, 'staff-audit-log');
  await page.getByLabel('Action').fill('api_key.revoked');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.getByRole('table').getByText('api_key.revoked').first().waitFor();
  const actions = await page.getByRole('table').locator('td[data-label="Action"]').allTextContents();
  assert.ok(actions.length > 0 && actions.every((a) => a === 'api_key.revoked'), actions.join());
});
