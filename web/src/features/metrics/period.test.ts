import { describe, expect, it } from 'vitest';
import { periodFilters, readView, withChanges } from './period';

describe('the metrics view in the URL', () => {
  it('reads the defaults from a plain URL', () => {
    expect(readView(new URLSearchParams())).toEqual({
      period: '12w',
      from: '',
      to: '',
      clientId: undefined,
      asked: 'by_clients',
      allAwaiting: false,
    });
  });

  it('reads a client, a custom period and the toggles, and ignores what it does not know', () => {
    const view = readView(
      new URLSearchParams('client_id=c-acme&period=custom&from=2026-09-01&to=nonsense&asked=by_agency&all=true'),
    );
    expect(view).toEqual({
      period: 'custom',
      from: '2026-09-01',
      to: '',
      clientId: 'c-acme',
      asked: 'by_agency',
      allAwaiting: true,
    });
    expect(readView(new URLSearchParams('period=3y&asked=whoever')).period).toBe('12w');
  });

  it('writes changes, leaving defaults and other parameters as they were', () => {
    const next = withChanges(new URLSearchParams('client_id=c-acme&x=1'), { period: '26w', asked: 'by_agency' });
    expect(next.toString()).toBe('client_id=c-acme&x=1&period=26w&asked=by_agency');
    expect(withChanges(next, { period: '12w', clientId: undefined, asked: 'by_clients' }).toString()).toBe('x=1');
    expect(withChanges(new URLSearchParams('from=2026-01-01'), {}).toString()).toBe('');
  });
});

describe('the period asked of the API', () => {
  const now = new Date(2026, 10, 30, 15, 30);

  it('is the last weeks from midnight here, up to now, for the client chosen', () => {
    const view = readView(new URLSearchParams('period=4w&client_id=c-acme'));
    expect(periodFilters(view, now)).toEqual({
      client_id: 'c-acme',
      from: new Date(2026, 10, 2).toISOString(),
    });
  });

  it('is the custom days, the last one whole', () => {
    const view = readView(new URLSearchParams('period=custom&from=2026-09-01&to=2026-09-30'));
    expect(periodFilters(view, now)).toEqual({
      from: new Date('2026-09-01T00:00:00').toISOString(),
      to: new Date('2026-10-01T00:00:00').toISOString(),
    });
    expect(periodFilters(readView(new URLSearchParams('period=custom')), now)).toEqual({});
  });
});
