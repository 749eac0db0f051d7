// Satisfaction surveys as the person asked answers them: their open ones in the portal, or one
// through the e-mail's single-use link.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { unwrap } from '@/lib/api/problem';

const surveysKey = ['surveys'] as const;

export const openSurveysQuery = () =>
  queryOptions({
    queryKey: surveysKey,
    queryFn: async () => unwrap(await api.GET('/api/v1/surveys')),
  });

export function useAnswerSurvey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, ...body }: Schemas['AnswerSurveyRequest'] & { id: string }) =>
      unwrap(await api.POST('/api/v1/surveys/{id}/answer', { params: { path: { id } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: surveysKey }),
  });
}

export function useAnswerByLink() {
  return useMutation({
    mutationFn: async (body: Schemas['AnswerByLinkRequest']) =>
      unwrap(await api.POST('/api/v1/surveys/answer-by-link', { body })),
  });
}
