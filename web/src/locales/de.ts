// Every namespace of this language in one module, so showing it fetches one file.
export default import.meta.glob<Record<string, unknown>>('./de/*.json', { eager: true, import: 'default' });
