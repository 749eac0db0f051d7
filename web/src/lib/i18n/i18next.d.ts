// Keys are typed from the English catalogue: a `t()` of a key English lacks does not compile.
import 'i18next';
import type { english } from './resources';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: typeof english;
    returnNull: false;
  }
}
