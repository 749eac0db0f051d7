// Webhook endpoints for integrators (`settings.manage`): where events are sent, signed, and
// what became of each delivery.
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';

export type Webhook = Schemas['WebhookResponse'];
export type Delivery = Schemas['DeliveryResponse'];

/** The kinds of event an endpoint can receive, as the server lists them: `note.changed` carries
 * only ids, goes to staff endpoints that choose it, and never to one held to a client account. */
/** What each event kind tells, in the language shown (the server writes it in the one asked). */
export const eventKindsQuery = (language: string) =>
  queryOptions({
    queryKey: [...keys.webhooks.all, 'event-types', language],
    queryFn: async () => unwrap(await api.GET('/api/v1/webhook-event-types')),
    staleTime: Infinity,
  });

export const webhooksQuery = () =>
  queryOptions({ queryKey: keys.webhooks.all, queryFn: async () => unwrap(await api.GET('/api/v1/webhooks')) });

/** One endpoint's deliveries, newest first, a page at a time. */
export const deliveriesQuery = (id: string) =>
  infiniteQueryOptions({
    queryKey: keys.webhooks.deliveries(id),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/api/v1/webhooks/{id}/deliveries', {
          params: { path: { id }, query: { limit: 20, cursor: pageParam } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

export function useWebhookActions() {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: keys.webhooks.all });
  return {
    create: useMutation({
      mutationFn: async (body: Schemas['CreateWebhookRequest']) => unwrap(await api.POST('/api/v1/webhooks', { body })),
      onSuccess: done,
    }),
    update: useMutation({
      mutationFn: async ({ id, ...body }: Schemas['UpdateWebhookRequest'] & { id: string }) =>
        unwrap(await api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id } }, body })),
      onSuccess: done,
    }),
    remove: useMutation({
      mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } })),
      onSuccess: done,
    }),
    redeliver: useMutation({
      mutationFn: async (id: string) =>
        unwrap(await api.POST('/api/v1/webhook-deliveries/{id}/redeliver', { params: { path: { id } } })),
      onSuccess: done,
    }),
  };
}
