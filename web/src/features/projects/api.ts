// Projects and their boards, for clients (read) and staff (manage).
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';
import { PAGE_SIZE, pagedQuery } from '@/lib/api/paging';
import { LIVE_REFRESH_MS } from '@/lib/live';

export type Project = Schemas['ProjectResponse'];
export type Task = Schemas['TaskResponse'];

export const projectsQuery = () => ({
  ...pagedQuery(keys.projects.list({}), async (cursor) =>
    unwrap(await api.GET('/api/v1/projects', { params: { query: { limit: PAGE_SIZE, cursor } } })),
  ),
  refetchInterval: LIVE_REFRESH_MS,
});

export const projectQuery = (id: string) =>
  queryOptions({
    queryKey: keys.projects.one(id),
    queryFn: async () => unwrap(await api.GET('/api/v1/projects/{id}', { params: { path: { id } } })),
    refetchInterval: LIVE_REFRESH_MS,
  });

/** A project's tasks in board order, a page at a time; `status` for one column of the board. */
export const projectTasksQuery = (id: string, status?: Task['status']) => ({
  ...pagedQuery([...keys.projects.tasks(id), status ?? 'all'], async (cursor) =>
    unwrap(
      await api.GET('/api/v1/projects/{id}/tasks', {
        params: { path: { id }, query: { status, limit: PAGE_SIZE, cursor } },
      }),
    ),
  ),
  refetchInterval: LIVE_REFRESH_MS,
});

export interface TaskFilters {
  project_id?: string;
  status?: Task['status'];
  /** Only tasks not done. */
  open?: boolean;
  /** Only tasks due strictly before this day. */
  due_before?: string;
}

/** Tasks across the caller's projects (a client's own account's), soonest due first. */
export const tasksQuery = (filters: TaskFilters) => ({
  ...pagedQuery([...keys.tasks.all, 'list', filters], async (cursor) =>
    unwrap(await api.GET('/api/v1/tasks', { params: { query: { ...filters, limit: PAGE_SIZE, cursor } } })),
  ),
  refetchInterval: LIVE_REFRESH_MS,
});

export function useCreateProject() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['CreateProjectRequest']) => unwrap(await api.POST('/api/v1/projects', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.projects.all }),
  });
}

export function useUpdateProject(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['UpdateProjectRequest']) =>
      unwrap(await api.PATCH('/api/v1/projects/{id}', { params: { path: { id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.projects.all }),
  });
}

export function useDeleteProject(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/projects/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.projects.all }),
  });
}

/** A board move: the task's new status. */
export function useMoveTask(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ task, status }: { task: string; status: Task['status'] }) =>
      unwrap(await api.PATCH('/api/v1/tasks/{id}', { params: { path: { id: task } }, body: { status } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.projects.one(projectId) }),
  });
}

export function useCreateTask(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['CreateTaskRequest']) =>
      unwrap(await api.POST('/api/v1/projects/{id}/tasks', { params: { path: { id: projectId } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.projects.one(projectId) }),
  });
}
