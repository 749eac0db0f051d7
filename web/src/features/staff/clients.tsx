import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { unwrap } from '@/lib/api/problem';
import { can } from '@/lib/authorization';
import { date, label } from '@/lib/format';
import { session, useSession } from '@/lib/session';
import { StatusBadge } from '@/components/ui/Badge';
import { SelectField, TextArea, TextField } from '@/components/ui/Field';
import { Empty, FormError, QueryState, fieldError } from '@/components/ui/States';

export function ClientsPage() {
  const { me } = useSession();
  const qc = useQueryClient();
  const [status, setStatus] = useState<'' | 'active' | 'inactive'>('active');
  const [name, setName] = useState('');
  const clients = useQuery({
    queryKey: ['clients', status],
    queryFn: async () => unwrap(await api.GET('/api/v1/clients', { params: { query: { limit: 200, ...(status ? { status } : {}) } } })),
  });
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/clients', { body: { name } })),
    onSuccess: () => {
      setName('');
      void qc.invalidateQueries({ queryKey: ['clients'] });
    },
  });
  return (
    <>
      <h1>Clients</h1>
      {can(me, 'clients.write') && (
        <form
          className="panel inline-form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <FormError error={create.error} />
          <TextField label="New client's company name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(create.error, 'name')} />
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
                    <td>
                      <Link to={`/staff/clients/${c.id}`}>{c.name}</Link>
                    </td>
                    <td>
                      <StatusBadge status={c.status} />
                    </td>
                    <td>{date(c.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </>
  );
}

export function ClientDetailPage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const client = useQuery({
    queryKey: ['clients', 'one', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/clients/{id}', { params: { path: { id } } })),
  });
  return (
    <QueryState query={client} what="Loading the client">
      {(c) => (
        <>
          <p>
            <Link to="/staff/clients">← Clients</Link>
          </p>
          <h1>{c.name}</h1>
          {can(me, 'clients.write') && <ClientEditor client={c} />}
          <Contacts clientId={c.id} />
          <ClientProjects clientId={c.id} />
        </>
      )}
    </QueryState>
  );
}

function ClientEditor({ client }: { client: Schemas['ClientResponse'] }) {
  const qc = useQueryClient();
  const [name, setName] = useState(client.name);
  const [notes, setNotes] = useState(client.notes ?? '');
  const [status, setStatus] = useState(client.status);
  const save = useMutation({
    mutationFn: async () => unwrap(await api.PATCH('/api/v1/clients/{id}', { params: { path: { id: client.id } }, body: { name, notes: notes || null, status } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['clients'] }),
  });
  return (
    <form
      className="panel"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2>Account</h2>
      <FormError error={save.error} />
      <div className="grid">
        <TextField label="Company name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(save.error, 'name')} />
        <SelectField label="Status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="active">Active</option>
          <option value="inactive">Inactive</option>
        </SelectField>
      </div>
      <TextArea label="Notes for staff" value={notes} onChange={(e) => setNotes(e.target.value)} error={fieldError(save.error, 'notes')} />
      <button className="btn btn--primary" type="submit" disabled={save.isPending}>
        Save
      </button>
      {save.isSuccess && <span role="status"> Saved.</span>}
    </form>
  );
}

const CLIENT_ROLES = ['client', 'client_admin', 'client_finance', 'client_viewer'];

function Contacts({ clientId }: { clientId: string }) {
  const { me } = useSession();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const key = ['clients', clientId, 'contacts'];
  const contacts = useQuery({
    queryKey: key,
    queryFn: async () => unwrap(await api.GET('/api/v1/clients/{id}/contacts', { params: { path: { id: clientId }, query: { limit: 200 } } })),
  });
  const roles = useQuery({
    queryKey: ['roles', 'client'],
    queryFn: async () => unwrap(await api.GET('/api/v1/roles', { params: { query: { kind: 'client' } } })),
    enabled: can(me, 'clients.write'),
  });
  const [form, setForm] = useState({ name: '', email: '', phone: '', is_primary: false });
  const [inviteRole, setInviteRole] = useState<Record<string, string>>({});
  const refresh = () => qc.invalidateQueries({ queryKey: key });
  const add = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/clients/{id}/contacts', { params: { path: { id: clientId } }, body: { ...form, phone: form.phone || null } })),
    onSuccess: () => {
      setForm({ name: '', email: '', phone: '', is_primary: false });
      void refresh();
    },
  });
  const invite = useMutation({
    mutationFn: async ({ id, role }: { id: string; role: string }) => unwrap(await api.POST('/api/v1/contacts/{id}/invite', { params: { path: { id } }, body: { role } })),
    onSuccess: () => void refresh(),
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/contacts/{id}/invite/revoke', { params: { path: { id } } })),
    onSuccess: () => void refresh(),
  });
  const makePrimary = useMutation({
    mutationFn: async (id: string) => unwrap(await api.PATCH('/api/v1/contacts/{id}', { params: { path: { id } }, body: { is_primary: true } })),
    onSuccess: () => void refresh(),
  });
  const viewAs = useMutation({
    mutationFn: async (userId: string) => unwrap(await api.POST('/api/v1/auth/impersonate', { body: { user_id: userId } })),
    onSuccess: (r) => {
      session.startViewingAs(r);
      navigate('/');
    },
  });
  const writable = can(me, 'clients.write');
  return (
    <section aria-labelledby="contacts">
      <h2 id="contacts">Contacts</h2>
      <FormError error={invite.error ?? revoke.error ?? viewAs.error} />
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
                {page.items.map((c) => (
                  <tr key={c.id}>
                    <td>
                      {c.name} {c.is_primary && <span className="badge badge--primary">Primary</span>}
                    </td>
                    <td>{c.email}</td>
                    <td>
                      <StatusBadge status={c.portal_access} />
                      {c.invitation_expires_at && <div className="muted">link valid until {date(c.invitation_expires_at)}</div>}
                    </td>
                    <td className="actions">
                      {writable && (c.portal_access === 'none' || c.portal_access === 'invited' || c.portal_access === 'invitation_expired') && (
                        <>
                          <SelectField label={`Role for ${c.name}`} value={inviteRole[c.id] ?? 'client'} onChange={(e) => setInviteRole({ ...inviteRole, [c.id]: e.target.value })}>
                            {(roles.data?.map((r) => r.key) ?? CLIENT_ROLES).map((r) => (
                              <option key={r} value={r}>
                                {label(r)}
                              </option>
                            ))}
                          </SelectField>
                          <button type="button" className="btn" onClick={() => invite.mutate({ id: c.id, role: inviteRole[c.id] ?? 'client' })}>
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
                        <button type="button" className="btn" onClick={() => viewAs.mutate(c.user_id!)}>
                          View as {c.name}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
      {writable && (
        <form
          className="panel"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <h3>Add a contact</h3>
          <FormError error={add.error} />
          <div className="grid">
            <TextField label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={fieldError(add.error, 'name')} />
            <TextField label="E-mail" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} error={fieldError(add.error, 'email')} />
            <TextField label="Phone" value={form.phone} onChange={(e) => setForm({ ...form, phone: e.target.value })} error={fieldError(add.error, 'phone')} />
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={form.is_primary} onChange={(e) => setForm({ ...form, is_primary: e.target.checked })} /> Primary contact
          </label>
          <button className="btn btn--primary" type="submit" disabled={add.isPending}>
            Add contact
          </button>
        </form>
      )}
    </section>
  );
}

function ClientProjects({ clientId }: { clientId: string }) {
  const projects = useQuery({
    queryKey: ['projects', 'client', clientId],
    queryFn: async () => unwrap(await api.GET('/api/v1/projects', { params: { query: { client_id: clientId, limit: 200 } } })),
  });
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
                  <Link to={`/staff/projects/${p.id}`}>{p.name}</Link> <StatusBadge status={p.status} /> <span className="muted">{p.progress.percent}% done</span>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}
