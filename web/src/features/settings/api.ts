// Portal settings (staff read them, admins change them); the shell reads only the branding.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';

export type Settings = Schemas['PortalSettingsResponse'];

const settingsQuery = () =>
  queryOptions({
    queryKey: keys.settings,
    queryFn: async () => unwrap(await api.GET('/api/v1/settings/portal')),
  });

export function useSettings() {
  return useQuery(settingsQuery());
}

export function useSaveSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['UpdatePortalSettingsRequest']) =>
      unwrap(await api.PATCH('/api/v1/settings/portal', { body })),
    onSuccess: (s) => {
      qc.setQueryData(keys.settings, s);
      void qc.invalidateQueries({ queryKey: keys.branding });
    },
  });
}

/** Uploads the agency's logo (PNG or JPEG, at most 1 MiB); answers with the settings. */
export function useUploadLogo() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return unwrap(
        await api.PUT('/api/v1/settings/logo', {
          body: { file: '' },
          // The browser writes the multipart body and its boundary.
          bodySerializer: () => form,
        }),
      );
    },
    onSuccess: (s) => {
      qc.setQueryData(keys.settings, s);
      void qc.invalidateQueries({ queryKey: keys.branding });
    },
  });
}

export function useRemoveLogo() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/settings/logo')),
    onSuccess: (s) => {
      qc.setQueryData(keys.settings, s);
      void qc.invalidateQueries({ queryKey: keys.branding });
    },
  });
}
