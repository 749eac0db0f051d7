import { useState, type FormEvent } from 'react';
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
  const { me } = useSession();
  const [status, setStatus] = useState<ClientStatus | ''>('active');
  const [name, setName] = useState('');
  const clients = usePaged(clientsQuery(status));
  const create = useCreateClient();
  return (
    <>
      <h1>Clients</h1>
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
            label="New client's company name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldError(create.error, 'name')}
          />
          <button className="btn btn--primary" type="submit" disabled={!name.trim() || create.isPending}>
            Add client
          </button>
        </form>
      )}
      <SelectField label="Show" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
        <option value="active">Active clients</option>
        <option value="inactive">Inactive clients</option>
        <option value="">All clients</option>
      </SelectField>
      <QueryState query={clients} what="Loading clients">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No clients here yet.</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Company</th>
                  <th scope="col">Status</th>
                  <th scope="col">Since</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((c) => (
                  <tr key={c.id}>
                    <td data-label="Company">
                      <Link to={`/staff/clients/${c.id}`}>{c.name}</Link>
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={c.status} />
                    </td>
                    <td data-label="Since">{date(c.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
      <ShowMore query={clients} what="clients" />
    </>
  );
}

export function ClientDetailPage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const client = useQuery(clientQuery(id));
  return (
    <QueryState query={client} what="Loading the client">
      {(c) => (
        <>
          <p>
            <Link to="/staff/clients">← Clients</Link>
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
      <h2>Account</h2>
      <FormError error={save.error} />
      <div className="grid">
        <TextField
          label="Company name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(save.error, 'name')}
        />
        <SelectField label="Status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="active">Active</option>
          <option value="inactive">Inactive</option>
        </SelectField>
      </div>
      <div className="grid">
        <TextArea
          label="Billing address"
          hint="Printed on invoices and statements under the company name."
          value={billing}
          onChange={(e) => setBilling(e.target.value)}
          error={fieldError(save.error, 'billing_address')}
        />
        <TextField
          label="Tax ID"
          value={taxId}
          onChange={(e) => setTaxId(e.target.value)}
          error={fieldError(save.error, 'tax_id')}
        />
        <LocaleField
          label="Number format"
          value={locale}
          onChange={setLocale}
          error={fieldError(save.error, 'locale')}
          fallback="Empty: the agency's, as set in Portal settings."
        />
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={selfService} onChange={(e) => setSelfService(e.target.checked)} /> Client Admins
        manage their own team
      </label>
      <p className="muted">
        They invite colleagues, change their client roles (never beyond their own) and deactivate them; you are told of
        every change. Off: only the agency gives this account's people access.
      </p>
      <p>
        <Link to={`/staff/clients/${client.id}/statement`}>Statement of account</Link>
      </p>
      <TextArea
        label="Notes for staff"
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
        error={fieldError(save.error, 'notes')}
      />
      <button className="btn btn--primary" type="submit" disabled={save.isPending}>
        Save
      </button>
      {save.isSuccess && <span role="status"> Saved.</span>}
      <DeleteClient client={client} />
    </form>
  );
}

/** Deleting takes the account's contacts with it; the server refuses while anything else is
 * the account's (users, keys, projects, invoices), and says so. */
function DeleteClient({ client }: { client: Schemas['ClientResponse'] }) {
  const remove = useDeleteClient(client.id);
  const navigate = useNavigate();
  return (
    <DangerZone
      label="Delete client"
      ask={
        `Delete ${client.name}? Its contacts are deleted with it. ` +
        'A client with users, API keys, projects or invoices cannot be deleted: set it inactive instead.'
      }
      error={remove.error}
      pending={remove.isPending}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate('/staff/clients') })}
    />
  );
}

function Contacts({ clientId }: { clientId: string }) {
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
      <h2 id="contacts">Contacts</h2>
      <FormError error={invite.error ?? revoke.error ?? viewAs.error ?? remove.error} />
      <QueryState query={contacts} what="Loading contacts">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No contacts yet.</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Portal access</th>
                  <th scope="col">Actions</th>
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
                      <td data-label="Name">
                        {c.name} {c.is_primary && <span className="badge badge--primary">Primary</span>}
                      </td>
                      <td data-label="E-mail">{c.email}</td>
                      <td data-label="Portal access">
                        <StatusBadge status={c.portal_access} />
                        {c.invitation_expires_at && (
                          <div className="muted">link valid until {date(c.invitation_expires_at)}</div>
                        )}
                      </td>
                      <td data-label="Actions" className="actions">
                        {writable &&
                          (c.portal_access === 'none' ||
                            c.portal_access === 'invited' ||
                            c.portal_access === 'invitation_expired') && (
                            <>
                              <SelectField
                                label={`Role for ${c.name}`}
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
                                {c.portal_access === 'none' ? 'Invite to portal' : 'Resend invitation'}
                              </button>
                            </>
                          )}
                        {writable && c.portal_access === 'invited' && (
                          <button type="button" className="btn" onClick={() => revoke.mutate(c.id)}>
                            Revoke invitation
                          </button>
                        )}
                        {writable && !c.is_primary && (
                          <button type="button" className="link" onClick={() => makePrimary.mutate(c.id)}>
                            Make primary
                          </button>
                        )}
                        {c.portal_access === 'active' && c.user_id && can(me, 'impersonate') && (
                          <button type="button" className="btn" onClick={() => startViewingAs(c.user_id!)}>
                            View as {c.name}
                          </button>
                        )}
                        {writable && (
                          <>
                            <button
                              type="button"
                              className="link"
                              aria-label={`Edit ${c.name}`}
                              onClick={() => setEditing(c.id)}
                            >
                              Edit
                            </button>
                            <button
                              type="button"
                              className="link link--danger"
                              aria-label={`Delete ${c.name}`}
                              onClick={() => {
                                const login = c.user_id
                                  ? ' Their portal login stays; deactivate it under Users & roles.'
                                  : '';
                                if (window.confirm(`Delete the contact ${c.name}?${login}`)) remove.mutate(c.id);
                              }}
                            >
                              Delete
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
      <ShowMore query={contacts} what="contacts" />
      {writable && (
        <form
          className="panel"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            add.mutate({ ...form, phone: form.phone || null }, { onSuccess: () => setForm(empty) });
          }}
        >
          <h3>Add a contact</h3>
          <FormError error={add.error} />
          <div className="grid">
            <TextField
              label="Name"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              error={fieldError(add.error, 'name')}
            />
            <TextField
              label="E-mail"
              type="email"
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.target.value })}
              error={fieldError(add.error, 'email')}
            />
            <TextField
              label="Phone"
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
            Primary contact
          </label>
          <button className="btn btn--primary" type="submit" disabled={add.isPending}>
            Add contact
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
  const [form, setForm] = useState({ name: contact.name, email: contact.email, phone: contact.phone ?? '' });
  return (
    <form
      aria-label={`Edit ${contact.name}`}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        update.mutate({ id: contact.id, ...form, phone: form.phone || null }, { onSuccess: done });
      }}
    >
      <FormError error={update.error} />
      <div className="grid">
        <TextField
          label="Name"
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          error={fieldError(update.error, 'name')}
        />
        <TextField
          label="E-mail"
          type="email"
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
          error={fieldError(update.error, 'email')}
        />
        <TextField
          label="Phone"
          value={form.phone}
          onChange={(e) => setForm({ ...form, phone: e.target.value })}
          error={fieldError(update.error, 'phone')}
        />
      </div>
      <button className="btn btn--primary" type="submit" disabled={update.isPending}>
        Save contact
      </button>{' '}
      <button type="button" className="btn" onClick={done}>
        Cancel
      </button>
    </form>
  );
}

function ClientProjects({ clientId }: { clientId: string }) {
  const projects = usePaged(clientProjectsQuery(clientId));
  return (
    <section aria-labelledby="client-projects">
      <h2 id="client-projects">Projects</h2>
      <QueryState query={projects} what="Loading projects">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No projects yet.</Empty>
          ) : (
            <ul className="plain">
              {page.items.map((p) => (
                <li key={p.id}>
                  <Link to={`/staff/projects/${p.id}`}>{p.name}</Link> <StatusBadge status={p.status} />{' '}
                  <span className="muted">{p.progress.percent}% done</span>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      <ShowMore query={projects} what="projects" />
    </section>
  );
}
