//! API keys for integrators. A key is stored only as the SHA-256 of its secret (the secret is
//! shown once), with the permissions it was given, the person who made it and the user it acts
//! as: its maker, or for a key held to one client account a hidden user of that account with
//! the Client Admin role, so the key sees exactly what that account's Client Admin would. Who
//! used it last, and from where, is kept; revoking keeps the row for the audit log, which
//! names the key behind every change made with one. A stream ticket remembers the key it was
//! asked for with, so the stream it opens is held to that key too. A key may have a rate of
//! its own.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    Name,
    Prefix,
    SecretHash,
    Permissions,
    ClientId,
    PrincipalId,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    LastUsedAddress,
    RevokedAt,
    RevokedBy,
    RateLimitPerMinute,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    ApiKeyId,
}

#[derive(DeriveIden)]
enum OneTimeTokens {
    Table,
    ApiKeyId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ApiKeys::Table)
                .col(uuid(ApiKeys::Id).primary_key())
                .col(string_len(ApiKeys::Name, 100))
                .col(string_len(ApiKeys::Prefix, 20))
                .col(string_len_uniq(ApiKeys::SecretHash, 64))
                .col(json_binary(ApiKeys::Permissions))
                .col(uuid_null(ApiKeys::ClientId))
                .col(uuid(ApiKeys::PrincipalId))
                .col(uuid(ApiKeys::CreatedBy))
                .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiKeys::ExpiresAt))
                .col(timestamp_with_time_zone_null(ApiKeys::LastUsedAt))
                .col(string_len_null(ApiKeys::LastUsedAddress, 64))
                .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                .col(uuid_null(ApiKeys::RevokedBy))
                // Requests a minute; none: the installation's default.
                .col(integer_null(ApiKeys::RateLimitPerMinute))
                .foreign_key(
                    ForeignKey::create().from(ApiKeys::Table, ApiKeys::ClientId).to(Clients::Table, Clients::Id),
                )
                .foreign_key(
                    ForeignKey::create().from(ApiKeys::Table, ApiKeys::PrincipalId).to(Users::Table, Users::Id),
                )
                .foreign_key(ForeignKey::create().from(ApiKeys::Table, ApiKeys::CreatedBy).to(Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_api_keys_created_at").table(ApiKeys::Table).col(ApiKeys::CreatedAt).to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(AuditEvents::Table).add_column(uuid_null(AuditEvents::ApiKeyId)).to_owned())
            .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_events_api_key")
                .table(AuditEvents::Table)
                .col(AuditEvents::ApiKeyId)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(OneTimeTokens::Table).add_column(uuid_null(OneTimeTokens::ApiKeyId)).to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(OneTimeTokens::Table).drop_column(OneTimeTokens::ApiKeyId).to_owned())
            .await?;
        m.drop_index(Index::drop().name("ix_audit_events_api_key").table(AuditEvents::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(AuditEvents::Table).drop_column(AuditEvents::ApiKeyId).to_owned()).await?;
        m.drop_table(Table::drop().table(ApiKeys::Table).to_owned()).await
    }
}
