import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('audit');
  const [filters, setFilters] = useState<AuditFilters>({});
  const [names, setNames] = useState<{ actor?: string; target?: string }>({});
  const log = useInfiniteQuery(auditLogQuery(filters));
  const narrow = (more: AuditFilters, label?: { actor?: string; target?: string }) => {
    setFilters((f) => ({ ...f, ...more }));
    if (label) setNames((n) => ({ ...n, ...label }));
  };
  return (
    <>
      <h1>{t('page.title')}</h1>
      <p className="muted">{t('page.intro')}</p>
      <Filters filters={filters} names={names} apply={setFilters} clear={(f, n) => (setFilters(f), setNames(n))} />
      <QueryState query={log} what={t('page.loading')}>
        {(data) => {
          const rows = data.pages.flatMap((p) => p.items);
          if (rows.length === 0) return <Empty>{t('page.empty')}</Empty>;
          return (
            <>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('table.when')}</th>
                    <th scope="col">{t('table.who')}</th>
                    <th scope="col">{t('table.action')}</th>
                    <th scope="col">{t('table.on')}</th>
                    <th scope="col">{t('table.details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((e) => (
                    <EventRow key={e.id} e={e} narrow={narrow} />
                  ))}
                </tbody>
              </table>
              <ShowMore query={log} what={t('table.more')} />
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
  const { t } = useTranslation('audit');
  const clients = useQuery(activeClientsQuery());
  const [action, setAction] = useState(filters.action ?? '');
  const [client, setClient] = useState(filters.client_id ?? '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const hidden = <span className="visually-hidden" />;
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
    <form className="panel filters" onSubmit={submit} aria-label={t('filters.label')}>
      <TextField
        label={t('filters.action')}
        list="audit-actions"
        value={action}
        onChange={(e) => setAction(e.target.value)}
      />
      <datalist id="audit-actions">
        {KNOWN_ACTIONS.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <SelectField label={t('filters.client')} value={client} onChange={(e) => setClient(e.target.value)}>
        <option value="">{t('filters.anyClient')}</option>
        {clients.data?.items.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <TextField label={t('filters.from')} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      <TextField label={t('filters.to')} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      <button type="submit" className="btn btn--primary">
        {t('filters.apply')}
      </button>
      {filters.actor_id && (
        <button
          type="button"
          className="btn"
          onClick={() => clear({ ...filters, actor_id: undefined }, { ...names, actor: undefined })}
        >
          {names.actor ? (
            <Trans t={t} i18nKey="filters.byPerson" values={{ name: names.actor }} components={{ hidden }} />
          ) : (
            <Trans t={t} i18nKey="filters.byOnePerson" components={{ hidden }} />
          )}
        </button>
      )}
      {filters.target_id && (
        <button
          type="button"
          className="btn"
          onClick={() => clear({ ...filters, target_id: undefined }, { ...names, target: undefined })}
        >
          {names.target ? (
            <Trans t={t} i18nKey="filters.onTarget" values={{ target: names.target }} components={{ hidden }} />
          ) : (
            <Trans t={t} i18nKey="filters.onOneTarget" components={{ hidden }} />
          )}
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
  const { t } = useTranslation(['audit', 'common']);
  const who = e.actor_name ?? (e.actor_id ? t('eventRow.someoneRemoved') : t('eventRow.nobody'));
  const target = `${e.target_type}${e.target_id ? ` ${e.target_id.slice(0, 8)}` : ''}`;
  const details = Object.entries((e.details ?? {}) as Record<string, unknown>);
  return (
    <tr>
      <td data-label={t('table.when')}>{dateTime(e.at)}</td>
      <td data-label={t('table.who')}>
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
        {e.acting_as_id && <div className="muted">{t('eventRow.viewingAs')}</div>}
        {e.api_key_name && <div className="muted">{t('eventRow.withKey', { name: e.api_key_name })}</div>}
      </td>
      <td data-label={t('table.action')}>
        <code>{e.action}</code>
      </td>
      <td data-label={t('table.on')}>
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
      <td data-label={t('table.details')}>
        {details.length === 0
          ? t('common:none')
          : details.map(([k, v]) => (
              <div key={k}>
                {t('eventRow.detail', { field: k, value: typeof v === 'string' ? v : JSON.stringify(v) })}
              </div>
            ))}
      </td>
    </tr>
  );
}
