// A Client Admin runs their own team in a real browser: they invite a colleague from the Team
// page, the colleague accepts and lands in the portal, and the Client Admin then changes their
// role and, when they leave, deactivates them; the colleague's next step finds them signed out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, invitationLink, screenshot, signIn, serverAndBrowser } from './harness.mjs';

const CLIENT_ADMIN = { email: 'client-admin@acme.demo.portico.test', password: 'portico-demo' };

const env = serverAndBrowser({ demo: true });

test('a Client Admin invites a colleague, changes their role and deactivates them', async () => {
  const { server, browser } = env;
  const boss = await (await browser.newContext()).newPage();
  boss.setDefaultTimeout(15_000);
  await signIn(boss, server.base, CLIENT_ADMIN.email, CLIENT_ADMIN.password);
  await boss.getByRole('link', { name: 'Team' }).click();
  await boss.getByRole('heading', { name: 'Your team' }).waitFor();
  const people = boss.getByRole('region', { name: 'People with access' });
  await people.getByText('(you)').waitFor();

  const form = boss.locator('form').filter({ has: boss.getByRole('heading', { name: 'Invite a colleague' }) });
  await form.getByLabel('Name').fill('Robin Colleague');
  await form.getByLabel('E-mail').fill('robin@acme.demo.portico.test');
  await form.getByLabel('Role').selectOption({ label: 'Client Viewer' });
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await boss.getByRole('status').filter({ hasText: 'Invitation sent to robin@acme.demo.portico.test.' }).waitFor();
  await people.getByRole('button', { name: 'Resend invitation to Robin Colleague' }).waitFor();
  await assertAccessible(boss, 'team with an invitation');
  await screenshot(boss, 'client-team');

  const link = await invitationLink(server.dataDir, 'robin@acme.demo.portico.test');
  const robin = await (await browser.newContext()).newPage();
  robin.setDefaultTimeout(15_000);
  await robin.goto(link);
  await robin.getByLabel('Password', { exact: true }).fill('a fine new password');
  await robin.getByLabel('Repeat the password').fill('a fine new password');
  await robin.getByRole('button', { name: 'Accept and sign in' }).click();
  const nav = robin.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Projects', exact: true }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Team' }).count(), 0, 'a viewer does not run the team');

  await boss.reload();
  const role = people.getByLabel('Role of Robin Colleague');
  await role.selectOption({ label: 'Client' });
  await boss.getByRole('status').filter({ hasText: 'Robin Colleague: now Client.' }).waitFor();
  boss.once('dialog', (dialog) => void dialog.accept());
  await people.getByRole('button', { name: 'Deactivate Robin Colleague' }).click();
  await people.getByRole('button', { name: 'Reactivate Robin Colleague' }).waitFor();

  await robin.reload();
  await robin.getByRole('button', { name: 'Sign in' }).waitFor();
});
