// What a client keeps and pays: the invoice's PDF, "Pay now" (Stripe Checkout, when the agency
// has it), what happened when Stripe sent them back, and the statement of account.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
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
import { knownMethod } from './payment-methods';

/** Runs a download, showing its failure (the server's problem) beside the button. */
function DownloadButton({ run, children, small }: { run: () => Promise<void>; children: string; small?: boolean }) {
  const { t } = useTranslation('billing');
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
        {busy ? t('download.preparing') : children}
      </button>
      {error != null && <FormError error={error} />}
    </>
  );
}

export function InvoicePdfButton({ invoice, small }: { invoice: Pick<Invoice, 'id' | 'number'>; small?: boolean }) {
  const { t } = useTranslation('billing');
  return (
    <DownloadButton small={small} run={() => downloadInvoicePdf(invoice.id, invoice.number)}>
      {small ? t('download.pdf') : t('download.downloadPdf')}
    </DownloadButton>
  );
}

/** Whether the signed-in client can pay this invoice online now. */
export function usePayable(invoice: Pick<Invoice, 'status' | 'balance_cents'>) {
  const online = useBranding().data?.online_payments ?? false;
  return online && (invoice.status === 'sent' || invoice.status === 'overdue') && invoice.balance_cents > 0;
}

export function PayNowButton({ invoice, small }: { invoice: Invoice; small?: boolean }) {
  const { t } = useTranslation('billing');
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
        {checkout.isPending
          ? t('payNow.opening')
          : t('payNow.pay', { amount: money(invoice.balance_cents, invoice.currency) })}
      </button>
      <FormError error={checkout.error} />
    </>
  );
}

/** After Stripe: the payment is confirmed by Stripe's webhook, which the live stream (or the
 * page's safety-net refresh) brings in; until then, say so truthfully. */
export function PaymentReturn({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation('billing');
  const [params] = useSearchParams();
  const back = params.get('payment');
  if (back === 'cancelled') {
    return (
      <p className="notice" role="status">
        {t('paymentReturn.cancelled')}
      </p>
    );
  }
  if (back !== 'done') return null;
  return invoice.status === 'paid' ? (
    <p className="notice notice--success" role="status">
      {t('paymentReturn.paid')}
    </p>
  ) : (
    <p className="notice" role="status" aria-live="polite">
      {t('paymentReturn.confirming')}
    </p>
  );
}

/** Lets the agency know the client opened the invoice (once per visit of the page). */
export function useRecordView(id: string) {
  useEffect(() => {
    void recordView(id).catch(() => undefined);
  }, [id]);
}

/** The aging buckets, in order, with their labels' keys (statements and the receivables alike). */
export const BUCKETS = [
  ['days_0_30', 'aging.days0To30'],
  ['days_31_60', 'aging.days31To60'],
  ['days_61_90', 'aging.days61To90'],
  ['days_over_90', 'aging.over90'],
] as const satisfies readonly (readonly [keyof Statement['currencies'][number]['aging'], string])[];

export function StatementView({ clientId, invoiceLink }: { clientId: string; invoiceLink: (id: string) => string }) {
  const { t } = useTranslation(['billing', 'common']);
  const statement = useQuery(statementQuery(clientId));
  return (
    <QueryState query={statement} what={t('statement.loading')}>
      {(s) => (
        <article className="statement">
          <header className="invoice__head">
            <h1>{t('statement.title')}</h1>
            <DownloadButton run={() => downloadStatementPdf(clientId, t('statement.fileName'))}>
              {t('download.downloadPdf')}
            </DownloadButton>
          </header>
          <p className="muted">{t('statement.asOf', { client: s.client_name, date: date(s.as_of) })}</p>
          {s.currencies.length === 0 && <Empty>{t('statement.empty')}</Empty>}
          {s.currencies.map((c) => (
            <section key={c.currency} aria-labelledby={`balance-${c.currency}`}>
              <h2 id={`balance-${c.currency}`}>
                {t('statement.balanceDue', { amount: money(c.balance_cents, c.currency) })}
                {c.overdue_cents > 0 && (
                  <span className="muted">
                    {' '}
                    {t('statement.overdue', { amount: money(c.overdue_cents, c.currency) })}
                  </span>
                )}
              </h2>
              <dl className="facts aging">
                {BUCKETS.map(([key, text]) => (
                  <div key={key}>
                    <dt>{t(text)}</dt>
                    <dd>{money(c.aging[key], c.currency)}</dd>
                  </div>
                ))}
              </dl>
              <h3>{t('statement.openInvoices')}</h3>
              {c.open_invoices.length === 0 ? (
                <Empty>{t('statement.noOpenInvoices')}</Empty>
              ) : (
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t('column.invoice')}</th>
                      <th scope="col">{t('column.due')}</th>
                      <th scope="col" className="num">
                        {t('column.daysLate')}
                      </th>
                      <th scope="col" className="num">
                        {t('column.balance')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.open_invoices.map((i) => (
                      <tr key={i.id} className={i.days_overdue > 0 ? 'row--overdue' : undefined}>
                        <td data-label={t('column.invoice')}>
                          <Link to={invoiceLink(i.id)}>{i.number}</Link>
                        </td>
                        <td data-label={t('column.due')}>{date(i.due_date)}</td>
                        <td data-label={t('column.daysLate')} className="num">
                          {i.days_overdue > 0 ? i.days_overdue : t('common:none')}
                        </td>
                        <td data-label={t('column.balance')} className="num">
                          {money(i.balance_cents, c.currency)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <h3>{t('statement.payments', { from: date(s.from), to: date(s.to) })}</h3>
              {c.payments.length === 0 ? (
                <Empty>{t('statement.noPayments')}</Empty>
              ) : (
                <ul className="plain">
                  {c.payments.map((p) => (
                    <li key={p.id}>
                      {t('statement.payment', {
                        date: date(p.paid_on),
                        amount: money(p.amount_cents, c.currency),
                        method: knownMethod(p.method) ? t(`paymentMethod.${p.method}`) : label(p.method),
                        invoice: p.invoice_number,
                      })}
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
