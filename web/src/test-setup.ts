import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeAll } from 'vitest';
import { i18n } from '@/lib/i18n';

// Components render in English here, whatever the machine's language, and a key English lacks
// fails the test that rendered it instead of showing the key.
beforeAll(async () => {
  await i18n.changeLanguage('en');
  i18n.options.saveMissing = true;
  i18n.options.missingKeyHandler = (_languages, ns, key) => {
    throw new Error(`missing translation ${ns}:${key}`);
  };
});

afterEach(() => cleanup());
