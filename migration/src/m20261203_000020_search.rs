//! Full-text search: one index of the words of clients, projects, tasks, comments, invoices and
//! files, kept by triggers so no write path can forget it (and a row restored or changed by
//! hand is found as it now reads).
//!
//! The index only says which rows hold the words. Who may see a row is never stored here: a
//! search intersects these candidates with the caller's policy scopes (`api/src/domain/search.rs`),
//! so a Note is found by nobody who may not read Notes, exactly as in every other read.
//!
//! PostgreSQL keeps a weighted `tsvector` (title above body) under a GIN index, in the `simple`
//! configuration because the words are in whatever language each agency writes; SQLite keeps an
//! FTS5 table over the same rows (external content, so the text is stored once).
use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// What is indexed: the kind, the table, its account column, its title and body columns, and
/// the column that, once set, means the row is gone (a soft delete).
struct Indexed {
    kind: &'static str,
    table: &'static str,
    client: &'static str,
    title: &'static str,
    body: Option<&'static str>,
    gone: Option<&'static str>,
}

const INDEXED: [Indexed; 6] = [
    Indexed { kind: "client", table: "clients", client: "id", title: "name", body: Some("notes"), gone: None },
    Indexed {
        kind: "project",
        table: "projects",
        client: "client_id",
        title: "name",
        body: Some("description"),
        gone: None,
    },
    Indexed {
        kind: "task",
        table: "tasks",
        client: "client_id",
        title: "title",
        body: Some("description"),
        gone: None,
    },
    Indexed {
        kind: "comment",
        table: "comments",
        client: "client_id",
        title: "",
        body: Some("body"),
        gone: Some("deleted_at"),
    },
    Indexed { kind: "invoice", table: "invoices", client: "client_id", title: "number", body: None, gone: None },
    Indexed { kind: "file", table: "files", client: "client_id", title: "name", body: None, gone: None },
];

const POSTGRES: &str = r#"
CREATE TABLE search_entries (
  kind text NOT NULL,
  ref_id uuid NOT NULL,
  client_id uuid NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  -- Punctuation becomes a space first: the default parser would keep `brief.txt` or
  -- `INV-2026-0001` as one word that no search for `brief` or `0001` finds.
  document tsvector GENERATED ALWAYS AS
    (setweight(to_tsvector('simple', regexp_replace(title, '[[:punct:]]+', ' ', 'g')), 'A')
     || setweight(to_tsvector('simple', regexp_replace(body, '[[:punct:]]+', ' ', 'g')), 'B')) STORED,
  PRIMARY KEY (kind, ref_id)
);
CREATE INDEX ix_search_entries_document ON search_entries USING gin (document);
CREATE INDEX ix_search_entries_client ON search_entries (client_id);
ALTER TABLE search_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_entries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON search_entries TO CURRENT_USER
  USING (portico_tenant_sees(client_id)) WITH CHECK (portico_tenant_sees(client_id));

-- TG_ARGV: kind, account column, title column, body column ('' for none), soft-delete column ('' for none).
CREATE FUNCTION portico_search_index() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r jsonb;
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM search_entries WHERE kind = TG_ARGV[0] AND ref_id = OLD.id;
    RETURN OLD;
  END IF;
  r := to_jsonb(NEW);
  IF TG_ARGV[4] <> '' AND r ->> TG_ARGV[4] IS NOT NULL THEN
    DELETE FROM search_entries WHERE kind = TG_ARGV[0] AND ref_id = NEW.id;
    RETURN NEW;
  END IF;
  INSERT INTO search_entries (kind, ref_id, client_id, title, body)
  VALUES (TG_ARGV[0], NEW.id, (r ->> TG_ARGV[1])::uuid,
          COALESCE(r ->> NULLIF(TG_ARGV[2], ''), ''), COALESCE(r ->> NULLIF(TG_ARGV[3], ''), ''))
  ON CONFLICT (kind, ref_id) DO UPDATE
    SET client_id = EXCLUDED.client_id, title = EXCLUDED.title, body = EXCLUDED.body;
  RETURN NEW;
END $$;
"#;

const SQLITE: &str = r#"
CREATE TABLE search_entries (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  ref_id BLOB NOT NULL,
  client_id BLOB NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (kind, ref_id)
);
CREATE INDEX ix_search_entries_client ON search_entries (client_id);
CREATE VIRTUAL TABLE search_fts USING fts5(
  title, body, content = 'search_entries', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
  INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
  INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN
  INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
"#;

impl Indexed {
    fn sqlite_expr(col: Option<&str>, row: &str) -> String {
        match col {
            Some(c) if !c.is_empty() => format!("COALESCE({row}.{c}, '')"),
            _ => "''".to_owned(),
        }
    }

    /// The columns whose change changes the entry.
    fn watched(&self) -> String {
        [Some(self.client), Some(self.title), self.body, self.gone]
            .into_iter()
            .flatten()
            .filter(|c| !c.is_empty() && *c != "id")
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn sqlite_triggers(&self) -> String {
        let Indexed { kind, table, client, .. } = self;
        let title = Self::sqlite_expr(Some(self.title), "new");
        let body = Self::sqlite_expr(self.body, "new");
        let live = self.gone.map(|g| format!("WHEN new.{g} IS NULL")).unwrap_or_default();
        let upsert = format!(
            "INSERT INTO search_entries (kind, ref_id, client_id, title, body) \
             VALUES ('{kind}', new.id, new.{client}, {title}, {body}) \
             ON CONFLICT (kind, ref_id) DO UPDATE SET client_id = excluded.client_id, title = excluded.title, body = excluded.body;"
        );
        let remove_old = format!("DELETE FROM search_entries WHERE kind = '{kind}' AND ref_id = old.id;");
        let watched = self.watched();
        let mut sql = format!(
            "CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} {live} BEGIN {upsert} END;\n\
             CREATE TRIGGER search_{table}_au AFTER UPDATE OF {watched} ON {table} {live} BEGIN {upsert} END;\n\
             CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN {remove_old} END;\n"
        );
        if let Some(g) = self.gone {
            sql.push_str(&format!(
                "CREATE TRIGGER search_{table}_gone AFTER UPDATE OF {g} ON {table} WHEN new.{g} IS NOT NULL BEGIN {remove_old} END;\n"
            ));
        }
        sql
    }

    fn postgres_trigger(&self) -> String {
        let Indexed { kind, table, client, title, .. } = self;
        let body = self.body.unwrap_or("");
        let gone = self.gone.unwrap_or("");
        let watched = self.watched();
        format!(
            "CREATE TRIGGER search_index AFTER INSERT OR UPDATE OF {watched} OR DELETE ON {table} FOR EACH ROW \
             EXECUTE FUNCTION portico_search_index('{kind}', '{client}', '{title}', '{body}', '{gone}');"
        )
    }

    /// Fills the index from the rows already there.
    fn backfill(&self) -> String {
        let Indexed { kind, table, client, .. } = self;
        let title = Self::sqlite_expr(Some(self.title), table);
        let body = Self::sqlite_expr(self.body, table);
        let live = self.gone.map(|g| format!("WHERE {g} IS NULL")).unwrap_or_default();
        format!(
            "INSERT INTO search_entries (kind, ref_id, client_id, title, body) \
             SELECT '{kind}', id, {client}, {title}, {body} FROM {table} {live};"
        )
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let postgres = m.get_database_backend() == DbBackend::Postgres;
        db.execute_unprepared(if postgres { POSTGRES } else { SQLITE }).await?;
        for indexed in &INDEXED {
            db.execute_unprepared(&indexed.backfill()).await?;
            let triggers = if postgres { indexed.postgres_trigger() } else { indexed.sqlite_triggers() };
            db.execute_unprepared(&triggers).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let postgres = m.get_database_backend() == DbBackend::Postgres;
        for Indexed { table, gone, .. } in &INDEXED {
            if postgres {
                db.execute_unprepared(&format!("DROP TRIGGER search_index ON {table};")).await?;
            } else {
                let mut names = vec!["ai", "au", "ad"];
                if gone.is_some() {
                    names.push("gone");
                }
                for name in names {
                    db.execute_unprepared(&format!("DROP TRIGGER search_{table}_{name};")).await?;
                }
            }
        }
        if postgres {
            db.execute_unprepared("DROP TABLE search_entries; DROP FUNCTION portico_search_index();").await?;
        } else {
            db.execute_unprepared("DROP TABLE search_fts; DROP TABLE search_entries;").await?;
        }
        Ok(())
    }
}
