// The agency's receivables: every client's balance and aging on one screen, and a client's
// statement of account as staff see it.
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { date, money } from '@/lib/format';
import { Empty, QueryState } from '@/components/ui/states';
import { agingQuery } from './api';
import { BUCKETS, StatementView } from './documents';

export function ReceivablesPage() {
  const { t } = useTranslation('billing');
  const aging = useQuery(agingQuery());
  return (
    <>
      <h1>{t('receivables.title')}</h1>
      <QueryState query={aging} what={t('receivables.loading')}>
        {(a) =>
          a.clients.length === 0 ? (
            <Empty>{t('receivables.empty')}</Empty>
          ) : (
            <>
              {a.totals.map((total) => (
                <p key={total.currency} className="summary">
                  {t('receivables.owed', {
                    currency: total.currency,
                    balance: money(total.balance_cents, total.currency),
                    overdue: money(total.overdue_cents, total.currency),
                  })}
                </p>
              ))}
              <table className="table">
                <caption className="visually-hidden">{t('receivables.caption', { date: date(a.as_of) })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('column.client')}</th>
                    <th scope="col" className="num">
                      {t('column.balance')}
                    </th>
                    {BUCKETS.map(([key, text]) => (
                      <th key={key} scope="col" className="num">
                        {t(text)}
                      </th>
                    ))}
                    <th scope="col">{t('column.oldestDue')}</th>
                  </tr>
                </thead>
                <tbody>
                  {a.clients.map((c) => (
                    <tr
                      key={`${c.client_id}-${c.currency}`}
                      className={c.overdue_cents > 0 ? 'row--overdue' : undefined}
                    >
                      <td data-label={t('column.client')}>
                        <Link to={`/staff/clients/${c.client_id}/statement`}>{c.client_name}</Link>{' '}
                        <span className="muted">{t('receivables.open', { count: c.open_invoices })}</span>
                      </td>
                      <td data-label={t('column.balance')} className="num">
                        <strong>{money(c.balance_cents, c.currency)}</strong>
                      </td>
                      {BUCKETS.map(([key, text]) => (
                        <td key={key} data-label={t(text)} className="num">
                          {money(c.aging[key], c.currency)}
                        </td>
                      ))}
                      <td data-label={t('column.oldestDue')}>{date(c.oldest_due)}</td>
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
  const { t } = useTranslation('billing');
  const { id = '' } = useParams();
  return (
    <>
      <p className="no-print">
        <Link to="/staff/receivables">{t('back.receivables')}</Link>
      </p>
      <StatementView clientId={id} invoiceLink={(invoice) => `/staff/invoices/${invoice}`} />
    </>
  );
}
