import { describe, expect, it } from 'vitest';
import { browserName, date, documentAmount, isOverdue, label, money } from './format';
import { ApiError, toProblem } from './api/problem';

describe('formatting', () => {
  it('shows integer minor units as money', () => {
    expect(money(68400, 'EUR')).toBe('€684.00');
    expect(money(5, 'USD')).toBe('$0.05');
  });

  it('uses each currency’s own minor unit: none for yen, three decimals for dinars', () => {
    expect(money(1200, 'JPY')).toBe('¥1,200');
    expect(money(1234, 'KWD')).toBe('KWD\u00a01.234');
  });

  it('uses the reader’s separators', () => {
    expect(money(123456, 'EUR', 'de-DE')).toBe('1.234,56\u00a0€');
    expect(money(123456, 'EUR', 'fr-FR')).toBe('1\u202f234,56\u00a0€');
    expect(money(123456, 'JPY', 'de-DE')).toBe('123.456\u00a0¥');
  });

  it('previews how a document locale writes amounts, the code after', () => {
    expect(documentAmount('de-DE')).toBe('1.234.567,89 EUR');
    expect(documentAmount('en-IN')).toBe('12,34,567.89 EUR');
    expect(documentAmount('de', 1200, 'JPY')).toBe('1.200 JPY');
    expect(documentAmount('not a locale!')).toBeNull();
    // What the server refuses is not previewed as if it would work.
    for (const refused of ['english', 'und', 'de-1901', 'en-u-nu-thai', 'de-x-foo']) {
      expect(documentAmount(refused)).toBeNull();
    }
    expect(documentAmount('ar-EG-u-nu-latn')).not.toBeNull();
    expect(documentAmount('bn')).toBe('12,34,567.89 EUR');
  });

  it('shows calendar dates without shifting them across time zones', () => {
    expect(date('2026-01-01')).toBe('Jan 1, 2026');
    expect(date(null)).toBe('—');
  });

  it('names a browser as a person would', () => {
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
    expect(browserName(firefox)).toBe('Firefox 140 on Linux');
    const safari =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
    expect(browserName(safari)).toBe('Safari 18 on iOS');
    expect(browserName('curl/8.5.0')).toContain('curl');
    expect(browserName(null)).toBe('Unknown browser');
  });

  it('turns API values into labels', () => {
    expect(label('in_progress')).toBe('In progress');
  });
});

describe('problems', () => {
  it('keeps per-field messages', () => {
    const e = new ApiError(
      toProblem(422, {
        type: 't',
        title: 'Validation failed',
        status: 422,
        detail: 'd',
        errors: { 'lines[0].quantity': ['may have at most three decimals'] },
      }),
    );
    expect(e.field('lines[0].quantity')).toBe('may have at most three decimals');
    expect(e.field('other')).toBeUndefined();
  });

  it('explains a network failure in words', () => {
    expect(toProblem(0, undefined).detail).toMatch(/could not be reached/);
  });
});

describe('overdue', () => {
  const now = new Date(2026, 11, 2, 9, 0);
  it('is a task still open whose due date has passed', () => {
    expect(isOverdue('2026-12-01', 'in_progress', now)).toBe(true);
    expect(isOverdue('2026-11-24', 'todo', now)).toBe(true);
  });
  it('is not a task due today or later, one without a date, or one done', () => {
    expect(isOverdue('2026-12-02', 'todo', now)).toBe(false);
    expect(isOverdue('2026-12-09', 'todo', now)).toBe(false);
    expect(isOverdue(null, 'todo', now)).toBe(false);
    expect(isOverdue('2026-11-01', 'done', now)).toBe(false);
  });
});
