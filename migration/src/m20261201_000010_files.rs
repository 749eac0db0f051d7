//! Files and deliverables: a project's files (in folders, optionally on a task), their
//! versions (the bytes live in object storage under `storage_key`), and reviews of a version
//! by the client's approvers.
//!
//! Also: the attachments a comment lists (and the Replies-only view with them), and the
//! stages of overdue-feedback reminders, an automation of the portal settings.
//!
//! Every row carries its account's `client_id`, like the rest of an account's data, so the
//! tenant scope and the row-level security policies (on PostgreSQL) hold these tables too.
use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Files { Table, Id, ClientId, ProjectId, TaskId, CommentId, Folder, Name, CurrentVersion, CreatedBy, CreatedAt, UpdatedAt }
#[derive(DeriveIden)]
enum FileVersions { Table, Id, FileId, ClientId, Number, StorageKey, Size, Sha256, ContentType, OriginalName, UploadedBy, CreatedAt }
#[derive(DeriveIden)]
enum Reviews {
    Table, Id, FileId, VersionId, ClientId, Status, Message, DueDate, RequestedBy, RequestedAt, DecidedBy, DecidedAt, DecisionComment,
}
#[derive(DeriveIden)]
enum PortalSettings { Table, FeedbackReminderDays }
#[derive(DeriveIden)]
enum Clients { Table, Id }
#[derive(DeriveIden)]
enum Projects { Table, Id }
#[derive(DeriveIden)]
enum Tasks { Table, Id }
#[derive(DeriveIden)]
enum Comments { Table, Id, Attachments }
#[derive(DeriveIden)]
enum Users { Table, Id }

const TABLES: [&str; 3] = ["files", "file_versions", "reviews"];

fn fk<T: IntoIden + 'static, C: IntoIden + 'static, U: IntoIden + 'static, D: IntoIden + 'static>(
    from: (T, C), to: (U, D), on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(on_delete).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        m.create_table(Table::create().table(Files::Table)
            .col(uuid(Files::Id).primary_key())
            .col(uuid(Files::ClientId))
            .col(uuid(Files::ProjectId))
            .col(uuid_null(Files::TaskId))
            // A file attached to a comment is seen exactly where the comment is: a Note's never by a client.
            .col(uuid_null(Files::CommentId))
            .col(string_null(Files::Folder))
            .col(string(Files::Name))
            .col(integer(Files::CurrentVersion))
            .col(uuid(Files::CreatedBy))
            .col(timestamp_with_time_zone(Files::CreatedAt))
            .col(timestamp_with_time_zone(Files::UpdatedAt))
            .foreign_key(&mut fk((Files::Table, Files::ClientId), (Clients::Table, Clients::Id), Restrict))
            .foreign_key(&mut fk((Files::Table, Files::ProjectId), (Projects::Table, Projects::Id), Cascade))
            .foreign_key(&mut fk((Files::Table, Files::TaskId), (Tasks::Table, Tasks::Id), SetNull))
            .foreign_key(&mut fk((Files::Table, Files::CommentId), (Comments::Table, Comments::Id), Cascade))
            .foreign_key(&mut fk((Files::Table, Files::CreatedBy), (Users::Table, Users::Id), Restrict))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_files_project").table(Files::Table).col(Files::ProjectId).col(Files::UpdatedAt).to_owned()).await?;
        m.create_index(Index::create().name("ix_files_client").table(Files::Table).col(Files::ClientId).col(Files::UpdatedAt).to_owned()).await?;
        m.create_index(Index::create().name("ix_files_comment").table(Files::Table).col(Files::CommentId).to_owned()).await?;

        m.create_table(Table::create().table(FileVersions::Table)
            .col(uuid(FileVersions::Id).primary_key())
            .col(uuid(FileVersions::FileId))
            .col(uuid(FileVersions::ClientId))
            .col(integer(FileVersions::Number))
            .col(string(FileVersions::StorageKey))
            .col(big_integer(FileVersions::Size))
            .col(string_len(FileVersions::Sha256, 64))
            .col(string(FileVersions::ContentType))
            .col(string(FileVersions::OriginalName))
            .col(uuid(FileVersions::UploadedBy))
            .col(timestamp_with_time_zone(FileVersions::CreatedAt))
            .foreign_key(&mut fk((FileVersions::Table, FileVersions::FileId), (Files::Table, Files::Id), Cascade))
            .foreign_key(&mut fk((FileVersions::Table, FileVersions::UploadedBy), (Users::Table, Users::Id), Restrict))
            .to_owned()).await?;
        m.create_index(Index::create().name("ux_file_versions_number").table(FileVersions::Table).col(FileVersions::FileId).col(FileVersions::Number).unique().to_owned()).await?;

        m.create_table(Table::create().table(Reviews::Table)
            .col(uuid(Reviews::Id).primary_key())
            .col(uuid(Reviews::FileId))
            .col(uuid(Reviews::VersionId))
            .col(uuid(Reviews::ClientId))
            // pending, approved, changes_requested, superseded (a newer version came), cancelled
            .col(string(Reviews::Status))
            .col(text_null(Reviews::Message))
            .col(date_null(Reviews::DueDate))
            .col(uuid(Reviews::RequestedBy))
            .col(timestamp_with_time_zone(Reviews::RequestedAt))
            .col(uuid_null(Reviews::DecidedBy))
            .col(timestamp_with_time_zone_null(Reviews::DecidedAt))
            .col(text_null(Reviews::DecisionComment))
            .foreign_key(&mut fk((Reviews::Table, Reviews::FileId), (Files::Table, Files::Id), Cascade))
            .foreign_key(&mut fk((Reviews::Table, Reviews::VersionId), (FileVersions::Table, FileVersions::Id), Cascade))
            .foreign_key(&mut fk((Reviews::Table, Reviews::RequestedBy), (Users::Table, Users::Id), Restrict))
            .foreign_key(&mut fk((Reviews::Table, Reviews::DecidedBy), (Users::Table, Users::Id), Restrict))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_reviews_file").table(Reviews::Table).col(Reviews::FileId).col(Reviews::RequestedAt).to_owned()).await?;
        m.create_index(Index::create().name("ix_reviews_open").table(Reviews::Table).col(Reviews::Status).col(Reviews::DueDate).to_owned()).await?;

        // A comment lists its attachments itself, so the thread (and the task page, one
        // statement) reads them with it, and they are seen exactly where the comment is.
        m.alter_table(Table::alter().table(Comments::Table)
            .add_column(json_binary(Comments::Attachments).default("[]")).to_owned()).await?;
        let db = m.get_connection();
        db.execute_unprepared("DROP VIEW client_comments").await?;
        db.execute_unprepared(
            "CREATE VIEW client_comments AS \
             SELECT id, client_id, task_id, author_id, body, visibility, edited_at, deleted_at, created_at, released_at, attachments \
             FROM comments WHERE visibility = 'reply' AND deleted_at IS NULL AND released_at IS NOT NULL",
        ).await?;

        // Days after a review's due date to remind the approvers (once per stage).
        m.alter_table(Table::alter().table(PortalSettings::Table)
            .add_column(json_binary(PortalSettings::FeedbackReminderDays).default("[1,3,7]")).to_owned()).await?;

        if m.get_database_backend() == DbBackend::Postgres {
            for table in TABLES {
                m.get_connection().execute_unprepared(&format!(
                    "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; ALTER TABLE {table} FORCE ROW LEVEL SECURITY; \
                     CREATE POLICY tenant_scope ON {table} TO CURRENT_USER USING (portico_tenant_sees(client_id)) \
                     WITH CHECK (portico_tenant_sees(client_id));"
                )).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(PortalSettings::Table).drop_column(PortalSettings::FeedbackReminderDays).to_owned()).await?;
        let db = m.get_connection();
        db.execute_unprepared("DROP VIEW client_comments").await?;
        db.execute_unprepared(
            "CREATE VIEW client_comments AS \
             SELECT id, client_id, task_id, author_id, body, visibility, edited_at, deleted_at, created_at, released_at \
             FROM comments WHERE visibility = 'reply' AND deleted_at IS NULL AND released_at IS NOT NULL",
        ).await?;
        m.alter_table(Table::alter().table(Comments::Table).drop_column(Comments::Attachments).to_owned()).await?;
        m.drop_table(Table::drop().table(Reviews::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(FileVersions::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Files::Table).to_owned()).await
    }
}
