// What a client keeps and pays: the invoice's PDF, "Pay now" (Stripe Checkout, when the agency
// has it), what happened when Stripe sent them back, and the statement of account.
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useBranding } from '@/lib/api/shared';
import { date, label, money } from '@/lib/format';
import { Empty, FormError, QueryState } from '@/components/ui/states';
import {
  downloadInvoicePdf,
  downloadStatementPdf,
  recordView,
  statementQuery,
  useCheckout,
  type Invoice,
  type Statement,
} from './api';

/** Runs a download, showing its failure (the server's problem) beside the button. */
function DownloadButton({ run, children, small }: { run: () => Promise<void>; children: string; small?: boolean }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button
        type="button"
        className={small ? 'btn btn--small' : 'btn'}
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(null);
          run()
            .catch(setError)
            .finally(() => setBusy(false));
        }}
      >
        {busy ? 'Preparing…' : children}
      </button>
      {error != null && <FormError error={error} />}
    </>
  );
}

export function InvoicePdfButton({ invoice, small }: { invoice: Pick<Invoice, 'id' | 'number'>; small?: boolean }) {
  return (
    <DownloadButton small={small} run={() => downloadInvoicePdf(invoice.id, invoice.number)}>
      {small ? 'PDF' : 'Download PDF'}
    </DownloadButton>
  );
}

/** Whether the signed-in client can pay this invoice online now. */
export function usePayable(invoice: Pick<Invoice, 'status' | 'balance_cents'>) {
  const online = useBranding().data?.online_payments ?? false;
  return online && (invoice.status === 'sent' || invoice.status === 'overdue') && invoice.balance_cents > 0;
}

export function PayNowButton({ invoice, small }: { invoice: Invoice; small?: boolean }) {
  const checkout = useCheckout(invoice.id);
  if (!usePayable(invoice)) return null;
  return (
    <>
      <button
        type="button"
        className={small ? 'btn btn--small btn--primary' : 'btn btn--primary'}
        disabled={checkout.isPending}
        onClick={() => checkout.mutate()}
      >
        {checkout.isPending ? 'Opening the payment page…' : `Pay ${money(invoice.balance_cents, invoice.currency)} now`}
      </button>
      <FormError error={checkout.error} />
    </>
  );
}

/** After Stripe: the payment is confirmed by Stripe's webhook, which the live stream (or the
 * page's safety-net refresh) brings in; until then, say so truthfully. */
export function PaymentReturn({ invoice }: { invoice: Invoice }) {
  const [params] = useSearchParams();
  const back = params.get('payment');
  if (back === 'cancelled') {
    return (
      <p className="notice" role="status">
        Payment cancelled: nothing was charged.
      </p>
    );
  }
  if (back !== 'done') return null;
  return invoice.status === 'paid' ? (
    <p className="notice notice--success" role="status">
      Paid in full. Thank you!
    </p>
  ) : (
    <p className="notice" role="status" aria-live="polite">
      Thank you. Your payment is being confirmed; this page updates as soon as it is. Some payment methods take a few
      days, and the agency is told either way.
    </p>
  );
}

/** Lets the agency know the client opened the invoice (once per visit of the page). */
export function useRecordView(id: string) {
  useEffect(() => {
    void recordView(id).catch(() => undefined);
  }, [id]);
}

/** The aging buckets, in order, with their labels (statements and the receivables alike). */
export const BUCKETS: [keyof Statement['currencies'][number]['aging'], string][] = [
  ['days_0_30', '0–30 days'],
  ['days_31_60', '31–60 days'],
  ['days_61_90', '61–90 days'],
  ['days_over_90', 'Over 90 days'],
];

export function StatementView({ clientId, invoiceLink }: { clientId: string; invoiceLink: (id: string) => string }) {
  const statement = useQuery(statementQuery(clientId));
  return (
    <QueryState query={statement} what="Loading the statement">
      {(s) => (
        <article className="statement">
          <header className="invoice__head">
            <h1>Statement of account</h1>
            <DownloadButton run={() => downloadStatementPdf(clientId)}>Download PDF</DownloadButton>
          </header>
          <p className="muted">
            {s.client_name} · as of {date(s.as_of)}
          </p>
          {s.currencies.length === 0 && <Empty>Nothing is owed, and no payments in the last 90 days.</Empty>}
          {s.currencies.map((c) => (
            <section key={c.currency} aria-labelledby={`balance-${c.currency}`}>
              <h2 id={`balance-${c.currency}`}>
                Balance due: {money(c.balance_cents, c.currency)}
                {c.overdue_cents > 0 && <span className="muted"> ({money(c.overdue_cents, c.currency)} overdue)</span>}
              </h2>
              <dl className="facts aging">
                {BUCKETS.map(([key, text]) => (
                  <div key={key}>
                    <dt>{text}</dt>
                    <dd>{money(c.aging[key], c.currency)}</dd>
                  </div>
                ))}
              </dl>
              <h3>Open invoices</h3>
              {c.open_invoices.length === 0 ? (
                <Empty>No open invoices.</Empty>
              ) : (
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Invoice</th>
                      <th scope="col">Due</th>
                      <th scope="col" className="num">
                        Days late
                      </th>
                      <th scope="col" className="num">
                        Balance
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.open_invoices.map((i) => (
                      <tr key={i.id} className={i.days_overdue > 0 ? 'row--overdue' : undefined}>
                        <td data-label="Invoice">
                          <Link to={invoiceLink(i.id)}>{i.number}</Link>
                        </td>
                        <td data-label="Due">{date(i.due_date)}</td>
                        <td data-label="Days late" className="num">
                          {i.days_overdue > 0 ? i.days_overdue : '—'}
                        </td>
                        <td data-label="Balance" className="num">
                          {money(i.balance_cents, c.currency)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <h3>
                Payments, {date(s.from)} – {date(s.to)}
              </h3>
              {c.payments.length === 0 ? (
                <Empty>No payments in this period.</Empty>
              ) : (
                <ul className="plain">
                  {c.payments.map((p) => (
                    <li key={p.id}>
                      {date(p.paid_on)} — {money(p.amount_cents, c.currency)} ({label(p.method)}) on {p.invoice_number}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </article>
      )}
    </QueryState>
  );
}
