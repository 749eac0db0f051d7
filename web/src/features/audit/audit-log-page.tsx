import { useState, type FormEvent } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { activeClientsQuery } from '@/lib/api/shared';
import { dateTime } from '@/lib/format';
import { SelectField, TextField } from '@/components/ui/field';
import { Empty, QueryState, ShowMore } from '@/components/ui/states';
import { auditLogQuery, type AuditEvent, type AuditFilters } from './api';

/** Actions the log records, offered as suggestions; any exact action can be typed. */
export const KNOWN_ACTIONS = [
  'login',
  'login.failed',
  'password.changed',
  'password.reset',
  'impersonation.started',
  'impersonation.ended',
  'invitation.sent',
  'invitation.resent',
  'invitation.revoked',
  'invitation.accepted',
  'user.created',
  'user.role_changed',
  'user.deactivated',
  'user.reactivated',
  'user.signed_out_everywhere',
  'session.ended',
  'session.ended_others',
  'two_factor.enabled',
  'two_factor.disabled',
  'two_factor.reset',
  'two_factor.recovery_codes_replaced',
  'role.created',
  'role.permissions_changed',
  'role.two_factor_changed',
  'role.deleted',
  'api_key.created',
  'api_key.revoked',
  'client.created',
  'client.deleted',
  'contact.deleted',
  'project.deleted',
  'task.deleted',
  'comment.deleted',
  'comment.visibility_changed',
  'file.created',
  'file.version_added',
  'file.deleted',
  'review.requested',
  'review.decided',
  'invoice.drafted',
  'invoice.deleted',
  'settings.updated',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
];

/** A date field's day as the instant it starts, here; `endOfDay` for the instant it ends. */
function dayStart(day: string, endOfDay = false): string | undefined {
  if (!day) return undefined;
  const at = new Date(`${day}T00:00:00`);
  if (endOfDay) at.setDate(at.getDate() + 1);
  return at.toISOString();
}

/** Admins' page: every audited action, narrowed by action, person, target, client and period. */
export function AuditLogPage() {
  const [filters, setFilters] = useState<AuditFilters>({});
  const [names, setNames] = useState<{ actor?: string; target?: string }>({});
  const log = useInfiniteQuery(auditLogQuery(filters));
  const narrow = (more: AuditFilters, label?: { actor?: string; target?: string }) => {
    setFilters((f) => ({ ...f, ...more }));
    if (label) setNames((n) => ({ ...n, ...label }));
  };
  return (
    <>
      <h1>Audit log</h1>
      <p className="muted">
        Who signed in, viewed the portal as someone, invited, changed access, deleted or configured what, and when.
        Newest first.
      </p>
      <Filters filters={filters} names={names} apply={setFilters} clear={(f, n) => (setFilters(f), setNames(n))} />
      <QueryState query={log} what="Loading the audit log">
        {(data) => {
          const rows = data.pages.flatMap((p) => p.items);
          if (rows.length === 0) return <Empty>Nothing was recorded that matches.</Empty>;
          return (
            <>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">Action</th>
                    <th scope="col">On</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((e) => (
                    <EventRow key={e.id} e={e} narrow={narrow} />
                  ))}
                </tbody>
              </table>
              <ShowMore query={log} what="entries" />
            </>
          );
        }}
      </QueryState>
    </>
  );
}

function Filters({
  filters,
  names,
  apply,
  clear,
}: {
  filters: AuditFilters;
  names: { actor?: string; target?: string };
  apply: (f: AuditFilters) => void;
  clear: (f: AuditFilters, n: { actor?: string; target?: string }) => void;
}) {
  const clients = useQuery(activeClientsQuery());
  const [action, setAction] = useState(filters.action ?? '');
  const [client, setClient] = useState(filters.client_id ?? '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply({
      ...filters,
      action: action.trim() || undefined,
      client_id: client || undefined,
      since: dayStart(from),
      until: dayStart(to, true),
    });
  };
  return (
    <form className="panel filters" onSubmit={submit} aria-label="Filter the audit log">
      <TextField label="Action" list="audit-actions" value={action} onChange={(e) => setAction(e.target.value)} />
      <datalist id="audit-actions">
        {KNOWN_ACTIONS.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <SelectField label="Client" value={client} onChange={(e) => setClient(e.target.value)}>
        <option value="">Any client, or none</option>
        {clients.data?.items.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <TextField label="From" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      <TextField label="To" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      <button type="submit" className="btn btn--primary">
        Apply filters
      </button>
      {filters.actor_id && (
        <button
          type="button"
          className="btn"
          onClick={() => clear({ ...filters, actor_id: undefined }, { ...names, actor: undefined })}
        >
          By {names.actor ?? 'one person'} ✕<span className="visually-hidden"> (stop filtering by this person)</span>
        </button>
      )}
      {filters.target_id && (
        <button
          type="button"
          className="btn"
          onClick={() => clear({ ...filters, target_id: undefined }, { ...names, target: undefined })}
        >
          On {names.target ?? 'one target'} ✕<span className="visually-hidden"> (stop filtering by this target)</span>
        </button>
      )}
    </form>
  );
}

function EventRow({
  e,
  narrow,
}: {
  e: AuditEvent;
  narrow: (f: AuditFilters, label?: { actor?: string; target?: string }) => void;
}) {
  const who = e.actor_name ?? (e.actor_id ? 'Someone since removed' : 'Nobody signed in');
  const target = `${e.target_type}${e.target_id ? ` ${e.target_id.slice(0, 8)}` : ''}`;
  const details = Object.entries((e.details ?? {}) as Record<string, unknown>);
  return (
    <tr>
      <td data-label="When">{dateTime(e.at)}</td>
      <td data-label="Who">
        {e.actor_id ? (
          <button
            type="button"
            className="link"
            onClick={() => narrow({ actor_id: e.actor_id ?? undefined }, { actor: who })}
          >
            {who}
          </button>
        ) : (
          who
        )}
        {e.acting_as_id && <div className="muted">viewing as someone</div>}
        {e.api_key_name && <div className="muted">with the key “{e.api_key_name}”</div>}
      </td>
      <td data-label="Action">
        <code>{e.action}</code>
      </td>
      <td data-label="On">
        {e.target_id ? (
          <button
            type="button"
            className="link"
            onClick={() => narrow({ target_id: e.target_id ?? undefined }, { target })}
          >
            {target}
          </button>
        ) : (
          target
        )}
      </td>
      <td data-label="Details">
        {details.length === 0
          ? '—'
          : details.map(([k, v]) => (
              <div key={k}>
                {k}: {typeof v === 'string' ? v : JSON.stringify(v)}
              </div>
            ))}
      </td>
    </tr>
  );
}
