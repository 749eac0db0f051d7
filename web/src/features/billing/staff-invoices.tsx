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
import {
  invoiceQuery,
  invoicesQuery,
  useCreateInvoice,
  useInvoiceActions,
  type InvoiceDetail,
  type InvoiceStatus,
} from './api';
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

/** What the invoice form holds, as typed (amounts as decimals of the currency). */
export interface InvoiceDraft {
  client_id: string;
  issue_date: string;
  due_date: string;
  currency: string;
  tax_percent: string;
  payment_instructions: string;
  lines: Line[];
}

/** The request an invoice form's draft makes. */
function requestOf(d: InvoiceDraft) {
  return {
    issue_date: d.issue_date,
    due_date: d.due_date,
    currency: d.currency,
    tax_rate_bp: Math.round(parseFloat(d.tax_percent || '0') * 100),
    payment_instructions: d.payment_instructions,
    lines: d.lines.map((l) => ({
      description: l.description,
      quantity: parseFloat(l.quantity),
      unit_price_cents: toMinor(l.unit_price, d.currency),
    })),
  };
}

/** An invoice as its form edits it. */
export function draftOf(i: InvoiceDetail): InvoiceDraft {
  const digits = minorDigits(i.currency);
  return {
    client_id: i.client_id,
    issue_date: i.issue_date,
    due_date: i.due_date,
    currency: i.currency,
    tax_percent: String(i.tax_rate_bp / 100),
    payment_instructions: i.payment_instructions,
    lines: i.lines.map((l) => ({
      description: l.description,
      quantity: String(l.quantity),
      unit_price: (l.unit_price_cents / 10 ** digits).toFixed(digits),
    })),
  };
}

export function NewInvoicePage() {
  const navigate = useNavigate();
  const create = useCreateInvoice();
  const [initial] = useState<InvoiceDraft>(() => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    return {
      client_id: '',
      issue_date: day(0),
      due_date: day(30),
      currency: 'EUR',
      tax_percent: '20',
      payment_instructions: '',
      lines: [{ description: '', quantity: '1', unit_price: '' }],
    };
  });
  return (
    <>
      <p>
        <Link to="/staff/invoices">← Invoices</Link>
      </p>
      <h1>New invoice</h1>
      <InvoiceForm
        initial={initial}
        chooseClient
        error={create.error}
        pending={create.isPending}
        submitLabel="Save draft"
        onSubmit={(d) =>
          create.mutate(
            { ...requestOf(d), client_id: d.client_id },
            { onSuccess: (inv) => navigate(`/staff/invoices/${inv.id}`) },
          )
        }
      />
    </>
  );
}

/** A draft, edited: the server refuses once it is sent (then it is voided and made anew). */
export function EditInvoicePage() {
  const { id = '' } = useParams();
  const invoice = useQuery(invoiceQuery(id));
  const { update } = useInvoiceActions(id);
  const navigate = useNavigate();
  return (
    <QueryState query={invoice} what="Loading the invoice">
      {(i) => (
        <>
          <p>
            <Link to={`/staff/invoices/${i.id}`}>← Invoice {i.number}</Link>
          </p>
          <h1>Edit draft {i.number}</h1>
          {i.status !== 'draft' ? (
            <p role="alert">This invoice has been sent and can no longer be edited; void it and make a new one.</p>
          ) : (
            <InvoiceForm
              initial={draftOf(i)}
              error={update.error}
              pending={update.isPending}
              submitLabel="Save draft"
              onSubmit={(d) => update.mutate(requestOf(d), { onSuccess: () => navigate(`/staff/invoices/${i.id}`) })}
            />
          )}
        </>
      )}
    </QueryState>
  );
}

/** The invoice form, for a new draft (`chooseClient`) and an existing one; it keeps what was
 * typed when the server refuses it. */
function InvoiceForm({
  initial,
  chooseClient = false,
  error,
  pending,
  submitLabel,
  onSubmit,
}: {
  initial: InvoiceDraft;
  chooseClient?: boolean;
  error: unknown;
  pending: boolean;
  submitLabel: string;
  onSubmit: (draft: InvoiceDraft) => void;
}) {
  const clients = useQuery({ ...activeClientsQuery(), enabled: chooseClient });
  const { lines: initialLines, ...fields } = initial;
  const [form, setForm] = useState(fields);
  const [lines, setLines] = useState<Line[]>(initialLines);
  const subtotal = lines.reduce(
    (s, l) => s + (toMinor(l.unit_price, form.currency) || 0) * (parseFloat(l.quantity) || 0),
    0,
  );
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit({ ...form, lines });
      }}
    >
      <FormError error={error} />
      <div className="grid">
        {chooseClient && (
          <SelectField
            label="Client"
            value={form.client_id}
            onChange={(e) => setForm({ ...form, client_id: e.target.value })}
            error={fieldError(error, 'client_id')}
          >
            <option value="">Choose a client</option>
            {clients.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
        )}
        <TextField
          label="Issue date"
          type="date"
          value={form.issue_date}
          onChange={(e) => setForm({ ...form, issue_date: e.target.value })}
          error={fieldError(error, 'issue_date')}
        />
        <TextField
          label="Due date"
          type="date"
          value={form.due_date}
          onChange={(e) => setForm({ ...form, due_date: e.target.value })}
          error={fieldError(error, 'due_date')}
        />
        <TextField
          label="Currency"
          value={form.currency}
          maxLength={3}
          onChange={(e) => setForm({ ...form, currency: e.target.value.toUpperCase() })}
          error={fieldError(error, 'currency')}
        />
        <TextField
          label="Tax (%)"
          inputMode="decimal"
          value={form.tax_percent}
          onChange={(e) => setForm({ ...form, tax_percent: e.target.value })}
          error={fieldError(error, 'tax_rate_bp')}
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
              error={fieldError(error, `lines[${i}].description`)}
            />
            <TextField
              label="Quantity"
              inputMode="decimal"
              value={l.quantity}
              onChange={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, quantity: e.target.value } : x)))}
              error={fieldError(error, `lines[${i}].quantity`)}
            />
            <TextField
              label={`Rate (${form.currency})`}
              inputMode="decimal"
              value={l.unit_price}
              onChange={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, unit_price: e.target.value } : x)))}
              error={fieldError(error, `lines[${i}].unit_price_cents`)}
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
        {fieldError(error, 'lines') && <p className="field__error">{fieldError(error, 'lines')}</p>}
      </fieldset>
      <p className="summary">
        Subtotal before tax: {form.currency.length === 3 ? money(Math.round(subtotal), form.currency) : '—'} (the server
        computes the final amounts)
      </p>
      <TextArea
        label="Payment instructions"
        value={form.payment_instructions}
        onChange={(e) => setForm({ ...form, payment_instructions: e.target.value })}
      />
      <button className="btn btn--primary" type="submit" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}

export function StaffInvoicePage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const invoice = useQuery(invoiceQuery(id));
  const { send, void: voidIt, pay, remove } = useInvoiceActions(id);
  const navigate = useNavigate();
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
          <FormError error={send.error ?? voidIt.error ?? remove.error} />
          {writable && (
            <div className="actions no-print">
              {i.status === 'draft' && (
                <>
                  <button type="button" className="btn btn--primary" onClick={() => send.mutate()}>
                    Send to client
                  </button>
                  <Link className="btn" to={`/staff/invoices/${i.id}/edit`}>
                    Edit draft
                  </Link>
                  <button
                    type="button"
                    className="btn btn--danger"
                    onClick={() => {
                      if (
                        window.confirm(
                          `Delete the draft ${i.number}? It was never sent, so the client has not seen it.`,
                        )
                      )
                        remove.mutate(undefined, { onSuccess: () => navigate('/staff/invoices') });
                    }}
                  >
                    Delete draft
                  </button>
                </>
              )}
              {(i.status === 'sent' || i.status === 'overdue') && i.paid_cents === 0 && (
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    if (window.confirm(`Void ${i.number}? The client is no longer asked to pay it.`)) voidIt.mutate();
                  }}
                >
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
