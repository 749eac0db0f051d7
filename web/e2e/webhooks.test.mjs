// An integrator's webhook, made and watched from the Webhooks page: the secret is shown once,
// an event is delivered to a receiver on loopback signed with it, the delivery log shows it,
// a redelivery sends it again, and deleting the endpoint asks first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { ADMIN, assertAccessible, screenshot, signIn, serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser({ demo: true, loopbackWebhooks: true });

/** A receiver on loopback that keeps what it is sent. */
async function receiver() {
  const received = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, received, close: () => server.close() };
}

async function until(what, check) {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('an admin adds a webhook, sees its deliveries, redelivers one and deletes it', async () => {
  const { server, browser } = env;
  const hook = await receiver();
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, server.base, ADMIN.email, ADMIN.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
  await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
  const form = page.getByRole('form', { name: 'New endpoint' });
  await form.getByLabel('URL').fill(hook.url);
  await form.getByRole('checkbox', { name: 'task.updated' }).check();
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  const secret = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
  assert.ok(secret.length >= 16);
  await assertAccessible(page, 'webhooks with a new secret');
  await page.getByRole('button', { name: 'I have kept it' }).click();
  assert.equal(await page.getByRole('textbox', { name: 'Signing secret' }).count(), 0, 'the secret is shown once');

  // An event: a task moves, through the REST API.
  const login = await (
    await fetch(`${server.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
    })
  ).json();
  const auth = { authorization: `Bearer ${login.access_token}`, 'content-type': 'application/json' };
  const task = (await (await fetch(`${server.base}/api/v1/tasks?limit=1`, { headers: auth })).json()).items[0];
  const moved = await fetch(`${server.base}/api/v1/tasks/${task.id}`, {
    method: 'PATCH',
    headers: auth,
    body: JSON.stringify({ priority: task.priority === 'high' ? 'low' : 'high' }),
  });
  assert.equal(moved.status, 200);
  await until('the delivery', () => hook.received.length >= 1);
  const first = hook.received[0];
  assert.match(first.headers['portico-signature'] ?? '', /v1=/);
  const [, timestamp] = /t=(\d+)/.exec(first.headers['portico-signature']);
  const expected = createHmac('sha256', secret).update(`${timestamp}.${first.body}`).digest('hex');
  assert.ok(first.headers['portico-signature'].includes(expected), 'signed with the secret shown once');

  const endpoint = page.getByRole('region', { name: `Endpoint ${hook.url}` });
  await endpoint.getByRole('button', { name: 'Deliveries' }).click();
  await endpoint.getByRole('table').getByText('Delivered', { exact: true }).waitFor();
  await screenshot(page, 'staff-webhooks');
  await endpoint
    .getByRole('button', { name: /^Redeliver event/ })
    .first()
    .click();
  await page.getByRole('status').filter({ hasText: 'Queued to be sent again' }).waitFor();
  await until('the redelivery', () => hook.received.length >= 2);
  assert.equal(hook.received[1].body, first.body, 'the same event again');

  page.once('dialog', (dialog) => void dialog.dismiss());
  await endpoint.getByRole('button', { name: 'Delete' }).click();
  assert.equal(await endpoint.count(), 1, 'kept when the confirmation is dismissed');
  page.once('dialog', (dialog) => void dialog.accept());
  await endpoint.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('No webhook endpoints yet.').waitFor();
  hook.close();
});

test('an admin turns the weekly summary on and a reminder stage up in Settings, and they stay so', async () => {
  const { server, browser } = env;
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, server.base, ADMIN.email, ADMIN.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const automations = page.getByRole('region', { name: 'Automations' });
  await automations.waitFor();
  const weekly = automations.getByRole('checkbox', { name: /weekly summary/ });
  const was = await weekly.isChecked();
  await weekly.setChecked(!was);
  await automations.getByRole('button', { name: 'Add a reminder stage' }).click();
  const stages = automations.getByLabel('Days from the due date');
  const added = stages.nth((await stages.count()) - 1);
  await added.fill('21');
  await automations.getByLabel('Message').last().fill('Invoice {number} is three weeks overdue.');
  await assertAccessible(page, 'settings with automations');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await page.reload();
  await automations.waitFor();
  assert.equal(await automations.getByRole('checkbox', { name: /weekly summary/ }).isChecked(), !was);
  await automations.getByText('21 days overdue').waitFor();
});
