import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
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
} from './api';

type Actions = ReturnType<typeof useTeamActions>;

/** A Client Admin's page: who at their account signs in to the portal, and with what role. */
export function TeamPage() {
  const { t } = useTranslation('team');
  const roles = useQuery(grantableRolesQuery());
  const actions = useTeamActions();
  const [said, say] = useState<string | null>(null);
  return (
    <>
      <h1>{t('teamPage.title')}</h1>
      <p className="muted">{t('teamPage.intro')}</p>
      {said && <p role="status">{said}</p>}
      <QueryState query={roles} what={t('teamPage.loadingRoles')}>
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
  const { t } = useTranslation(['team', 'common']);
  const { me } = useSession();
  const members = useInfiniteQuery(membersQuery());
  const { update, resend, revoke } = actions;
  // One answer on screen at a time: the latest action's, success or refusal.
  const [failed, setFailed] = useState<unknown>(null);
  const run = <T,>(act: () => Promise<T>, said: (done: T) => string) => {
    say(null);
    setFailed(null);
    act().then(
      (done) => say(said(done)),
      (error: unknown) => setFailed(error),
    );
  };
  return (
    <section aria-labelledby="members">
      <h2 id="members">{t('members.title')}</h2>
      {failed instanceof Error && (
        <p className="form-error" role="alert">
          {failed.message}
        </p>
      )}
      <QueryState query={members} what={t('members.loading')}>
        {(data) => {
          const rows = data.pages.flatMap((p) => p.items);
          if (rows.length === 0) return <Empty>{t('members.empty')}</Empty>;
          return (
            <>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('name')}</th>
                    <th scope="col">{t('role')}</th>
                    <th scope="col">{t('members.status')}</th>
                    <th scope="col">{t('members.lastSignIn')}</th>
                    <th scope="col">{t('actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((m) => {
                    const yours = m.id === me?.id;
                    // A colleague whose role is beyond the caller's is not theirs to change.
                    const manageable = !yours && roles.some((r) => r.key === m.role);
                    return (
                      <tr key={m.id}>
                        <td data-label={t('name')}>
                          {m.name}
                          {yours && <span className="muted"> {t('members.you')}</span>}
                          <div className="muted">{m.email}</div>
                        </td>
                        <td data-label={t('role')}>
                          {manageable ? (
                            <SelectField
                              label={t('members.roleOf', { name: m.name })}
                              hideLabel
                              value={m.role}
                              disabled={update.isPending}
                              onChange={(e) => {
                                const role = e.target.value;
                                const name = roles.find((r) => r.key === role)?.name ?? role;
                                run(
                                  () => update.mutateAsync({ id: m.id, body: { role } }),
                                  () => t('members.said.role', { name: m.name, role: name }),
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
                        <td data-label={t('members.status')}>
                          <StatusBadge status={m.status} />
                          {m.status === 'invited' && !m.invitation_expires_at && (
                            <div className="muted">{t('members.linkGone')}</div>
                          )}
                        </td>
                        <td data-label={t('members.lastSignIn')}>
                          {m.last_login_at ? dateTime(m.last_login_at) : t('common:none')}
                        </td>
                        <td data-label={t('actions')}>
                          {manageable && m.status === 'invited' && (
                            <>
                              <button
                                type="button"
                                className="btn"
                                disabled={resend.isPending}
                                aria-label={t('members.resendTo', { name: m.name })}
                                onClick={() =>
                                  run(
                                    () => resend.mutateAsync(m.id),
                                    () => t('members.said.resent', { name: m.name }),
                                  )
                                }
                              >
                                {t('members.resend')}
                              </button>{' '}
                              {m.invitation_expires_at && (
                                <button
                                  type="button"
                                  className="btn"
                                  disabled={revoke.isPending}
                                  aria-label={t('members.revokeOf', { name: m.name })}
                                  onClick={() => {
                                    if (!window.confirm(t('members.confirmRevoke', { name: m.name }))) return;
                                    run(
                                      () => revoke.mutateAsync(m.id),
                                      () => t('members.said.revoked', { name: m.name }),
                                    );
                                  }}
                                >
                                  {t('members.revoke')}
                                </button>
                              )}{' '}
                            </>
                          )}
                          {manageable &&
                            (m.status === 'deactivated' ? (
                              <button
                                type="button"
                                className="btn"
                                aria-label={t('members.reactivateName', { name: m.name })}
                                onClick={() =>
                                  run(
                                    () => update.mutateAsync({ id: m.id, body: { status: 'active' } }),
                                    (back) =>
                                      back.status === 'invited'
                                        ? t('members.said.backToInvited', { name: m.name })
                                        : t('members.said.restored', { name: m.name }),
                                  )
                                }
                              >
                                {t('members.reactivate')}
                              </button>
                            ) : (
                              <button
                                type="button"
                                className="btn btn--danger"
                                aria-label={t('members.deactivateName', { name: m.name })}
                                onClick={() => {
                                  if (!window.confirm(t('members.confirmDeactivate', { name: m.name }))) return;
                                  run(
                                    () => update.mutateAsync({ id: m.id, body: { status: 'deactivated' } }),
                                    () => t('members.said.deactivated', { name: m.name }),
                                  );
                                }}
                              >
                                {t('members.deactivate')}
                              </button>
                            ))}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <ShowMore query={members} what={t('members.more')} />
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

function InviteForm({ roles, actions, say }: Part) {
  const { t } = useTranslation('team');
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
            say(t('invitationSent', { email: m.email }));
          },
        });
      }}
    >
      <h2>{t('invite.title')}</h2>
      <p className="muted">{t('invite.hint')}</p>
      <FormError error={invite.error} />
      <div className="grid">
        <TextField
          label={t('name')}
          value={form.name}
          required
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          error={fieldError(invite.error, 'name')}
        />
        <TextField
          label={t('invite.email')}
          type="email"
          value={form.email}
          required
          onChange={(e) => setForm({ ...form, email: e.target.value })}
          error={fieldError(invite.error, 'email')}
        />
        <SelectField
          label={t('role')}
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
        {t('invite.send')}
      </button>
    </form>
  );
}

/** The contacts the agency keeps for the account who do not sign in yet: one click invites. */
function Contacts({ roles, say }: Omit<Part, 'actions'>) {
  const { t } = useTranslation('team');
  const contacts = useInfiniteQuery(contactsQuery());
  // Its own invitations, so their errors show here rather than in the form above.
  const actions = useTeamActions();
  return (
    <section aria-labelledby="contacts">
      <h2 id="contacts">{t('contacts.title')}</h2>
      <FormError error={actions.invite.error} />
      <QueryState query={contacts} what={t('contacts.loading')}>
        {(data) => {
          const rows = data.pages.flatMap((p) => p.items).filter((c) => c.portal_access === 'none');
          const more = <ShowMore query={contacts} what={t('contacts.more')} />;
          if (rows.length === 0 && !contacts.hasNextPage) {
            return <Empty>{t('contacts.empty')}</Empty>;
          }
          if (rows.length === 0) {
            return more;
          }
          return (
            <>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('name')}</th>
                    <th scope="col">{t('role')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('actions')}</span>
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
  const { t } = useTranslation('team');
  const [role, setRole] = useState(roles.find((r) => r.key === 'client')?.key ?? roles[0]?.key ?? '');
  const { invite } = actions;
  return (
    <tr>
      <td data-label={t('name')}>
        {contact.name}
        <div className="muted">{contact.email}</div>
      </td>
      <td data-label={t('role')}>
        <SelectField
          label={t('contacts.roleFor', { name: contact.name })}
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
          aria-label={t('contacts.inviteName', { name: contact.name })}
          onClick={() => {
            say(null);
            invite.mutate(
              { contact_id: contact.id, role },
              { onSuccess: (m) => say(t('invitationSent', { email: m.email })) },
            );
          }}
        >
          {t('contacts.invite')}
        </button>
      </td>
    </tr>
  );
}
