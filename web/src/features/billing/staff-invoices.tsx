import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('billing');
  const { me } = useSession();
  const [status, setStatus] = useState<InvoiceStatus | ''>('');
  const invoices = usePaged(invoicesQuery(status || undefined));
  return (
    <>
      <h1>{t('invoiceList.title')}</h1>
      {can(me, 'invoices.write') && (
        <p>
          <Link className="btn btn--primary" to="/staff/invoices/new">
            {t('invoiceList.new')}
          </Link>
        </p>
      )}
      <SelectField
        label={t('invoiceList.show')}
        value={status ?? ''}
        onChange={(e) => setStatus(e.target.value as InvoiceStatus)}
      >
        <option value="">{t('invoiceList.filter.all')}</option>
        <option value="draft">{t('invoiceList.filter.draft')}</option>
        <option value="sent">{t('invoiceList.filter.sent')}</option>
        <option value="overdue">{t('invoiceList.filter.overdue')}</option>
        <option value="paid">{t('invoiceList.filter.paid')}</option>
        <option value="void">{t('invoiceList.filter.void')}</option>
      </SelectField>
      <QueryState query={invoices} what={t('invoiceList.loading')}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{t('invoiceList.empty')}</Empty>
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
      <ShowMore query={invoices} what={t('invoiceList.more')} />
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
  const { t } = useTranslation('billing');
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
        <Link to="/staff/invoices">{t('back.invoices')}</Link>
      </p>
      <h1>{t('newInvoice.title')}</h1>
      <InvoiceForm
        initial={initial}
        chooseClient
        error={create.error}
        pending={create.isPending}
        submitLabel={t('invoiceForm.saveDraft')}
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
  const { t } = useTranslation('billing');
  const { id = '' } = useParams();
  const invoice = useQuery(invoiceQuery(id));
  const { update } = useInvoiceActions(id);
  const navigate = useNavigate();
  return (
    <QueryState query={invoice} what={t('invoicePage.loading')}>
      {(i) => (
        <>
          <p>
            <Link to={`/staff/invoices/${i.id}`}>{t('back.invoice', { number: i.number })}</Link>
          </p>
          <h1>{t('editInvoice.title', { number: i.number })}</h1>
          {i.status !== 'draft' ? (
            <p role="alert">{t('editInvoice.sent')}</p>
          ) : (
            <InvoiceForm
              initial={draftOf(i)}
              error={update.error}
              pending={update.isPending}
              submitLabel={t('invoiceForm.saveDraft')}
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
  const { t } = useTranslation(['billing', 'common']);
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
            label={t('invoiceForm.client')}
            value={form.client_id}
            onChange={(e) => setForm({ ...form, client_id: e.target.value })}
            error={fieldError(error, 'client_id')}
          >
            <option value="">{t('invoiceForm.chooseClient')}</option>
            {clients.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
        )}
        <TextField
          label={t('invoiceForm.issueDate')}
          type="date"
          value={form.issue_date}
          onChange={(e) => setForm({ ...form, issue_date: e.target.value })}
          error={fieldError(error, 'issue_date')}
        />
        <TextField
          label={t('invoiceForm.dueDate')}
          type="date"
          value={form.due_date}
          onChange={(e) => setForm({ ...form, due_date: e.target.value })}
          error={fieldError(error, 'due_date')}
        />
        <TextField
          label={t('invoiceForm.currency')}
          value={form.currency}
          maxLength={3}
          onChange={(e) => setForm({ ...form, currency: e.target.value.toUpperCase() })}
          error={fieldError(error, 'currency')}
        />
        <TextField
          label={t('invoiceForm.tax')}
          inputMode="decimal"
          value={form.tax_percent}
          onChange={(e) => setForm({ ...form, tax_percent: e.target.value })}
          error={fieldError(error, 'tax_rate_bp')}
        />
      </div>
      <fieldset className="lines">
        <legend>{t('invoiceForm.lines')}</legend>
        {lines.map((l, i) => (
          <div className="grid line" key={i}>
            <TextField
              label={t('invoiceForm.lineDescription', { line: i + 1 })}
              value={l.description}
              onChange={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, description: e.target.value } : x)))}
              error={fieldError(error, `lines[${i}].description`)}
            />
            <TextField
              label={t('column.quantity')}
              inputMode="decimal"
              value={l.quantity}
              onChange={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, quantity: e.target.value } : x)))}
              error={fieldError(error, `lines[${i}].quantity`)}
            />
            <TextField
              label={t('invoiceForm.rate', { currency: form.currency })}
              inputMode="decimal"
              value={l.unit_price}
              onChange={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, unit_price: e.target.value } : x)))}
              error={fieldError(error, `lines[${i}].unit_price_cents`)}
            />
            {lines.length > 1 && (
              <button type="button" className="link" onClick={() => setLines(lines.filter((_, j) => j !== i))}>
                {t('invoiceForm.removeLine', { line: i + 1 })}
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          className="btn"
          onClick={() => setLines([...lines, { description: '', quantity: '1', unit_price: '' }])}
        >
          {t('invoiceForm.addLine')}
        </button>
        {fieldError(error, 'lines') && <p className="field__error">{fieldError(error, 'lines')}</p>}
      </fieldset>
      <p className="summary">
        {t('invoiceForm.subtotal', {
          amount: form.currency.length === 3 ? money(Math.round(subtotal), form.currency) : t('common:none'),
        })}
      </p>
      <TextArea
        label={t('invoiceForm.paymentInstructions')}
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
  const { t } = useTranslation('billing');
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
    <QueryState query={invoice} what={t('invoicePage.loading')}>
      {(i) => (
        <>
          <p className="no-print">
            <Link to="/staff/invoices">{t('back.invoices')}</Link>
          </p>
          <div className="actions no-print">
            <InvoicePdfButton invoice={i} />
            {i.status !== 'draft' && (
              <p className="muted">
                {t('staffInvoice.viewedBy')} <Viewed invoice={i} />
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
                    {t('staffInvoice.send')}
                  </button>
                  <Link className="btn" to={`/staff/invoices/${i.id}/edit`}>
                    {t('staffInvoice.editDraft')}
                  </Link>
                  <button
                    type="button"
                    className="btn btn--danger"
                    onClick={() => {
                      if (window.confirm(t('staffInvoice.confirmDelete', { number: i.number })))
                        remove.mutate(undefined, { onSuccess: () => navigate('/staff/invoices') });
                    }}
                  >
                    {t('staffInvoice.deleteDraft')}
                  </button>
                </>
              )}
              {(i.status === 'sent' || i.status === 'overdue') && i.paid_cents === 0 && (
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    if (window.confirm(t('staffInvoice.confirmVoid', { number: i.number }))) voidIt.mutate();
                  }}
                >
                  {t('staffInvoice.void')}
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
              <h2>{t('staffInvoice.recordTitle')}</h2>
              <FormError error={pay.error} />
              <div className="grid">
                <TextField
                  label={t('staffInvoice.amount', { currency: i.currency })}
                  inputMode="decimal"
                  value={payment.amount}
                  onChange={(e) => setPayment({ ...payment, amount: e.target.value })}
                  error={fieldError(pay.error, 'amount_cents')}
                />
                <SelectField
                  label={t('staffInvoice.method')}
                  value={payment.method}
                  onChange={(e) => setPayment({ ...payment, method: e.target.value })}
                >
                  <option value="bank_transfer">{t('paymentMethod.bank_transfer')}</option>
                  <option value="card">{t('paymentMethod.card')}</option>
                  <option value="cash">{t('paymentMethod.cash')}</option>
                  <option value="other">{t('paymentMethod.other')}</option>
                </SelectField>
                <TextField
                  label={t('staffInvoice.reference')}
                  value={payment.reference}
                  onChange={(e) => setPayment({ ...payment, reference: e.target.value })}
                />
              </div>
              <button className="btn btn--primary" type="submit" disabled={pay.isPending}>
                {t('staffInvoice.record')}
              </button>
            </form>
          )}
        </>
      )}
    </QueryState>
  );
}
