//! When a person last used the portal, so their home can say what changed since their last
//! visit: `last_seen_at` moves while they use it; once they come back after a pause,
//! `previous_visit_at` takes the time their last visit ended.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    LastSeenAt,
    PreviousVisitAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for column in [Users::LastSeenAt, Users::PreviousVisitAt] {
            m.alter_table(
                Table::alter().table(Users::Table).add_column(timestamp_with_time_zone_null(column)).to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Users::PreviousVisitAt, Users::LastSeenAt] {
            m.alter_table(Table::alter().table(Users::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
