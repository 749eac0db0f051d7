import { bytes } from './files';
import { showLanguage } from './i18n';

describe('a file size', () => {
  it('reads in the unit that keeps it short, in the language shown', async () => {
    expect(bytes(512)).toBe('512 byte');
    expect(bytes(1536)).toBe('1.5 kB');
    expect(bytes(25 * 1024 * 1024)).toBe('25 MB');
    await showLanguage('de', false);
    expect(bytes(1536)).toBe('1,5 kB');
    await showLanguage('en', false);
  });
});
