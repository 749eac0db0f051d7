// Billing as a client sees it: what to pay, what was paid, each invoice in full.
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
  const invoices = useAllPages(invoicesQuery());
  return (
    <>
      <h1>Billing</h1>
      <p>
        <Link to="/billing/statement">Statement of account</Link>
      </p>
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
                <h2 id="history">Paid and past invoices</h2>
                {history.length === 0 ? (
                  <Empty>No paid invoices yet.</Empty>
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
  const { id = '' } = useParams();
  const invoice = useQuery(invoiceQuery(id));
  useRecordView(id);
  return (
    <QueryState query={invoice} what="Loading the invoice">
      {(i) => (
        <>
          <p className="no-print">
            <Link to="/billing">← Billing</Link>
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
  const { me } = useSession();
  return (
    <>
      <p className="no-print">
        <Link to="/billing">← Billing</Link>
      </p>
      {me?.client_id ? (
        <StatementView clientId={me.client_id} invoiceLink={(id) => `/billing/${id}`} />
      ) : (
        <Empty>No account.</Empty>
      )}
    </>
  );
}
