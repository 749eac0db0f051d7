import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { QueryState, fieldError } from '@/components/ui/states';
import type { Schemas } from '@/lib/api/client';
import { openSurveysQuery, useAnswerByLink, useAnswerSurvey } from './api';
import { SurveyForm } from './survey-form';

type Survey = Schemas['SurveyResponse'];

/** The question a survey asks, in the reader's language. */
function useQuestion() {
  const { t } = useTranslation('surveys');
  return (s: Pick<Survey, 'subject' | 'title'>) =>
    s.subject === 'period' ? t('question.period') : t(`question.${s.subject}`, { title: s.title });
}

/** The token of a `…#token=` link: in the fragment, so it never reaches a server log. */
function tokenFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';
}

/** The e-mail's single-use link: answers without signing in. */
export function SurveyLinkPage() {
  const { t } = useTranslation('surveys');
  const token = tokenFromHash(useLocation().hash);
  const answer = useAnswerByLink();
  const expired = fieldError(answer.error, 'token');
  return (
    <main className="auth" id="main">
      <div className="auth__card">
        <h1>{t('link.title')}</h1>
        {!token ? (
          <p role="alert">{t('link.incomplete')}</p>
        ) : answer.isSuccess ? (
          <p role="status">{t('thanks')}</p>
        ) : (
          <>
            <p>{t('link.intro')}</p>
            {expired && <p role="alert">{expired}</p>}
            <SurveyForm
              pending={answer.isPending}
              error={expired ? null : answer.error}
              onAnswer={(score, comment) => answer.mutate({ token, score, ...(comment ? { comment } : {}) })}
            />
          </>
        )}
      </div>
    </main>
  );
}

/** One of the signed-in person's surveys (a notification links here). */
export function SurveyPage() {
  const { t } = useTranslation('surveys');
  const { id = '' } = useParams();
  const question = useQuestion();
  const open = useQuery(openSurveysQuery());
  const answer = useAnswerSurvey();
  if (answer.isSuccess) {
    return (
      <>
        <h1>{t('page.title')}</h1>
        <p role="status">{t('thanks')}</p>
        <Link to="/">{t('page.home')}</Link>
      </>
    );
  }
  return (
    <>
      <h1>{t('page.title')}</h1>
      <QueryState query={open} what={t('page.loading')}>
        {(list) => {
          const survey = list.find((s) => s.id === id);
          if (!survey) return <p>{t('page.closed')}</p>;
          return (
            <section className="card">
              <h2>{question(survey)}</h2>
              <SurveyForm
                pending={answer.isPending}
                error={answer.error}
                onAnswer={(score, comment) => answer.mutate({ id, score, ...(comment ? { comment } : {}) })}
              />
            </section>
          );
        }}
      </QueryState>
    </>
  );
}

/** The portal home's prompt: the person's open surveys, each a link to answer it. Nothing when
 * there are none (and nothing for staff, who are never asked). */
export function SurveyPrompts() {
  const { t } = useTranslation('surveys');
  const question = useQuestion();
  const open = useQuery(openSurveysQuery());
  if (!open.data || open.data.length === 0) return null;
  return (
    <section aria-labelledby="surveys-prompt" className="card">
      <h2 id="surveys-prompt">{t('prompt.title')}</h2>
      <ul className="plain">
        {open.data.map((s) => (
          <li key={s.id}>
            <Link to={`/surveys/${s.id}`}>{question(s)}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
