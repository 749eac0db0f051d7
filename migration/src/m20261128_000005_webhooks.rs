use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookEndpoints { Table, Id, Url, Secret, EventTypes, ClientId, Active, CreatedAt, UpdatedAt }
#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table, Id, EndpointId, EventId, Kind, Body, Status, Attempts, NextAttemptAt, LockedUntil, LastStatus, LastError, CreatedAt, DeliveredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(Table::create().table(WebhookEndpoints::Table)
            .col(uuid(WebhookEndpoints::Id).primary_key())
            .col(string(WebhookEndpoints::Url))
            // Needed in clear to sign deliveries; shown to the admin once, at creation.
            .col(string(WebhookEndpoints::Secret))
            .col(text(WebhookEndpoints::EventTypes))
            .col(uuid_null(WebhookEndpoints::ClientId))
            .col(boolean(WebhookEndpoints::Active))
            .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
            .col(timestamp_with_time_zone(WebhookEndpoints::UpdatedAt))
            .to_owned()).await?;
        m.create_table(Table::create().table(WebhookDeliveries::Table)
            .col(uuid(WebhookDeliveries::Id).primary_key())
            .col(uuid(WebhookDeliveries::EndpointId))
            .col(big_integer(WebhookDeliveries::EventId))
            .col(string(WebhookDeliveries::Kind))
            .col(text(WebhookDeliveries::Body))
            .col(string(WebhookDeliveries::Status))
            .col(integer(WebhookDeliveries::Attempts).default(0))
            .col(timestamp_with_time_zone(WebhookDeliveries::NextAttemptAt))
            .col(timestamp_with_time_zone_null(WebhookDeliveries::LockedUntil))
            .col(integer_null(WebhookDeliveries::LastStatus))
            .col(text_null(WebhookDeliveries::LastError))
            .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
            .col(timestamp_with_time_zone_null(WebhookDeliveries::DeliveredAt))
            .foreign_key(ForeignKey::create().from(WebhookDeliveries::Table, WebhookDeliveries::EndpointId).to(WebhookEndpoints::Table, WebhookEndpoints::Id).on_delete(ForeignKeyAction::Cascade))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_webhook_deliveries_due").table(WebhookDeliveries::Table).col(WebhookDeliveries::Status).col(WebhookDeliveries::NextAttemptAt).to_owned()).await?;
        m.create_index(Index::create().name("ix_webhook_deliveries_endpoint").table(WebhookDeliveries::Table).col(WebhookDeliveries::EndpointId).col(WebhookDeliveries::CreatedAt).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(WebhookDeliveries::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(WebhookEndpoints::Table).to_owned()).await
    }
}
