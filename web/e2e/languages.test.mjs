// Languages in a real browser: a French browser gets the portal in French; a person who
// chooses German on their profile gets it in German from then on, on every device, and the
// sign-in page of that browser stays German after they sign out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, screenshot, serverAndBrowser } from './harness.mjs';

const CLIENT = { email: 'client@acme.demo.portico.test', password: 'portico-demo' };
const env = serverAndBrowser({ demo: true });

async function signInAs(page, base, { email, password, labels }) {
  await page.goto(`${base}/login`);
  await page.getByLabel(labels.email, { exact: true }).fill(email);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: labels.submit }).click();
}

/** Opens the profile menu (it stays open across pages once opened). */
async function openMenu(page) {
  const menu = page.locator('details.profile-menu');
  if ((await menu.getAttribute('open')) === null) await menu.locator('summary').click();
}

test('a client switches the portal to German, and it stays German on every device', async () => {
  const { server, browser } = env;
  const page = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
  page.setDefaultTimeout(15_000);

  // Nobody chose yet: the browser's French, from the sign-in page on.
  await page.goto(`${server.base}/login`);
  await page.getByRole('heading', { name: 'Connexion' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  await signInAs(page, server.base, {
    ...CLIENT,
    labels: { email: 'E-mail', password: 'Mot de passe', submit: 'Se connecter' },
  });
  const nav = page.getByRole('navigation', { name: 'Navigation principale' });
  await nav.getByRole('link', { name: 'Mes tâches' }).waitFor();

  // The person's own choice, saved at once.
  await openMenu(page);
  await page.getByRole('link', { name: 'Profil' }).click();
  await page.getByLabel('Langue', { exact: true }).selectOption('de');
  const german = page.getByRole('navigation', { name: 'Hauptnavigation' });
  await german.getByRole('link', { name: 'Meine Aufgaben' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
  await page.getByRole('heading', { name: 'Profil', exact: true }).waitFor();
  await assertAccessible(page, 'profile in German');

  // Pages, dates and statuses in German.
  await german.getByRole('link', { name: 'Meine Aufgaben' }).click();
  await page.getByRole('heading', { name: 'Meine Aufgaben' }).waitFor();
  const table = page.getByRole('table');
  await table
    .getByText(/In Arbeit|Offen|Erledigt/)
    .first()
    .waitFor();
  const text = await table.innerText();
  assert.match(text, /\d{1,2}\. (Jan|Feb|März|Apr|Mai|Juni|Juli|Aug|Sept|Okt|Nov|Dez)/, text);
  await assertAccessible(page, 'my tasks in German');
  await screenshot(page, 'my-tasks-german');

  // Another device of the same person, also a French browser: German, from the server.
  const other = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
  other.setDefaultTimeout(15_000);
  await signInAs(other, server.base, {
    ...CLIENT,
    labels: { email: 'E-mail', password: 'Mot de passe', submit: 'Se connecter' },
  });
  await other.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Projekte' }).waitFor();

  // Signed out, this browser remembers what it last showed.
  await openMenu(page);
  await page.getByRole('button', { name: 'Abmelden' }).click();
  await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
  await assertAccessible(page, 'sign-in page in German');

  // Back to automatic: the browser's French again.
  await signInAs(page, server.base, {
    ...CLIENT,
    labels: { email: 'E-Mail', password: 'Passwort', submit: 'Anmelden' },
  });
  await openMenu(page);
  await page.getByRole('link', { name: 'Profil' }).click();
  await page.getByLabel('Sprache', { exact: true }).selectOption('');
  await page
    .getByRole('navigation', { name: 'Navigation principale' })
    .getByRole('link', { name: 'Mes tâches' })
    .waitFor();
});
