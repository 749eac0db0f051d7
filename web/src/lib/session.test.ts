import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from './session';

const me = {
  id: 'u1',
  email: 'c@x.test',
  name: 'C',
  kind: 'client',
  role: 'client',
  permissions: [],
  status: 'active',
};

function answer(status: number, body: unknown = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
  session.end();
});

describe('the browser session', () => {
  it('restores from the HttpOnly cookie: asks with the session header, sends no token, stores none', async () => {
    localStorage.setItem('portico.refresh', 'left-over-from-an-older-version');
    const fetch = vi.fn().mockResolvedValue(answer(200, { access_token: 'at', expires_in: 900, user: me }));
    vi.stubGlobal('fetch', fetch);
    await session.restore();
    const [path, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(path).toBe('/api/v1/auth/refresh');
    expect(init.headers).toMatchObject({ 'X-Portico-Session': 'cookie' });
    expect(init.credentials).toBe('same-origin');
    expect(init.body).toBe('{}');
    expect(session.get().status).toBe('signed-in');
    expect(session.accessToken()).toBe('at');
    expect(localStorage.length).toBe(0);
  });

  it('is signed out when the cookie no longer holds a login', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(answer(401)));
    await session.restore();
    expect(session.get().status).toBe('signed-out');
  });

  it('refreshes once for many callers at the same moment', async () => {
    const fetch = vi.fn().mockResolvedValue(answer(200, { access_token: 'at2', expires_in: 900, user: me }));
    vi.stubGlobal('fetch', fetch);
    await Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('stops viewing as on the server with the View-as token, then is back as the staff member', async () => {
    const fetch = vi.fn().mockResolvedValue(new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetch);
    session.signIn({ access_token: 'staff-at', expires_in: 900, token_type: 'Bearer', user: me } as never);
    session.startViewingAs({ access_token: 'view-at', expires_in: 900, user: { ...me, id: 'u2' } } as never);
    expect(session.accessToken()).toBe('view-at');
    await session.stopViewingAs();
    const [path, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(path).toBe('/api/v1/auth/impersonate/end');
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({ Authorization: 'Bearer view-at' });
    expect(session.accessToken()).toBe('staff-at');
    expect(session.get().viewingAs).toBeNull();
  });

  it('does not call the server again for a View-as session the server has already ended', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    session.signIn({ access_token: 'staff-at', expires_in: 900, token_type: 'Bearer', user: me } as never);
    session.startViewingAs({ access_token: 'view-at', expires_in: 900, user: { ...me, id: 'u2' } } as never);
    await session.stopViewingAs({ alreadyEnded: true });
    expect(fetch).not.toHaveBeenCalled();
    expect(session.accessToken()).toBe('staff-at');
  });

  it('signs out on the server with the cookie, not a token in the body', async () => {
    const fetch = vi.fn().mockResolvedValue(new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetch);
    await session.signOut();
    const [path, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(path).toBe('/api/v1/auth/logout');
    expect(init.body).toBe('{}');
    expect(session.get().status).toBe('signed-out');
  });
});
