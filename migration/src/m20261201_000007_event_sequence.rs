//! Events get a place in commit order.
//!
//! An event's `id` is taken when it is inserted, but concurrent changes commit in any order, so
//! a reader that has seen id 12 may later be shown id 11 — or, skipping "older" ids, lose it.
//! `seq` is given at commit instead: it rises with commit order and has no gaps, so a stream,
//! a replay and every instance's relay can go by it and never skip an event. Events committed
//! before this migration keep their id as their place.
//!
//! On PostgreSQL a deferred constraint trigger places each event while its transaction commits:
//! it takes the next number from a one-row counter, whose row lock is held until the commit is
//! visible, so the next committer waits and then reads the number after it. Inside COMMIT, the
//! lock is held for no round trip to the server. On SQLite, one writer at a time, the server
//! places a change's events itself, last before its commit (`services::events::place`).
use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    Seq,
    ClientId,
}

const PLACE_AT_COMMIT: &str = r#"
CREATE TABLE event_places (id SMALLINT PRIMARY KEY CHECK (id = 1), last BIGINT NOT NULL);
INSERT INTO event_places VALUES (1, (SELECT COALESCE(MAX(seq), 0) FROM events));
CREATE FUNCTION portico_place_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  place BIGINT;
BEGIN
  UPDATE event_places SET last = last + 1 WHERE id = 1 RETURNING last INTO place;
  UPDATE events SET seq = place WHERE id = NEW.id;
  -- Wakes every instance's relay once per transaction (equal payloads are folded into one).
  PERFORM pg_notify('portico_events', '');
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER events_place_at_commit AFTER INSERT ON events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION portico_place_event();
"#;

const UNPLACE: &str = r#"
DROP TRIGGER events_place_at_commit ON events;
DROP FUNCTION portico_place_event();
DROP TABLE event_places;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Events::Table).add_column(big_integer_null(Events::Seq)).to_owned()).await?;
        m.exec_stmt(Query::update().table(Events::Table).value(Events::Seq, Expr::col(Events::Id)).to_owned()).await?;
        m.create_index(Index::create().name("ux_events_seq").table(Events::Table).col(Events::Seq).unique().to_owned())
            .await?;
        m.create_index(
            Index::create()
                .name("ix_events_client_seq")
                .table(Events::Table)
                .col(Events::ClientId)
                .col(Events::Seq)
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            m.get_connection().execute_unprepared(PLACE_AT_COMMIT).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Postgres {
            m.get_connection().execute_unprepared(UNPLACE).await?;
        }
        for name in ["ix_events_client_seq", "ux_events_seq"] {
            m.drop_index(Index::drop().name(name).table(Events::Table).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(Events::Table).drop_column(Events::Seq).to_owned()).await?;
        Ok(())
    }
}
