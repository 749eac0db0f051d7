// How an invoice looks, to clients and staff alike: the list's table and the full invoice.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { date, dateTime, locale, money } from '@/lib/format';
import { StatusBadge } from '@/components/ui/badge';
import { Empty } from '@/components/ui/states';
import type { Invoice, InvoiceDetail } from './api';
import { knownMethod } from './payment-methods';

/** A plain number (a quantity) with the reader's decimal separator, as precise as it was sent. */
const decimal = (n: number) =>
  new Intl.NumberFormat(locale(), { maximumFractionDigits: 20, useGrouping: false }).format(n);

/** A tax rate in basis points as the reader writes a percentage (`19%`, `19 %`). */
const percent = (bp: number) =>
  new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 2 }).format(bp / 10_000);

/** Staff's "Viewed" cell: when the client first opened the invoice, and last. */
export function Viewed({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation(['billing', 'common']);
  if (invoice.status === 'draft') return <span className="muted">{t('common:none')}</span>;
  if (!invoice.viewed_at) return <span className="muted">{t('viewed.notYet')}</span>;
  const again = invoice.last_viewed_at && invoice.last_viewed_at !== invoice.viewed_at;
  return (
    <span title={again ? t('viewed.lastOpened', { time: dateTime(invoice.last_viewed_at!) }) : undefined}>
      {dateTime(invoice.viewed_at)}
      {again && <span className="muted"> {t('viewed.again', { date: date(invoice.last_viewed_at) })}</span>}
    </span>
  );
}

export function InvoiceTable({
  invoices,
  linkTo,
  showViewed,
  actions,
}: {
  invoices: Invoice[];
  linkTo: (i: Invoice) => string;
  /** Staff: when the client opened each. */
  showViewed?: boolean;
  /** Buttons for each row (download, pay). */
  actions?: (i: Invoice) => ReactNode;
}) {
  const { t } = useTranslation('billing');
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">{t('column.invoice')}</th>
          <th scope="col">{t('column.issued')}</th>
          <th scope="col" className="num">
            {t('column.amount')}
          </th>
          <th scope="col">{t('column.due')}</th>
          <th scope="col">{t('column.status')}</th>
          {showViewed && <th scope="col">{t('column.viewed')}</th>}
          {actions && (
            <th scope="col">
              <span className="visually-hidden">{t('column.actions')}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {invoices.map((i) => (
          <tr
            key={i.id}
            className={i.status === 'overdue' ? 'row--overdue' : i.status === 'sent' ? 'row--unpaid' : undefined}
          >
            <td data-label={t('column.invoice')}>
              <Link to={linkTo(i)}>{i.number}</Link>
            </td>
            <td data-label={t('column.issued')}>{date(i.issue_date)}</td>
            <td data-label={t('column.amount')} className="num">
              {money(i.total_cents, i.currency)}
            </td>
            <td data-label={t('column.due')}>{date(i.due_date)}</td>
            <td data-label={t('column.status')}>
              <StatusBadge status={i.status} />
              {i.balance_cents > 0 && i.paid_cents > 0 && (
                <span className="muted"> {t('invoiceTable.left', { amount: money(i.balance_cents, i.currency) })}</span>
              )}
            </td>
            {showViewed && (
              <td data-label={t('column.viewed')}>
                <Viewed invoice={i} />
              </td>
            )}
            {actions && (
              <td
                data-label={t('column.actions')}
                className="actions"
                aria-label={t('invoiceTable.actionsFor', { number: i.number })}
              >
                {actions(i)}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function InvoiceView({ invoice }: { invoice: InvoiceDetail }) {
  const { t } = useTranslation('billing');
  const i = invoice;
  return (
    <article className="invoice">
      <header className="invoice__head">
        <h1>{t('invoiceView.title', { number: i.number })}</h1>
        <StatusBadge status={i.status} />
      </header>
      <dl className="facts">
        <div>
          <dt>{t('column.issued')}</dt>
          <dd>{date(i.issue_date)}</dd>
        </div>
        <div>
          <dt>{t('column.due')}</dt>
          <dd>{date(i.due_date)}</dd>
        </div>
        <div>
          <dt>{t('invoiceView.total')}</dt>
          <dd>{money(i.total_cents, i.currency)}</dd>
        </div>
        <div>
          <dt>{t('invoiceView.balanceDue')}</dt>
          <dd>{money(i.balance_cents, i.currency)}</dd>
        </div>
      </dl>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('column.description')}</th>
            <th scope="col" className="num">
              {t('column.quantity')}
            </th>
            <th scope="col" className="num">
              {t('column.rate')}
            </th>
            <th scope="col" className="num">
              {t('column.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {i.lines.map((l) => (
            <tr key={l.id}>
              <td data-label={t('column.description')}>{l.description}</td>
              <td data-label={t('column.quantity')} className="num">
                {decimal(l.quantity)}
              </td>
              <td data-label={t('column.rate')} className="num">
                {money(l.unit_price_cents, i.currency)}
              </td>
              <td data-label={t('column.amount')} className="num">
                {money(l.amount_cents, i.currency)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              {t('invoiceView.subtotal')}
            </th>
            <td className="num">{money(i.subtotal_cents, i.currency)}</td>
          </tr>
          <tr>
            <th scope="row" colSpan={3}>
              {t('invoiceView.tax', { rate: percent(i.tax_rate_bp) })}
            </th>
            <td className="num">{money(i.tax_cents, i.currency)}</td>
          </tr>
          <tr>
            <th scope="row" colSpan={3}>
              {t('invoiceView.total')}
            </th>
            <td className="num">
              <strong>{money(i.total_cents, i.currency)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
      {i.payment_instructions && (
        <section>
          <h2>{t('invoiceView.howToPay')}</h2>
          <p className="prose">{i.payment_instructions}</p>
        </section>
      )}
      <section>
        <h2>{t('invoiceView.payments')}</h2>
        {i.payments.length === 0 ? (
          <Empty>{t('invoiceView.noPayments')}</Empty>
        ) : (
          <ul className="plain">
            {i.payments.map((p) => (
              <li key={p.id}>
                {t('invoiceView.payment', {
                  date: date(p.paid_on),
                  amount: money(p.amount_cents, i.currency),
                  paidBy: knownMethod(p.method)
                    ? t(`paidBy.${p.method}`)
                    : t('paidBy.custom', { method: p.method.replace(/_/g, ' ') }),
                })}
                {p.reference && (
                  <span className="muted"> {t('invoiceView.reference', { reference: p.reference })}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
