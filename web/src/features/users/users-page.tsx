import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { usePaged } from '@/lib/api/paging';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { dateTime } from '@/lib/format';
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
  const { t } = useTranslation('users');
  const roles = useQuery(rolesQuery());
  return (
    <>
      <h1>{t('usersPage.title')}</h1>
      <QueryState query={roles} what={t('usersPage.loadingRoles')}>
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
  const { t } = useTranslation(['users', 'common']);
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
      <h2 id="users">{t('userList.title')}</h2>
      <FormError
        error={
          update.error ?? signOut.error ?? invitation.resend.error ?? invitation.revoke.error ?? resetTwoFactor.error
        }
      />
      {signOut.isSuccess && <p role="status">{t('signedOutEverywhere')}</p>}
      {resetTwoFactor.isSuccess && <p role="status">{t('userList.twoFactorReset')}</p>}
      {invitation.resend.isSuccess && (
        <p role="status">{t('userList.invitationResent', { email: invitation.resend.data.email })}</p>
      )}
      {invitation.revoke.isSuccess && <p role="status">{t('userList.invitationRevoked')}</p>}
      <QueryState query={users} what={t('userList.loading')}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{t('userList.empty')}</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('userList.name')}</th>
                  <th scope="col">{t('userList.role')}</th>
                  <th scope="col">{t('userList.status')}</th>
                  <th scope="col">{t('userList.lastLogin')}</th>
                  <th scope="col">{t('userList.twoFactor')}</th>
                  <th scope="col">{t('userList.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((u) => (
                  <tr key={u.id}>
                    <td data-label={t('userList.name')}>
                      <Link to={`/staff/users/${u.id}`}>{u.name}</Link>
                      <div className="muted">{u.email}</div>
                    </td>
                    <td data-label={t('userList.role')}>
                      <SelectField
                        label={t('userList.roleOf', { name: u.name })}
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
                    <td data-label={t('userList.status')}>
                      <StatusBadge status={u.status} />
                    </td>
                    <td data-label={t('userList.lastLogin')}>
                      {u.last_login_at ? dateTime(u.last_login_at) : t('common:none')}
                    </td>
                    <td data-label={t('userList.twoFactor')}>
                      {u.two_factor_enabled ? t('on') : t('off')}
                      {u.two_factor_enabled && u.id !== me?.id && (
                        <>
                          {' '}
                          <button
                            type="button"
                            className="btn"
                            disabled={resetTwoFactor.isPending}
                            aria-label={t('userList.resetTwoFactorOf', { name: u.name })}
                            onClick={() => {
                              if (window.confirm(t('userList.confirmResetTwoFactor', { name: u.name }))) {
                                resetTwoFactor.mutate(u.id);
                              }
                            }}
                          >
                            {t('userList.reset')}
                          </button>
                        </>
                      )}
                    </td>
                    <td data-label={t('userList.actions')}>
                      {u.status === 'invited' &&
                        (
                          [
                            [t('userList.resend'), t('userList.resendTo', { name: u.name }), invitation.resend],
                            [t('userList.revoke'), t('userList.revokeOf', { name: u.name }), invitation.revoke],
                          ] as const
                        ).map(([text, name, action]) => (
                          <span key={text}>
                            <button
                              type="button"
                              className="btn"
                              disabled={action.isPending}
                              aria-label={name}
                              onClick={() => {
                                if (
                                  action === invitation.revoke &&
                                  !window.confirm(t('userList.confirmRevoke', { name: u.name }))
                                ) {
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
                            {t('userList.reactivate')}
                          </button>
                        ) : (
                          <>
                            <button
                              type="button"
                              className="btn btn--danger"
                              onClick={() => {
                                if (window.confirm(t('userList.confirmDeactivate', { name: u.name })))
                                  update.mutate({ id: u.id, body: { status: 'deactivated' } });
                              }}
                            >
                              {t('userList.deactivate')}
                            </button>{' '}
                            {u.status === 'active' && (
                              <button
                                type="button"
                                className="btn"
                                disabled={signOut.isPending}
                                aria-label={t('userList.signOutEverywhereOf', { name: u.name })}
                                onClick={() => {
                                  if (window.confirm(t('confirmSignOutEverywhere', { name: u.name })))
                                    signOut.mutate(u.id);
                                }}
                              >
                                {t('signOutEverywhere')}
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
      <ShowMore query={users} what={t('userList.more')} />
      <form
        className="panel"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          // The one way in for a new colleague: an invitation they accept with their own password.
          create.mutate({ ...form, password: null }, { onSuccess: () => setForm(empty) });
        }}
      >
        <h3>{t('invite.title')}</h3>
        <p className="muted">{t('invite.intro')}</p>
        <FormError error={create.error} />
        <div className="grid">
          <TextField
            label={t('invite.name')}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            error={fieldError(create.error, 'name')}
          />
          <TextField
            label={t('invite.email')}
            type="email"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
            error={fieldError(create.error, 'email')}
          />
          <SelectField
            label={t('invite.role')}
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.target.value })}
          >
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
          {t('invite.send')}
        </button>
        {create.isSuccess && <p role="status">{t('invite.sent', { email: create.data.email })}</p>}
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
  const { t } = useTranslation(['users', 'common']);
  const [name, setName] = useState(role.name);
  return (
    <form
      className="inline-form"
      aria-label={t('roleName.renameOf', { name: role.name })}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        update.mutate({ id: role.id, name });
      }}
    >
      <TextField
        label={t('roleName.nameOf', { name: role.name })}
        hideLabel
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <span className="muted">{role.key}</span>{' '}
      {name !== role.name && (
        <button type="submit" className="btn" disabled={update.isPending}>
          {t('roleName.rename')}
        </button>
      )}{' '}
      <button
        type="button"
        className="link link--danger"
        aria-label={t('roleName.deleteOf', { name: role.name })}
        onClick={() => {
          if (window.confirm(t('roleName.confirmDelete', { name: role.name }))) remove.mutate(role.id);
        }}
      >
        {t('common:action.delete')}
      </button>
    </form>
  );
}

function RolesEditor({ roles }: { roles: Role[] }) {
  const { t } = useTranslation('users');
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
      <h2 id="roles">{t('roles.title')}</h2>
      <FormError error={update.error ?? remove.error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('roles.role')}</th>
            <th scope="col">{t('roles.kind')}</th>
            <th scope="col">{t('roles.permissions')}</th>
            <th scope="col">{t('roles.twoFactor')}</th>
          </tr>
        </thead>
        <tbody>
          {roles.map((r) => (
            <tr key={r.id}>
              <td data-label={t('roles.role')}>
                {r.builtin ? (
                  <>
                    {r.name} <span className="muted">{t('roles.builtIn')}</span>
                  </>
                ) : (
                  <RoleName role={r} update={update} remove={remove} />
                )}
              </td>
              <td data-label={t('roles.kind')}>{t(`kind.${r.kind}`)}</td>
              <td data-label={t('roles.permissions')}>
                {r.builtin ? (
                  r.permissions.join(', ')
                ) : (
                  <PermissionChecklist
                    legend={t('roles.permissionsOf', { name: r.name })}
                    hideLegend
                    choices={r.kind === 'client' ? catalogue.client : catalogue.staff}
                    value={r.permissions}
                    onChange={(permissions) => update.mutate({ id: r.id, permissions })}
                  />
                )}
              </td>
              <td data-label={t('roles.twoFactor')}>
                <label>
                  <input
                    type="checkbox"
                    checked={r.requires_two_factor}
                    disabled={update.isPending}
                    onChange={(e) => update.mutate({ id: r.id, requires_two_factor: e.target.checked })}
                  />{' '}
                  {t('roles.requiredFor', { name: r.name })}
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
        <h3>{t('newRole.title')}</h3>
        <FormError error={create.error} />
        <div className="grid">
          <TextField
            label={t('newRole.name')}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            error={fieldError(create.error, 'name')}
          />
          <TextField
            label={t('newRole.key')}
            hint={t('newRole.keyHint')}
            value={form.key}
            onChange={(e) => setForm({ ...form, key: e.target.value })}
            error={fieldError(create.error, 'key')}
          />
          <SelectField
            label={t('newRole.kind')}
            value={form.kind}
            onChange={(e) => setForm({ ...form, kind: e.target.value as Role['kind'], permissions: [] })}
          >
            <option value="client">{t('kind.client')}</option>
            <option value="staff">{t('kind.staff')}</option>
          </SelectField>
        </div>
        <PermissionChecklist
          legend={t('newRole.permissions')}
          choices={choices}
          value={form.permissions}
          onChange={(permissions) => setForm({ ...form, permissions })}
          error={fieldError(create.error, 'permissions')}
        />
        <button className="btn btn--primary" type="submit" disabled={create.isPending}>
          {t('newRole.create')}
        </button>
      </form>
    </section>
  );
}
