// The signed-in session: tokens and the caller's profile, outside React so the API client can
// read it, with a subscription for components (useSession).
//
// The access token lives in memory only. The refresh token is kept in localStorage so a
// reload stays signed in; it is single-use and rotated on every refresh, and reuse of an old
// one revokes the whole login on the server.
import { useSyncExternalStore } from 'react';
import type { components } from './api/schema';

type Me = components['schemas']['MeResponse'];
type TokenResponse = components['schemas']['TokenResponse'];
type ImpersonationResponse = components['schemas']['ImpersonationResponse'];

interface Tokens {
  access: string;
  refresh: string | null;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
}

export interface SessionState {
  status: 'loading' | 'signed-out' | 'signed-in';
  me: Me | null;
  /** The staff member's own session while they view the portal as a client user. */
  viewingAs: { staff: Tokens; staffMe: Me } | null;
}

const REFRESH_KEY = 'portico.refresh';
let tokens: Tokens | null = null;
let state: SessionState = { status: 'loading', me: null, viewingAs: null };
const listeners = new Set<() => void>();
let refreshing: Promise<boolean> | null = null;

function set(next: Partial<SessionState>) {
  state = { ...state, ...next };
  listeners.forEach((l) => l());
}

function fromResponse(r: { access_token: string; expires_in: number; refresh_token?: string | null }): Tokens {
  return { access: r.access_token, refresh: r.refresh_token ?? null, expiresAt: Date.now() + r.expires_in * 1000 };
}

function storeRefresh(refresh: string | null) {
  try {
    if (refresh) localStorage.setItem(REFRESH_KEY, refresh);
    else localStorage.removeItem(REFRESH_KEY);
  } catch {
    // Storage can be unavailable (private mode); the session then lasts until reload.
  }
}

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
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
    if (tokens && tokens.expiresAt - Date.now() < 30_000 && tokens.refresh) {
      await session.refresh();
    }
    return tokens?.access ?? null;
  },

  signIn(r: TokenResponse) {
    tokens = fromResponse(r);
    storeRefresh(tokens.refresh);
    set({ status: 'signed-in', me: r.user, viewingAs: null });
  },

  setMe(me: Me) {
    set({ me });
  },

  /** Rotates the refresh token; false when the login is over. */
  refresh(): Promise<boolean> {
    if (refreshing) return refreshing;
    const refreshToken = tokens?.refresh ?? (state.status === 'loading' ? localStorage.getItem(REFRESH_KEY) : null);
    if (!refreshToken) return Promise.resolve(false);
    refreshing = (async () => {
      try {
        const res = await post('/api/v1/auth/refresh', { refresh_token: refreshToken });
        if (!res.ok) return false;
        const body = (await res.json()) as TokenResponse;
        tokens = fromResponse(body);
        storeRefresh(tokens.refresh);
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

  /** On start: resume the stored login, if any. */
  async restore() {
    const ok = await session.refresh();
    if (!ok) {
      storeRefresh(null);
      set({ status: 'signed-out', me: null });
    }
  },

  /** Signs out here and revokes the login on the server. */
  async signOut() {
    const refresh = state.viewingAs?.staff.refresh ?? tokens?.refresh;
    session.end();
    if (refresh) await post('/api/v1/auth/logout', { refresh_token: refresh }).catch(() => undefined);
  },

  end() {
    tokens = null;
    storeRefresh(null);
    set({ status: 'signed-out', me: null, viewingAs: null });
  },

  startViewingAs(r: ImpersonationResponse) {
    if (!tokens || !state.me) return;
    const staff = { staff: tokens, staffMe: state.me };
    tokens = fromResponse({ ...r, refresh_token: null });
    set({ me: r.user, viewingAs: staff });
  },

  stopViewingAs() {
    if (!state.viewingAs) return;
    tokens = state.viewingAs.staff;
    set({ me: state.viewingAs.staffMe, viewingAs: null });
  },
};

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.get, session.get);
}
