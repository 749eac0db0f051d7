//! Sessions end when they should.
//!
//! `users.session_epoch` is written into every access token; logging out, changing or
//! resetting a password and deactivation raise it, so tokens issued before stop working at
//! once rather than when they expire. `refresh_tokens.session_started_at` is when the login
//! began, carried from token to token as it rotates, so a session has an absolute lifetime
//! however often it is refreshed (tokens issued before this migration count from their own
//! creation).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    SessionEpoch,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    SessionStartedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(Users::Table).add_column(big_integer(Users::SessionEpoch).default(0)).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(RefreshTokens::Table)
                .add_column(timestamp_with_time_zone_null(RefreshTokens::SessionStartedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(RefreshTokens::Table).drop_column(RefreshTokens::SessionStartedAt).to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(Users::Table).drop_column(Users::SessionEpoch).to_owned()).await
    }
}
