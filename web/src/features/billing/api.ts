// Invoices: the client's billing and the staff's drafting, sending, voiding and payments.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';
import { PAGE_SIZE, pagedQuery } from '@/lib/api/paging';
import { LIVE_REFRESH_MS } from '@/lib/live';

export type Invoice = Schemas['InvoiceResponse'];
export type InvoiceDetail = Schemas['InvoiceDetailResponse'];
export type InvoiceStatus = Invoice['status'];

export const invoicesQuery = (status?: InvoiceStatus) => ({
  ...pagedQuery(keys.invoices.list({ status }), async (cursor) =>
    unwrap(
      await api.GET('/api/v1/invoices', {
        params: { query: { limit: PAGE_SIZE, cursor, ...(status ? { status } : {}) } },
      }),
    ),
  ),
  refetchInterval: LIVE_REFRESH_MS,
});

export const invoiceQuery = (id: string) =>
  queryOptions({
    queryKey: keys.invoices.one(id),
    queryFn: async () => unwrap(await api.GET('/api/v1/invoices/{id}', { params: { path: { id } } })),
    refetchInterval: LIVE_REFRESH_MS,
  });

export function useCreateInvoice() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['CreateInvoiceRequest']) => unwrap(await api.POST('/api/v1/invoices', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.invoices.all }),
  });
}

/** Send, edit, void, delete and record a payment: each (but delete) answers with the invoice as it now is. */
export function useInvoiceActions(id: string) {
  const qc = useQueryClient();
  const done = (i: InvoiceDetail) => {
    qc.setQueryData(keys.invoices.one(id), i);
    void qc.invalidateQueries({ queryKey: keys.invoices.all });
  };
  const path = { params: { path: { id } } };
  return {
    send: useMutation({
      mutationFn: async () => unwrap(await api.POST('/api/v1/invoices/{id}/send', path)),
      onSuccess: done,
    }),
    void: useMutation({
      mutationFn: async () => unwrap(await api.POST('/api/v1/invoices/{id}/void', path)),
      onSuccess: done,
    }),
    update: useMutation({
      mutationFn: async (body: Schemas['UpdateInvoiceRequest']) =>
        unwrap(await api.PATCH('/api/v1/invoices/{id}', { ...path, body })),
      onSuccess: done,
    }),
    remove: useMutation({
      mutationFn: async () => unwrap(await api.DELETE('/api/v1/invoices/{id}', path)),
      onSuccess: () => qc.invalidateQueries({ queryKey: keys.invoices.all }),
    }),
    pay: useMutation({
      mutationFn: async (body: Schemas['CreatePaymentRequest']) =>
        unwrap(await api.POST('/api/v1/invoices/{id}/payments', { ...path, body })),
      onSuccess: done,
    }),
  };
}

export type Statement = Schemas['StatementResponse'];
export type Aging = Schemas['AgingResponse'];

export const statementQuery = (clientId: string) =>
  queryOptions({
    queryKey: keys.invoices.statement(clientId),
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/clients/{id}/statement', { params: { path: { id: clientId } } })),
    refetchInterval: LIVE_REFRESH_MS,
  });

export const agingQuery = () =>
  queryOptions({
    queryKey: keys.invoices.aging,
    queryFn: async () => unwrap(await api.GET('/api/v1/billing/aging')),
    refetchInterval: LIVE_REFRESH_MS,
  });

/** Saves a PDF the server renders under the name it gives, or says why it cannot. */
async function savePdf(result: Promise<{ data?: Blob; error?: unknown; response: Response }>, fallback: string) {
  const done = await result;
  const blob = unwrap(done);
  const disposition = done.response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallback;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const downloadInvoicePdf = (id: string, number: string) =>
  savePdf(api.GET('/api/v1/invoices/{id}/pdf', { params: { path: { id } }, parseAs: 'blob' }), `${number}.pdf`);

/** `fileName`: what to save it as when the server names none (in the reader's language). */
export const downloadStatementPdf = (clientId: string, fileName: string) =>
  savePdf(
    api.GET('/api/v1/clients/{id}/statement/pdf', { params: { path: { id: clientId } }, parseAs: 'blob' }),
    fileName,
  );

/** Tells the agency the client has the invoice open (the server counts only clients). */
export async function recordView(id: string) {
  await api.POST('/api/v1/invoices/{id}/views', { params: { path: { id } } });
}

/** "Pay now": a Stripe Checkout Session for the balance; the browser goes there. */
export function useCheckout(id: string) {
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/invoices/{id}/checkout', { params: { path: { id } } })),
    onSuccess: (c) => window.location.assign(c.url),
  });
}
