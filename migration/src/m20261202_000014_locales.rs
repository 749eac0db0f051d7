//! How amounts are written in documents and e-mails: the agency's locale (BCP 47, `en` until
//! someone chooses) and, where a client reads numbers differently, the client's own.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PortalSettings {
    Table,
    Locale,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    Locale,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(PortalSettings::Table)
                .add_column(string(PortalSettings::Locale).default("en"))
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(Clients::Table).add_column(string_null(Clients::Locale)).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Clients::Table).drop_column(Clients::Locale).to_owned()).await?;
        m.alter_table(Table::alter().table(PortalSettings::Table).drop_column(PortalSettings::Locale).to_owned())
            .await?;
        Ok(())
    }
}
