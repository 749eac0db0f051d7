// The task page's data: the task with its thread in one request, and what staff and clients
// change on it.
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';
import { LIVE_REFRESH_MS } from '@/lib/live';
import { upload } from '@/lib/files';

export type Visibility = Schemas['CommentResponse']['visibility'];
export type TaskDetail = Schemas['TaskDetailResponse'];

/** Comments per page of a thread: the first comes with the task, later ones on request. */
export const THREAD_PAGE = 50;

/** The task and its first page of comments in one request; a change to either refreshes both. */
export const taskPageQuery = (id: string) =>
  queryOptions({
    queryKey: keys.tasks.one(id),
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/tasks/{id}', {
          params: { path: { id }, query: { include: 'comments', comments_limit: THREAD_PAGE } },
        }),
      ),
    refetchInterval: LIVE_REFRESH_MS,
  });

/** The thread past the page the task came with, a page at a time from that page's cursor. Under
 * the task's key, so whatever refreshes the task refreshes these too. */
export const laterCommentsQuery = (taskId: string, start: string) =>
  infiniteQueryOptions({
    queryKey: [...keys.tasks.one(taskId), 'later', start],
    initialPageParam: start,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/api/v1/tasks/{id}/comments', {
          params: { path: { id: taskId }, query: { cursor: pageParam, limit: THREAD_PAGE } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

export function useDeleteTask(taskId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/tasks/{id}', { params: { path: { id: taskId } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.projects.all }),
  });
}

/**
 * Posts a comment, then attaches its files to it one by one. Once the comment is posted it
 * stands: a file that fails is reported (`failed`), not a reason to post the comment again.
 */
export function usePostComment(taskId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, visibility, files = [] }: { body: string; visibility: Visibility; files?: File[] }) => {
      const comment = unwrap(
        await api.POST('/api/v1/tasks/{id}/comments', { params: { path: { id: taskId } }, body: { body, visibility } }),
      );
      // `reason` is null when the upload failed without saying why.
      const failed: { name: string; reason: string | null }[] = [];
      for (const file of files) {
        try {
          await upload(`/api/v1/comments/${comment.id}/files`, file);
        } catch (e) {
          failed.push({ name: file.name, reason: e instanceof Error ? e.message : null });
        }
      }
      return { comment, failed };
    },
    onSettled: () => qc.invalidateQueries({ queryKey: keys.tasks.one(taskId) }),
  });
}

/** Turns a Reply into a Note or back. */
export function useTurnComment(taskId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, visibility }: { id: string; visibility: Visibility }) =>
      unwrap(await api.PATCH('/api/v1/comments/{id}', { params: { path: { id } }, body: { visibility } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.tasks.one(taskId) }),
  });
}

/** Its author edits a comment's text; the thread then shows it "edited". */
export function useEditComment(taskId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: string }) =>
      unwrap(await api.PATCH('/api/v1/comments/{id}', { params: { path: { id } }, body: { body } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.tasks.one(taskId) }),
  });
}

/** Deletes a comment (its author, or staff who moderate the thread). */
export function useDeleteComment(taskId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/comments/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.tasks.one(taskId) }),
  });
}

export function useUpdateTask(taskId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['UpdateTaskRequest']) =>
      unwrap(await api.PATCH('/api/v1/tasks/{id}', { params: { path: { id: taskId } }, body })),
    onSuccess: (t) => {
      // The page's query also holds the thread, which a PATCH does not return.
      qc.setQueryData<TaskDetail>(keys.tasks.one(taskId), (page) => (page ? { ...page, ...t } : page));
      void qc.invalidateQueries({ queryKey: keys.projects.all });
    },
  });
}
