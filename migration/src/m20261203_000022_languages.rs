//! Which language a person reads the portal and their e-mails in (none chosen: their browser's
//! in the portal, the agency's in e-mails), and the agency's own default.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Language,
}

#[derive(DeriveIden)]
enum PortalSettings {
    Table,
    Language,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Users::Table).add_column(string_len_null(Users::Language, 8)).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(PortalSettings::Table)
                .add_column(string_len(PortalSettings::Language, 8).default("en"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(PortalSettings::Table).drop_column(PortalSettings::Language).to_owned())
            .await?;
        m.alter_table(Table::alter().table(Users::Table).drop_column(Users::Language).to_owned()).await
    }
}
