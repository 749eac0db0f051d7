//! Satisfaction surveys: one per person and subject (a task done, a project completed, a
//! period), answered once with a score of 1 to 5 and an optional comment, in the portal or
//! through a single-use link (only its hash is kept); and the settings that switch each kind on.
use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Surveys {
    Table,
    Id,
    ClientId,
    UserId,
    SubjectKey,
    Subject,
    TaskId,
    ProjectId,
    StaffId,
    Title,
    TokenHash,
    ExpiresAt,
    CreatedAt,
    AnsweredAt,
    Score,
    Comment,
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
enum PortalSettings {
    Table,
    Surveys,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Surveys::Table)
                .col(uuid(Surveys::Id).primary_key())
                .col(uuid(Surveys::ClientId))
                .col(uuid(Surveys::UserId))
                .col(string_len(Surveys::SubjectKey, 80))
                .col(string_len(Surveys::Subject, 16))
                .col(uuid_null(Surveys::TaskId))
                .col(uuid_null(Surveys::ProjectId))
                .col(uuid_null(Surveys::StaffId))
                .col(string_len(Surveys::Title, 300))
                .col(string_len(Surveys::TokenHash, 64).unique_key())
                .col(timestamp_with_time_zone(Surveys::ExpiresAt))
                .col(timestamp_with_time_zone(Surveys::CreatedAt))
                .col(timestamp_with_time_zone_null(Surveys::AnsweredAt))
                .col(small_integer_null(Surveys::Score))
                .col(text_null(Surveys::Comment))
                .foreign_key(
                    ForeignKey::create()
                        .from(Surveys::Table, Surveys::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Surveys::Table, Surveys::ClientId)
                        .to(Clients::Table, Clients::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // One survey per person and subject: asked twice (a task reopened and done again), it
        // is the same survey.
        m.create_index(
            Index::create()
                .name("surveys_one_per_person_and_subject")
                .table(Surveys::Table)
                .col(Surveys::UserId)
                .col(Surveys::SubjectKey)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("surveys_by_answer")
                .table(Surveys::Table)
                .col(Surveys::AnsweredAt)
                .col(Surveys::ClientId)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(PortalSettings::Table)
                .add_column(
                    json_binary(PortalSettings::Surveys)
                        .default(r#"{"on_task_done":false,"on_project_completed":true,"every_weeks":null}"#),
                )
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            m.get_connection()
                .execute_unprepared(
                    "ALTER TABLE surveys ENABLE ROW LEVEL SECURITY; ALTER TABLE surveys FORCE ROW LEVEL SECURITY; \
                     CREATE POLICY tenant_scope ON surveys TO CURRENT_USER USING (portico_tenant_sees(client_id)) \
                     WITH CHECK (portico_tenant_sees(client_id));",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(PortalSettings::Table).drop_column(PortalSettings::Surveys).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Surveys::Table).to_owned()).await
    }
}
