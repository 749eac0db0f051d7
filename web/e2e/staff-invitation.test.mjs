// Inviting a colleague in a real browser: an admin invites a staff member from the Users page
// (there is no password to type for them), the invitation arrives, and the colleague accepts it
// and lands on the staff dashboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, assertAccessible, invitationLink, screenshot, signIn, serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser({ demo: false });

test('an admin invites a colleague, who accepts and joins the team', async () => {
  const { server, browser } = env;
  const admin = await (await browser.newContext()).newPage();
  admin.setDefaultTimeout(15_000);
  await signIn(admin, server.base, ADMIN.email, ADMIN.password);
  await admin.getByRole('link', { name: 'Users' }).click();
  const form = admin.locator('form').filter({ has: admin.getByRole('heading', { name: 'Invite a staff member' }) });
  assert.equal(await form.getByLabel(/password/i).count(), 0, 'no password is chosen for someone else');
  await form.getByLabel('Name').fill('Nia New');
  await form.getByLabel('E-mail').fill('nia@agency.test');
  await form.getByLabel('Role').selectOption({ label: 'Member' });
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await admin.getByRole('status').filter({ hasText: 'Invitation sent to nia@agency.test.' }).waitFor();
  await admin.getByRole('button', { name: 'Resend invitation to Nia New' }).waitFor();
  await assertAccessible(admin, 'users with an invitation');
  await screenshot(admin, 'staff-users-invited');

  const link = await invitationLink(server.dataDir, 'nia@agency.test');
  const colleague = await (await browser.newContext()).newPage();
  colleague.setDefaultTimeout(15_000);
  await colleague.goto(link);
  await colleague.getByLabel('Password', { exact: true }).fill('a fine new password');
  await colleague.getByLabel('Repeat the password').fill('a fine new password');
  await colleague.getByRole('button', { name: 'Accept and sign in' }).click();
  await colleague.getByRole('heading', { name: 'What needs attention' }).waitFor();

  // The admin's list shows them active, with nothing left to resend.
  await admin.reload();
  await admin.getByRole('button', { name: 'Sign out everywhere: Nia New' }).waitFor();
  assert.equal(await admin.getByRole('button', { name: 'Resend invitation to Nia New' }).count(), 0);
});
