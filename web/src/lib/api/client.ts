// The typed API client. Paths and bodies come from `schema.d.ts`, generated from the server's
// OpenAPI document (`npm run generate`); nothing here is written by hand that the spec knows.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { session } from '../session';
import { conditional, forgetKept } from './conditional';
import { i18n } from '../i18n';

export type Schemas = components['schemas'];

export const api = createClient<paths>({ baseUrl: '' });

const ENROLMENT_REQUIRED = 'urn:portico:problem:two-factor-enrolment-required';

async function problemType(response: Response): Promise<string | undefined> {
  try {
    return ((await response.clone().json()) as { type?: string }).type;
  } catch {
    return undefined;
  }
}

const auth: Middleware = {
  async onRequest({ request }) {
    const token = request.url.includes('/api/v1/auth/') ? session.accessToken() : await session.freshToken();
    if (token && !request.headers.has('Authorization')) {
      request.headers.set('Authorization', `Bearer ${token}`);
    }
    return request;
  },
  async onResponse({ request, response }) {
    // The caller's role began to require a second factor: the profile, read again, says so and
    // the enrolment page takes over; a View-as session of such a viewer is over.
    if (response.status === 403 && (await problemType(response)) === ENROLMENT_REQUIRED) {
      if (session.get().viewingAs) void session.stopViewingAs({ alreadyEnded: true });
      else await session.refresh();
      return response;
    }
    // Tokens are refreshed before they expire, so a 401 here means the access token was ended
    // early (a logout or password change elsewhere ends them all) or the login is over. The
    // cookie's login may still stand: refresh once, and repeat a read with the new token; a
    // failed refresh means the login is over (the server has cleared the cookie).
    if (response.status === 401 && !request.url.includes('/api/v1/auth/')) {
      if (session.get().viewingAs) {
        void session.stopViewingAs({ alreadyEnded: true });
        return response;
      }
      if (!(await session.refresh())) {
        session.end();
        return response;
      }
      const token = session.accessToken();
      if (token && (request.method === 'GET' || request.method === 'HEAD')) {
        const retry = new Request(request, { headers: new Headers(request.headers) });
        retry.headers.set('Authorization', `Bearer ${token}`);
        return fetch(retry);
      }
    }
    return response;
  },
};

/** The server writes its problem details in the language shown. */
export const speaking: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', i18n.language);
    return request;
  },
};

// Registered first, so its answer to a 304 also serves the read `auth` repeats after a refresh
// (openapi-fetch runs `onResponse` from the last registered to the first).
api.use(conditional, auth, speaking);
session.subscribe(() => {
  if (session.get().status === 'signed-out') forgetKept();
});
