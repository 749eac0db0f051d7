//! Events get a place in commit order.
//!
//! An event's `id` is taken when it is inserted, but concurrent changes commit in any order, so
//! a reader that has seen id 12 may later be shown id 11 — or, skipping "older" ids, lose it.
//! `seq` is given at commit instead, under a lock held until the commit is visible
//! (`services::events::sequence`): it rises with commit order and has no gaps, so a stream,
//! a replay and every instance's relay can go by it and never skip an event. Events committed
//! before this migration keep their id as their place.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    Seq,
    ClientId,
}

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
        // Finds a change's own events, not yet placed, at its commit (both dialects have
        // partial indexes).
        m.get_connection()
            .execute_unprepared("CREATE INDEX ix_events_unplaced ON events (id) WHERE seq IS NULL")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["ix_events_unplaced", "ix_events_client_seq", "ux_events_seq"] {
            m.drop_index(Index::drop().name(name).table(Events::Table).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(Events::Table).drop_column(Events::Seq).to_owned()).await?;
        Ok(())
    }
}
