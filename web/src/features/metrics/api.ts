// Portal metrics (staff with `metrics.read`): adoption, response times, replies awaiting an
// answer, portal versus e-mail, satisfaction. Every report but the awaiting list is for a period
// (`from` inclusive, `to` exclusive; the server's default: the 12 weeks up to now).
import { queryOptions } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { unwrap } from '@/lib/api/problem';

export type AdoptionReport = Schemas['AdoptionReport'];
export type AdoptionFigures = Schemas['AdoptionFigures'];
export type ClientAdoption = Schemas['ClientAdoption'];
export type UserAdoption = Schemas['UserAdoption'];
export type WeekLogins = Schemas['WeekLogins'];
export type ResponsivenessReport = Schemas['ResponsivenessReport'];
export type ResponseFigures = Schemas['ResponseFigures'];
export type GroupResponses = Schemas['GroupResponses'];
export type WeekResponses = Schemas['WeekResponses'];
export type Asked = Schemas['Asked'];
export type AwaitingReply = Schemas['AwaitingReply'];
export type ChannelsReport = Schemas['ChannelsReport'];
export type ChannelWeek = Schemas['ChannelWeek'];
export type ClientChannels = Schemas['ClientChannels'];
export type SatisfactionReport = Schemas['SatisfactionReport'];
export type GroupSatisfaction = Schemas['GroupSatisfaction'];
export type WeekSatisfaction = Schemas['WeekSatisfaction'];
export type SurveyAnswer = Schemas['SurveyAnswer'];

/** What every period report is narrowed to; every field is optional. */
export interface MetricsFilters {
  client_id?: string;
  /** Instants (RFC 3339): from `from`, up to but not including `to`. */
  from?: string;
  to?: string;
}

/** The metrics' query keys, all under `['metrics']` (so invalidating that refreshes them all). */
export const metricsKeys = {
  all: ['metrics'] as const,
  adoption: (filters: MetricsFilters) => ['metrics', 'adoption', filters] as const,
  responsiveness: (filters: MetricsFilters, asked: Asked) => ['metrics', 'responsiveness', asked, filters] as const,
  awaiting: (clientId: string | undefined, all: boolean) => ['metrics', 'awaiting', clientId ?? null, all] as const,
  channels: (filters: MetricsFilters) => ['metrics', 'channels', filters] as const,
  satisfaction: (filters: MetricsFilters) => ['metrics', 'satisfaction', filters] as const,
};

/** Reports change slowly: a minute before one is read again when shown again. */
const STALE_MS = 60_000;

export const adoptionQuery = (filters: MetricsFilters) =>
  queryOptions({
    queryKey: metricsKeys.adoption(filters),
    queryFn: async () => unwrap(await api.GET('/api/v1/metrics/adoption', { params: { query: filters } })),
    staleTime: STALE_MS,
  });

export const responsivenessQuery = (filters: MetricsFilters, asked: Asked) =>
  queryOptions({
    queryKey: metricsKeys.responsiveness(filters, asked),
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/metrics/responsiveness', { params: { query: { ...filters, asked } } })),
    staleTime: STALE_MS,
  });

/** Client replies not answered yet: those past the commitment, or with `all` every one. */
export const awaitingRepliesQuery = (clientId: string | undefined, all: boolean) =>
  queryOptions({
    queryKey: metricsKeys.awaiting(clientId, all),
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/metrics/awaiting-replies', {
          params: { query: { client_id: clientId, all: all || undefined } },
        }),
      ),
    staleTime: STALE_MS,
  });

export const channelsQuery = (filters: MetricsFilters) =>
  queryOptions({
    queryKey: metricsKeys.channels(filters),
    queryFn: async () => unwrap(await api.GET('/api/v1/metrics/channels', { params: { query: filters } })),
    staleTime: STALE_MS,
  });

export const satisfactionQuery = (filters: MetricsFilters) =>
  queryOptions({
    queryKey: metricsKeys.satisfaction(filters),
    queryFn: async () => unwrap(await api.GET('/api/v1/metrics/satisfaction', { params: { query: filters } })),
    staleTime: STALE_MS,
  });
