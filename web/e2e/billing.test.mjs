// Billing in a real browser against the real server and the Stripe stand-in: a client downloads
// an invoice's PDF, pays it through "Pay now" and Stripe's (stand-in's) page, comes back to the
// invoice, and sees it paid as soon as Stripe's signed webhook has been recorded; staff see it
// was viewed, and read the receivables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ADMIN, assertAccessible, signIn, screenshot, serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser({ demo: true, stripe: true });

test('a client downloads an invoice PDF and pays it online; staff see it viewed and paid', async () => {
  const { server, browser } = env;
  const context = await browser.newContext({ acceptDownloads: true });
  const client = await context.newPage();
  client.setDefaultTimeout(15_000);
  await signIn(client, server.base, 'client-finance@acme.demo.portico.test', 'portico-demo');
  await client.getByRole('link', { name: 'Billing' }).click();
  await client.getByRole('heading', { name: 'To pay' }).waitFor();
  await assertAccessible(client, 'client billing');

  // The first open invoice: its page, then its PDF.
  const open = client.getByRole('region', { name: 'To pay' }).getByRole('row').nth(1);
  const number = (await open.getByRole('link').first().textContent()).trim();
  await open.getByRole('link', { name: number }).click();
  await client.getByRole('heading', { name: `Invoice ${number}` }).waitFor();
  await assertAccessible(client, 'client invoice');
  const [download] = await Promise.all([
    client.waitForEvent('download'),
    client.getByRole('button', { name: 'Download PDF' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `${number}.pdf`);
  const pdf = readFileSync(await download.path());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');

  // Pay now → the stand-in's payment page → back on the invoice, paid.
  await client.getByRole('button', { name: /^Pay .* now$/ }).click();
  await client.getByRole('heading', { name: /^Pay \d+ EUR$/ }).waitFor();
  await client.getByRole('button', { name: 'Pay' }).click();
  await client.waitForURL(/\/billing\/.+\?payment=done/);
  await client.getByText('Paid in full. Thank you!').waitFor();
  await client.locator('.invoice__head').getByText('Paid').waitFor();
  assert.equal(await client.getByRole('button', { name: /^Pay .* now$/ }).count(), 0, 'nothing left to pay');
  await screenshot(client, 'client-invoice-paid');

  // The statement of account.
  await client.getByRole('link', { name: '← Billing' }).click();
  await client.getByRole('link', { name: 'Statement of account' }).click();
  await client.getByRole('heading', { name: 'Statement of account' }).waitFor();
  await assertAccessible(client, 'client statement');

  // Staff: the invoice was viewed and is paid; the receivables screen.
  const staff = await (await browser.newContext()).newPage();
  staff.setDefaultTimeout(15_000);
  await signIn(staff, server.base, ADMIN.email, ADMIN.password);
  await staff.getByRole('link', { name: 'Invoices' }).click();
  const row = staff.getByRole('row').filter({ hasText: number });
  await row.getByText('Paid', { exact: true }).waitFor();
  assert.doesNotMatch(await row.textContent(), /Not yet/, 'the client opened it');
  await staff.getByRole('link', { name: 'Receivables' }).click();
  await staff.getByRole('heading', { name: 'Receivables' }).waitFor();
  await staff.getByRole('link', { name: 'Globex' }).waitFor();
  await assertAccessible(staff, 'staff receivables');
  await screenshot(staff, 'staff-receivables');
});
