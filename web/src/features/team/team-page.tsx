import { useState, type FormEvent } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { dateTime } from '@/lib/format';
import { useSession } from '@/lib/session';
import { StatusBadge } from '@/components/ui/badge';
import { SelectField, TextField } from '@/components/ui/field';
import { Empty, FormError, QueryState, ShowMore, fieldError } from '@/components/ui/states';
import {
  contactsQuery,
  grantableRolesQuery,
  membersQuery,
  useTeamActions,
  type Contact,
  type GrantableRole,
  type Member,
} from './api';

type Actions = ReturnType<typeof useTeamActions>;

/** A Client Admin's page: who at their account signs in to the portal, and with what role. */
export function TeamPage() {
  const roles = useQuery(grantableRolesQuery());
  const actions = useTeamActions();
  const [said, say] = useState<string | null>(null);
  return (
    <>
      <h1>Your team</h1>
      <p className="muted">
        Who at your company can sign in to this portal. Invite colleagues, choose what each of them sees, and switch off
        access for someone who has left. Your contact at the agency is told of every change.
      </p>
      {said && <p role="status">{said}</p>}
      <QueryState query={roles} what="Loading roles">
        {(r) => (
          <>
            <Members roles={r} actions={actions} say={say} />
            <InviteForm roles={r} actions={actions} say={say} />
            <Contacts roles={r} say={say} />
          </>
        )}
      </QueryState>
    </>
  );
}

interface Part {
  roles: GrantableRole[];
  actions: Actions;
  say: (text: string | null) => void;
}

function Members({ roles, actions, say }: Part) {
  const { me } = useSession();
  const members = useInfiniteQuery(membersQuery());
  const { update, resend, revoke } = actions;
  // One answer on screen at a time: the latest action's, success or refusal.
  const [failed, setFailed] = useState<unknown>(null);
  const run = <T,>(m: Member, act: () => Promise<T>, what: (done: T) => string) => {
    say(null);
    setFailed(null);
    act().then(
      (done) => say(`${m.name}: ${what(done)}.`),
      (error: unknown) => setFailed(error),
    );
  };
  return (
    <section aria-labelledby="members">
      <h2 id="members">People with access</h2>
      {failed instanceof Error && (
        <p className="form-error" role="alert">
          {failed.message}
        </p>
      )}
      <QueryState query={members} what="Loading your team">
        {(data) => {
          const rows = data.pages.flatMap((p) => p.items);
          if (rows.length === 0) return <Empty>Nobody has access yet.</Empty>;
          return (
            <>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last sign-in</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((m) => {
                    const yours = m.id === me?.id;
                    // A colleague whose role is beyond the caller's is not theirs to change.
                    const manageable = !yours && roles.some((r) => r.key === m.role);
                    return (
                      <tr key={m.id}>
                        <td data-label="Name">
                          {m.name}
                          {yours && <span className="muted"> (you)</span>}
                          <div className="muted">{m.email}</div>
                        </td>
                        <td data-label="Role">
                          {manageable ? (
                            <SelectField
                              label={`Role of ${m.name}`}
                              hideLabel
                              value={m.role}
                              disabled={update.isPending}
                              onChange={(e) => {
                                const role = e.target.value;
                                const name = roles.find((r) => r.key === role)?.name ?? role;
                                run(
                                  m,
                                  () => update.mutateAsync({ id: m.id, body: { role } }),
                                  () => `now ${name}`,
                                );
                              }}
                            >
                              {roles.map((r) => (
                                <option key={r.key} value={r.key}>
                                  {r.name}
                                </option>
                              ))}
                            </SelectField>
                          ) : (
                            m.role_name
                          )}
                        </td>
                        <td data-label="Status">
                          <StatusBadge status={m.status} />
                          {m.status === 'invited' && !m.invitation_expires_at && (
                            <div className="muted">Link expired or revoked</div>
                          )}
                        </td>
                        <td data-label="Last sign-in">{m.last_login_at ? dateTime(m.last_login_at) : '—'}</td>
                        <td data-label="Actions">
                          {manageable && m.status === 'invited' && (
                            <>
                              <button
                                type="button"
                                className="btn"
                                disabled={resend.isPending}
                                aria-label={`Resend invitation to ${m.name}`}
                                onClick={() =>
                                  run(
                                    m,
                                    () => resend.mutateAsync(m.id),
                                    () => 'a new invitation is on its way',
                                  )
                                }
                              >
                                Resend invitation
                              </button>{' '}
                              {m.invitation_expires_at && (
                                <button
                                  type="button"
                                  className="btn"
                                  disabled={revoke.isPending}
                                  aria-label={`Revoke invitation of ${m.name}`}
                                  onClick={() => {
                                    if (!window.confirm(`Revoke ${m.name}'s invitation? Its link stops working.`))
                                      return;
                                    run(
                                      m,
                                      () => revoke.mutateAsync(m.id),
                                      () => 'invitation revoked',
                                    );
                                  }}
                                >
                                  Revoke invitation
                                </button>
                              )}{' '}
                            </>
                          )}
                          {manageable &&
                            (m.status === 'deactivated' ? (
                              <button
                                type="button"
                                className="btn"
                                aria-label={`Reactivate ${m.name}`}
                                onClick={() =>
                                  run(
                                    m,
                                    () => update.mutateAsync({ id: m.id, body: { status: 'active' } }),
                                    (back) =>
                                      back.status === 'invited'
                                        ? 'back to invited, as they never chose a password: resend their invitation'
                                        : 'access restored',
                                  )
                                }
                              >
                                Reactivate
                              </button>
                            ) : (
                              <button
                                type="button"
                                className="btn btn--danger"
                                aria-label={`Deactivate ${m.name}`}
                                onClick={() => {
                                  if (!window.confirm(`Deactivate ${m.name}? They are signed out at once.`)) return;
                                  run(
                                    m,
                                    () => update.mutateAsync({ id: m.id, body: { status: 'deactivated' } }),
                                    () => 'deactivated',
                                  );
                                }}
                              >
                                Deactivate
                              </button>
                            ))}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <ShowMore query={members} what="people" />
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

function InviteForm({ roles, actions, say }: Part) {
  const empty = { name: '', email: '', role: roles.find((r) => r.key === 'client')?.key ?? roles[0]?.key ?? '' };
  const [form, setForm] = useState(empty);
  const { invite } = actions;
  return (
    <form
      className="panel"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        say(null);
        invite.mutate(form, {
          onSuccess: (m) => {
            setForm(empty);
            say(`Invitation sent to ${m.email}.`);
          },
        });
      }}
    >
      <h2>Invite a colleague</h2>
      <p className="muted">They get an e-mail with a link to choose their password; it works once and expires.</p>
      <FormError error={invite.error} />
      <div className="grid">
        <TextField
          label="Name"
          value={form.name}
          required
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          error={fieldError(invite.error, 'name')}
        />
        <TextField
          label="E-mail"
          type="email"
          value={form.email}
          required
          onChange={(e) => setForm({ ...form, email: e.target.value })}
          error={fieldError(invite.error, 'email')}
        />
        <SelectField
          label="Role"
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value })}
          error={fieldError(invite.error, 'role')}
        >
          {roles.map((r) => (
            <option key={r.key} value={r.key}>
              {r.name}
            </option>
          ))}
        </SelectField>
      </div>
      <button className="btn btn--primary" type="submit" disabled={invite.isPending}>
        Send invitation
      </button>
    </form>
  );
}

/** The contacts the agency keeps for the account who do not sign in yet: one click invites. */
function Contacts({ roles, say }: Omit<Part, 'actions'>) {
  const contacts = useInfiniteQuery(contactsQuery());
  // Its own invitations, so their errors show here rather than in the form above.
  const actions = useTeamActions();
  return (
    <section aria-labelledby="contacts">
      <h2 id="contacts">Contacts without access</h2>
      <FormError error={actions.invite.error} />
      <QueryState query={contacts} what="Loading contacts">
        {(data) => {
          const rows = data.pages.flatMap((p) => p.items).filter((c) => c.portal_access === 'none');
          const more = <ShowMore query={contacts} what="contacts" />;
          if (rows.length === 0 && !contacts.hasNextPage) {
            return <Empty>Every contact the agency has for you can sign in or has been invited.</Empty>;
          }
          if (rows.length === 0) {
            return more;
          }
          return (
            <>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Role</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((c) => (
                    <ContactRow key={c.id} contact={c} roles={roles} actions={actions} say={say} />
                  ))}
                </tbody>
              </table>
              {more}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

function ContactRow({ contact, roles, actions, say }: Part & { contact: Contact }) {
  const [role, setRole] = useState(roles.find((r) => r.key === 'client')?.key ?? roles[0]?.key ?? '');
  const { invite } = actions;
  return (
    <tr>
      <td data-label="Name">
        {contact.name}
        <div className="muted">{contact.email}</div>
      </td>
      <td data-label="Role">
        <SelectField
          label={`Role for ${contact.name}`}
          hideLabel
          value={role}
          onChange={(e) => setRole(e.target.value)}
        >
          {roles.map((r) => (
            <option key={r.key} value={r.key}>
              {r.name}
            </option>
          ))}
        </SelectField>
      </td>
      <td>
        <button
          type="button"
          className="btn"
          disabled={invite.isPending}
          aria-label={`Invite ${contact.name}`}
          onClick={() => {
            say(null);
            invite.mutate(
              { contact_id: contact.id, role },
              { onSuccess: (m) => say(`Invitation sent to ${m.email}.`) },
            );
          }}
        >
          Invite
        </button>
      </td>
    </tr>
  );
}
