use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs { Table, Id, Kind, Payload, RunAt, Status, Attempts, LockedUntil, LastError, DedupeKey, CreatedAt, DoneAt }
#[derive(DeriveIden)]
enum Notifications { Table, Id, UserId, ClientId, Kind, Title, Body, Link, ReadAt, CreatedAt }
#[derive(DeriveIden)]
enum NotificationPreferences { Table, UserId, Kind, InApp, Email }
#[derive(DeriveIden)]
enum Comments { Table, ReleasedAt }
#[derive(DeriveIden)]
enum PortalSettings { Table, NotifyTaskDone, WeeklySummary, OverdueReminderDays }
#[derive(DeriveIden)]
enum Users { Table, Id }

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Durable background work: run once, by one instance, surviving restarts.
        m.create_table(Table::create().table(Jobs::Table)
            .col(uuid(Jobs::Id).primary_key())
            .col(string(Jobs::Kind))
            .col(text(Jobs::Payload))
            .col(timestamp_with_time_zone(Jobs::RunAt))
            .col(string(Jobs::Status))
            .col(integer(Jobs::Attempts).default(0))
            .col(timestamp_with_time_zone_null(Jobs::LockedUntil))
            .col(text_null(Jobs::LastError))
            // Makes "once per invoice and reminder stage" a database guarantee.
            .col(string_null(Jobs::DedupeKey).unique_key())
            .col(timestamp_with_time_zone(Jobs::CreatedAt))
            .col(timestamp_with_time_zone_null(Jobs::DoneAt))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_jobs_due").table(Jobs::Table).col(Jobs::Status).col(Jobs::RunAt).to_owned()).await?;

        m.create_table(Table::create().table(Notifications::Table)
            .col(uuid(Notifications::Id).primary_key())
            .col(uuid(Notifications::UserId))
            .col(uuid_null(Notifications::ClientId))
            .col(string(Notifications::Kind))
            .col(string(Notifications::Title))
            .col(text(Notifications::Body))
            .col(string(Notifications::Link))
            .col(timestamp_with_time_zone_null(Notifications::ReadAt))
            .col(timestamp_with_time_zone(Notifications::CreatedAt))
            .foreign_key(ForeignKey::create().from(Notifications::Table, Notifications::UserId).to(Users::Table, Users::Id).on_delete(ForeignKeyAction::Cascade))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_notifications_user").table(Notifications::Table).col(Notifications::UserId).col(Notifications::CreatedAt).to_owned()).await?;

        m.create_table(Table::create().table(NotificationPreferences::Table)
            .col(uuid(NotificationPreferences::UserId))
            .col(string(NotificationPreferences::Kind))
            .col(boolean(NotificationPreferences::InApp))
            .col(boolean(NotificationPreferences::Email))
            .primary_key(Index::create().col(NotificationPreferences::UserId).col(NotificationPreferences::Kind))
            .foreign_key(ForeignKey::create().from(NotificationPreferences::Table, NotificationPreferences::UserId).to(Users::Table, Users::Id).on_delete(ForeignKeyAction::Cascade))
            .to_owned()).await?;

        // Staff Replies wait out an undo window before the client sees them.
        m.alter_table(Table::alter().table(Comments::Table).add_column(timestamp_with_time_zone_null(Comments::ReleasedAt)).to_owned()).await?;
        let db = m.get_connection();
        db.execute_unprepared("UPDATE comments SET released_at = created_at").await?;
        db.execute_unprepared("DROP VIEW client_comments").await?;
        db.execute_unprepared(
            "CREATE VIEW client_comments AS \
             SELECT id, client_id, task_id, author_id, body, visibility, edited_at, deleted_at, created_at, released_at \
             FROM comments WHERE visibility = 'reply' AND deleted_at IS NULL AND released_at IS NOT NULL",
        ).await?;

        for col in [
            boolean(PortalSettings::NotifyTaskDone).default(true).to_owned(),
            boolean(PortalSettings::WeeklySummary).default(true).to_owned(),
            text(PortalSettings::OverdueReminderDays).default("[1,7,14]").to_owned(),
        ] {
            m.alter_table(Table::alter().table(PortalSettings::Table).add_column(col).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("DROP VIEW client_comments").await?;
        db.execute_unprepared(
            "CREATE VIEW client_comments AS \
             SELECT id, client_id, task_id, author_id, body, visibility, edited_at, deleted_at, created_at \
             FROM comments WHERE visibility = 'reply' AND deleted_at IS NULL",
        ).await?;
        for t in ["notification_preferences", "notifications", "jobs"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
