use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events { Table, Id, At, ClientId, Audience, Kind, ResourceId, Payload }

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The live-update log: a monotonically numbered event per change, so a reconnecting
        // stream can replay what it missed (`Last-Event-ID`).
        m.create_table(Table::create().table(Events::Table)
            .col(big_integer(Events::Id).auto_increment().primary_key())
            .col(timestamp_with_time_zone(Events::At))
            .col(uuid_null(Events::ClientId))
            // `all` (anyone who may read the resource) or `staff_notes` (staff who read Notes).
            .col(string(Events::Audience))
            .col(string(Events::Kind))
            .col(uuid(Events::ResourceId))
            .col(text(Events::Payload))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_events_client_id").table(Events::Table).col(Events::ClientId).col(Events::Id).to_owned()).await?;
        m.create_index(Index::create().name("ix_events_at").table(Events::Table).col(Events::At).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Events::Table).to_owned()).await
    }
}
