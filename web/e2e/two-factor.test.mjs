// Two-factor sign-in in a real browser: a client turns it on from their Profile with an
// authenticator app (its codes computed here from the key the page shows), keeps the recovery
// codes, and from then on signs in with a code after the password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as OTPAuth from 'otpauth';
import { assertAccessible, screenshot, signIn, serverAndBrowser } from './harness.mjs';

const CLIENT = { email: 'client@acme.demo.portico.test', password: 'portico-demo' };

const env = serverAndBrowser({ demo: true });

/** The code an app holding `secret` shows `stepsAhead` 30-second steps from now. */
function code(secret, stepsAhead = 0) {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

test('a client turns on two-factor sign-in and then signs in with a code from the app', async () => {
  const { server, browser } = env;
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, server.base, CLIENT.email, CLIENT.password);
  await page.locator('details.profile-menu > summary').click();
  await page.getByRole('link', { name: 'Profile' }).click();
  const panel = page.getByRole('region', { name: 'Two-factor sign-in' });
  await panel.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await panel.getByLabel('Your password').fill(CLIENT.password);
  await panel.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await panel.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
  await assertAccessible(page, 'two-factor set-up');
  await screenshot(page, 'profile-two-factor-setup');
  const secret = (await panel.getByLabel('Set-up key').innerText()).trim();
  assert.match(secret, /^[A-Z2-7]{32}$/);

  await panel.getByLabel('Code from the app').fill(code(secret));
  await panel.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  const codes = panel.getByRole('region', { name: 'Your recovery codes' });
  await codes.getByRole('listitem').nth(9).waitFor();
  assert.equal(await codes.getByRole('listitem').count(), 10);
  await screenshot(page, 'profile-two-factor-recovery-codes');
  await codes.getByRole('button', { name: 'I have saved them' }).click();
  await panel.getByText(/On since .* 10 recovery codes left\./).waitFor();

  // Signing in again: the password, then the code.
  const again = await (await browser.newContext()).newPage();
  again.setDefaultTimeout(15_000);
  await signIn(again, server.base, CLIENT.email, CLIENT.password);
  await again.getByText('Enter the code from your authenticator app to finish signing in.').waitFor();
  await assertAccessible(again, 'sign in with a code');
  // The next step's code: the one that confirmed the set-up is spent.
  await again.getByLabel('Authentication code').fill(code(secret, 1));
  await again.getByRole('button', { name: 'Sign in' }).click();
  await again.getByRole('heading', { name: 'Ongoing tasks' }).waitFor();
});
