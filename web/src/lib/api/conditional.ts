// Conditional reads: the server tags every JSON answer to a GET with an ETag, a hash of exactly
// the bytes it sent. The last answer of each path is kept here with its tag; the next read of
// the path sends `If-None-Match`, and a 304 is answered from what is kept. The safety-net
// refresh and every re-read after an event thereby move no data when nothing changed. As a
// tag is a hash of the body, a kept body is right for whoever the server answers 304, but it
// is forgotten at sign-out all the same.
import type { Middleware } from 'openapi-fetch';

const MAX_KEPT = 100;

interface Kept {
  etag: string;
  body: string;
  type: string;
}

const kept = new Map<string, Kept>();
// What each request asked to be answered from, so an entry evicted meanwhile still serves it,
// and the sign-out generation it was sent in, so a read answered after sign-out keeps nothing.
const asked = new WeakMap<Request, Kept>();
const sentIn = new WeakMap<Request, number>();
let generation = 0;

export function forgetKept() {
  kept.clear();
  generation += 1;
}

export const conditional: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET') return request;
    sentIn.set(request, generation);
    const seen = kept.get(request.url);
    if (seen && !request.headers.has('If-None-Match')) {
      request.headers.set('If-None-Match', seen.etag);
      asked.set(request, seen);
    }
    return request;
  },
  async onResponse({ request, response }) {
    if (request.method !== 'GET') return response;
    const current = sentIn.get(request) === generation;
    const seen = asked.get(request);
    if (response.status === 304 && seen) {
      if (current) {
        // Most recently used last, so the oldest is the first to go.
        kept.delete(request.url);
        kept.set(request.url, seen);
      }
      return new Response(seen.body, { status: 200, headers: { 'Content-Type': seen.type, ETag: seen.etag } });
    }
    const etag = response.headers.get('ETag');
    const type = response.headers.get('Content-Type') ?? '';
    // JSON only: a download's tag (its SHA-256) is not a body to keep as text.
    if (current && response.status === 200 && etag && type.startsWith('application/json')) {
      kept.delete(request.url);
      kept.set(request.url, { etag, body: await response.clone().text(), type });
      while (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
    }
    return response;
  },
};
