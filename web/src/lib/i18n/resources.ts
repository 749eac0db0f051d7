/// <reference types="vite/client" />
// Every namespace of every shipped language. English is imported by name so TypeScript knows
// each key (a `t('…')` of a key English lacks does not compile); German and French are read
// by pattern, when first needed, and checked against English by `catalogue.test.ts`.
import common from '@/locales/en/common.json';
import activity from '@/locales/en/activity.json';
import apiKeys from '@/locales/en/api-keys.json';
import audit from '@/locales/en/audit.json';
import auth from '@/locales/en/auth.json';
import billing from '@/locales/en/billing.json';
import clients from '@/locales/en/clients.json';
import dashboard from '@/locales/en/dashboard.json';
import files from '@/locales/en/files.json';
import metrics from '@/locales/en/metrics.json';
import portal from '@/locales/en/portal.json';
import profile from '@/locales/en/profile.json';
import projects from '@/locales/en/projects.json';
import search from '@/locales/en/search.json';
import settings from '@/locales/en/settings.json';
import surveys from '@/locales/en/surveys.json';
import tasks from '@/locales/en/tasks.json';
import team from '@/locales/en/team.json';
import users from '@/locales/en/users.json';
import webhooks from '@/locales/en/webhooks.json';

export const english = {
  common,
  activity,
  'api-keys': apiKeys,
  audit,
  auth,
  billing,
  clients,
  dashboard,
  files,
  metrics,
  portal,
  profile,
  projects,
  search,
  settings,
  surveys,
  tasks,
  team,
  users,
  webhooks,
};

export type Namespace = keyof typeof english;

// German and French are fetched when first shown, each as one file: a reader downloads only
// their own language.
const lazy = { de: () => import('@/locales/de'), fr: () => import('@/locales/fr') };

/** Each namespace of `language`, read from `locales/<language>/` (English is bundled). */
export async function catalogue(language: 'de' | 'fr'): Promise<typeof english> {
  const files = (await lazy[language]()).default;
  return Object.fromEntries(
    Object.keys(english).map((ns) => [ns, files[`./${language}/${ns}.json`] ?? {}]),
  ) as typeof english;
}
