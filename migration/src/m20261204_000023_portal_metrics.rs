//! What the portal metrics are made of: each sign-in of a person (never View-as), when a user
//! was first invited and first signed in, each Reply that waits for the other side's answer
//! and when (and by whom) it was answered, and the agency's working calendar that measures
//! the wait in business hours.
use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    InvitedAt,
    FirstLoginAt,
}

#[derive(DeriveIden)]
enum Logins {
    Table,
    Id,
    UserId,
    ClientId,
    At,
}

#[derive(DeriveIden)]
enum ReplyWaits {
    Table,
    CommentId,
    TaskId,
    ProjectId,
    ClientId,
    Side,
    AskedBy,
    AskedAt,
    Channel,
    AnswerId,
    AnsweredBy,
    AnsweredAt,
    BusinessSeconds,
}

#[derive(DeriveIden)]
enum PortalSettings {
    Table,
    WorkingCalendar,
}

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    Id,
}

/// Row-level security as for the other tables: a wait belongs to one account, a sign-in to one
/// account or (staff) to the agency.
const POLICIES: [(&str, &str); 2] =
    [("reply_waits", "portico_tenant_sees(client_id)"), ("logins", "portico_tenant_sees_or_agency(client_id)")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Users::InvitedAt, Users::FirstLoginAt] {
            m.alter_table(
                Table::alter().table(Users::Table).add_column(timestamp_with_time_zone_null(column)).to_owned(),
            )
            .await?;
        }
        // Users who signed in before this version: their first known sign-in is the last one.
        m.get_connection()
            .execute_unprepared("UPDATE users SET first_login_at = last_login_at WHERE last_login_at IS NOT NULL")
            .await?;
        m.alter_table(
            Table::alter()
                .table(PortalSettings::Table)
                .add_column(json_binary(PortalSettings::WorkingCalendar).default(
                    r#"{"time_zone":"UTC","days":["mon","tue","wed","thu","fri"],"starts":"09:00","ends":"17:00","holidays":[]}"#,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Logins::Table)
                .col(uuid(Logins::Id).primary_key())
                .col(uuid(Logins::UserId))
                .col(uuid_null(Logins::ClientId))
                .col(timestamp_with_time_zone(Logins::At))
                .foreign_key(
                    ForeignKey::create()
                        .from(Logins::Table, Logins::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Logins::Table, Logins::ClientId)
                        .to(Clients::Table, Clients::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("logins_by_time").table(Logins::Table).col(Logins::At).to_owned()).await?;
        m.create_index(
            Index::create().name("logins_by_user").table(Logins::Table).col(Logins::UserId).col(Logins::At).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ReplyWaits::Table)
                .col(uuid(ReplyWaits::CommentId).primary_key())
                .col(uuid(ReplyWaits::TaskId))
                .col(uuid(ReplyWaits::ProjectId))
                .col(uuid(ReplyWaits::ClientId))
                .col(string_len(ReplyWaits::Side, 8))
                .col(uuid(ReplyWaits::AskedBy))
                .col(timestamp_with_time_zone(ReplyWaits::AskedAt))
                .col(string_len(ReplyWaits::Channel, 8).default("portal"))
                .col(uuid_null(ReplyWaits::AnswerId))
                .col(uuid_null(ReplyWaits::AnsweredBy))
                .col(timestamp_with_time_zone_null(ReplyWaits::AnsweredAt))
                .col(big_integer_null(ReplyWaits::BusinessSeconds))
                .foreign_key(
                    ForeignKey::create()
                        .from(ReplyWaits::Table, ReplyWaits::CommentId)
                        .to(Comments::Table, Comments::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ReplyWaits::Table, ReplyWaits::ClientId)
                        .to(Clients::Table, Clients::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("reply_waits_by_client")
                .table(ReplyWaits::Table)
                .col(ReplyWaits::ClientId)
                .col(ReplyWaits::AskedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("reply_waits_by_time").table(ReplyWaits::Table).col(ReplyWaits::AskedAt).to_owned(),
        )
        .await?;
        // The questions still waiting, oldest first (awaiting reply).
        m.create_index(
            Index::create()
                .name("reply_waits_open")
                .table(ReplyWaits::Table)
                .col(ReplyWaits::Side)
                .col(ReplyWaits::AnsweredAt)
                .col(ReplyWaits::AskedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("reply_waits_by_task")
                .table(ReplyWaits::Table)
                .col(ReplyWaits::TaskId)
                .col(ReplyWaits::AnsweredAt)
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            for (table, check) in POLICIES {
                m.get_connection()
                    .execute_unprepared(&format!(
                        "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; ALTER TABLE {table} FORCE ROW LEVEL SECURITY; \
                         CREATE POLICY tenant_scope ON {table} TO CURRENT_USER USING ({check}) WITH CHECK ({check});"
                    ))
                    .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ReplyWaits::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Logins::Table).to_owned()).await?;
        m.alter_table(
            Table::alter().table(PortalSettings::Table).drop_column(PortalSettings::WorkingCalendar).to_owned(),
        )
        .await?;
        for column in [Users::FirstLoginAt, Users::InvitedAt] {
            m.alter_table(Table::alter().table(Users::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
