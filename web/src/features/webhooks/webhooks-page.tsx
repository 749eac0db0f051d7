import { useId, useState, type FormEvent } from 'react';
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
  const actions = useWebhookActions();
  const endpoints = useQuery(webhooksQuery());
  const [secret, setSecret] = useState<Webhook | null>(null);
  return (
    <>
      <h1>Webhooks</h1>
      <p className="muted">
        Portico sends each chosen event to the endpoint as JSON, signed with the endpoint&apos;s secret in the{' '}
        <code>Portico-Signature</code> header, and retries a failed delivery with growing pauses.
      </p>
      {secret?.secret && (
        <section className="panel" aria-labelledby="webhook-secret">
          <h2 id="webhook-secret">The signing secret of {secret.url}</h2>
          <p role="status">Copy it now: it is not shown again.</p>
          <TextField label="Signing secret" readOnly value={secret.secret} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="btn" onClick={() => setSecret(null)}>
            I have kept it
          </button>
        </section>
      )}
      <QueryState query={endpoints} what="Loading webhooks">
        {(list) =>
          list.length === 0 ? (
            <Empty>No webhook endpoints yet.</Empty>
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
        title="New endpoint"
        submitLabel="Add endpoint"
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
  const clients = useQuery({ ...activeClientsQuery(), enabled: !!withClient });
  const [url, setUrl] = useState(initial?.url ?? '');
  const eventKinds = useQuery(eventKindsQuery());
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
        label="URL"
        type="url"
        required
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        error={fieldError(error, 'url')}
        hint="An https:// address the server can reach."
      />
      {withClient && (
        <SelectField
          label="Events of"
          value={client}
          onChange={(e) => setClient(e.target.value)}
          error={fieldError(error, 'client_id')}
        >
          <option value="">Every client</option>
          {clients.data?.items.map((c) => (
            <option key={c.id} value={c.id}>
              Only {c.name}
            </option>
          ))}
        </SelectField>
      )}
      <fieldset>
        <legend>Events</legend>
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
          Cancel
        </button>
      )}
    </form>
  );
}

function Endpoint({ w, actions }: { w: Webhook; actions: Actions }) {
  const [editing, setEditing] = useState(false);
  const [showLog, setShowLog] = useState(false);
  const { update, remove } = actions;
  if (editing) {
    return (
      <EndpointForm
        title={`Edit ${w.url}`}
        submitLabel="Save endpoint"
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
    <section className="panel" aria-label={`Endpoint ${w.url}`}>
      <h2>
        <code>{w.url}</code> <StatusBadge status={w.active ? 'active' : 'paused'} />
      </h2>
      <p className="muted">
        {w.client_id ? 'One client account' : 'Every client'} · since {dateTime(w.created_at)}
      </p>
      <p>{w.event_types.join(', ')}</p>
      <FormError error={remove.error} />
      <button type="button" className="btn" onClick={() => setEditing(true)}>
        Edit
      </button>{' '}
      <button
        type="button"
        className="btn"
        disabled={update.isPending}
        onClick={() => update.mutate({ id: w.id, active: !w.active })}
      >
        {w.active ? 'Pause' : 'Resume'}
      </button>{' '}
      <button type="button" className="btn" aria-expanded={showLog} onClick={() => setShowLog((s) => !s)}>
        {showLog ? 'Hide deliveries' : 'Deliveries'}
      </button>{' '}
      <button
        type="button"
        className="btn btn--danger"
        disabled={remove.isPending}
        onClick={() => {
          if (window.confirm(`Delete the endpoint ${w.url}? Nothing more is sent to it, and its delivery log goes.`))
            remove.mutate(w.id);
        }}
      >
        Delete
      </button>
      {showLog && <DeliveryLog id={w.id} actions={actions} />}
    </section>
  );
}

function DeliveryLog({ id, actions }: { id: string; actions: Actions }) {
  const log = useInfiniteQuery(deliveriesQuery(id));
  const { redeliver } = actions;
  return (
    <QueryState query={log} what="Loading deliveries">
      {(data) => {
        const rows = data.pages.flatMap((p) => p.items);
        if (rows.length === 0) return <Empty>Nothing has been sent to this endpoint yet.</Empty>;
        return (
          <>
            <FormError error={redeliver.error} />
            {redeliver.isSuccess && <p role="status">Queued to be sent again.</p>}
            <table className="table">
              <caption className="visually-hidden">Deliveries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last answer</th>
                  <th scope="col">When</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => (
                  <tr key={d.id}>
                    <td data-label="Event">
                      <code>{d.kind}</code> #{d.event_id}
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={d.status} />
                    </td>
                    <td data-label="Attempts">{d.attempts}</td>
                    <td data-label="Last answer">
                      {d.last_status ? `HTTP ${d.last_status}` : '—'}
                      {d.last_error && <div className="muted">{d.last_error}</div>}
                    </td>
                    <td data-label="When">
                      {d.delivered_at
                        ? `Delivered ${dateTime(d.delivered_at)}`
                        : d.status === 'pending'
                          ? `Next try ${dateTime(d.next_attempt_at)}`
                          : `Queued ${dateTime(d.created_at)}`}
                    </td>
                    <td data-label="Actions">
                      <button
                        type="button"
                        className="btn"
                        disabled={redeliver.isPending}
                        aria-label={`Redeliver event ${d.event_id}`}
                        onClick={() => redeliver.mutate(d.id)}
                      >
                        Redeliver
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <ShowMore query={log} what="deliveries" />
          </>
        );
      }}
    </QueryState>
  );
}
