//! Whether a client account's Client Admins (`team.manage`) look after their own team's portal
//! access: on for every account until the agency turns it off for one. And who deactivated a
//! user, so a Client Admin cannot bring back someone the agency shut out (users deactivated
//! before this knew only staff could have, and stay the agency's).
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(Clients::Table).add_column(boolean(Clients::TeamSelfService).default(true)).to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(Users::Table).add_column(uuid_null(Users::DeactivatedBy)).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Users::Table).drop_column(Users::DeactivatedBy).to_owned()).await?;
        m.alter_table(Table::alter().table(Clients::Table).drop_column(Clients::TeamSelfService).to_owned()).await
    }
}
