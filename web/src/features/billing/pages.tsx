import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { unwrap } from '@/lib/api/problem';
import { LIVE_REFRESH_MS } from '@/lib/live';
import { date, money } from '@/lib/format';
import { StatusBadge } from '@/components/ui/Badge';
import { Empty, QueryState } from '@/components/ui/States';

type Invoice = Schemas['InvoiceResponse'];

export function InvoiceTable({ invoices, linkTo }: { invoices: Invoice[]; linkTo: (i: Invoice) => string }) {
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
        </tr>
      </thead>
      <tbody>
        {invoices.map((i) => (
          <tr key={i.id} className={i.status === 'overdue' ? 'row--overdue' : i.status === 'sent' ? 'row--unpaid' : undefined}>
            <td>
              <Link to={linkTo(i)}>{i.number}</Link>
            </td>
            <td>{date(i.issue_date)}</td>
            <td className="num">{money(i.total_cents, i.currency)}</td>
            <td>{date(i.due_date)}</td>
            <td>
              <StatusBadge status={i.status} />
              {i.balance_cents > 0 && i.paid_cents > 0 && <span className="muted"> ({money(i.balance_cents, i.currency)} left)</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BillingPage() {
  const invoices = useQuery({
    queryKey: ['invoices', 'mine'],
    queryFn: async () => unwrap(await api.GET('/api/v1/invoices', { params: { query: { limit: 200 } } })),
    refetchInterval: LIVE_REFRESH_MS,
  });
  return (
    <>
      <h1>Billing</h1>
      <QueryState query={invoices} what="Loading invoices">
        {(page) => {
          const open = page.items.filter((i) => i.status === 'sent' || i.status === 'overdue');
          const history = page.items.filter((i) => i.status === 'paid' || i.status === 'void');
          const due = open.reduce((sum, i) => sum + i.balance_cents, 0);
          return page.items.length === 0 ? (
            <Empty>No invoices yet.</Empty>
          ) : (
            <>
              <section aria-labelledby="unpaid">
                <h2 id="unpaid">To pay</h2>
                {open.length === 0 ? (
                  <Empty>Nothing to pay. Thank you!</Empty>
                ) : (
                  <>
                    <p className="summary">Outstanding: {money(due, open[0].currency)}</p>
                    <InvoiceTable invoices={open} linkTo={(i) => `/billing/${i.id}`} />
                  </>
                )}
              </section>
              <section aria-labelledby="history">
                <h2 id="history">Paid and past invoices</h2>
                {history.length === 0 ? <Empty>No paid invoices yet.</Empty> : <InvoiceTable invoices={history} linkTo={(i) => `/billing/${i.id}`} />}
              </section>
            </>
          );
        }}
      </QueryState>
    </>
  );
}

export function InvoiceView({ invoice }: { invoice: Schemas['InvoiceDetailResponse'] }) {
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
              <td>{l.description}</td>
              <td className="num">{l.quantity}</td>
              <td className="num">{money(l.unit_price_cents, i.currency)}</td>
              <td className="num">{money(l.amount_cents, i.currency)}</td>
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

export function InvoicePage() {
  const { id = '' } = useParams();
  const invoice = useQuery({
    queryKey: ['invoices', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/invoices/{id}', { params: { path: { id } } })),
    refetchInterval: LIVE_REFRESH_MS,
  });
  return (
    <QueryState query={invoice} what="Loading the invoice">
      {(i) => (
        <>
          <p className="no-print">
            <Link to="/billing">← Billing</Link>
          </p>
          <InvoiceView invoice={i} />
          <p className="no-print">
            <button type="button" className="btn btn--primary" onClick={() => window.print()}>
              Print or save as PDF
            </button>
          </p>
        </>
      )}
    </QueryState>
  );
}
