-- E1: a client's ongoing tasks, first page (GET /api/v1/tasks?open=true): the same 51 rows
-- (a page of 50 and one to know there is more), the same columns. The names come from lateral
-- subqueries, as PostgREST embeds a to-one relation; a plain join here lets the planner (blind
-- to the tenant behind current_setting) start from projects and run 3-4× slower.
\set n random(:nlo, :nhi)
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
SELECT set_config('role', 'portico_bench_client', true), set_config('request.jwt.claims', '{"role":"client","client_id":"000c0000-' || lpad(to_hex(:n::int), 4, '0') || '-8000-8000-000000000000"}', true), set_config('request.method', 'GET', true), set_config('request.path', '/tasks', true);
SELECT coalesce(json_agg(r), '[]') AS body FROM (
  SELECT t.id, t.client_id, t.project_id, p.name AS project_name, t.title, t.description, t.status, t.priority,
         t.assignee_id, u.name AS assignee_name, t.due_date, t.position, t.created_at, t.updated_at
  FROM tasks t
  LEFT JOIN LATERAL (SELECT name FROM projects WHERE projects.id = t.project_id) p ON true
  LEFT JOIN LATERAL (SELECT name FROM users WHERE users.id = t.assignee_id) u ON true
  WHERE t.status <> 'done'
  ORDER BY t.due_date ASC NULLS LAST, t.id ASC LIMIT 51) r;
COMMIT;
