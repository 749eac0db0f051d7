use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OneTimeTokens { Table, Id, Purpose, UserId, ContactId, TokenHash, ExpiresAt, UsedAt, RevokedAt, CreatedBy, CreatedAt }
#[derive(DeriveIden)]
enum Outbox { Table, Id, Kind, ToEmail, Subject, TextBody, HtmlBody, Status, Attempts, NextAttemptAt, LockedUntil, LastError, CreatedAt, SentAt }
#[derive(DeriveIden)]
enum Throttles { Table, Key, WindowStart, Count }
#[derive(DeriveIden)]
enum Users { Table, Id }
#[derive(DeriveIden)]
enum Contacts { Table, Id }

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Invitations and password resets: single-use, expiring, stored only as a hash.
        m.create_table(Table::create().table(OneTimeTokens::Table)
            .col(uuid(OneTimeTokens::Id).primary_key())
            .col(string(OneTimeTokens::Purpose))
            .col(uuid(OneTimeTokens::UserId))
            .col(uuid_null(OneTimeTokens::ContactId))
            .col(string_uniq(OneTimeTokens::TokenHash))
            .col(timestamp_with_time_zone(OneTimeTokens::ExpiresAt))
            .col(timestamp_with_time_zone_null(OneTimeTokens::UsedAt))
            .col(timestamp_with_time_zone_null(OneTimeTokens::RevokedAt))
            .col(uuid_null(OneTimeTokens::CreatedBy))
            .col(timestamp_with_time_zone(OneTimeTokens::CreatedAt))
            .foreign_key(ForeignKey::create().from(OneTimeTokens::Table, OneTimeTokens::UserId).to(Users::Table, Users::Id).on_delete(ForeignKeyAction::Cascade))
            .foreign_key(ForeignKey::create().from(OneTimeTokens::Table, OneTimeTokens::ContactId).to(Contacts::Table, Contacts::Id).on_delete(ForeignKeyAction::SetNull))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_one_time_tokens_user").table(OneTimeTokens::Table).col(OneTimeTokens::UserId).col(OneTimeTokens::Purpose).to_owned()).await?;
        m.create_index(Index::create().name("ix_one_time_tokens_contact").table(OneTimeTokens::Table).col(OneTimeTokens::ContactId).to_owned()).await?;

        // Durable e-mail: written in the transaction of the change that causes it, sent after.
        m.create_table(Table::create().table(Outbox::Table)
            .col(uuid(Outbox::Id).primary_key())
            .col(string(Outbox::Kind))
            .col(string(Outbox::ToEmail))
            .col(text(Outbox::Subject))
            .col(text(Outbox::TextBody))
            .col(text(Outbox::HtmlBody))
            .col(string(Outbox::Status))
            .col(integer(Outbox::Attempts).default(0))
            .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
            .col(timestamp_with_time_zone_null(Outbox::LockedUntil))
            .col(text_null(Outbox::LastError))
            .col(timestamp_with_time_zone(Outbox::CreatedAt))
            .col(timestamp_with_time_zone_null(Outbox::SentAt))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_outbox_due").table(Outbox::Table).col(Outbox::Status).col(Outbox::NextAttemptAt).to_owned()).await?;

        // Fixed-window counters for throttling, shared by every instance through the database.
        m.create_table(Table::create().table(Throttles::Table)
            .col(string(Throttles::Key).primary_key())
            .col(timestamp_with_time_zone(Throttles::WindowStart))
            .col(integer(Throttles::Count))
            .to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["throttles", "outbox", "one_time_tokens"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
