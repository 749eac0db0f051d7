// The payment methods the SPA has words for. The API takes any method (an integration may
// record its own), and one this list lacks is shown as it was sent.
const METHODS = ['bank_transfer', 'card', 'cash', 'other', 'refund'] as const;

export type KnownMethod = (typeof METHODS)[number];

export const knownMethod = (method: string): method is KnownMethod => (METHODS as readonly string[]).includes(method);
