//! JSON kept as typed JSON, and what caused each piece of fan-out.
//!
//! - On PostgreSQL the JSON columns become `jsonb`, so the database itself refuses text that is
//!   not JSON; on SQLite they stay text, and the typed columns of the entities refuse it on read.
//! - Notifications, outbox mails and webhook deliveries record their source (e.g. the comment
//!   or invoice they are about) and, for notifications and mails, the event of the change that
//!   caused them, so a later change can withdraw what has not been delivered.
use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(table, column)` of every JSON document kept in a text column until now.
const JSON_COLUMNS: [(&str, &str); 7] = [
    ("portal_settings", "cards"),
    ("portal_settings", "home_task_statuses"),
    ("portal_settings", "overdue_reminder_days"),
    ("webhook_endpoints", "event_types"),
    ("events", "payload"),
    ("audit_events", "details"),
    ("jobs", "payload"),
];

async fn add_source_columns(
    m: &SchemaManager<'_>,
    table: impl IntoIden + Clone,
    with_event: bool,
) -> Result<(), DbErr> {
    // SQLite takes one column per ALTER TABLE.
    m.alter_table(Table::alter().table(table.clone()).add_column(string_null(Alias::new("source_type"))).to_owned())
        .await?;
    m.alter_table(Table::alter().table(table.clone()).add_column(uuid_null(Alias::new("source_id"))).to_owned())
        .await?;
    if with_event {
        m.alter_table(Table::alter().table(table).add_column(big_integer_null(Alias::new("event_id"))).to_owned())
            .await?;
    }
    Ok(())
}

/// On PostgreSQL, gives the JSON columns the type `to` (`jsonb` up, `text` down).
async fn retype_json_columns(m: &SchemaManager<'_>, to: &str) -> Result<(), DbErr> {
    if m.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let db = m.get_connection();
    for (table, column) in JSON_COLUMNS {
        // A default of the old type cannot be cast along with the column; it is set again below.
        db.execute_unprepared(&format!("ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT")).await?;
        db.execute_unprepared(&format!("ALTER TABLE {table} ALTER COLUMN {column} TYPE {to} USING {column}::{to}"))
            .await?;
    }
    db.execute_unprepared(&format!(
        "ALTER TABLE portal_settings ALTER COLUMN overdue_reminder_days SET DEFAULT '[1,7,14]'::{to}"
    ))
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        retype_json_columns(m, "jsonb").await?;
        for (table, with_event) in [("notifications", true), ("outbox", true), ("webhook_deliveries", false)] {
            add_source_columns(m, Alias::new(table), with_event).await?;
            m.create_index(
                Index::create()
                    .name(format!("ix_{table}_source"))
                    .table(Alias::new(table))
                    .col(Alias::new("source_type"))
                    .col(Alias::new("source_id"))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, columns) in [
            ("notifications", &["source_type", "source_id", "event_id"][..]),
            ("outbox", &["source_type", "source_id", "event_id"][..]),
            ("webhook_deliveries", &["source_type", "source_id"][..]),
        ] {
            m.drop_index(Index::drop().name(format!("ix_{table}_source")).table(Alias::new(table)).to_owned()).await?;
            for column in columns {
                m.alter_table(Table::alter().table(Alias::new(table)).drop_column(Alias::new(*column)).to_owned())
                    .await?;
            }
        }
        retype_json_columns(m, "text").await?;
        Ok(())
    }
}
