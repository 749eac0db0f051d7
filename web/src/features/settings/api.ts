// Portal settings (admins); reading them is shared with the shell (`useBranding`).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';

export type Settings = Schemas['PortalSettingsResponse'];

export function useSaveSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['UpdatePortalSettingsRequest']) =>
      unwrap(await api.PATCH('/api/v1/settings/portal', { body })),
    onSuccess: (s) => qc.setQueryData(keys.settings, s),
  });
}
