// Browser-test harness: the real `portico` binary on a random port with a fresh SQLite data
// folder, and Debian's Chromium driven by playwright-core (never a downloaded browser).
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
export const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

export const ADMIN = { email: 'admin@agency.test', password: 'correct horse battery' };

async function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

/** The Stripe stand-in (tests/bin/stripe_standin.rs) on loopback, delivering its webhooks to
 * `deliverTo`; resolves to its base URL once it listens. */
function startStripeStandIn(deliverTo) {
  const binary = process.env.PORTICO_STANDIN_BIN ?? join(root, 'target/debug/portico-stripe-standin');
  const child = spawn(binary, [], {
    env: { ...process.env, PORTICO_STANDIN_DELIVER_TO: deliverTo },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) ok({ base: m[1], stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => fail(new Error(`the Stripe stand-in exited (${code})`)));
  });
}

/** The stand-in's keys (tests/stripe.rs). */
const STRIPE = { secret: 'sk_test_standin_0123456789', webhook: 'whsec_standin_0123456789' };

export async function startServer({ demo = true, stripe = false, loopbackWebhooks = false } = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'portico-e2e-'));
  const base = `http://127.0.0.1:${port}`;
  const binary = process.env.PORTICO_BIN ?? join(root, 'target/debug/portico');
  const standIn = stripe ? await startStripeStandIn(`${base}/api/v1/payments/stripe/webhook`) : null;
  const payments = standIn
    ? {
        PORTICO_STRIPE_SECRET_KEY: STRIPE.secret,
        PORTICO_STRIPE_WEBHOOK_SECRET: STRIPE.webhook,
        PORTICO_STRIPE_API_BASE: standIn.base,
      }
    : {};
  const child = spawn(binary, ['serve', ...(demo ? ['--demo'] : [])], {
    cwd: root,
    env: {
      ...process.env,
      PORTICO_PORT: String(port),
      PORTICO_DATA_DIR: dataDir,
      PORTICO_WEB_DIR: join(root, 'web/dist'),
      PORTICO_PUBLIC_URL: base,
      PORTICO_ADMIN_EMAIL: ADMIN.email,
      PORTICO_ADMIN_PASSWORD: ADMIN.password,
      PORTICO_LOG: 'warn',
      // A short undo window keeps the journey quick while still going through it.
      PORTICO_REPLY_UNDO_SECS: '1',
      ...payments,
      // A webhook receiver in a test listens on loopback, over plain HTTP.
      ...(loopbackWebhooks
        ? { PORTICO_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', PORTICO_WEBHOOK_ALLOW_HTTP: 'true' }
        : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${base}/api/healthz`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('portico did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    dataDir,
    stop: () => {
      child.kill('SIGTERM');
      standIn?.stop();
    },
  };
}

export async function launchBrowser() {
  // playwright-core starts Chromium with a fresh, empty profile directory of its own.
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Starts the server (with `options`, as `startServer` takes them) and a browser before the
 * file's tests and stops both after them: `env.server` and `env.browser` are there once the
 * tests run. */
export function serverAndBrowser(options) {
  const env = {};
  before(async () => {
    env.server = await startServer(options);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    env.server?.stop();
  });
  return env;
}

/** The invitation link e-mailed to `email`, read from the `.eml` files of the outbox folder. */
export async function invitationLink(dataDir, email) {
  return mailedLink(dataDir, email, 'accept-invitation');
}

/** A `…/<page>#token=…` link e-mailed to `email`, read from the `.eml` files of the outbox. */
export async function mailedLink(dataDir, email, page) {
  const dir = join(dataDir, 'outbox');
  const deadline = Date.now() + 15_000;
  for (;;) {
    let files = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    } catch {
      // the folder appears with the first message
    }
    for (const f of files) {
      // Undo quoted-printable soft breaks and escapes before looking for the link.
      const raw = readFileSync(join(dir, f), 'utf8')
        .replace(/=\r?\n/g, '')
        .replace(/=3D/g, '=');
      if (!raw.toLowerCase().includes(`to: ${email}`)) continue;
      const m = raw.match(new RegExp(`https?://[^\\s"<>]+/${page}#token=[A-Za-z0-9_-]+`));
      if (m) return m[0];
    }
    if (Date.now() > deadline) throw new Error(`no ${page} link for ${email} in ${dir}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Serious or critical accessibility violations on the current page (WCAG 2.1 A and AA). */
export async function axeViolations(page) {
  // Evaluated over the DevTools protocol, which the portal's CSP (no inline scripts) does not
  // govern: a <script> tag with axe's source would be refused, as it should be.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** Signs in through the login page of the server at `base`. */
export async function signIn(page, base, email, password) {
  await page.goto(`${base}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Fails with the list of axe-core's serious and critical violations on the page, if any. */
export async function assertAccessible(page, name) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${name}: ${JSON.stringify(violations, null, 1)}`);
}
