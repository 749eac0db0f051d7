import { useId, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { activeClientsQuery } from '@/lib/api/shared';
import { dateTime } from '@/lib/format';
import { StatusBadge } from '@/components/ui/badge';
import { SelectField, TextField } from '@/components/ui/field';
import { Empty, FormError, QueryState, ShowMore, fieldError } from '@/components/ui/states';
import { deliveriesQuery, eventKindsQuery, useWebhookActions, webhooksQuery, type Webhook } from './api';

type Actions = ReturnType<typeof useWebhookActions>;

/** Staff with `settings.manage`: where Portico sends signed events, and what became of each. */
export function WebhooksPage() {
  const { t } = useTranslation('webhooks');
  const actions = useWebhookActions();
  const endpoints = useQuery(webhooksQuery());
  const [secret, setSecret] = useState<Webhook | null>(null);
  return (
    <>
      <h1>{t('page.title')}</h1>
      <p className="muted">
        <Trans t={t} i18nKey="page.intro" components={{ code: <code /> }} />
      </p>
      {secret?.secret && (
        <section className="panel" aria-labelledby="webhook-secret">
          <h2 id="webhook-secret">{t('secret.title', { url: secret.url })}</h2>
          <p role="status">{t('secret.copyNow')}</p>
          <TextField
            label={t('secret.label')}
            readOnly
            value={secret.secret}
            onFocus={(e) => e.currentTarget.select()}
          />
          <button type="button" className="btn" onClick={() => setSecret(null)}>
            {t('secret.kept')}
          </button>
        </section>
      )}
      <QueryState query={endpoints} what={t('page.loading')}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('page.empty')}</Empty>
          ) : (
            <>
              {list.map((w) => (
                <Endpoint key={w.id} w={w} actions={actions} />
              ))}
            </>
          )
        }
      </QueryState>
      <EndpointForm
        title={t('endpointForm.newTitle')}
        submitLabel={t('endpointForm.add')}
        error={actions.create.error}
        pending={actions.create.isPending}
        withClient
        onSubmit={(body, reset) =>
          actions.create.mutate(body, {
            onSuccess: (made) => {
              setSecret(made);
              reset();
            },
          })
        }
      />
    </>
  );
}

interface FormBody {
  url: string;
  event_types: string[];
  client_id?: string | null;
}

function EndpointForm({
  title,
  submitLabel,
  initial,
  withClient,
  error,
  pending,
  onSubmit,
  onCancel,
}: {
  title: string;
  submitLabel: string;
  initial?: Webhook;
  withClient?: boolean;
  error: unknown;
  pending: boolean;
  onSubmit: (body: FormBody, reset: () => void) => void;
  onCancel?: () => void;
}) {
  const { t, i18n } = useTranslation(['webhooks', 'common']);
  const clients = useQuery({ ...activeClientsQuery(), enabled: !!withClient });
  const [url, setUrl] = useState(initial?.url ?? '');
  const eventKinds = useQuery(eventKindsQuery(i18n.language));
  const formId = useId();
  const [kinds, setKinds] = useState<string[]>(initial?.event_types ?? []);
  const [client, setClient] = useState('');
  const reset = () => {
    setUrl('');
    setKinds([]);
    setClient('');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ url: url.trim(), event_types: kinds, ...(withClient ? { client_id: client || null } : {}) }, reset);
  };
  const toggle = (kind: string, on: boolean) => setKinds((k) => (on ? [...k, kind] : k.filter((x) => x !== kind)));
  return (
    <form className="panel" onSubmit={submit} aria-label={title}>
      <h2>{title}</h2>
      <FormError error={error} />
      <TextField
        label={t('endpointForm.url')}
        type="url"
        required
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        error={fieldError(error, 'url')}
        hint={t('endpointForm.urlHint')}
      />
      {withClient && (
        <SelectField
          label={t('endpointForm.eventsOf')}
          value={client}
          onChange={(e) => setClient(e.target.value)}
          error={fieldError(error, 'client_id')}
        >
          <option value="">{t('endpointForm.everyClient')}</option>
          {clients.data?.items.map((c) => (
            <option key={c.id} value={c.id}>
              {t('endpointForm.onlyClient', { name: c.name })}
            </option>
          ))}
        </SelectField>
      )}
      <fieldset>
        <legend>{t('endpointForm.events')}</legend>
        {fieldError(error, 'event_types') && (
          <p className="field__error" role="alert">
            {fieldError(error, 'event_types')}
          </p>
        )}
        {(eventKinds.data ?? [])
          .filter((k) => !(client && k.staff_only))
          .map(({ kind, description }) => (
            <div key={kind} className="checkbox">
              <label>
                <input
                  type="checkbox"
                  checked={kinds.includes(kind)}
                  aria-describedby={`${formId}-${kind}`}
                  onChange={(e) => toggle(kind, e.target.checked)}
                />{' '}
                <code>{kind}</code>
              </label>{' '}
              <span id={`${formId}-${kind}`} className="muted">
                {description}
              </span>
            </div>
          ))}
      </fieldset>
      <button type="submit" className="btn btn--primary" disabled={pending || kinds.length === 0}>
        {submitLabel}
      </button>{' '}
      {onCancel && (
        <button type="button" className="btn" onClick={onCancel}>
          {t('common:action.cancel')}
        </button>
      )}
    </form>
  );
}

function Endpoint({ w, actions }: { w: Webhook; actions: Actions }) {
  const { t } = useTranslation(['webhooks', 'common']);
  const [editing, setEditing] = useState(false);
  const [showLog, setShowLog] = useState(false);
  const { update, remove } = actions;
  if (editing) {
    return (
      <EndpointForm
        title={t('endpointForm.editTitle', { url: w.url })}
        submitLabel={t('endpointForm.save')}
        initial={w}
        error={update.error}
        pending={update.isPending}
        onSubmit={(body) =>
          update.mutate(
            { id: w.id, url: body.url, event_types: body.event_types },
            { onSuccess: () => setEditing(false) },
          )
        }
        onCancel={() => setEditing(false)}
      />
    );
  }
  return (
    <section className="panel" aria-label={t('endpoint.label', { url: w.url })}>
      <h2>
        <code>{w.url}</code> <StatusBadge status={w.active ? 'active' : 'paused'} />
      </h2>
      <p className="muted">
        {t(w.client_id ? 'endpoint.oneClientSince' : 'endpoint.everyClientSince', { date: dateTime(w.created_at) })}
      </p>
      <p>{w.event_types.join(', ')}</p>
      <FormError error={remove.error} />
      <button type="button" className="btn" onClick={() => setEditing(true)}>
        {t('common:action.edit')}
      </button>{' '}
      <button
        type="button"
        className="btn"
        disabled={update.isPending}
        onClick={() => update.mutate({ id: w.id, active: !w.active })}
      >
        {w.active ? t('endpoint.pause') : t('endpoint.resume')}
      </button>{' '}
      <button type="button" className="btn" aria-expanded={showLog} onClick={() => setShowLog((s) => !s)}>
        {showLog ? t('endpoint.hideDeliveries') : t('endpoint.deliveries')}
      </button>{' '}
      <button
        type="button"
        className="btn btn--danger"
        disabled={remove.isPending}
        onClick={() => {
          if (window.confirm(t('endpoint.confirmDelete', { url: w.url }))) remove.mutate(w.id);
        }}
      >
        {t('common:action.delete')}
      </button>
      {showLog && <DeliveryLog id={w.id} actions={actions} />}
    </section>
  );
}

function DeliveryLog({ id, actions }: { id: string; actions: Actions }) {
  const { t } = useTranslation(['webhooks', 'common']);
  const log = useInfiniteQuery(deliveriesQuery(id));
  const { redeliver } = actions;
  return (
    <QueryState query={log} what={t('deliveryLog.loading')}>
      {(data) => {
        const rows = data.pages.flatMap((p) => p.items);
        if (rows.length === 0) return <Empty>{t('deliveryLog.empty')}</Empty>;
        return (
          <>
            <FormError error={redeliver.error} />
            {redeliver.isSuccess && <p role="status">{t('deliveryLog.queued')}</p>}
            <table className="table">
              <caption className="visually-hidden">{t('deliveryLog.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('deliveryLog.event')}</th>
                  <th scope="col">{t('deliveryLog.status')}</th>
                  <th scope="col">{t('deliveryLog.attempts')}</th>
                  <th scope="col">{t('deliveryLog.lastAnswer')}</th>
                  <th scope="col">{t('deliveryLog.when')}</th>
                  <th scope="col">{t('deliveryLog.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => (
                  <tr key={d.id}>
                    <td data-label={t('deliveryLog.event')}>
                      <code>{d.kind}</code> {t('deliveryLog.eventNumber', { id: d.event_id })}
                    </td>
                    <td data-label={t('deliveryLog.status')}>
                      <StatusBadge status={d.status} />
                    </td>
                    <td data-label={t('deliveryLog.attempts')}>{d.attempts}</td>
                    <td data-label={t('deliveryLog.lastAnswer')}>
                      {d.last_status ? t('deliveryLog.httpStatus', { status: d.last_status }) : t('common:none')}
                      {d.last_error && <div className="muted">{d.last_error}</div>}
                    </td>
                    <td data-label={t('deliveryLog.when')}>
                      {d.delivered_at
                        ? t('deliveryLog.deliveredAt', { date: dateTime(d.delivered_at) })
                        : d.status === 'pending'
                          ? t('deliveryLog.nextTryAt', { date: dateTime(d.next_attempt_at) })
                          : t('deliveryLog.queuedAt', { date: dateTime(d.created_at) })}
                    </td>
                    <td data-label={t('deliveryLog.actions')}>
                      <button
                        type="button"
                        className="btn"
                        disabled={redeliver.isPending}
                        aria-label={t('deliveryLog.redeliverEvent', { id: d.event_id })}
                        onClick={() => redeliver.mutate(d.id)}
                      >
                        {t('deliveryLog.redeliver')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <ShowMore query={log} what={t('deliveryLog.more')} />
          </>
        );
      }}
    </QueryState>
  );
}
