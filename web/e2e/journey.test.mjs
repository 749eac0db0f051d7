// The whole journey in a real browser against the real server (SQLite, demo data present so
// isolation is meaningful): staff onboard a client, the client accepts the e-mailed
// invitation, replies on a task, never sees the staff's Note, sees the task move to Done
// live, and prints an invoice. Screenshots of the main pages are kept in e2e/artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, assertAccessible, signIn, invitationLink, screenshot, serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser({ demo: true });

test('staff onboard a client who then uses the portal, and a Note never reaches them', async () => {
  const { server, browser } = env;
  const staff = await (await browser.newContext()).newPage();
  staff.setDefaultTimeout(15_000);
  await signIn(staff, server.base, ADMIN.email, ADMIN.password);
  await staff.getByRole('heading', { name: 'What needs attention' }).waitFor();
  await assertAccessible(staff, 'staff dashboard');
  await screenshot(staff, 'staff-dashboard');

  // A new client with a contact, invited to the portal.
  await staff.getByRole('link', { name: 'Clients' }).click();
  await staff.getByLabel("New client's company name").fill('Northwind Ltd');
  await staff.getByRole('button', { name: 'Add client' }).click();
  await staff.getByRole('link', { name: 'Northwind Ltd' }).click();
  await staff.getByRole('heading', { name: 'Northwind Ltd' }).waitFor();
  await staff.getByLabel('Name', { exact: true }).fill('Nora North');
  await staff.getByLabel('E-mail').fill('nora@northwind.test');
  await staff.getByLabel('Primary contact').check();
  await staff.getByRole('button', { name: 'Add contact' }).click();
  await staff.getByRole('cell', { name: 'nora@northwind.test' }).waitFor();
  await staff.getByRole('button', { name: 'Invite to portal' }).click();
  await staff.getByText('Invited', { exact: true }).waitFor();
  await assertAccessible(staff, 'client detail');
  await screenshot(staff, 'staff-client-detail');

  // A project with a task for them.
  await staff.getByRole('link', { name: 'Projects' }).click();
  // The client page has its own checkboxes labelled "Client …": wait for the Projects page.
  await staff.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
  await staff.getByLabel('Client', { exact: true }).selectOption({ label: 'Northwind Ltd' });
  await staff.getByLabel('Project name').fill('Northwind website');
  await staff.getByRole('button', { name: 'Create project' }).click();
  await staff.getByRole('link', { name: 'Northwind website' }).click();
  await staff.getByLabel('Title').fill('Homepage copy');
  await staff.getByRole('button', { name: 'Add task' }).click();
  await staff.getByRole('link', { name: 'Homepage copy', exact: true }).waitFor();
  await assertAccessible(staff, 'task board');
  await screenshot(staff, 'staff-board');

  // The invitation from the outbox folder, opened by the client.
  const link = await invitationLink(server.dataDir, 'nora@northwind.test');
  const client = await (await browser.newContext()).newPage();
  client.setDefaultTimeout(15_000);
  await client.goto(link);
  await client.getByRole('heading', { name: /Choose your password/ }).waitFor();
  await assertAccessible(client, 'accept invitation');
  await client.getByLabel('Password', { exact: true }).fill('northwind rocks 2026');
  await client.getByLabel('Repeat the password').fill('northwind rocks 2026');
  await client.getByRole('button', { name: 'Accept and sign in' }).click();
  await client.getByRole('heading', { name: 'Ongoing tasks' }).waitFor();
  await assertAccessible(client, 'portal home');
  await screenshot(client, 'client-portal-home');

  // Only their own project.
  await client.getByRole('link', { name: 'Projects', exact: true }).first().click();
  await client.getByRole('link', { name: 'Northwind website' }).waitFor();
  const projectLinks = await client.locator('.cards h2 a').allTextContents();
  assert.deepEqual(projectLinks, ['Northwind website']);
  await screenshot(client, 'client-projects');

  // The client replies on the task.
  await client.getByRole('link', { name: 'Northwind website' }).click();
  await client.getByRole('link', { name: 'Homepage copy', exact: true }).click();
  await client.getByLabel('Your reply').fill('Could we review the draft on Monday?');
  await client.getByRole('button', { name: 'Send reply' }).click();
  await client.getByText('Could we review the draft on Monday?').waitFor();
  await assertAccessible(client, 'client task');
  const clientTaskUrl = client.url();

  // Staff see the Reply and add a Note (the default) and then a Reply.
  await staff.getByRole('link', { name: 'Homepage copy', exact: true }).click();
  await staff.getByText('Could we review the draft on Monday?').waitFor();
  await staff.getByText('Internal note', { exact: true }).first().waitFor();
  await staff.getByLabel('Internal note (the client never sees it)').fill('Check the budget before Monday.');
  await staff.getByRole('button', { name: 'Add internal note' }).click();
  await staff.getByText('Check the budget before Monday.').waitFor();
  await staff.getByLabel('Reply — visible to client').check();
  await staff.getByLabel('Reply (the client sees it)').fill('Monday works, see you then.');
  await staff.getByRole('button', { name: 'Send reply to client' }).click();
  await staff.getByText('Monday works, see you then.').waitFor();
  await assertAccessible(staff, 'staff task');
  await screenshot(staff, 'staff-task');

  // The client sees the staff Reply appear by itself (pushed, well before any polling), and
  // never the Note.
  await client.getByText('Monday works, see you then.').waitFor({ timeout: 5_000 });
  assert.equal(await client.getByText('Check the budget before Monday.').count(), 0);
  await client.reload();
  await client.getByText('Monday works, see you then.').waitFor();
  assert.ok(!(await client.content()).includes('Check the budget'), 'the Note reached the client');

  // The client corrects their Reply (marked edited, for staff too) and posts and then deletes
  // a second one, which asks first.
  const own = client.locator('li.comment').filter({ hasText: 'Could we review the draft on Monday?' });
  await own.getByRole('button', { name: 'Edit' }).click();
  await client.getByLabel('Edit your comment').fill('Could we review the draft on Tuesday?');
  await client.getByRole('button', { name: 'Save', exact: true }).click();
  const edited = client.locator('li.comment').filter({ hasText: 'Could we review the draft on Tuesday?' });
  await edited.getByText('edited').waitFor();
  await staff.getByText('Could we review the draft on Tuesday?').waitFor({ timeout: 5_000 });
  await client.getByLabel('Your reply').fill('Sent by mistake');
  await client.getByRole('button', { name: 'Send reply' }).click();
  const mistake = client.locator('li.comment').filter({ hasText: 'Sent by mistake' });
  client.once('dialog', (dialog) => void dialog.dismiss());
  await mistake.getByRole('button', { name: 'Delete' }).click();
  assert.equal(await mistake.count(), 1, 'kept when the confirmation is dismissed');
  client.once('dialog', (dialog) => void dialog.accept());
  await mistake.getByRole('button', { name: 'Delete' }).click();
  await mistake.waitFor({ state: 'detached' });
  await staff.getByText('Sent by mistake').waitFor({ state: 'detached', timeout: 5_000 });

  // Staff move the task to Done; the client's open page shows it without a reload.
  await staff.getByLabel('Status').selectOption('done');
  await client.getByText('Done', { exact: true }).first().waitFor({ timeout: 5_000 });
  assert.equal(client.url(), clientTaskUrl);
  await screenshot(client, 'client-task');

  // Staff invoice the client; the client opens it and downloads its PDF.
  await staff.goto(`${server.base}/staff/invoices/new`);
  await staff.getByLabel('Client', { exact: true }).selectOption({ label: 'Northwind Ltd' });
  await staff.getByLabel('Line 1 description').fill('Homepage copywriting');
  await staff.getByLabel('Quantity').fill('6');
  await staff.getByLabel('Rate (EUR)').fill('95');
  await staff.getByLabel('Payment instructions').fill('Bank transfer, quoting the invoice number.');
  await staff.getByRole('button', { name: 'Save draft' }).click();
  await staff.getByRole('button', { name: 'Send to client' }).click();
  await staff.getByText('Sent', { exact: true }).waitFor();

  await client.getByRole('link', { name: 'Billing' }).click();
  await client.getByRole('heading', { name: 'To pay' }).waitFor();
  await assertAccessible(client, 'billing');
  await screenshot(client, 'client-billing');
  await client.locator('.table a').first().click();
  await client.getByRole('heading', { name: /^Invoice INV-/ }).waitFor();
  await client.getByText('Homepage copywriting').waitFor();
  assert.ok((await client.content()).includes('€684.00'), 'total with 20% tax');
  await assertAccessible(client, 'invoice');
  // The invoice to keep: the server's PDF, named after the invoice.
  const [download] = await Promise.all([
    client.waitForEvent('download'),
    client.getByRole('button', { name: 'Download PDF' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^INV-\d{4}-\d{4}\.pdf$/);
  await client.emulateMedia({ media: 'print' });
  await screenshot(client, 'client-invoice-print');
  await client.emulateMedia({ media: 'screen' });

  // The client was told in the app as well: the reply, the task done, the invoice.
  await client.getByRole('link', { name: /^Notifications/ }).click();
  await client.getByRole('link', { name: 'Done: Homepage copy' }).waitFor();
  await client.getByRole('link', { name: /^New invoice INV-/ }).waitFor();
  await assertAccessible(client, 'notifications');
  await screenshot(client, 'client-notifications');
});

test('navigation is shaped by the role, and View as shows the banner and stays read-only', async () => {
  const { server, browser } = env;
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, server.base, 'client-finance@acme.demo.portico.test', 'portico-demo');
  await page.getByRole('heading', { name: 'Billing' }).waitFor();
  const nav = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
  assert.deepEqual(nav, ['Billing']);
  await assertAccessible(page, 'finance billing at phone width');
  await screenshot(page, 'phone-billing');

  const viewer = await (await browser.newContext()).newPage();
  viewer.setDefaultTimeout(15_000);
  await signIn(viewer, server.base, 'client-viewer@acme.demo.portico.test', 'portico-demo');
  await viewer.getByRole('heading', { name: 'Ongoing tasks' }).waitFor();
  await viewer.locator('table a').first().click();
  await viewer.getByRole('heading', { name: 'Replies' }).waitFor();
  assert.equal(await viewer.getByRole('button', { name: /reply/i }).count(), 0, 'a viewer has no Reply box');

  const staff = await (await browser.newContext()).newPage();
  staff.setDefaultTimeout(15_000);
  await signIn(staff, server.base, 'manager@demo.portico.test', 'portico-demo');
  await staff.getByRole('heading', { name: 'What needs attention' }).waitFor();
  await staff.getByRole('link', { name: 'Clients' }).click();
  await staff.getByRole('link', { name: 'Acme Corp' }).click();
  await staff.getByRole('button', { name: /^View as Casey/ }).click();
  await staff.locator('.view-as-banner').getByText('Casey Acme Corp').waitFor();
  await staff.getByRole('heading', { name: 'Ongoing tasks' }).waitFor();
  await assertAccessible(staff, 'view as');
  await screenshot(staff, 'view-as');
  assert.equal(await staff.locator('form.composer').count(), 0, 'no composer while viewing as');
  // Stopping ends the View-as token on the server, not only in this tab.
  const ended = staff.waitForResponse((r) => r.url().endsWith('/api/v1/auth/impersonate/end'));
  await staff.getByRole('button', { name: 'Stop viewing as' }).click();
  assert.equal((await ended).status(), 204);
  await staff.getByRole('heading', { name: 'What needs attention' }).waitFor();
  assert.equal(await staff.locator('.view-as-banner').count(), 0);
});

test('the session survives a reload from an HttpOnly cookie, and tabs refreshing together stay signed in', async () => {
  const { server, browser } = env;
  const context = await browser.newContext();
  const first = await context.newPage();
  first.setDefaultTimeout(15_000);
  await signIn(first, server.base, 'client@globex.demo.portico.test', 'portico-demo');
  await first.getByRole('heading', { name: 'Ongoing tasks' }).waitFor();
  // Nothing a script on the page could lift: no token in storage, the cookie is HttpOnly.
  const stored = await first.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
  );
  assert.ok(!/refresh|token/i.test(stored), `storage holds ${stored}`);
  assert.ok(!(await first.evaluate(() => document.cookie)).includes('portico_refresh'));
  const cookie = (await context.cookies()).find((c) => c.name === 'portico_refresh');
  assert.ok(cookie?.httpOnly && cookie.sameSite === 'Strict' && cookie.path === '/api/v1/auth', JSON.stringify(cookie));

  // Three tabs of the same browser all start by refreshing the one cookie at the same moment:
  // they take turns, so none presents a token another has just rotated away.
  const tabs = await Promise.all([1, 2, 3].map(() => context.newPage()));
  await Promise.all(tabs.map((tab) => tab.goto(`${server.base}/`)));
  for (const tab of [first, ...tabs]) {
    await tab.reload();
    await tab.getByRole('heading', { name: 'Ongoing tasks' }).waitFor({ timeout: 15_000 });
  }
  await Promise.all(tabs.map((tab) => tab.reload()));
  for (const tab of tabs) await tab.getByRole('heading', { name: 'Ongoing tasks' }).waitFor({ timeout: 15_000 });
  await context.close();
});
