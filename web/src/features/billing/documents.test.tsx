import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { Invoice } from './api';
import { PaymentReturn } from './documents';
import { Viewed } from './invoice-view';

const invoice = (over: Partial<Invoice>): Invoice =>
  ({
    id: 'i1',
    number: 'INV-2026-0001',
    status: 'sent',
    balance_cents: 1000,
    currency: 'EUR',
    viewed_at: null,
    last_viewed_at: null,
    ...over,
  }) as Invoice;

function back(query: string, i: Invoice) {
  return render(
    <MemoryRouter initialEntries={[`/billing/i1${query}`]}>
      <PaymentReturn invoice={i} />
    </MemoryRouter>,
  );
}

describe('PaymentReturn', () => {
  it('says the payment is being confirmed until the webhook has made the invoice paid', () => {
    const { unmount } = back('?payment=done', invoice({}));
    expect(screen.getByRole('status')).toHaveTextContent('being confirmed');
    unmount();
    back('?payment=done', invoice({ status: 'paid', balance_cents: 0 }));
    expect(screen.getByRole('status')).toHaveTextContent('Paid in full');
  });

  it('tells a client who cancelled that nothing was charged, and says nothing otherwise', () => {
    const { unmount } = back('?payment=cancelled', invoice({}));
    expect(screen.getByRole('status')).toHaveTextContent('nothing was charged');
    unmount();
    const { container } = back('', invoice({}));
    expect(container).toBeEmptyDOMElement();
  });
});

describe('Viewed', () => {
  it('shows staff whether and when the client opened a sent invoice', () => {
    const { unmount } = render(<Viewed invoice={invoice({})} />);
    expect(screen.getByText('Not yet')).toBeInTheDocument();
    unmount();
    render(<Viewed invoice={invoice({ viewed_at: '2026-12-01T09:30:00Z', last_viewed_at: '2026-12-03T10:00:00Z' })} />);
    expect(screen.getByText(/Dec 1, 2026/)).toBeInTheDocument();
    expect(screen.getByText(/again Dec 3, 2026/)).toBeInTheDocument();
  });

  it('shows nothing for a draft, which the client cannot see', () => {
    render(<Viewed invoice={invoice({ status: 'draft' })} />);
    expect(screen.getByText('—')).toBeInTheDocument();
  });
});
