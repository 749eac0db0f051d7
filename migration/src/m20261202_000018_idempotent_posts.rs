//! The first answer to each `Idempotency-Key` a caller sent with a POST, kept a day so a retry
//! gets that answer instead of doing the thing twice. A row stands for one caller's key (the
//! id is a hash of both); until the answer is in, the row says the request is under way.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Id,
    Claim,
    RequestHash,
    HashedBytes,
    Status,
    ContentType,
    Location,
    Body,
    CreatedAt,
    CompletedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(IdempotencyKeys::Table)
                .col(string_len(IdempotencyKeys::Id, 64).primary_key())
                // Which request holds the key, so a late one cannot complete or release a newer claim.
                .col(string_len(IdempotencyKeys::Claim, 64))
                .col(string_len_null(IdempotencyKeys::RequestHash, 64))
                // For a large upload: how much of the body its handler read, and the hash covers.
                .col(big_integer_null(IdempotencyKeys::HashedBytes))
                .col(integer_null(IdempotencyKeys::Status))
                .col(string_len_null(IdempotencyKeys::ContentType, 200))
                .col(string_len_null(IdempotencyKeys::Location, 2000))
                .col(blob_null(IdempotencyKeys::Body))
                .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                .col(timestamp_with_time_zone_null(IdempotencyKeys::CompletedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_idempotency_keys_created_at")
                .table(IdempotencyKeys::Table)
                .col(IdempotencyKeys::CreatedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned()).await
    }
}
