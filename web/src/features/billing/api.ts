// Invoices: the client's billing and the staff's drafting, sending, voiding and payments.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';
import { LIVE_REFRESH_MS } from '@/lib/live';

export type Invoice = Schemas['InvoiceResponse'];
export type InvoiceDetail = Schemas['InvoiceDetailResponse'];
export type InvoiceStatus = Invoice['status'];

export const invoicesQuery = (status?: InvoiceStatus) =>
  queryOptions({
    queryKey: keys.invoices.list({ status }),
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/invoices', { params: { query: { limit: 200, ...(status ? { status } : {}) } } })),
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

/** Send, void and record a payment: each answers with the invoice as it now is. */
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
    pay: useMutation({
      mutationFn: async (body: Schemas['CreatePaymentRequest']) =>
        unwrap(await api.POST('/api/v1/invoices/{id}/payments', { ...path, body })),
      onSuccess: done,
    }),
  };
}
