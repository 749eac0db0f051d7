// Billing as a client sees it: what to pay, what was paid, each invoice in full.
import { useTranslation } from 'react-i18next';
import { useAllPages } from '@/lib/api/paging';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { money } from '@/lib/format';
import { Empty, QueryState } from '@/components/ui/states';
import { useSession } from '@/lib/session';
import { invoiceQuery, invoicesQuery } from './api';
import { InvoicePdfButton, PayNowButton, PaymentReturn, StatementView, useRecordView } from './documents';
import { InvoiceTable, InvoiceView } from './invoice-view';

export function BillingPage() {
  // The balance due is summed over every invoice, so the page reads them all (one account's
  // invoices), a page at a time.
  const { t } = useTranslation('billing');
  const invoices = useAllPages(invoicesQuery());
  return (
    <>
      <h1>{t('billingPage.title')}</h1>
      <p>
        <Link to="/billing/statement">{t('statement.title')}</Link>
      </p>
      <QueryState query={invoices} what={t('billingPage.loading')}>
        {(page) => {
          const open = page.items.filter((i) => i.status === 'sent' || i.status === 'overdue');
          const history = page.items.filter((i) => i.status === 'paid' || i.status === 'void');
          const due = open.reduce((sum, i) => sum + i.balance_cents, 0);
          return page.items.length === 0 ? (
            <Empty>{t('billingPage.empty')}</Empty>
          ) : (
            <>
              <section aria-labelledby="unpaid">
                <h2 id="unpaid">{t('billingPage.toPay')}</h2>
                {open.length === 0 ? (
                  <Empty>{t('billingPage.nothingToPay')}</Empty>
                ) : (
                  <>
                    <p className="summary">{t('billingPage.outstanding', { amount: money(due, open[0].currency) })}</p>
                    <InvoiceTable
                      invoices={open}
                      linkTo={(i) => `/billing/${i.id}`}
                      actions={(i) => (
                        <>
                          <InvoicePdfButton invoice={i} small />
                          <PayNowButton invoice={i} small />
                        </>
                      )}
                    />
                  </>
                )}
              </section>
              <section aria-labelledby="history">
                <h2 id="history">{t('billingPage.history')}</h2>
                {history.length === 0 ? (
                  <Empty>{t('billingPage.noHistory')}</Empty>
                ) : (
                  <InvoiceTable
                    invoices={history}
                    linkTo={(i) => `/billing/${i.id}`}
                    actions={(i) => <InvoicePdfButton invoice={i} small />}
                  />
                )}
              </section>
            </>
          );
        }}
      </QueryState>
    </>
  );
}

export function InvoicePage() {
  const { t } = useTranslation('billing');
  const { id = '' } = useParams();
  const invoice = useQuery(invoiceQuery(id));
  useRecordView(id);
  return (
    <QueryState query={invoice} what={t('invoicePage.loading')}>
      {(i) => (
        <>
          <p className="no-print">
            <Link to="/billing">{t('back.billing')}</Link>
          </p>
          <PaymentReturn invoice={i} />
          <div className="actions no-print">
            <PayNowButton invoice={i} />
            <InvoicePdfButton invoice={i} />
          </div>
          <InvoiceView invoice={i} />
        </>
      )}
    </QueryState>
  );
}

export function StatementPage() {
  const { t } = useTranslation('billing');
  const { me } = useSession();
  return (
    <>
      <p className="no-print">
        <Link to="/billing">{t('back.billing')}</Link>
      </p>
      {me?.client_id ? (
        <StatementView clientId={me.client_id} invoiceLink={(id) => `/billing/${id}`} />
      ) : (
        <Empty>{t('statementPage.noAccount')}</Empty>
      )}
    </>
  );
}
