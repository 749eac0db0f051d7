import { useState, type FormEvent } from 'react';
import { usePaged } from '@/lib/api/paging';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { activeClientsQuery } from '@/lib/api/shared';
import { can } from '@/lib/authorization';
import { minorDigits, money } from '@/lib/format';
import { useSession } from '@/lib/session';
import { SelectField, TextArea, TextField } from '@/components/ui/field';
import { Empty, FormError, QueryState, fieldError, ShowMore } from '@/components/ui/states';
import { invoiceQuery, invoicesQuery, useCreateInvoice, useInvoiceActions, type InvoiceStatus } from './api';
import { InvoicePdfButton } from './documents';
import { InvoiceTable, InvoiceView, Viewed } from './invoice-view';

export function StaffInvoicesPage() {
  const { me } = useSession();
  const [status, setStatus] = useState<InvoiceStatus | ''>('');
  const invoices = usePaged(invoicesQuery(status || undefined));
  return (
    <>
      <h1>Invoices</h1>
      {can(me, 'invoices.write') && (
        <p>
          <Link className="btn btn--primary" to="/staff/invoices/new">
            New invoice
          </Link>
        </p>
      )}
      <SelectField label="Show" value={status ?? ''} onChange={(e) => setStatus(e.target.value as InvoiceStatus)}>
        <option value="">All</option>
        <option value="draft">Drafts</option>
        <option value="sent">Sent, not yet due</option>
        <option value="overdue">Overdue</option>
        <option value="paid">Paid</option>
        <option value="void">Void</option>
      </SelectField>
      <QueryState query={invoices} what="Loading invoices">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No invoices here.</Empty>
          ) : (
            <InvoiceTable
              invoices={page.items}
              linkTo={(i) => `/staff/invoices/${i.id}`}
              showViewed
              actions={(i) => <InvoicePdfButton invoice={i} small />}
            />
          )
        }
      </QueryState>
      <ShowMore query={invoices} what="invoices" />
    </>
  );
}

interface Line {
  description: string;
  quantity: string;
  unit_price: string;
}

/** "12.50" in EUR → 1250, "1250" in JPY → 1250; anything else → NaN, left for the server to name. */
const toMinor = (s: string, currency: string) =>
  Math.round(parseFloat(s.replace(',', '.')) * 10 ** minorDigits(currency));

export function NewInvoicePage() {
  const navigate = useNavigate();
  const clients = useQuery(activeClientsQuery());
  const [form, setForm] = useState(() => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    return {
      client_id: '',
      issue_date: day(0),
      due_date: day(30),
      currency: 'EUR',
      tax_percent: '20',
      payment_instructions: '',
    };
  });
  const [lines, setLines] = useState<Line[]>([{ description: '', quantity: '1', unit_price: '' }]);
  const create = useCreateInvoice();
  const submit = () =>
    create.mutate(
      {
        client_id: form.client_id,
        issue_date: form.issue_date,
        due_date: form.due_date,
        currency: form.currency,
        tax_rate_bp: Math.round(parseFloat(form.tax_percent || '0') * 100),
        payment_instructions: form.payment_instructions,
        lines: lines.map((l) => ({
          description: l.description,
          quantity: parseFloat(l.quantity),
          unit_price_cents: toMinor(l.unit_price, form.currency),
        })),
      },
      { onSuccess: (inv) => navigate(`/staff/invoices/${inv.id}`) },
    );
  const subtotal = lines.reduce(
    (s, l) => s + (toMinor(l.unit_price, form.currency) || 0) * (parseFloat(l.quantity) || 0),
    0,
  );
  return (
    <>
      <p>
        <Link to="/staff/invoices">← Invoices</Link>
      </p>
      <h1>New invoice</h1>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          submit();
        }}
      >
        <FormError error={create.error} />
        <div className="grid">
          <SelectField
            label="Client"
            value={form.client_id}
            onChange={(e) => setForm({ ...form, client_id: e.target.value })}
            error={fieldError(create.error, 'client_id')}
          >
            <option value="">Choose a client</option>
            {clients.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Issue date"
            type="date"
            value={form.issue_date}
            onChange={(e) => setForm({ ...form, issue_date: e.target.value })}
          />
          <TextField
            label="Due date"
            type="date"
            value={form.due_date}
            onChange={(e) => setForm({ ...form, due_date: e.target.value })}
            error={fieldError(create.error, 'due_date')}
          />
          <TextField
            label="Currency"
            value={form.currency}
            maxLength={3}
            onChange={(e) => setForm({ ...form, currency: e.target.value.toUpperCase() })}
            error={fieldError(create.error, 'currency')}
          />
          <TextField
            label="Tax (%)"
            inputMode="decimal"
            value={form.tax_percent}
            onChange={(e) => setForm({ ...form, tax_percent: e.target.value })}
            error={fieldError(create.error, 'tax_rate_bp')}
          />
        </div>
        <fieldset className="lines">
          <legend>Line items</legend>
          {lines.map((l, i) => (
            <div className="grid line" key={i}>
              <TextField
                label={`Line ${i + 1} description`}
                value={l.description}
                onChange={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, description: e.target.value } : x)))}
                error={fieldError(create.error, `lines[${i}].description`)}
              />
              <TextField
                label="Quantity"
                inputMode="decimal"
                value={l.quantity}
                onChange={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, quantity: e.target.value } : x)))}
                error={fieldError(create.error, `lines[${i}].quantity`)}
              />
              <TextField
                label={`Rate (${form.currency})`}
                inputMode="decimal"
                value={l.unit_price}
                onChange={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, unit_price: e.target.value } : x)))}
                error={fieldError(create.error, `lines[${i}].unit_price_cents`)}
              />
              {lines.length > 1 && (
                <button type="button" className="link" onClick={() => setLines(lines.filter((_, j) => j !== i))}>
                  Remove line {i + 1}
                </button>
              )}
            </div>
          ))}
          <button
            type="button"
            className="btn"
            onClick={() => setLines([...lines, { description: '', quantity: '1', unit_price: '' }])}
          >
            Add a line
          </button>
          {fieldError(create.error, 'lines') && <p className="field__error">{fieldError(create.error, 'lines')}</p>}
        </fieldset>
        <p className="summary">
          Subtotal before tax: {form.currency.length === 3 ? money(Math.round(subtotal), form.currency) : '—'} (the
          server computes the final amounts)
        </p>
        <TextArea
          label="Payment instructions"
          value={form.payment_instructions}
          onChange={(e) => setForm({ ...form, payment_instructions: e.target.value })}
        />
        <button className="btn btn--primary" type="submit" disabled={create.isPending}>
          Save draft
        </button>
      </form>
    </>
  );
}

export function StaffInvoicePage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const invoice = useQuery(invoiceQuery(id));
  const { send, void: voidIt, pay } = useInvoiceActions(id);
  const noPayment = { amount: '', method: 'bank_transfer', reference: '' };
  const [payment, setPayment] = useState(noPayment);
  const recordPayment = (currency: string) =>
    pay.mutate(
      { amount_cents: toMinor(payment.amount, currency), method: payment.method, reference: payment.reference || null },
      { onSuccess: () => setPayment(noPayment) },
    );
  const writable = can(me, 'invoices.write');
  return (
    <QueryState query={invoice} what="Loading the invoice">
      {(i) => (
        <>
          <p className="no-print">
            <Link to="/staff/invoices">← Invoices</Link>
          </p>
          <div className="actions no-print">
            <InvoicePdfButton invoice={i} />
            {i.status !== 'draft' && (
              <p className="muted">
                Viewed by the client: <Viewed invoice={i} />
              </p>
            )}
          </div>
          <InvoiceView invoice={i} />
          <FormError error={send.error ?? voidIt.error} />
          {writable && (
            <div className="actions no-print">
              {i.status === 'draft' && (
                <button type="button" className="btn btn--primary" onClick={() => send.mutate()}>
                  Send to client
                </button>
              )}
              {(i.status === 'draft' || ((i.status === 'sent' || i.status === 'overdue') && i.paid_cents === 0)) && (
                <button type="button" className="btn" onClick={() => voidIt.mutate()}>
                  Void
                </button>
              )}
            </div>
          )}
          {writable && (i.status === 'sent' || i.status === 'overdue') && (
            <form
              className="panel no-print"
              onSubmit={(e: FormEvent) => {
                e.preventDefault();
                recordPayment(i.currency);
              }}
            >
              <h2>Record a payment</h2>
              <FormError error={pay.error} />
              <div className="grid">
                <TextField
                  label={`Amount (${i.currency})`}
                  inputMode="decimal"
                  value={payment.amount}
                  onChange={(e) => setPayment({ ...payment, amount: e.target.value })}
                  error={fieldError(pay.error, 'amount_cents')}
                />
                <SelectField
                  label="Method"
                  value={payment.method}
                  onChange={(e) => setPayment({ ...payment, method: e.target.value })}
                >
                  <option value="bank_transfer">Bank transfer</option>
                  <option value="card">Card</option>
                  <option value="cash">Cash</option>
                  <option value="other">Other</option>
                </SelectField>
                <TextField
                  label="Reference"
                  value={payment.reference}
                  onChange={(e) => setPayment({ ...payment, reference: e.target.value })}
                />
              </div>
              <button className="btn btn--primary" type="submit" disabled={pay.isPending}>
                Record payment
              </button>
            </form>
          )}
        </>
      )}
    </QueryState>
  );
}
