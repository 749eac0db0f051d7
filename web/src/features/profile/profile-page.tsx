import { useState, type FormEvent } from 'react';
import { useSession } from '@/lib/session';
import { TextField } from '@/components/ui/field';
import { FormError, fieldError } from '@/components/ui/states';
import { useUpdateMe } from './api';

export function ProfilePage() {
  const { me, viewingAs } = useSession();
  const [name, setName] = useState(me?.name ?? '');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const saveName = useUpdateMe();
  const savePassword = useUpdateMe();
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
          const clear = () => {
            setCurrent('');
            setNext('');
          };
          savePassword.mutate({ current_password: current, new_password: next }, { onSuccess: clear });
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
          hint="At least 8 characters. Other devices are signed out when it changes."
        />
        <button className="btn btn--primary" type="submit" disabled={savePassword.isPending || !!viewingAs}>
          Change password
        </button>
        {savePassword.isSuccess && <p role="status">Password changed.</p>}
      </form>
    </>
  );
}
