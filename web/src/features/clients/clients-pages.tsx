import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { usePaged } from '@/lib/api/paging';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { Schemas } from '@/lib/api/client';
import { can } from '@/lib/authorization';
import { date } from '@/lib/format';
import { session, useSession } from '@/lib/session';
import { StatusBadge } from '@/components/ui/badge';
import { SelectField, TextArea, TextField } from '@/components/ui/field';
import { LocaleField } from '@/components/ui/locale-field';
import { DangerZone } from '@/components/ui/danger-zone';
import { Empty, FormError, QueryState, fieldError, ShowMore } from '@/components/ui/states';
import {
  clientProjectsQuery,
  clientQuery,
  clientRolesQuery,
  clientsQuery,
  contactsQuery,
  useContactActions,
  useDeleteClient,
  useCreateClient,
  useUpdateClient,
  useViewAs,
  type ClientStatus,
} from './api';

export function ClientsPage() {
  const { t } = useTranslation(['clients', 'common']);
  const { me } = useSession();
  const [status, setStatus] = useState<ClientStatus | ''>('active');
  const [name, setName] = useState('');
  const clients = usePaged(clientsQuery(status));
  const create = useCreateClient();
  return (
    <>
      <h1>{t('clientList.title')}</h1>
      {can(me, 'clients.write') && (
        <form
          className="panel inline-form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            create.mutate({ name }, { onSuccess: () => setName('') });
          }}
        >
          <FormError error={create.error} />
          <TextField
            label={t('clientList.newName')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldError(create.error, 'name')}
          />
          <button className="btn btn--primary" type="submit" disabled={!name.trim() || create.isPending}>
            {t('clientList.add')}
          </button>
        </form>
      )}
      <SelectField
        label={t('clientList.show')}
        value={status}
        onChange={(e) => setStatus(e.target.value as typeof status)}
      >
        <option value="active">{t('clientList.showActive')}</option>
        <option value="inactive">{t('clientList.showInactive')}</option>
        <option value="">{t('clientList.showAll')}</option>
      </SelectField>
      <QueryState query={clients} what={t('clientList.loading')}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{t('clientList.empty')}</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('clientList.company')}</th>
                  <th scope="col">{t('clientList.status')}</th>
                  <th scope="col">{t('clientList.since')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((c) => (
                  <tr key={c.id}>
                    <td data-label={t('clientList.company')}>
                      <Link to={`/staff/clients/${c.id}`}>{c.name}</Link>
                    </td>
                    <td data-label={t('clientList.status')}>
                      <StatusBadge status={c.status} />
                    </td>
                    <td data-label={t('clientList.since')}>{date(c.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
      <ShowMore query={clients} what={t('clientList.more')} />
    </>
  );
}

export function ClientDetailPage() {
  const { t } = useTranslation('clients');
  const { id = '' } = useParams();
  const { me } = useSession();
  const client = useQuery(clientQuery(id));
  return (
    <QueryState query={client} what={t('clientPage.loading')}>
      {(c) => (
        <>
          <p>
            <Link to="/staff/clients">{t('clientPage.back')}</Link>
          </p>
          <h1>{c.name}</h1>
          {can(me, 'clients.write') && <ClientEditor key={c.updated_at} client={c} />}
          <Contacts clientId={c.id} />
          <ClientProjects clientId={c.id} />
        </>
      )}
    </QueryState>
  );
}

function ClientEditor({ client }: { client: Schemas['ClientResponse'] }) {
  const { t } = useTranslation(['clients', 'common']);
  const [name, setName] = useState(client.name);
  const [notes, setNotes] = useState(client.notes ?? '');
  const [status, setStatus] = useState(client.status);
  const [billing, setBilling] = useState(client.billing_address ?? '');
  const [taxId, setTaxId] = useState(client.tax_id ?? '');
  const [locale, setLocale] = useState(client.locale ?? '');
  const [selfService, setSelfService] = useState(client.team_self_service);
  const save = useUpdateClient(client.id);
  return (
    <form
      className="panel"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate({
          name,
          notes: notes || null,
          status,
          billing_address: billing || null,
          tax_id: taxId || null,
          locale: locale.trim() || null,
          team_self_service: selfService,
        });
      }}
    >
      <h2>{t('account.title')}</h2>
      <FormError error={save.error} />
      <div className="grid">
        <TextField
          label={t('account.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(save.error, 'name')}
        />
        <SelectField
          label={t('account.status')}
          value={status}
          onChange={(e) => setStatus(e.target.value as typeof status)}
        >
          <option value="active">{t('common:status.active')}</option>
          <option value="inactive">{t('common:status.inactive')}</option>
        </SelectField>
      </div>
      <div className="grid">
        <TextArea
          label={t('account.billingAddress')}
          hint={t('account.billingAddressHint')}
          value={billing}
          onChange={(e) => setBilling(e.target.value)}
          error={fieldError(save.error, 'billing_address')}
        />
        <TextField
          label={t('account.taxId')}
          value={taxId}
          onChange={(e) => setTaxId(e.target.value)}
          error={fieldError(save.error, 'tax_id')}
        />
        <LocaleField
          label={t('account.locale')}
          value={locale}
          onChange={setLocale}
          error={fieldError(save.error, 'locale')}
          fallback={t('account.localeFallback')}
        />
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={selfService} onChange={(e) => setSelfService(e.target.checked)} />{' '}
        {t('account.selfService')}
      </label>
      <p className="muted">{t('account.selfServiceHint')}</p>
      <p>
        <Link to={`/staff/clients/${client.id}/statement`}>{t('account.statement')}</Link>
      </p>
      <TextArea
        label={t('account.notes')}
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
        error={fieldError(save.error, 'notes')}
      />
      <button className="btn btn--primary" type="submit" disabled={save.isPending}>
        {t('common:action.save')}
      </button>
      {save.isSuccess && <span role="status"> {t('account.saved')}</span>}
      <DeleteClient client={client} />
    </form>
  );
}

/** Deleting takes the account's contacts with it; the server refuses while anything else is
 * the account's (users, keys, projects, invoices), and says so. */
function DeleteClient({ client }: { client: Schemas['ClientResponse'] }) {
  const { t } = useTranslation('clients');
  const remove = useDeleteClient(client.id);
  const navigate = useNavigate();
  return (
    <DangerZone
      label={t('deleteClient.label')}
      ask={t('deleteClient.ask', { name: client.name })}
      error={remove.error}
      pending={remove.isPending}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate('/staff/clients') })}
    />
  );
}

function Contacts({ clientId }: { clientId: string }) {
  const { t } = useTranslation(['clients', 'common']);
  const { me } = useSession();
  const navigate = useNavigate();
  const contacts = usePaged(contactsQuery(clientId));
  // The roles come from the API, custom ones included; a contact is invited with one of them.
  const roles = useQuery({ ...clientRolesQuery(), enabled: can(me, 'clients.write') });
  const empty = { name: '', email: '', phone: '', is_primary: false };
  const [form, setForm] = useState(empty);
  const [inviteRole, setInviteRole] = useState<Record<string, string>>({});
  const { add, invite, revoke, makePrimary, update, remove } = useContactActions(clientId);
  const [editing, setEditing] = useState<string | null>(null);
  const viewAs = useViewAs();
  const startViewingAs = (userId: string) =>
    viewAs.mutate(userId, {
      onSuccess: (r) => {
        session.startViewingAs(r);
        navigate('/');
      },
    });
  const writable = can(me, 'clients.write');
  return (
    <section aria-labelledby="contacts">
      <h2 id="contacts">{t('contacts.title')}</h2>
      <FormError error={invite.error ?? revoke.error ?? viewAs.error ?? remove.error} />
      <QueryState query={contacts} what={t('contacts.loading')}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{t('contacts.empty')}</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('contacts.name')}</th>
                  <th scope="col">{t('contacts.email')}</th>
                  <th scope="col">{t('contacts.access')}</th>
                  <th scope="col">{t('contacts.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((c) =>
                  editing === c.id ? (
                    <tr key={c.id}>
                      <td colSpan={4}>
                        <ContactEditor contact={c} update={update} done={() => setEditing(null)} />
                      </td>
                    </tr>
                  ) : (
                    <tr key={c.id}>
                      <td data-label={t('contacts.name')}>
                        {c.name} {c.is_primary && <span className="badge badge--primary">{t('contacts.primary')}</span>}
                      </td>
                      <td data-label={t('contacts.email')}>{c.email}</td>
                      <td data-label={t('contacts.access')}>
                        <StatusBadge status={c.portal_access} />
                        {c.invitation_expires_at && (
                          <div className="muted">
                            {t('contacts.linkValidUntil', { date: date(c.invitation_expires_at) })}
                          </div>
                        )}
                      </td>
                      <td data-label={t('contacts.actions')} className="actions">
                        {writable &&
                          (c.portal_access === 'none' ||
                            c.portal_access === 'invited' ||
                            c.portal_access === 'invitation_expired') && (
                            <>
                              <SelectField
                                label={t('contacts.roleFor', { name: c.name })}
                                value={inviteRole[c.id] ?? 'client'}
                                onChange={(e) => setInviteRole({ ...inviteRole, [c.id]: e.target.value })}
                              >
                                {(roles.data ?? []).map((r) => (
                                  <option key={r.key} value={r.key}>
                                    {r.name}
                                  </option>
                                ))}
                              </SelectField>
                              <button
                                type="button"
                                className="btn"
                                onClick={() => invite.mutate({ id: c.id, role: inviteRole[c.id] ?? 'client' })}
                              >
                                {c.portal_access === 'none' ? t('contacts.invite') : t('contacts.resend')}
                              </button>
                            </>
                          )}
                        {writable && c.portal_access === 'invited' && (
                          <button type="button" className="btn" onClick={() => revoke.mutate(c.id)}>
                            {t('contacts.revoke')}
                          </button>
                        )}
                        {writable && !c.is_primary && (
                          <button type="button" className="link" onClick={() => makePrimary.mutate(c.id)}>
                            {t('contacts.makePrimary')}
                          </button>
                        )}
                        {c.portal_access === 'active' && c.user_id && can(me, 'impersonate') && (
                          <button type="button" className="btn" onClick={() => startViewingAs(c.user_id!)}>
                            {t('contacts.viewAs', { name: c.name })}
                          </button>
                        )}
                        {writable && (
                          <>
                            <button
                              type="button"
                              className="link"
                              aria-label={t('contacts.editName', { name: c.name })}
                              onClick={() => setEditing(c.id)}
                            >
                              {t('common:action.edit')}
                            </button>
                            <button
                              type="button"
                              className="link link--danger"
                              aria-label={t('contacts.deleteName', { name: c.name })}
                              onClick={() => {
                                const ask = c.user_id
                                  ? t('contacts.confirmDeleteWithLogin', { name: c.name })
                                  : t('contacts.confirmDelete', { name: c.name });
                                if (window.confirm(ask)) remove.mutate(c.id);
                              }}
                            >
                              {t('common:action.delete')}
                            </button>
                          </>
                        )}
                      </td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          )
        }
      </QueryState>
      <ShowMore query={contacts} what={t('contacts.more')} />
      {writable && (
        <form
          className="panel"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            add.mutate({ ...form, phone: form.phone || null }, { onSuccess: () => setForm(empty) });
          }}
        >
          <h3>{t('contacts.addTitle')}</h3>
          <FormError error={add.error} />
          <div className="grid">
            <TextField
              label={t('contacts.name')}
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              error={fieldError(add.error, 'name')}
            />
            <TextField
              label={t('contacts.email')}
              type="email"
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.target.value })}
              error={fieldError(add.error, 'email')}
            />
            <TextField
              label={t('contacts.phone')}
              value={form.phone}
              onChange={(e) => setForm({ ...form, phone: e.target.value })}
              error={fieldError(add.error, 'phone')}
            />
          </div>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.is_primary}
              onChange={(e) => setForm({ ...form, is_primary: e.target.checked })}
            />{' '}
            {t('contacts.primaryContact')}
          </label>
          <button className="btn btn--primary" type="submit" disabled={add.isPending}>
            {t('contacts.add')}
          </button>
        </form>
      )}
    </section>
  );
}

type ContactUpdate = ReturnType<typeof useContactActions>['update'];

/** A contact's name, e-mail and phone, edited in place; a failed save keeps what was typed. */
function ContactEditor({
  contact,
  update,
  done,
}: {
  contact: Schemas['ContactResponse'];
  update: ContactUpdate;
  done: () => void;
}) {
  const { t } = useTranslation(['clients', 'common']);
  const [form, setForm] = useState({ name: contact.name, email: contact.email, phone: contact.phone ?? '' });
  return (
    <form
      aria-label={t('contacts.editName', { name: contact.name })}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        update.mutate({ id: contact.id, ...form, phone: form.phone || null }, { onSuccess: done });
      }}
    >
      <FormError error={update.error} />
      <div className="grid">
        <TextField
          label={t('contacts.name')}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          error={fieldError(update.error, 'name')}
        />
        <TextField
          label={t('contacts.email')}
          type="email"
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
          error={fieldError(update.error, 'email')}
        />
        <TextField
          label={t('contacts.phone')}
          value={form.phone}
          onChange={(e) => setForm({ ...form, phone: e.target.value })}
          error={fieldError(update.error, 'phone')}
        />
      </div>
      <button className="btn btn--primary" type="submit" disabled={update.isPending}>
        {t('contacts.save')}
      </button>{' '}
      <button type="button" className="btn" onClick={done}>
        {t('common:action.cancel')}
      </button>
    </form>
  );
}

function ClientProjects({ clientId }: { clientId: string }) {
  const { t } = useTranslation('clients');
  const projects = usePaged(clientProjectsQuery(clientId));
  return (
    <section aria-labelledby="client-projects">
      <h2 id="client-projects">{t('projects.title')}</h2>
      <QueryState query={projects} what={t('projects.loading')}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{t('projects.empty')}</Empty>
          ) : (
            <ul className="plain">
              {page.items.map((p) => (
                <li key={p.id}>
                  <Link to={`/staff/projects/${p.id}`}>{p.name}</Link> <StatusBadge status={p.status} />{' '}
                  <span className="muted">{t('projects.percentDone', { percent: p.progress.percent })}</span>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      <ShowMore query={projects} what={t('projects.more')} />
    </section>
  );
}
