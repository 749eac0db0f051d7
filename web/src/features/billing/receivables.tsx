// The agency's receivables: every client's balance and aging on one screen, and a client's
// statement of account as staff see it.
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { date, money } from '@/lib/format';
import { Empty, QueryState } from '@/components/ui/states';
import { agingQuery } from './api';
import { BUCKETS, StatementView } from './documents';

export function ReceivablesPage() {
  const aging = useQuery(agingQuery());
  return (
    <>
      <h1>Receivables</h1>
      <QueryState query={aging} what="Loading the receivables">
        {(a) =>
          a.clients.length === 0 ? (
            <Empty>Nothing is owed. Every sent invoice is paid.</Empty>
          ) : (
            <>
              {a.totals.map((t) => (
                <p key={t.currency} className="summary">
                  Owed in {t.currency}: {money(t.balance_cents, t.currency)}, of which{' '}
                  {money(t.overdue_cents, t.currency)} overdue
                </p>
              ))}
              <table className="table">
                <caption className="visually-hidden">Balances by client, as of {date(a.as_of)}</caption>
                <thead>
                  <tr>
                    <th scope="col">Client</th>
                    <th scope="col" className="num">
                      Balance
                    </th>
                    {BUCKETS.map(([key, text]) => (
                      <th key={key} scope="col" className="num">
                        {text}
                      </th>
                    ))}
                    <th scope="col">Oldest due</th>
                  </tr>
                </thead>
                <tbody>
                  {a.clients.map((c) => (
                    <tr
                      key={`${c.client_id}-${c.currency}`}
                      className={c.overdue_cents > 0 ? 'row--overdue' : undefined}
                    >
                      <td data-label="Client">
                        <Link to={`/staff/clients/${c.client_id}/statement`}>{c.client_name}</Link>{' '}
                        <span className="muted">({c.open_invoices} open)</span>
                      </td>
                      <td data-label="Balance" className="num">
                        <strong>{money(c.balance_cents, c.currency)}</strong>
                      </td>
                      {BUCKETS.map(([key, text]) => (
                        <td key={key} data-label={text} className="num">
                          {money(c.aging[key], c.currency)}
                        </td>
                      ))}
                      <td data-label="Oldest due">{date(c.oldest_due)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )
        }
      </QueryState>
    </>
  );
}

export function StaffStatementPage() {
  const { id = '' } = useParams();
  return (
    <>
      <p className="no-print">
        <Link to="/staff/receivables">← Receivables</Link>
      </p>
      <StatementView clientId={id} invoiceLink={(invoice) => `/staff/invoices/${invoice}`} />
    </>
  );
}
