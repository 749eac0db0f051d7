-- What a PostgREST-style server needs to answer the client pages from inside PostgreSQL: a
-- role for client requests, and row-level security that reads the tenant from the JWT claims
-- set per transaction. Portico's own server connects as the table owner and is unaffected
-- (owners and superusers bypass these policies). Idempotent.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portico_bench_client') THEN
    CREATE ROLE portico_bench_client NOLOGIN;
  END IF;
END $$;
GRANT USAGE ON SCHEMA public TO portico_bench_client;
GRANT SELECT ON tasks, projects, users, comments, invoices TO portico_bench_client;

CREATE OR REPLACE FUNCTION bench_claimed_client() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT (current_setting('request.jwt.claims', true)::json ->> 'client_id')::uuid $$;

ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE comments ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS bench_tenant ON tasks;
CREATE POLICY bench_tenant ON tasks TO portico_bench_client USING (client_id = bench_claimed_client());
DROP POLICY IF EXISTS bench_tenant ON projects;
CREATE POLICY bench_tenant ON projects TO portico_bench_client USING (client_id = bench_claimed_client());
-- Staff names show on tasks and comments; client users only of their own account.
DROP POLICY IF EXISTS bench_tenant ON users;
CREATE POLICY bench_tenant ON users TO portico_bench_client USING (client_id IS NULL OR client_id = bench_claimed_client());
-- The same rule as Portico's client_comments view: released Replies only.
DROP POLICY IF EXISTS bench_tenant ON comments;
CREATE POLICY bench_tenant ON comments TO portico_bench_client
  USING (client_id = bench_claimed_client() AND visibility = 'reply' AND deleted_at IS NULL AND released_at IS NOT NULL);
-- Clients see invoices once sent, never drafts.
DROP POLICY IF EXISTS bench_tenant ON invoices;
CREATE POLICY bench_tenant ON invoices TO portico_bench_client
  USING (client_id = bench_claimed_client() AND status <> 'draft' AND sent_at IS NOT NULL);
