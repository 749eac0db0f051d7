// The typed API client. Paths and bodies come from `schema.d.ts`, generated from the server's
// OpenAPI document (`npm run generate`); nothing here is written by hand that the spec knows.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { session } from '../session';

export type Schemas = components['schemas'];

export const api = createClient<paths>({ baseUrl: '' });

const auth: Middleware = {
  async onRequest({ request }) {
    const token = request.url.includes('/api/v1/auth/') ? session.accessToken() : await session.freshToken();
    if (token && !request.headers.has('Authorization')) {
      request.headers.set('Authorization', `Bearer ${token}`);
    }
    return request;
  },
  async onResponse({ request, response }) {
    // Tokens are refreshed before they expire, so a 401 here means the login has ended
    // (deactivated, revoked, or a View-as token that ran out).
    if (response.status === 401 && !request.url.includes('/api/v1/auth/')) {
      if (session.get().viewingAs) session.stopViewingAs();
      else session.end();
    }
    return response;
  },
};

api.use(auth);
