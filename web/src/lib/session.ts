// The signed-in session: tokens and the caller's profile, outside React so the API client can
// read it, with a subscription for components (useSession).
//
// The access token lives in memory only. The refresh token never reaches this code: the
// server keeps it in an HttpOnly cookie scoped to /api/v1/auth (asked for with
// `X-Portico-Session: cookie`), so a reload stays signed in and no script can read it. It is
// single-use and rotated on every refresh, and the reuse of an old one revokes the whole
// login: tabs share the cookie, so they take turns refreshing (a Web Lock), and a tab that
// waited finds the cookie already rotated by the one before it.
import { useSyncExternalStore } from 'react';
import type { components } from './api/schema';

type Me = components['schemas']['MeResponse'];
type TokenResponse = components['schemas']['TokenResponse'];
type ImpersonationResponse = components['schemas']['ImpersonationResponse'];

/** The header that asks the server for the browser session (the refresh token in the cookie). */
export const BROWSER_SESSION = { 'X-Portico-Session': 'cookie' } as const;

interface Tokens {
  access: string;
  /** Whether the cookie's login can renew it (a View-as token cannot). */
  renewable: boolean;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
}

export interface SessionState {
  status: 'loading' | 'signed-out' | 'signed-in';
  me: Me | null;
  /** The staff member's own session while they view the portal as a client user. */
  viewingAs: { staff: Tokens; staffMe: Me } | null;
}

// Where earlier versions kept the refresh token; cleared so none lingers in storage.
const LEGACY_REFRESH_KEY = 'portico.refresh';
let tokens: Tokens | null = null;
let state: SessionState = { status: 'loading', me: null, viewingAs: null };
const listeners = new Set<() => void>();
let refreshing: Promise<boolean> | null = null;

function set(next: Partial<SessionState>) {
  state = { ...state, ...next };
  listeners.forEach((l) => l());
}

function fromResponse(r: { access_token: string; expires_in: number }, renewable: boolean): Tokens {
  return { access: r.access_token, renewable, expiresAt: Date.now() + r.expires_in * 1000 };
}

function forgetLegacyToken() {
  try {
    localStorage.removeItem(LEGACY_REFRESH_KEY);
  } catch {
    // Storage can be unavailable (private mode); nothing is kept there then either.
  }
}

async function post(path: string): Promise<Response> {
  return fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...BROWSER_SESSION },
    body: '{}',
    credentials: 'same-origin',
  });
}

/** Runs `work` while no other tab of this origin runs it (where the browser has Web Locks). */
async function oneTabAtATime<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request('portico.refresh', work) : work();
}

export const session = {
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  get: () => state,

  accessToken: () => tokens?.access ?? null,

  /** A token valid for at least the next 30 s, refreshing first when needed. */
  async freshToken(): Promise<string | null> {
    if (tokens && tokens.expiresAt - Date.now() < 30_000 && tokens.renewable) {
      await session.refresh();
    }
    return tokens?.access ?? null;
  },

  signIn(r: TokenResponse) {
    tokens = fromResponse(r, true);
    set({ status: 'signed-in', me: r.user, viewingAs: null });
  },

  setMe(me: Me) {
    set({ me });
  },

  /** Rotates the cookie's refresh token for a new access token; false when the login is over. */
  refresh(): Promise<boolean> {
    if (refreshing) return refreshing;
    if (tokens && !tokens.renewable) return Promise.resolve(false);
    refreshing = (async () => {
      try {
        const res = await oneTabAtATime(() => post('/api/v1/auth/refresh'));
        if (!res.ok) return false;
        const body = (await res.json()) as TokenResponse;
        tokens = fromResponse(body, true);
        set({ status: 'signed-in', me: body.user });
        return true;
      } catch {
        return false;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  },

  /** On start: resume the browser's login, if it has one. */
  async restore() {
    forgetLegacyToken();
    const ok = await session.refresh();
    if (!ok) set({ status: 'signed-out', me: null });
  },

  /** Signs out here and revokes the login on the server (which also clears the cookie). */
  async signOut() {
    session.end();
    await post('/api/v1/auth/logout').catch(() => undefined);
  },

  end() {
    tokens = null;
    set({ status: 'signed-out', me: null, viewingAs: null });
  },

  startViewingAs(r: ImpersonationResponse) {
    if (!tokens || !state.me) return;
    const staff = { staff: tokens, staffMe: state.me };
    tokens = fromResponse(r, false);
    set({ me: r.user, viewingAs: staff });
  },

  /**
   * Back to the staff member's own session. Unless the View-as session has already ended on
   * the server, it is ended there too (its token stops working at once, and the stop is
   * audited); the browser switches back whether or not that call gets through.
   */
  async stopViewingAs({ alreadyEnded = false }: { alreadyEnded?: boolean } = {}) {
    if (!state.viewingAs) return;
    const viewing = tokens?.access;
    tokens = state.viewingAs.staff;
    set({ me: state.viewingAs.staffMe, viewingAs: null });
    if (alreadyEnded || !viewing) return;
    await fetch('/api/v1/auth/impersonate/end', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${viewing}` },
      body: '{}',
      credentials: 'same-origin',
    }).catch(() => undefined);
  },
};

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.get, session.get);
}
