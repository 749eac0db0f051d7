// The charts, each loaded with the first one shown (Recharts is not in the page's first bundle).
import { lazy } from 'react';

export type { Series } from './charts';

/** Colours apart in hue and lightness, each at least 3:1 against white (WCAG 1.4.11). */
export const COLOURS = { first: '#1f4e79', second: '#b35900' } as const;

export const BarsChart = lazy(() => import('./charts').then((m) => ({ default: m.BarsChart })));
export const LinesChart = lazy(() => import('./charts').then((m) => ({ default: m.LinesChart })));
