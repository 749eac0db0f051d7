//! Whether a client account's Client Admins (`team.manage`) look after their own team's portal
//! access: on for every account until the agency turns it off for one. And who deactivated a
//! user, so a Client Admin cannot bring back someone the agency shut out (users deactivated
//! before this knew only staff could have, and stay the agency's). And the indexes by which the
//! scheduler forgets logins and single-use links long over, on every tick.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Clients {
    Table,
    TeamSelfService,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    DeactivatedBy,
}

const EXPIRY_INDEXES: &[(&str, &str, &str)] = &[
    ("idx_refresh_tokens_expires_at", "refresh_tokens", "expires_at"),
    ("idx_user_sessions_expires_at", "user_sessions", "expires_at"),
    ("idx_user_sessions_ended_at", "user_sessions", "ended_at"),
    ("idx_one_time_tokens_expires_at", "one_time_tokens", "expires_at"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(Clients::Table).add_column(boolean(Clients::TeamSelfService).default(true)).to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(Users::Table).add_column(uuid_null(Users::DeactivatedBy)).to_owned())
            .await?;
        for (name, table, column) in EXPIRY_INDEXES {
            m.create_index(Index::create().name(*name).table(Alias::new(*table)).col(Alias::new(*column)).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in EXPIRY_INDEXES {
            m.drop_index(Index::drop().name(*name).table(Alias::new(*table)).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(Users::Table).drop_column(Users::DeactivatedBy).to_owned()).await?;
        m.alter_table(Table::alter().table(Clients::Table).drop_column(Clients::TeamSelfService).to_owned()).await
    }
}
