import { useState, type FormEvent, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { homePath } from '@/lib/authorization';
import { session } from '@/lib/session';
import { TextField } from '@/components/ui/field';
import { FormError, fieldError } from '@/components/ui/states';
import { ApiError } from '@/lib/api/problem';
import { useAcceptInvitation, useConfirmReset, useLogin, useRequestReset } from './api';

function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth" id="main">
      <div className="auth__card">
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** The problem the server answers a right password with when the account has a second factor. */
const TWO_FACTOR_REQUIRED = 'urn:portico:problem:two-factor-required';

/** The token of a `…#token=` link. It travels in the fragment so it never reaches a server log. */
function tokenFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';
}

export function LoginPage() {
  const { t } = useTranslation('auth');
  const navigate = useNavigate();
  const { from, notice } = (useLocation().state as { from?: string; notice?: string } | null) ?? {};
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const login = useLogin();
  // The password was right and the account asks for its second factor: the code field appears.
  const [askCode, setAskCode] = useState(false);
  const asked = login.error instanceof ApiError && login.error.problem.type === TWO_FACTOR_REQUIRED;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate(
      { email, password, ...(askCode && code.trim() ? { code: code.trim() } : {}) },
      {
        onSuccess: (r) => {
          session.signIn(r);
          navigate(from && from !== '/login' ? from : homePath(r.user), { replace: true });
        },
        onError: (err) => {
          if (err instanceof ApiError && err.problem.type === TWO_FACTOR_REQUIRED) setAskCode(true);
        },
      },
    );
  };
  return (
    <AuthCard title={t('login.title')}>
      <form onSubmit={submit} noValidate>
        {notice && <p role="status">{notice}</p>}
        {asked ? <p role="status">{t('login.enterCode')}</p> : <FormError error={login.error} />}
        <TextField
          label={t('email')}
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldError(login.error, 'email')}
        />
        <TextField
          label={t('password')}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError(login.error, 'password')}
        />
        {askCode && (
          <TextField
            label={t('login.code')}
            inputMode="text"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={fieldError(login.error, 'code')}
            hint={t('login.codeHint')}
          />
        )}
        <button className="btn btn--primary" type="submit" disabled={login.isPending}>
          {login.isPending ? t('login.signingIn') : t('login.submit')}
        </button>
      </form>
      <p>
        <Link to="/forgot-password">{t('login.forgot')}</Link>
      </p>
    </AuthCard>
  );
}

export function AcceptInvitationPage() {
  const { t } = useTranslation('auth');
  const navigate = useNavigate();
  const token = tokenFromHash(useLocation().hash);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const accept = useAcceptInvitation();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    const signIn = (r: Parameters<typeof session.signIn>[0]) => {
      session.signIn(r);
      navigate(homePath(r.user), { replace: true });
    };
    accept.mutate({ token, password, ...(name.trim() ? { name: name.trim() } : {}) }, { onSuccess: signIn });
  };
  if (!token) {
    return (
      <AuthCard title={t('invitation.title')}>
        <p role="alert">{t('invitation.incomplete')}</p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('invitation.welcome')}>
      <p>{t('invitation.intro')}</p>
      <form onSubmit={submit} noValidate>
        <FormError error={accept.error} />
        <TextField
          label={t('invitation.name')}
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(accept.error, 'name')}
        />
        <TextField
          label={t('password')}
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError(accept.error, 'password')}
        />
        <TextField
          label={t('invitation.repeat')}
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={mismatch ? t('invitation.mismatch') : undefined}
        />
        <button className="btn btn--primary" type="submit" disabled={accept.isPending}>
          {t('invitation.submit')}
        </button>
      </form>
    </AuthCard>
  );
}

export function ForgotPasswordPage() {
  const { t } = useTranslation('auth');
  const [email, setEmail] = useState('');
  const ask = useRequestReset();
  return (
    <AuthCard title={t('forgot.title')}>
      {ask.isSuccess ? (
        <p role="status">{t('forgot.sent', { email })}</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            ask.mutate(email);
          }}
          noValidate
        >
          <FormError error={ask.error} />
          <TextField
            label={t('email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fieldError(ask.error, 'email')}
          />
          <button className="btn btn--primary" type="submit" disabled={ask.isPending}>
            {t('forgot.submit')}
          </button>
        </form>
      )}
      <p>
        <Link to="/login">{t('forgot.back')}</Link>
      </p>
    </AuthCard>
  );
}

export function ResetPasswordPage() {
  const { t } = useTranslation('auth');
  const token = tokenFromHash(useLocation().hash);
  const [password, setPassword] = useState('');
  const reset = useConfirmReset();
  return (
    <AuthCard title={t('reset.title')}>
      {reset.isSuccess ? (
        <p role="status">
          <Trans t={t} i18nKey="reset.done" components={{ signIn: <Link to="/login" /> }} />
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            reset.mutate({ token, password });
          }}
          noValidate
        >
          <FormError error={reset.error} />
          <TextField
            label={t('reset.newPassword')}
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldError(reset.error, 'password')}
          />
          <button className="btn btn--primary" type="submit" disabled={reset.isPending || !token}>
            {t('reset.submit')}
          </button>
        </form>
      )}
    </AuthCard>
  );
}
