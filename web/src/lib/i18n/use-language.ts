// Keeps the language shown in step with the session: the signed-in person's choice, else their
// browser's, else the agency's; before sign-in, what this browser showed last.
import { useEffect } from 'react';
import { useBranding } from '../api/shared';
import { useSession } from '../session';
import { browserLanguages, chooseLanguage, rememberedLanguage, showLanguage } from './index';

export function useShownLanguage() {
  const { status, me, viewingAs } = useSession();
  const agency = useBranding().data?.language;
  // While staff view the portal as a client, the portal speaks the staff member's language.
  const person = viewingAs?.staffMe ?? me;
  const chosen = person?.language;
  useEffect(() => {
    if (status === 'loading') return;
    const signedIn = status === 'signed-in';
    const language = signedIn
      ? chooseLanguage({ chosen, browser: browserLanguages(), agency })
      : chooseLanguage({ remembered: rememberedLanguage(), browser: browserLanguages() });
    void showLanguage(language, signedIn);
  }, [status, chosen, agency]);
}
