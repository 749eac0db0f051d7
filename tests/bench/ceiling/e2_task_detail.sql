-- E2: a task with its Replies (GET /api/v1/tasks/{id} and /tasks/{id}/comments): the task
-- with its names, and the first page of released Replies with their authors.
\set n random(:nlo, :nhi)
\set k random(0, :kmax)
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
SELECT set_config('role', 'portico_bench_client', true), set_config('request.jwt.claims', '{"role":"client","client_id":"000c0000-' || lpad(to_hex(:n::int), 4, '0') || '-8000-8000-000000000000"}', true), set_config('request.method', 'GET', true), set_config('request.path', '/tasks/x', true);
SELECT json_build_object(
  'task', (SELECT row_to_json(x) FROM (
      SELECT t.id, t.client_id, t.project_id, p.name AS project_name, t.title, t.description, t.status, t.priority,
             t.assignee_id, u.name AS assignee_name, t.due_date, t.position, t.created_at, t.updated_at
      FROM tasks t
      LEFT JOIN LATERAL (SELECT name FROM projects WHERE projects.id = t.project_id) p ON true
      LEFT JOIN LATERAL (SELECT name FROM users WHERE users.id = t.assignee_id) u ON true
      WHERE t.id = ('00020000-' || lpad(to_hex(:n::int), 4, '0') || '-8000-8000-' || lpad(to_hex(:k::bigint), 12, '0'))::uuid) x),
  'comments', (SELECT coalesce(json_agg(c), '[]') FROM (
      SELECT cm.id, cm.task_id, cm.author_id, a.name AS author_name, a.client_id AS author_client_id, cm.body,
             cm.visibility, cm.edited_at, cm.created_at
      FROM comments cm LEFT JOIN LATERAL (SELECT name, client_id FROM users WHERE users.id = cm.author_id) a ON true
      WHERE cm.task_id = ('00020000-' || lpad(to_hex(:n::int), 4, '0') || '-8000-8000-' || lpad(to_hex(:k::bigint), 12, '0'))::uuid
      ORDER BY cm.created_at ASC, cm.id ASC LIMIT 51) c)) AS body;
COMMIT;
