import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { session, useSession } from '@/lib/session';
import { TextField } from '@/components/ui/field';
import { FormError, fieldError } from '@/components/ui/states';
import { useUpdateMe } from './api';
import { DevicesPanel } from './devices-panel';
import { TwoFactorPanel } from './two-factor-panel';

export function ProfilePage() {
  const { me, viewingAs } = useSession();
  const [name, setName] = useState(me?.name ?? '');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const saveName = useUpdateMe();
  const savePassword = useUpdateMe();
  const navigate = useNavigate();
  if (!me) return null;
  return (
    <>
      <h1>Profile</h1>
      <p className="muted">{me.email}</p>
      <form
        className="panel"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          saveName.mutate({ name });
        }}
      >
        <h2>Your name</h2>
        <FormError error={saveName.error} />
        <TextField
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(saveName.error, 'name')}
        />
        <button className="btn btn--primary" type="submit" disabled={saveName.isPending || !!viewingAs}>
          Save name
        </button>
        {saveName.isSuccess && <p role="status">Saved.</p>}
      </form>
      <form
        className="panel"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          // Every other device is signed out; this one renews its access token and stays.
          const keepThisDevice = async () => {
            setCurrent('');
            setNext('');
            if (!(await session.refresh())) {
              session.end();
              navigate('/login', {
                replace: true,
                state: { notice: 'Your password was changed. Sign in with the new one.' },
              });
            }
          };
          savePassword.mutate(
            { current_password: current, new_password: next },
            { onSuccess: () => void keepThisDevice() },
          );
        }}
      >
        <h2>Password</h2>
        <FormError error={savePassword.error} />
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={fieldError(savePassword.error, 'current_password')}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={fieldError(savePassword.error, 'new_password')}
          hint="At least 8 characters. Every other device is signed out when it changes; this one stays signed in."
        />
        <button className="btn btn--primary" type="submit" disabled={savePassword.isPending || !!viewingAs}>
          Change password
        </button>
        {savePassword.isSuccess && (
          <p role="status">Password changed. Your other devices were signed out; this one stays signed in.</p>
        )}
      </form>
      {/* A user's second factor and devices are theirs: not shown to staff viewing as them. */}
      {!viewingAs && <TwoFactorPanel />}
      {!viewingAs && <DevicesPanel />}
    </>
  );
}
