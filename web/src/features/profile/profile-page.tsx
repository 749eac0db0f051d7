import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { session, useSession } from '@/lib/session';
import { TextField } from '@/components/ui/field';
import { LanguageField } from '@/components/ui/language-field';
import { FormError, fieldError } from '@/components/ui/states';
import { useUpdateMe } from './api';
import { DevicesPanel } from './devices-panel';
import { TwoFactorPanel } from './two-factor-panel';

export function ProfilePage() {
  const { t } = useTranslation('profile');
  const { me, viewingAs } = useSession();
  const [name, setName] = useState(me?.name ?? '');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const saveName = useUpdateMe();
  const savePassword = useUpdateMe();
  const saveLanguage = useUpdateMe();
  const navigate = useNavigate();
  if (!me) return null;
  return (
    <>
      <h1>{t('profilePage.title')}</h1>
      <p className="muted">{me.email}</p>
      <form
        className="panel"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          saveName.mutate({ name });
        }}
      >
        <h2>{t('profilePage.nameTitle')}</h2>
        <FormError error={saveName.error} />
        <TextField
          label={t('profilePage.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(saveName.error, 'name')}
        />
        <button className="btn btn--primary" type="submit" disabled={saveName.isPending || !!viewingAs}>
          {t('profilePage.saveName')}
        </button>
        {saveName.isSuccess && <p role="status">{t('profilePage.saved')}</p>}
      </form>
      <section className="panel">
        <h2>{t('profilePage.languageTitle')}</h2>
        <FormError error={saveLanguage.error} />
        {/* Saved at once: the page switches as soon as the choice is made. */}
        <LanguageField
          label={t('profilePage.language')}
          hint={t('profilePage.languageHint')}
          value={me.language ?? null}
          automatic
          onChange={(language) => !viewingAs && saveLanguage.mutate({ language })}
          error={fieldError(saveLanguage.error, 'language')}
        />
      </section>
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
                state: { notice: t('profilePage.signInAgain') },
              });
            }
          };
          savePassword.mutate(
            { current_password: current, new_password: next },
            { onSuccess: () => void keepThisDevice() },
          );
        }}
      >
        <h2>{t('profilePage.passwordTitle')}</h2>
        <FormError error={savePassword.error} />
        <TextField
          label={t('profilePage.currentPassword')}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={fieldError(savePassword.error, 'current_password')}
        />
        <TextField
          label={t('profilePage.newPassword')}
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={fieldError(savePassword.error, 'new_password')}
          hint={t('profilePage.newPasswordHint')}
        />
        <button className="btn btn--primary" type="submit" disabled={savePassword.isPending || !!viewingAs}>
          {t('profilePage.changePassword')}
        </button>
        {savePassword.isSuccess && <p role="status">{t('profilePage.passwordChanged')}</p>}
      </form>
      {/* A user's second factor and devices are theirs: not shown to staff viewing as them. */}
      {!viewingAs && <TwoFactorPanel />}
      {!viewingAs && <DevicesPanel />}
    </>
  );
}
