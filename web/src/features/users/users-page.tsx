import { useState, type FormEvent } from 'react';
import { usePaged } from '@/lib/api/paging';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { dateTime, label } from '@/lib/format';
import { usePermissionCatalogue } from '@/lib/api/shared';
import { useSession } from '@/lib/session';
import { StatusBadge } from '@/components/ui/badge';
import { SelectField, TextField } from '@/components/ui/field';
import { Empty, FormError, QueryState, fieldError, ShowMore } from '@/components/ui/states';
import { PermissionChecklist } from '@/components/ui/permission-checklist';
import {
  rolesQuery,
  useCreateRole,
  useCreateUser,
  useDeleteRole,
  useUpdateRole,
  useResetTwoFactor,
  useSignOutEverywhere,
  useUserInvitation,
  useUpdateUser,
  usersQuery,
  type Perm,
  type Role,
} from './api';

export function UsersPage() {
  const roles = useQuery(rolesQuery());
  return (
    <>
      <h1>Users and roles</h1>
      <QueryState query={roles} what="Loading roles">
        {(r) => (
          <>
            <UserList roles={r} />
            <RolesEditor roles={r} />
          </>
        )}
      </QueryState>
    </>
  );
}

function UserList({ roles }: { roles: Role[] }) {
  const { me } = useSession();
  const users = usePaged(usersQuery());
  const update = useUpdateUser();
  const signOut = useSignOutEverywhere();
  const invitation = useUserInvitation();
  const resetTwoFactor = useResetTwoFactor();
  const empty = { email: '', name: '', role: 'member' };
  const [form, setForm] = useState(empty);
  const create = useCreateUser();
  return (
    <section aria-labelledby="users">
      <h2 id="users">Users</h2>
      <FormError
        error={
          update.error ?? signOut.error ?? invitation.resend.error ?? invitation.revoke.error ?? resetTwoFactor.error
        }
      />
      {signOut.isSuccess && <p role="status">Signed out on every device.</p>}
      {resetTwoFactor.isSuccess && (
        <p role="status">Two-factor sign-in reset: they sign in with their password, and were signed out.</p>
      )}
      {invitation.resend.isSuccess && <p role="status">A new invitation went to {invitation.resend.data.email}.</p>}
      {invitation.revoke.isSuccess && <p role="status">Invitation revoked: its link no longer works.</p>}
      <QueryState query={users} what="Loading users">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No users.</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last login</th>
                  <th scope="col">Two-factor</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((u) => (
                  <tr key={u.id}>
                    <td data-label="Name">
                      <Link to={`/staff/users/${u.id}`}>{u.name}</Link>
                      <div className="muted">{u.email}</div>
                    </td>
                    <td data-label="Role">
                      <SelectField
                        label={`Role of ${u.name}`}
                        hideLabel
                        value={u.role}
                        disabled={u.id === me?.id}
                        onChange={(e) => update.mutate({ id: u.id, body: { role: e.target.value } })}
                      >
                        {roles
                          .filter((r) => r.kind === u.kind)
                          .map((r) => (
                            <option key={r.key} value={r.key}>
                              {r.name}
                            </option>
                          ))}
                      </SelectField>
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={u.status} />
                    </td>
                    <td data-label="Last login">{u.last_login_at ? dateTime(u.last_login_at) : '—'}</td>
                    <td data-label="Two-factor">
                      {u.two_factor_enabled ? 'On' : 'Off'}
                      {u.two_factor_enabled && u.id !== me?.id && (
                        <>
                          {' '}
                          <button
                            type="button"
                            className="btn"
                            disabled={resetTwoFactor.isPending}
                            aria-label={`Reset two-factor sign-in: ${u.name}`}
                            onClick={() => {
                              if (window.confirm(`Reset ${u.name}'s two-factor sign-in and sign them out?`)) {
                                resetTwoFactor.mutate(u.id);
                              }
                            }}
                          >
                            Reset
                          </button>
                        </>
                      )}
                    </td>
                    <td data-label="Actions">
                      {u.status === 'invited' &&
                        (
                          [
                            ['Resend invitation', `Resend invitation to ${u.name}`, invitation.resend],
                            ['Revoke invitation', `Revoke invitation of ${u.name}`, invitation.revoke],
                          ] as const
                        ).map(([text, name, action]) => (
                          <span key={text}>
                            <button
                              type="button"
                              className="btn"
                              disabled={action.isPending}
                              aria-label={name}
                              onClick={() => {
                                if (action === invitation.revoke && !window.confirm(`Revoke ${u.name}'s invitation?`)) {
                                  return;
                                }
                                // One answer on screen at a time: the latest.
                                invitation.resend.reset();
                                invitation.revoke.reset();
                                action.mutate(u.id);
                              }}
                            >
                              {text}
                            </button>{' '}
                          </span>
                        ))}
                      {u.id !== me?.id &&
                        (u.status === 'deactivated' ? (
                          <button
                            type="button"
                            className="btn"
                            onClick={() => update.mutate({ id: u.id, body: { status: 'active' } })}
                          >
                            Reactivate
                          </button>
                        ) : (
                          <>
                            <button
                              type="button"
                              className="btn btn--danger"
                              onClick={() => {
                                if (
                                  window.confirm(
                                    `Deactivate ${u.name}? They are signed out at once and cannot sign in.`,
                                  )
                                )
                                  update.mutate({ id: u.id, body: { status: 'deactivated' } });
                              }}
                            >
                              Deactivate
                            </button>{' '}
                            {u.status === 'active' && (
                              <button
                                type="button"
                                className="btn"
                                disabled={signOut.isPending}
                                aria-label={`Sign out everywhere: ${u.name}`}
                                onClick={() => {
                                  if (window.confirm(`Sign ${u.name} out on every device?`)) signOut.mutate(u.id);
                                }}
                              >
                                Sign out everywhere
                              </button>
                            )}
                          </>
                        ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
      <ShowMore query={users} what="users" />
      <form
        className="panel"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          // The one way in for a new colleague: an invitation they accept with their own password.
          create.mutate({ ...form, password: null }, { onSuccess: () => setForm(empty) });
        }}
      >
        <h3>Invite a staff member</h3>
        <p className="muted">
          They get an e-mail with a link to choose their password; it works once and expires. Client users join through
          “Invite to portal” on a client's contacts.
        </p>
        <FormError error={create.error} />
        <div className="grid">
          <TextField
            label="Name"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            error={fieldError(create.error, 'name')}
          />
          <TextField
            label="E-mail"
            type="email"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
            error={fieldError(create.error, 'email')}
          />
          <SelectField label="Role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
            {roles
              .filter((r) => r.kind === 'staff')
              .map((r) => (
                <option key={r.key} value={r.key}>
                  {r.name}
                </option>
              ))}
          </SelectField>
        </div>
        <button className="btn btn--primary" type="submit" disabled={create.isPending}>
          Send invitation
        </button>
        {create.isSuccess && <p role="status">Invitation sent to {create.data.email}.</p>}
      </form>
    </section>
  );
}

/** A custom role's name, renamed in place, and its deletion (refused while anyone holds it). */
function RoleName({
  role,
  update,
  remove,
}: {
  role: Role;
  update: ReturnType<typeof useUpdateRole>;
  remove: ReturnType<typeof useDeleteRole>;
}) {
  const [name, setName] = useState(role.name);
  return (
    <form
      className="inline-form"
      aria-label={`Rename ${role.name}`}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        update.mutate({ id: role.id, name });
      }}
    >
      <TextField label={`Name of ${role.name}`} hideLabel value={name} onChange={(e) => setName(e.target.value)} />
      <span className="muted">{role.key}</span>{' '}
      {name !== role.name && (
        <button type="submit" className="btn" disabled={update.isPending}>
          Rename
        </button>
      )}{' '}
      <button
        type="button"
        className="link link--danger"
        aria-label={`Delete the role ${role.name}`}
        onClick={() => {
          if (window.confirm(`Delete the role ${role.name}? Only a role nobody holds can be deleted.`))
            remove.mutate(role.id);
        }}
      >
        Delete
      </button>
    </form>
  );
}

function RolesEditor({ roles }: { roles: Role[] }) {
  const empty: { key: string; name: string; kind: Role['kind']; permissions: Perm[] } = {
    key: '',
    name: '',
    kind: 'client',
    permissions: [],
  };
  const [form, setForm] = useState(empty);
  const create = useCreateRole();
  const update = useUpdateRole();
  const remove = useDeleteRole();
  const catalogue = usePermissionCatalogue();
  const choices = form.kind === 'client' ? catalogue.client : catalogue.staff;
  return (
    <section aria-labelledby="roles">
      <h2 id="roles">Roles</h2>
      <FormError error={update.error ?? remove.error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Kind</th>
            <th scope="col">Permissions</th>
            <th scope="col">Two-factor sign-in</th>
          </tr>
        </thead>
        <tbody>
          {roles.map((r) => (
            <tr key={r.id}>
              <td data-label="Role">
                {r.builtin ? (
                  <>
                    {r.name} <span className="muted">(built-in)</span>
                  </>
                ) : (
                  <RoleName role={r} update={update} remove={remove} />
                )}
              </td>
              <td data-label="Kind">{label(r.kind)}</td>
              <td data-label="Permissions">
                {r.builtin ? (
                  r.permissions.join(', ')
                ) : (
                  <PermissionChecklist
                    legend={`Permissions of ${r.name}`}
                    hideLegend
                    choices={r.kind === 'client' ? catalogue.client : catalogue.staff}
                    value={r.permissions}
                    onChange={(permissions) => update.mutate({ id: r.id, permissions })}
                  />
                )}
              </td>
              <td data-label="Two-factor sign-in">
                <label>
                  <input
                    type="checkbox"
                    checked={r.requires_two_factor}
                    disabled={update.isPending}
                    onChange={(e) => update.mutate({ id: r.id, requires_two_factor: e.target.checked })}
                  />{' '}
                  Required for {r.name}
                </label>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="panel"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          create.mutate(form, { onSuccess: () => setForm(empty) });
        }}
      >
        <h3>New custom role</h3>
        <FormError error={create.error} />
        <div className="grid">
          <TextField
            label="Name"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            error={fieldError(create.error, 'name')}
          />
          <TextField
            label="Key"
            hint="lower-case letters, digits and _"
            value={form.key}
            onChange={(e) => setForm({ ...form, key: e.target.value })}
            error={fieldError(create.error, 'key')}
          />
          <SelectField
            label="Kind"
            value={form.kind}
            onChange={(e) => setForm({ ...form, kind: e.target.value as Role['kind'], permissions: [] })}
          >
            <option value="client">Client</option>
            <option value="staff">Staff</option>
          </SelectField>
        </div>
        <PermissionChecklist
          legend="Permissions"
          choices={choices}
          value={form.permissions}
          onChange={(permissions) => setForm({ ...form, permissions })}
          error={fieldError(create.error, 'permissions')}
        />
        <button className="btn btn--primary" type="submit" disabled={create.isPending}>
          Create role
        </button>
      </form>
    </section>
  );
}
