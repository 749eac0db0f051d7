import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider, queryOptions } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { EditInvoicePage, StaffInvoicePage, draftOf } from './staff-invoices';
import type { InvoiceDetail } from './api';

const invoice = {
  id: 'i1',
  client_id: 'c1',
  client_name: 'Acme Corp',
  number: 'INV-0007',
  issue_date: '2026-12-01',
  due_date: '2026-12-31',
  currency: 'EUR',
  status: 'draft',
  tax_rate_bp: 1900,
  subtotal_cents: 125000,
  tax_cents: 23750,
  total_cents: 148750,
  paid_cents: 0,
  balance_cents: 148750,
  payment_instructions: 'IBAN DE00',
  sent_at: null,
  lines: [
    { id: 'l1', position: 1, description: 'Design', quantity: 2.5, unit_price_cents: 50000, amount_cents: 125000 },
  ],
  payments: [],
} as unknown as InvoiceDetail;
const idle = () => ({ isPending: false, isSuccess: false, error: null as unknown, mutate: vi.fn() });
const actions = { send: idle(), void: idle(), pay: idle(), update: idle(), remove: idle() };

vi.mock('@/lib/session', () => ({
  useSession: () => ({ me: { id: 'me', kind: 'staff', permissions: ['invoices.read', 'invoices.write'] } }),
}));
vi.mock('@/lib/api/shared', () => ({
  activeClientsQuery: () => queryOptions({ queryKey: ['clients'], queryFn: async () => ({ items: [] }) }),
}));
vi.mock('./documents', () => ({ InvoicePdfButton: () => null }));
vi.mock('./invoice-view', () => ({ InvoiceView: () => null, Viewed: () => null, InvoiceTable: () => null }));
vi.mock('./api', () => ({
  invoiceQuery: () => queryOptions({ queryKey: ['invoice'], queryFn: async () => invoice }),
  invoicesQuery: vi.fn(),
  useCreateInvoice: () => idle(),
  useInvoiceActions: () => actions,
}));

function show(url: string) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path="/staff/invoices/:id" element={<StaffInvoicePage />} />
          <Route path="/staff/invoices/:id/edit" element={<EditInvoicePage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('a draft invoice', () => {
  it('reads into the form as it was typed: decimals of the currency, tax in percent', () => {
    expect(draftOf(invoice)).toMatchObject({
      tax_percent: '19',
      lines: [{ description: 'Design', quantity: '2.5', unit_price: '500.00' }],
    });
  });

  it('is edited and saved with its lines', async () => {
    show('/staff/invoices/i1/edit');
    const rate = await screen.findByLabelText('Rate (EUR)');
    await userEvent.clear(rate);
    await userEvent.type(rate, '600');
    await userEvent.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(actions.update.mutate).toHaveBeenCalledWith(
      expect.objectContaining({
        tax_rate_bp: 1900,
        lines: [{ description: 'Design', quantity: 2.5, unit_price_cents: 60000 }],
      }),
      expect.anything(),
    );
  });

  it('is deleted only once confirmed', async () => {
    show('/staff/invoices/i1');
    expect(await screen.findByRole('link', { name: 'Edit draft' })).toHaveAttribute('href', '/staff/invoices/i1/edit');
    vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await userEvent.click(screen.getByRole('button', { name: 'Delete draft' }));
    expect(actions.remove.mutate).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Delete draft' }));
    expect(actions.remove.mutate).toHaveBeenCalledTimes(1);
  });
});
