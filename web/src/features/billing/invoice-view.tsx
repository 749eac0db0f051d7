// How an invoice looks, to clients and staff alike: the list's table and the full invoice.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { date, dateTime, money } from '@/lib/format';
import { StatusBadge } from '@/components/ui/badge';
import { Empty } from '@/components/ui/states';
import type { Invoice, InvoiceDetail } from './api';

/** Staff's "Viewed" cell: when the client first opened the invoice, and last. */
export function Viewed({ invoice }: { invoice: Invoice }) {
  if (invoice.status === 'draft') return <span className="muted">—</span>;
  if (!invoice.viewed_at) return <span className="muted">Not yet</span>;
  const again = invoice.last_viewed_at && invoice.last_viewed_at !== invoice.viewed_at;
  return (
    <span title={again ? `Last opened ${dateTime(invoice.last_viewed_at!)}` : undefined}>
      {dateTime(invoice.viewed_at)}
      {again && <span className="muted"> (again {date(invoice.last_viewed_at)})</span>}
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
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Invoice</th>
          <th scope="col">Issued</th>
          <th scope="col" className="num">
            Amount
          </th>
          <th scope="col">Due</th>
          <th scope="col">Status</th>
          {showViewed && <th scope="col">Viewed</th>}
          {actions && (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
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
            <td data-label="Invoice">
              <Link to={linkTo(i)}>{i.number}</Link>
            </td>
            <td data-label="Issued">{date(i.issue_date)}</td>
            <td data-label="Amount" className="num">
              {money(i.total_cents, i.currency)}
            </td>
            <td data-label="Due">{date(i.due_date)}</td>
            <td data-label="Status">
              <StatusBadge status={i.status} />
              {i.balance_cents > 0 && i.paid_cents > 0 && (
                <span className="muted"> ({money(i.balance_cents, i.currency)} left)</span>
              )}
            </td>
            {showViewed && (
              <td data-label="Viewed">
                <Viewed invoice={i} />
              </td>
            )}
            {actions && (
              <td data-label="Actions" className="actions" aria-label={`Actions for ${i.number}`}>
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
  const i = invoice;
  return (
    <article className="invoice">
      <header className="invoice__head">
        <h1>Invoice {i.number}</h1>
        <StatusBadge status={i.status} />
      </header>
      <dl className="facts">
        <div>
          <dt>Issued</dt>
          <dd>{date(i.issue_date)}</dd>
        </div>
        <div>
          <dt>Due</dt>
          <dd>{date(i.due_date)}</dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd>{money(i.total_cents, i.currency)}</dd>
        </div>
        <div>
          <dt>Balance due</dt>
          <dd>{money(i.balance_cents, i.currency)}</dd>
        </div>
      </dl>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Description</th>
            <th scope="col" className="num">
              Quantity
            </th>
            <th scope="col" className="num">
              Rate
            </th>
            <th scope="col" className="num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {i.lines.map((l) => (
            <tr key={l.id}>
              <td data-label="Description">{l.description}</td>
              <td data-label="Quantity" className="num">
                {l.quantity}
              </td>
              <td data-label="Rate" className="num">
                {money(l.unit_price_cents, i.currency)}
              </td>
              <td data-label="Amount" className="num">
                {money(l.amount_cents, i.currency)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Subtotal
            </th>
            <td className="num">{money(i.subtotal_cents, i.currency)}</td>
          </tr>
          <tr>
            <th scope="row" colSpan={3}>
              Tax ({i.tax_rate_bp / 100}%)
            </th>
            <td className="num">{money(i.tax_cents, i.currency)}</td>
          </tr>
          <tr>
            <th scope="row" colSpan={3}>
              Total
            </th>
            <td className="num">
              <strong>{money(i.total_cents, i.currency)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
      {i.payment_instructions && (
        <section>
          <h2>How to pay</h2>
          <p className="prose">{i.payment_instructions}</p>
        </section>
      )}
      <section>
        <h2>Payments</h2>
        {i.payments.length === 0 ? (
          <Empty>No payments recorded yet.</Empty>
        ) : (
          <ul className="plain">
            {i.payments.map((p) => (
              <li key={p.id}>
                {date(p.paid_on)} — {money(p.amount_cents, i.currency)} by {p.method.replace(/_/g, ' ')}
                {p.reference && <span className="muted"> (ref. {p.reference})</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
