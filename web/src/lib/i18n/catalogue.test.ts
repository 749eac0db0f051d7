import { LANGUAGES } from './index';
import { catalogue, english } from './resources';

type Tree = { [key: string]: string | Tree };

// i18next's plural forms: `files_one`, `files_other` (and `_many` where the language has it).
const PLURAL = /_(zero|one|two|few|many|other)$/;

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

/** Each message with its plural forms folded into one: `files` for `files_one` and `files_other`. */
function messages(tree: Tree): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [path, text] of leaves(tree)) {
    const match = PLURAL.exec(path);
    const base = match ? path.slice(0, match.index) : path;
    const forms = out.get(base) ?? new Map<string, string>();
    forms.set(match ? match[1]! : '', text);
    out.set(base, forms);
  }
  return out;
}

const variables = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();
const tags = (text: string) => [...text.matchAll(/<(\/?\w+)\s*\/?>/g)].map((m) => m[1]).sort();

const resources = { de: await catalogue('de'), fr: await catalogue('fr') };

describe('the shipped languages', () => {
  const namespaces = Object.keys(english) as (keyof typeof english)[];

  it('have every namespace with at least one message', () => {
    for (const ns of namespaces) expect(messages(english[ns] as Tree).size, ns).toBeGreaterThan(0);
  });

  for (const language of LANGUAGES.filter((l) => l !== 'en') as ('de' | 'fr')[]) {
    const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;

    it(`${language}: has every message English has, and no other`, () => {
      for (const ns of namespaces) {
        const want = [...messages(english[ns] as Tree).keys()].sort();
        const have = [...messages(resources[language][ns] as Tree).keys()].sort();
        expect(have, `${language}/${ns}.json`).toEqual(want);
      }
    });

    it(`${language}: says each message with the same placeholders and markup, never empty`, () => {
      for (const ns of namespaces) {
        const theirs = messages(resources[language][ns] as Tree);
        for (const [key, forms] of messages(english[ns] as Tree)) {
          const own = theirs.get(key);
          if (!own) continue;
          const englishVars = new Set([...forms.values()].flatMap(variables));
          for (const [form, text] of own) {
            const where = `${language}/${ns}.json ${key}${form ? `_${form}` : ''}`;
            expect(text.trim(), where).not.toBe('');
            // A plural form may leave out {{count}} ("un fichier"); no form may invent a variable.
            for (const v of variables(text)) expect(englishVars, where).toContain(v);
            expect(tags(text), where).toEqual(tags([...forms.values()][0]!));
          }
        }
      }
    });

    it(`${language}: has each plural form the language needs`, () => {
      for (const ns of namespaces) {
        const theirs = messages(resources[language][ns] as Tree);
        for (const [key, englishForms] of messages(english[ns] as Tree)) {
          const plural = [...englishForms.keys()].some((f) => f !== '');
          const forms = theirs.get(key);
          if (!plural || !forms) continue;
          for (const category of categories) {
            expect(forms.has(category), `${language}/${ns}.json ${key}_${category}`).toBe(true);
          }
        }
      }
    });
  }
});
