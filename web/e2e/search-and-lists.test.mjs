// Lists that go past 200 rows page instead of stopping, and the search box: a client finds
// their Reply and never the Note beside it, staff find both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, assertAccessible, screenshot, serverAndBrowser, signIn } from './harness.mjs';

const env = serverAndBrowser({ demo: true });
const CLIENT = 'client@acme.demo.portico.test';

/** The REST API as the agency's admin. */
async function adminApi(base) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
  });
  const { access_token: token } = await login.json();
  return async (path, method = 'GET', body) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return res.status === 204 ? null : res.json();
  };
}

test('a client pages through more than 200 tasks and finds their Reply but never a Note', async () => {
  const { server, browser } = env;
  const api = await adminApi(server.base);
  const acme = (await api('/clients?limit=200')).items.find((c) => c.name === 'Acme Corp');
  const project = await api('/projects', 'POST', { client_id: acme.id, name: 'Content migration' });
  let first;
  for (let n = 1; n <= 205; n++) {
    const task = await api(`/projects/${project.id}/tasks`, 'POST', { title: `Migrate page ${n}` });
    first ??= task;
  }
  await api(`/tasks/${first.id}/comments`, 'POST', { body: 'The zephyr palette is approved.', visibility: 'reply' });
  await api(`/tasks/${first.id}/comments`, 'POST', { body: 'Zephyr budget is tight, keep quiet.', visibility: 'note' });

  const client = await (await browser.newContext()).newPage();
  client.setDefaultTimeout(15_000);
  await signIn(client, server.base, CLIENT, 'portico-demo');
  await client.getByRole('heading', { name: 'Ongoing tasks' }).waitFor();
  await client.getByRole('link', { name: 'All my tasks' }).click();
  await client.getByRole('heading', { name: 'All my tasks' }).waitFor();
  await client.getByLabel('Project').selectOption({ label: 'Content migration' });
  const rows = client.locator('tbody tr');
  await rows.nth(49).waitFor();
  assert.equal(await rows.count(), 50, 'a page at a time');
  for (let shown = 100; shown <= 250; shown += 50) {
    await client.getByRole('button', { name: /show more/i }).click();
    await rows.nth(Math.min(shown, 205) - 1).waitFor();
  }
  assert.equal(await rows.count(), 205, 'every task, none cut off');
  assert.equal(await client.getByRole('button', { name: /show more/i }).count(), 0);
  await assertAccessible(client, 'all my tasks');
  await screenshot(client, 'client-all-tasks');

  // The search box: their Reply (once its undo window has passed), never the Note.
  const search = client.getByRole('searchbox', { name: 'Search' });
  const deadline = Date.now() + 15_000;
  for (;;) {
    await search.fill('zephyr');
    await search.press('Enter');
    await client.getByRole('heading', { name: 'Search' }).waitFor();
    await client.getByText(/Results for/).waitFor();
    await client.locator('.search-results, .state--empty').first().waitFor();
    if ((await client.locator('.search-results li').count()) > 0) break;
    assert.ok(Date.now() < deadline, 'the Reply was never found');
    await client.waitForTimeout(500);
    await client.goto(`${server.base}/`);
  }
  const hits = client.locator('.search-results li');
  assert.equal(await hits.count(), 1, await client.locator('main').innerText());
  await hits.first().getByText('The zephyr palette is approved.').waitFor();
  assert.ok(!(await client.content()).includes('budget is tight'), 'a Note reached a client through search');
  await assertAccessible(client, 'client search');
  await screenshot(client, 'client-search');
  await hits.first().getByRole('link').click();
  await client.getByRole('heading', { name: 'Migrate page 1' }).waitFor();

  // Staff find both, the Note marked as one.
  const staff = await (await browser.newContext()).newPage();
  staff.setDefaultTimeout(15_000);
  await signIn(staff, server.base, ADMIN.email, ADMIN.password);
  await staff.getByRole('heading', { name: 'What needs attention' }).waitFor();
  await staff.getByRole('searchbox', { name: 'Search' }).fill('zephyr');
  await staff.getByRole('searchbox', { name: 'Search' }).press('Enter');
  const note = staff.locator('.search-results li').filter({ hasText: 'budget is tight' });
  await note.getByText('Note', { exact: true }).waitFor();
  await assertAccessible(staff, 'staff search');
});
