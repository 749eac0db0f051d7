// Is the portal working? Staff open the Metrics area on the demo agency's months of history: a
// chart with its table, a CSV of it; and a client answers a satisfaction survey from the
// e-mail's link without signing in, which the scores then count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ADMIN, assertAccessible, mailedLink, screenshot, signIn, serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser({ demo: true });

async function api(base, token, method, path, body) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return res.status === 204 ? null : res.json();
}

test('staff read the metrics as charts and tables, and a client answers a survey from its e-mail', async () => {
  const { server, browser } = env;
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, server.base, ADMIN.email, ADMIN.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Metrics' }).click();
  await page.getByRole('heading', { name: 'Portal metrics', level: 1 }).waitFor();

  // The sign-ins chart draws the demo's weeks, and says the same as a table.
  const chart = page.getByRole('figure', { name: 'Sign-ins per week' });
  await chart.locator('svg.recharts-surface').first().waitFor();
  await chart.getByText('Show as table').click();
  const rows = chart.getByRole('table').getByRole('row');
  assert.ok((await rows.count()) > 5, 'a row per week and a header');
  await assertAccessible(page, 'metrics');
  await screenshot(page, 'staff-metrics');

  // Every table downloads as CSV.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /Download CSV.*Adoption per client/ }).click(),
  ]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /Acme Corp/);
  assert.match(csv.split('\n')[0], /Client/);

  // A task done asks the account's people; the Client answers from the e-mail, signed out.
  const login = await fetch(`${server.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
  });
  const admin = (await login.json()).access_token;
  await api(server.base, admin, 'PATCH', '/settings/portal', {
    surveys: { on_task_done: true, on_project_completed: true, every_weeks: null },
  });
  const tasks = await api(server.base, admin, 'GET', '/tasks?open=true&limit=200');
  const acme = (await api(server.base, admin, 'GET', '/clients?limit=200')).items.find((c) => c.name === 'Acme Corp');
  const task = tasks.items.find((t) => t.client_id === acme.id);
  await api(server.base, admin, 'PATCH', `/tasks/${task.id}`, { status: 'done' });
  const link = await mailedLink(server.dataDir, 'client@acme.demo.portico.test', 'survey');
  const client = await (await browser.newContext()).newPage();
  client.setDefaultTimeout(15_000);
  await client.goto(link);
  await client.getByRole('heading', { name: 'How did we do?' }).waitFor();
  await assertAccessible(client, 'survey link');
  await client.getByRole('radio', { name: '5 — Excellent' }).check();
  await client.getByLabel(/Anything you would like to tell us/).fill('Lovely launch');
  await client.getByRole('button', { name: 'Send my answer' }).click();
  await client.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();
  await screenshot(client, 'client-survey-answered');

  const scores = await api(server.base, admin, 'GET', '/metrics/satisfaction');
  assert.ok(
    scores.answers.some((a) => a.comment === 'Lovely launch' && a.score === 5),
    JSON.stringify(scores.answers),
  );
});
