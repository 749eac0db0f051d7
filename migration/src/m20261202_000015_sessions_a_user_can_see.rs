//! Each login as its user sees it: one row per login (the refresh-token family it began),
//! with when it began, when it was last refreshed, from which address and browser, until when
//! it lasts and whether it has ended, so a user can list their signed-in devices and end any.
//! Logins standing when it runs are listed from their refresh tokens (without an address or
//! browser, which were not kept; the next refresh fills them in).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UserSessions {
    Table,
    Id,
    UserId,
    CreatedAt,
    LastUsedAt,
    ExpiresAt,
    Address,
    UserAgent,
    EndedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(UserSessions::Table)
                // The refresh-token family's id: the login itself.
                .col(uuid(UserSessions::Id).primary_key())
                .col(uuid(UserSessions::UserId))
                .col(timestamp_with_time_zone(UserSessions::CreatedAt))
                .col(timestamp_with_time_zone(UserSessions::LastUsedAt))
                .col(timestamp_with_time_zone(UserSessions::ExpiresAt))
                .col(string_len_null(UserSessions::Address, 64))
                .col(string_len_null(UserSessions::UserAgent, 300))
                .col(timestamp_with_time_zone_null(UserSessions::EndedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(UserSessions::Table, UserSessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_user_sessions_user")
                .table(UserSessions::Table)
                .col(UserSessions::UserId)
                .col(UserSessions::LastUsedAt)
                .to_owned(),
        )
        .await?;
        // One row per standing login: its live token (unused, unrevoked) carries when it
        // began and until when it lasts.
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO user_sessions (id, user_id, created_at, last_used_at, expires_at) \
                 SELECT family_id, user_id, MIN(COALESCE(session_started_at, created_at)), MAX(created_at), \
                 MAX(expires_at) FROM refresh_tokens WHERE revoked_at IS NULL AND used_at IS NULL \
                 GROUP BY family_id, user_id",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(UserSessions::Table).to_owned()).await?;
        Ok(())
    }
}
