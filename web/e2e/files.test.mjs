// Deliverables in a real browser against the real server: staff upload a file to a project,
// see its preview and ask the client to review it; the client finds it awaiting approval on
// their home and approves it; the staff's open page shows the decision without a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { ADMIN, assertAccessible, signIn, screenshot, serverAndBrowser } from './harness.mjs';

const env = serverAndBrowser({ demo: true });

/** A real PNG of `w`×`h` pixels in one colour. */
function png(w, h, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => [r, g, b]).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: h }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('staff upload a deliverable and ask for review; the client approves it and staff see it at once', async () => {
  const { server, browser } = env;
  const staff = await (await browser.newContext()).newPage();
  staff.setDefaultTimeout(15_000);
  await signIn(staff, server.base, ADMIN.email, ADMIN.password);
  await staff.getByRole('heading', { name: 'What needs attention' }).waitFor();
  await staff.getByRole('heading', { name: 'Awaiting client feedback' }).waitFor();
  await staff.getByRole('link', { name: 'Projects' }).click();
  await staff.getByRole('link', { name: 'Website redesign — Acme Corp' }).click();
  await staff.getByRole('heading', { name: 'Files' }).waitFor();

  // Upload: the progress bar, then the file in the list.
  await staff.getByLabel('Folder (optional)').fill('Design');
  await staff
    .locator('.dropzone input[type=file]')
    .first()
    .setInputFiles({ name: 'Landing page.png', mimeType: 'image/png', buffer: png(120, 80, [242, 169, 0]) });
  await staff.getByRole('link', { name: 'Landing page.png', exact: true }).click();
  await staff.getByRole('heading', { name: 'Landing page.png' }).waitFor();

  // The preview is the picture itself, fetched through a download link of the staff member's.
  const preview = staff.getByRole('img', { name: /Preview of Landing page.png/ });
  await preview.waitFor();
  await staff.waitForFunction(() => document.querySelector('.preview img')?.naturalWidth === 120);
  await assertAccessible(staff, 'staff file page');

  await staff.getByLabel('Message (optional)').fill('The landing page, as discussed.');
  await staff.getByRole('button', { name: 'Request review' }).click();
  await staff.getByRole('heading', { name: 'Review of version 1' }).waitFor();
  await staff.locator('#review').locator('..').getByText('Pending', { exact: true }).waitFor();
  await screenshot(staff, 'staff-file-review');

  // The client finds it on their home and approves it.
  const client = await (await browser.newContext()).newPage();
  client.setDefaultTimeout(15_000);
  await signIn(client, server.base, 'client@acme.demo.portico.test', 'portico-demo');
  await client.getByRole('heading', { name: 'Awaiting your approval' }).waitFor();
  await assertAccessible(client, 'client home with files');
  await client
    .getByRole('region', { name: 'Awaiting your approval' })
    .getByRole('link', { name: 'Landing page.png', exact: true })
    .click();
  await client.getByText('The landing page, as discussed.').waitFor();
  await client.waitForFunction(() => document.querySelector('.preview img')?.naturalWidth === 120);
  await assertAccessible(client, 'client file page');
  await screenshot(client, 'client-file-review');
  await client.getByRole('button', { name: 'Approve version 1' }).click();
  await client.getByText(/^Approved by /).waitFor();

  // The staff's open page shows the decision by itself.
  await staff.getByText(/^Approved by Casey Acme Corp/).waitFor({ timeout: 5_000 });
  assert.equal(await staff.getByRole('button', { name: 'Request review' }).count(), 0, 'an approved version is locked');
});

test('a client asks for changes with a comment, and Client Finance sees no files', async () => {
  const { server, browser } = env;
  const client = await (await browser.newContext()).newPage();
  client.setDefaultTimeout(15_000);
  await signIn(client, server.base, 'client-admin@globex.demo.portico.test', 'portico-demo');
  await client.getByRole('heading', { name: 'Awaiting your approval' }).waitFor();
  await client
    .getByRole('region', { name: 'Awaiting your approval' })
    .getByRole('link', { name: 'Homepage mock-up.png' })
    .click();
  await client.getByRole('button', { name: 'Request changes' }).click();
  await client.getByLabel('What should change?').fill('Bigger headline, please.');
  await client.getByRole('button', { name: 'Send the request for changes' }).click();
  await client.getByText(/^Changes requested by /).waitFor();
  await client.getByText('Bigger headline, please.').first().waitFor();

  const finance = await (await browser.newContext()).newPage();
  finance.setDefaultTimeout(15_000);
  await signIn(finance, server.base, 'client-finance@globex.demo.portico.test', 'portico-demo');
  await finance.getByRole('heading', { name: 'Billing' }).waitFor();
  assert.equal(await finance.getByRole('heading', { name: 'Awaiting your approval' }).count(), 0);
});
