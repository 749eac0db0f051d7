// Signed-in devices in a real browser: a client signed in on two browsers sees both on their
// Profile, signs the other out, and that browser is back at the sign-in page on its next step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, screenshot, signIn, serverAndBrowser } from './harness.mjs';

const CLIENT = { email: 'client@acme.demo.portico.test', password: 'portico-demo' };

const env = serverAndBrowser({ demo: true });

test('a client sees where they are signed in and signs a lost device out', async () => {
  const { server, browser } = env;
  const lost = await (await browser.newContext()).newPage();
  lost.setDefaultTimeout(15_000);
  await signIn(lost, server.base, CLIENT.email, CLIENT.password);
  await lost.locator('details.profile-menu > summary').waitFor();

  const here = await (await browser.newContext()).newPage();
  here.setDefaultTimeout(15_000);
  await signIn(here, server.base, CLIENT.email, CLIENT.password);
  await here.locator('details.profile-menu > summary').click();
  await here.getByRole('link', { name: 'Profile' }).click();
  const devices = here.getByRole('region', { name: 'Signed-in devices' });
  await devices.getByText('This device').waitFor();
  const rows = devices.getByRole('row');
  await rows.nth(2).waitFor();
  assert.equal(await rows.count(), 3, 'a header and two devices');
  assert.match(await devices.innerText(), /Chrom/, 'each browser named, not its raw User-Agent');
  await assertAccessible(here, 'profile with devices');
  await screenshot(here, 'profile-devices');

  here.once('dialog', (dialog) => void dialog.accept());
  await devices.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await here.getByRole('status').filter({ hasText: 'Signed out of 1 other device.' }).waitFor();
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2, 'only this device is left');

  // The other browser's next step finds its login over.
  await lost.reload();
  await lost.getByRole('button', { name: 'Sign in' }).waitFor();
  // This one carries on.
  await here.getByRole('link', { name: 'Projects' }).click();
  await here.getByRole('heading', { name: 'Projects' }).waitFor();
});
