-- E3: a client's invoices, first page (GET /api/v1/invoices), newest first.
\set n random(:nlo, :nhi)
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
SELECT set_config('role', 'portico_bench_client', true), set_config('request.jwt.claims', '{"role":"client","client_id":"000c0000-' || lpad(to_hex(:n::int), 4, '0') || '-8000-8000-000000000000"}', true), set_config('request.method', 'GET', true), set_config('request.path', '/invoices', true);
SELECT coalesce(json_agg(r), '[]') AS body FROM (
  SELECT id, client_id, number, issue_date, due_date, currency, status, tax_rate_bp, subtotal_cents, tax_cents,
         total_cents, paid_cents, payment_instructions, sent_at, created_at, updated_at
  FROM invoices ORDER BY issue_date DESC, id DESC LIMIT 51) r;
COMMIT;
