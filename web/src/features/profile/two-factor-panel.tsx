import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { session } from '@/lib/session';
import { dateTime } from '@/lib/format';
import { TextField } from '@/components/ui/field';
import { FormError, QueryState, fieldError } from '@/components/ui/states';
import { twoFactorQuery, useTwoFactorActions } from './api';

// While an enforced enrolment's recovery codes are on screen the profile already says two-factor
// sign-in is on (any refresh reads it so): this keeps the enrolment page up until they are saved.
let showingCodes = false;
const watchers = new Set<() => void>();
function setShowingCodes(value: boolean) {
  showingCodes = value;
  watchers.forEach((w) => w());
}
/** Whether a required enrolment is showing its recovery codes, not yet saved. */
export function useShowingRecoveryCodes(): boolean {
  return useSyncExternalStore(
    (w) => {
      watchers.add(w);
      return () => watchers.delete(w);
    },
    () => showingCodes,
  );
}

type Step = { at: 'idle' } | { at: 'password' } | { at: 'scan' } | { at: 'codes'; codes: string[] };

/** Recovery codes, shown once: to copy, download or print before going on. */
function RecoveryCodesShown({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation('profile');
  const text = `${codes.join('\n')}\n`;
  const download = `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
  return (
    <div role="region" aria-labelledby="recovery-codes">
      <h3 id="recovery-codes">{t('recoveryCodes.title')}</h3>
      <p>{t('recoveryCodes.intro')}</p>
      <ul className="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <p>
        <a className="btn" href={download} download="portico-recovery-codes.txt">
          {t('recoveryCodes.download')}
        </a>{' '}
        <button type="button" className="btn" onClick={() => void navigator.clipboard?.writeText(text)}>
          {t('recoveryCodes.copy')}
        </button>{' '}
        <button type="button" className="btn btn--primary" onClick={onDone}>
          {t('recoveryCodes.saved')}
        </button>
      </p>
    </div>
  );
}

function PasswordForm({
  action,
  label,
  danger,
  withCode,
  onSubmit,
}: {
  action: { isPending: boolean; error: unknown };
  label: string;
  danger?: boolean;
  /** Also ask for a code from the app (or a recovery code). */
  withCode?: boolean;
  onSubmit: (password: string, code: string) => void;
}) {
  const { t } = useTranslation('profile');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit(password, code);
      }}
    >
      <TextField
        label={t('passwordForm.password')}
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldError(action.error, 'password')}
      />
      {withCode && (
        <TextField
          label={t('passwordForm.code')}
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={fieldError(action.error, 'code')}
        />
      )}
      <button className={danger ? 'btn btn--danger' : 'btn btn--primary'} type="submit" disabled={action.isPending}>
        {label}
      </button>
    </form>
  );
}

/** Two-factor sign-in in the profile: set up an authenticator app (a QR code, or the secret by
 * hand), confirm it with a code, and keep the recovery codes; later, new codes or turning it
 * off. With `enforced`, the page a user whose role requires it sees until they have. */
export function TwoFactorPanel({ enforced = false }: { enforced?: boolean }) {
  const { t } = useTranslation(['profile', 'common']);
  const status = useQuery(twoFactorQuery());
  const { setup, confirm, newCodes, disable } = useTwoFactorActions();
  const [step, setStep] = useState<Step>({ at: enforced ? 'password' : 'idle' });
  const [code, setCode] = useState('');
  const [changing, setChanging] = useState<'codes' | 'off' | null>(null);
  const finish = () => {
    setShowingCodes(false);
    setStep({ at: 'idle' });
    setCode('');
    // Enrolling signed every other login out and moved this one on: a fresh token and profile.
    void session.refresh().then(() => status.refetch());
  };
  return (
    <section className="panel" aria-labelledby="two-factor">
      <h2 id="two-factor">{t('twoFactor.title')}</h2>
      <QueryState query={status} what={t('twoFactor.loading')}>
        {(s) => {
          if (step.at === 'codes') return <RecoveryCodesShown codes={step.codes} onDone={finish} />;
          if (step.at === 'scan' && setup.data) {
            return (
              <form
                onSubmit={(e: FormEvent) => {
                  e.preventDefault();
                  confirm.mutate(code, {
                    onSuccess: (r) => {
                      if (enforced) setShowingCodes(true);
                      setStep({ at: 'codes', codes: r.recovery_codes });
                    },
                  });
                }}
              >
                <p>{t('twoFactor.scan')}</p>
                <img
                  className="qr"
                  width={200}
                  height={200}
                  alt={t('twoFactor.qrAlt')}
                  src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.data.qr_svg)}`}
                />
                <p>
                  {t('twoFactor.byHand')} <code aria-label={t('twoFactor.setupKey')}>{setup.data.secret}</code>
                </p>
                <FormError error={confirm.error} />
                <TextField
                  label={t('twoFactor.code')}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  required
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  error={fieldError(confirm.error, 'code')}
                />
                <button className="btn btn--primary" type="submit" disabled={confirm.isPending}>
                  {t('twoFactor.turnOn')}
                </button>
              </form>
            );
          }
          if (!s.enabled) {
            return (
              <>
                <p>{s.required ? t('twoFactor.requiredIntro') : t('twoFactor.optionalIntro')}</p>
                {step.at === 'password' ? (
                  <>
                    <FormError error={setup.error} />
                    <PasswordForm
                      action={setup}
                      label={t('twoFactor.setUpApp')}
                      onSubmit={(p) => setup.mutate(p, { onSuccess: () => setStep({ at: 'scan' }) })}
                    />
                  </>
                ) : (
                  <button type="button" className="btn btn--primary" onClick={() => setStep({ at: 'password' })}>
                    {t('twoFactor.setUp')}
                  </button>
                )}
              </>
            );
          }
          return (
            <>
              <p role="status">
                {t('twoFactor.on', {
                  date: s.enabled_at ? dateTime(s.enabled_at) : t('common:none'),
                  count: s.recovery_codes_left,
                })}
                {s.required && ` ${t('twoFactor.roleRequires')}`}
              </p>
              {newCodes.data && !newCodes.isPending && changing === null && (
                <RecoveryCodesShown codes={newCodes.data.recovery_codes} onDone={() => newCodes.reset()} />
              )}
              <FormError error={changing === 'codes' ? newCodes.error : disable.error} />
              {changing === 'codes' && (
                <PasswordForm
                  action={newCodes}
                  label={t('twoFactor.makeNewCodes')}
                  withCode
                  onSubmit={(password, code) =>
                    newCodes.mutate({ password, code }, { onSuccess: () => setChanging(null) })
                  }
                />
              )}
              {changing === 'off' && (
                <PasswordForm
                  action={disable}
                  label={t('twoFactor.turnOffConfirm')}
                  danger
                  withCode
                  onSubmit={(password, code) =>
                    disable.mutate({ password, code }, { onSuccess: () => setChanging(null) })
                  }
                />
              )}
              {changing === null && (
                <p>
                  <button type="button" className="btn" onClick={() => setChanging('codes')}>
                    {t('twoFactor.newCodes')}
                  </button>{' '}
                  {!s.required && (
                    <button type="button" className="btn btn--danger" onClick={() => setChanging('off')}>
                      {t('twoFactor.turnOff')}
                    </button>
                  )}
                </p>
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

/** What a user whose role requires two-factor sign-in sees until they have set it up. */
export function TwoFactorRequiredPage() {
  const { t } = useTranslation('profile');
  return (
    <main className="auth" id="main">
      <div className="auth__card">
        <h1>{t('twoFactor.requiredPageTitle')}</h1>
        <TwoFactorPanel enforced />
        <p>
          <button type="button" className="btn" onClick={() => void session.signOut()}>
            {t('twoFactor.signOut')}
          </button>
        </p>
      </div>
    </main>
  );
}
