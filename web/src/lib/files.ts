// Files and deliverables: the queries every feature that shows files shares (a project's Files
// tab, a file's page, the home's and the dashboard's widgets, a comment's attachments), and the
// upload, which goes through XMLHttpRequest for its progress events (fetch has none for uploads).
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from './api/client';
import { keys } from './api/keys';
import { ApiError, toProblem, unwrap } from './api/problem';
import { LIVE_REFRESH_MS } from './live';
import { session } from './session';
import { i18n } from './i18n';
import { locale } from './format';

export type FileItem = Schemas['FileResponse'];
export type Version = Schemas['VersionResponse'];
export type Review = Schemas['ReviewResponse'];
export type FilesQuery = { review?: Review['status']; folder?: string; limit?: number };

export const projectFilesQuery = (projectId: string, query: FilesQuery = {}) =>
  queryOptions({
    queryKey: keys.files.project(projectId, query),
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/projects/{id}/files', {
          params: { path: { id: projectId }, query: { limit: 200, ...query } },
        }),
      ),
    refetchInterval: LIVE_REFRESH_MS,
  });

/** Files across every project the caller reads (the home's and the dashboard's widgets). */
export const filesQuery = (query: FilesQuery = {}) =>
  queryOptions({
    queryKey: keys.files.list(query),
    queryFn: async () => unwrap(await api.GET('/api/v1/files', { params: { query: { limit: 10, ...query } } })),
    refetchInterval: LIVE_REFRESH_MS,
  });

export const fileQuery = (id: string) =>
  queryOptions({
    queryKey: keys.files.one(id),
    queryFn: async () => unwrap(await api.GET('/api/v1/files/{id}', { params: { path: { id } } })),
    refetchInterval: LIVE_REFRESH_MS,
  });

export const versionsQuery = (id: string) =>
  queryOptions({
    queryKey: keys.files.versions(id),
    queryFn: async () => unwrap(await api.GET('/api/v1/files/{id}/versions', { params: { path: { id } } })).items,
  });

export const reviewsQuery = (id: string) =>
  queryOptions({
    queryKey: keys.files.reviews(id),
    queryFn: async () => unwrap(await api.GET('/api/v1/files/{id}/reviews', { params: { path: { id } } })).items,
  });

/** A short-lived download link for one version (for `<img>`, `<iframe>` and plain links). */
export const linkQuery = (id: string, version: number) =>
  queryOptions({
    queryKey: keys.fileLinks(id, version),
    queryFn: async () =>
      unwrap(await api.POST('/api/v1/files/{id}/links', { params: { path: { id } }, body: { version } })).url,
    // A preview loaded once stays loaded; a link is only needed again when the page is
    // opened again, and it lives five minutes on the server.
    staleTime: 4 * 60_000,
    refetchOnWindowFocus: false,
  });

export const useFileLink = (id: string, version: number, enabled = true) =>
  useQuery({ ...linkQuery(id, version), enabled });

/** Opens a version's download: asks for a link, then follows it; says why when it cannot. */
export async function download(id: string, version?: number) {
  let url: string;
  try {
    ({ url } = unwrap(await api.POST('/api/v1/files/{id}/links', { params: { path: { id } }, body: { version } })));
  } catch (e) {
    window.alert(e instanceof Error ? e.message : i18n.t('state.downloadFailed'));
    return;
  }
  const a = document.createElement('a');
  a.href = `${url}&download=true`;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** What the server shows inline (the rest it sends as attachments, which cannot be previewed). */
const INLINE_IMAGES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif'];

export const previewable = (contentType: string) =>
  INLINE_IMAGES.includes(contentType) ? 'image' : contentType === 'application/pdf' ? 'pdf' : null;

export function bytes(n: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  // The language's own separator and unit words ("1,5 MB", "12 octets").
  return new Intl.NumberFormat(locale(), {
    style: 'unit',
    unit: units[i],
    unitDisplay: 'short',
    maximumFractionDigits: i > 0 && v < 10 ? 1 : 0,
  }).format(v);
}

/**
 * Sends `file` as the multipart field `file` (with `fields`) to `path`, reporting progress as
 * a fraction from 0 to 1. Resolves with the server's answer; rejects with an ApiError.
 */
export async function upload<T>(
  path: string,
  file: File,
  fields: Record<string, string> = {},
  onProgress?: (fraction: number) => void,
): Promise<T> {
  const token = await session.freshToken();
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v) form.append(k, v);
  form.append('file', file, file.name);
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept-Language', i18n.language);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress?.(e.loaded / e.total);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new ApiError(toProblem(xhr.status, body)));
    };
    xhr.onerror = () => reject(new ApiError(toProblem(0, null)));
    xhr.send(form);
  });
}

export function useUpload(path: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      file,
      fields,
      onProgress,
    }: {
      file: File;
      fields?: Record<string, string>;
      onProgress?: (f: number) => void;
    }) => upload<FileItem>(path, file, fields, onProgress),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.files.all }),
  });
}

export function useRequestReview(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['RequestReviewRequest']) =>
      unwrap(await api.POST('/api/v1/files/{id}/review', { params: { path: { id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.files.all }),
  });
}

export function useCancelReview(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/files/{id}/review', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.files.all }),
  });
}

export function useDecide(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['DecisionRequest']) =>
      unwrap(await api.POST('/api/v1/files/{id}/decision', { params: { path: { id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.files.all }),
  });
}

export function useDeleteFile(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/files/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.files.all }),
  });
}
