import { afterEach, describe, expect, it } from 'vitest';
import type { MiddlewareCallbackParams } from 'openapi-fetch';
import { conditional, forgetKept } from './conditional';

const json = (etag: string) => ({ ETag: etag, 'Content-Type': 'application/json' });
const params = (request: Request) => ({ request }) as unknown as MiddlewareCallbackParams;

async function roundTrip(url: string, answer: (req: Request) => Response) {
  const request = (await conditional.onRequest!(params(new Request(url)))) as Request;
  const response = answer(request);
  return { request, response: (await conditional.onResponse!({ ...params(request), response } as never)) as Response };
}

describe('conditional reads', () => {
  afterEach(() => forgetKept());

  it('sends the tag it was given and answers a 304 with the body it kept', async () => {
    const url = 'http://portal.test/api/v1/projects';
    const first = await roundTrip(
      url,
      () => new Response('{"items":[1]}', { headers: { ETag: '"a"', 'Content-Type': 'application/json' } }),
    );
    expect(first.request.headers.get('If-None-Match')).toBeNull();
    expect(await first.response.json()).toEqual({ items: [1] });

    const second = await roundTrip(url, () => new Response(null, { status: 304, headers: { ETag: '"a"' } }));
    expect(second.request.headers.get('If-None-Match')).toBe('"a"');
    expect(second.response.status).toBe(200);
    expect(await second.response.json()).toEqual({ items: [1] });
    expect(second.response.headers.get('Content-Type')).toBe('application/json');
  });

  it('keeps the new body when the server sends one, and nothing after sign-out', async () => {
    const url = 'http://portal.test/api/v1/tasks/1';
    await roundTrip(url, () => new Response('{"v":1}', { headers: json('"1"') }));
    const changed = await roundTrip(url, () => new Response('{"v":2}', { headers: json('"2"') }));
    expect(changed.request.headers.get('If-None-Match')).toBe('"1"');
    expect(await changed.response.json()).toEqual({ v: 2 });
    const next = await roundTrip(url, () => new Response(null, { status: 304 }));
    expect(next.request.headers.get('If-None-Match')).toBe('"2"');
    forgetKept();
    const after = await roundTrip(url, () => new Response('{"v":2}', { headers: json('"2"') }));
    expect(after.request.headers.get('If-None-Match')).toBeNull();
  });

  it('keeps nothing of a read answered after sign-out, nor of a download', async () => {
    const url = 'http://portal.test/api/v1/me';
    const request = (await conditional.onRequest!(params(new Request(url)))) as Request;
    forgetKept();
    const late = new Response('{"id":"previous user"}', { headers: json('"p"') });
    await conditional.onResponse!({ ...params(request), response: late } as never);
    const next = await roundTrip(url, () => new Response('{}', { headers: json('"n"') }));
    expect(next.request.headers.get('If-None-Match')).toBeNull();

    const file = 'http://portal.test/api/v1/files/1/content';
    await roundTrip(file, () => new Response('PNG', { headers: { ETag: '"sha"', 'Content-Type': 'image/png' } }));
    const again = await roundTrip(file, () => new Response('PNG', { headers: { 'Content-Type': 'image/png' } }));
    expect(again.request.headers.get('If-None-Match')).toBeNull();
  });

  it('leaves writes alone', async () => {
    const url = 'http://portal.test/api/v1/projects';
    await roundTrip(url, () => new Response('{}', { headers: json('"x"') }));
    const post = (await conditional.onRequest!(params(new Request(url, { method: 'POST' })))) as Request;
    expect(post.headers.get('If-None-Match')).toBeNull();
  });
});
