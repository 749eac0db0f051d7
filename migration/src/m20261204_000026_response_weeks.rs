//! Response times at scale: each week's waits, counted as they happen, so a report over a
//! year of every client's Replies reads a few thousand rows instead of millions. A row is one
//! week (a Monday of the working calendar's time zone) of one side's questions in one scope:
//! all clients (`client_id` and `staff_id` nil), all clients by the staff member the figure is
//! about (`staff_id` set), or one client (`client_id` set). It holds how many were asked,
//! answered, answered within the commitment, by which channel they came, and a histogram of
//! the business seconds the answered ones waited: bucket `i` counts the waits in its range
//! (`n`) and adds them up (`s`), so a bucket that holds one wait knows it exactly.
//!
//! `login_weeks` does the same for sign-ins: one row per client user and week they signed in,
//! so a year of adoption reads a row per person-week, not one per sign-in.
//!
//! `response_weeks_basis` says which time zone and commitment the counts (of both tables) were
//! made with; when either changes, Portico counts them again from `reply_waits` and `logins`.
//!
//! The reports that cannot come from weeks (a client's projects, one project's figures, the
//! satisfaction scores) read covering indexes instead, which hold every column they add up.
use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Histogram buckets of a row (their bounds are the server's `response_stats::BOUNDS`).
pub const RESPONSE_BUCKETS: usize = 31;

/// Indexes holding every column a report adds up, so the database reads no table row: a
/// client's waits by project, one project's waits, and the surveys of a period.
const COVERING: &[(&str, &str, &[&str])] = &[
    (
        "reply_waits_by_client_side",
        "reply_waits",
        &["client_id", "side", "asked_at", "project_id", "business_seconds", "channel"],
    ),
    ("reply_waits_by_project", "reply_waits", &["project_id", "side", "asked_at"]),
    ("surveys_by_time", "surveys", &["created_at", "client_id", "project_id", "staff_id", "score"]),
];

#[derive(DeriveIden)]
enum ResponseWeeks {
    Table,
    Side,
    Week,
    ClientId,
    StaffId,
    Asked,
    Answered,
    WithinTarget,
    Portal,
    Email,
}

#[derive(DeriveIden)]
enum LoginWeeks {
    Table,
    UserId,
    Week,
    ClientId,
    Logins,
}

#[derive(DeriveIden)]
enum ResponseWeeksBasis {
    Table,
    Id,
    TimeZone,
    TargetHours,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table
            .table(ResponseWeeks::Table)
            .col(string_len(ResponseWeeks::Side, 8))
            .col(date(ResponseWeeks::Week))
            .col(uuid(ResponseWeeks::ClientId))
            .col(uuid(ResponseWeeks::StaffId))
            .col(big_integer(ResponseWeeks::Asked).default(0))
            .col(big_integer(ResponseWeeks::Answered).default(0))
            .col(big_integer(ResponseWeeks::WithinTarget).default(0))
            .col(big_integer(ResponseWeeks::Portal).default(0))
            .col(big_integer(ResponseWeeks::Email).default(0));
        for i in 0..RESPONSE_BUCKETS {
            table.col(big_integer(Alias::new(format!("n{i:02}"))).default(0));
            table.col(big_integer(Alias::new(format!("s{i:02}"))).default(0));
        }
        table.primary_key(
            Index::create()
                .col(ResponseWeeks::Side)
                .col(ResponseWeeks::ClientId)
                .col(ResponseWeeks::StaffId)
                .col(ResponseWeeks::Week),
        );
        m.create_table(table.to_owned()).await?;
        // Every client's rows of a period (the report over all clients, by client).
        m.create_index(
            Index::create()
                .name("response_weeks_by_week")
                .table(ResponseWeeks::Table)
                .col(ResponseWeeks::Side)
                .col(ResponseWeeks::StaffId)
                .col(ResponseWeeks::Week)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ResponseWeeksBasis::Table)
                .col(integer(ResponseWeeksBasis::Id).primary_key())
                .col(string_len_null(ResponseWeeksBasis::TimeZone, 64))
                .col(integer_null(ResponseWeeksBasis::TargetHours))
                .to_owned(),
        )
        .await?;
        // Never counted yet: the server counts the waits of an existing installation when it
        // starts (the basis matches no calendar).
        m.get_connection()
            .execute_unprepared("INSERT INTO response_weeks_basis (id, time_zone, target_hours) VALUES (1, NULL, NULL)")
            .await?;
        m.create_table(
            Table::create()
                .table(LoginWeeks::Table)
                .col(uuid(LoginWeeks::UserId))
                .col(date(LoginWeeks::Week))
                .col(uuid(LoginWeeks::ClientId))
                .col(big_integer(LoginWeeks::Logins).default(0))
                .primary_key(Index::create().col(LoginWeeks::UserId).col(LoginWeeks::Week))
                .foreign_key(
                    ForeignKey::create()
                        .from(LoginWeeks::Table, LoginWeeks::UserId)
                        .to(Alias::new("users"), Alias::new("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LoginWeeks::Table, LoginWeeks::ClientId)
                        .to(Alias::new("clients"), Alias::new("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("login_weeks_by_week")
                .table(LoginWeeks::Table)
                .col(LoginWeeks::Week)
                .col(LoginWeeks::ClientId)
                .col(LoginWeeks::UserId)
                .col(LoginWeeks::Logins)
                .to_owned(),
        )
        .await?;
        for (name, table, cols) in COVERING {
            let mut index = Index::create();
            index.name(*name).table(Alias::new(*table));
            for c in *cols {
                index.col(Alias::new(*c));
            }
            m.create_index(index.to_owned()).await?;
        }
        if m.get_database_backend() == DbBackend::Postgres {
            m.get_connection()
                .execute_unprepared(
                    "ALTER TABLE login_weeks ENABLE ROW LEVEL SECURITY; ALTER TABLE login_weeks FORCE ROW LEVEL SECURITY; \
                     CREATE POLICY tenant_scope ON login_weeks TO CURRENT_USER \
                     USING (portico_tenant_sees(client_id)) WITH CHECK (portico_tenant_sees(client_id));",
                )
                .await?;
            // A client's change counts its Replies into the all-clients rows too (nil client),
            // which hold only counts; only staff routes read them.
            m.get_connection()
                .execute_unprepared(
                    "ALTER TABLE response_weeks ENABLE ROW LEVEL SECURITY; ALTER TABLE response_weeks FORCE ROW LEVEL SECURITY; \
                     CREATE POLICY tenant_scope ON response_weeks TO CURRENT_USER \
                     USING (client_id = '00000000-0000-0000-0000-000000000000'::uuid OR portico_tenant_sees(client_id)) \
                     WITH CHECK (client_id = '00000000-0000-0000-0000-000000000000'::uuid OR portico_tenant_sees(client_id));",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in COVERING {
            m.drop_index(Index::drop().name(*name).table(Alias::new(*table)).to_owned()).await?;
        }
        m.drop_table(Table::drop().table(LoginWeeks::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ResponseWeeksBasis::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ResponseWeeks::Table).to_owned()).await
    }
}
