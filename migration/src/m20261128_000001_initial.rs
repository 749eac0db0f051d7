use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Clients { Table, Id, Name, Status, Notes, CreatedAt, UpdatedAt }
#[derive(DeriveIden)]
enum Roles { Table, Id, Key, Name, Kind, Builtin, CreatedAt, UpdatedAt }
#[derive(DeriveIden)]
enum RolePermissions { Table, RoleId, Permission }
#[derive(DeriveIden)]
enum Users {
    Table, Id, Email, Name, PasswordHash, RoleId, ClientId, Status, LastLoginAt, AuthzVersion,
    CreatedAt, UpdatedAt,
}
#[derive(DeriveIden)]
enum Contacts { Table, Id, ClientId, Name, Email, Phone, IsPrimary, UserId, CreatedAt, UpdatedAt }
#[derive(DeriveIden)]
enum Projects { Table, Id, ClientId, Name, Description, Status, StartDate, EndDate, CreatedAt, UpdatedAt }
#[derive(DeriveIden)]
enum Tasks {
    Table, Id, ClientId, ProjectId, Title, Description, Status, Priority, AssigneeId, DueDate,
    Position, CreatedAt, UpdatedAt,
}
#[derive(DeriveIden)]
enum Comments { Table, Id, ClientId, TaskId, AuthorId, Body, Visibility, EditedAt, DeletedAt, CreatedAt }
#[derive(DeriveIden)]
enum Invoices {
    Table, Id, ClientId, Number, IssueDate, DueDate, Currency, Status, TaxRateBp, SubtotalCents,
    TaxCents, TotalCents, PaidCents, PaymentInstructions, SentAt, CreatedAt, UpdatedAt,
}
#[derive(DeriveIden)]
enum InvoiceLines { Table, Id, InvoiceId, ClientId, Position, Description, QuantityMilli, UnitPriceCents, AmountCents }
#[derive(DeriveIden)]
enum Payments { Table, Id, InvoiceId, ClientId, PaidOn, AmountCents, Method, Reference, RecordedBy, CreatedAt }
#[derive(DeriveIden)]
enum InvoiceCounters { Table, Year, Last }
#[derive(DeriveIden)]
enum PortalSettings {
    Table, Id, AgencyName, WelcomeMessage, Cards, HomeTaskStatuses, BookingUrl, LogoUrl, PrimaryColor,
    AccentColor, UpdatedAt,
}
#[derive(DeriveIden)]
enum AuditEvents { Table, Id, At, ActorId, ActingAsId, Action, TargetType, TargetId, ClientId, Details }
#[derive(DeriveIden)]
enum RefreshTokens { Table, Id, UserId, FamilyId, TokenHash, ExpiresAt, UsedAt, RevokedAt, CreatedAt }

fn fk(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden), on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(on_delete).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        m.create_table(Table::create().table(Clients::Table)
            .col(uuid(Clients::Id).primary_key())
            .col(string(Clients::Name))
            .col(string(Clients::Status))
            .col(text_null(Clients::Notes))
            .col(timestamp_with_time_zone(Clients::CreatedAt))
            .col(timestamp_with_time_zone(Clients::UpdatedAt))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_clients_name").table(Clients::Table).col(Clients::Name).col(Clients::Id).to_owned()).await?;

        m.create_table(Table::create().table(Roles::Table)
            .col(uuid(Roles::Id).primary_key())
            .col(string_uniq(Roles::Key))
            .col(string(Roles::Name))
            .col(string(Roles::Kind))
            .col(boolean(Roles::Builtin))
            .col(timestamp_with_time_zone(Roles::CreatedAt))
            .col(timestamp_with_time_zone(Roles::UpdatedAt))
            .to_owned()).await?;

        m.create_table(Table::create().table(RolePermissions::Table)
            .col(uuid(RolePermissions::RoleId))
            .col(string(RolePermissions::Permission))
            .primary_key(Index::create().col(RolePermissions::RoleId).col(RolePermissions::Permission))
            .foreign_key(&mut fk((RolePermissions::Table, RolePermissions::RoleId), (Roles::Table, Roles::Id), Cascade))
            .to_owned()).await?;

        m.create_table(Table::create().table(Users::Table)
            .col(uuid(Users::Id).primary_key())
            // Stored lower-cased: uniqueness is case-insensitive on both databases.
            .col(string_uniq(Users::Email))
            .col(string(Users::Name))
            .col(string_null(Users::PasswordHash))
            .col(uuid(Users::RoleId))
            .col(uuid_null(Users::ClientId))
            .col(string(Users::Status))
            .col(timestamp_with_time_zone_null(Users::LastLoginAt))
            .col(big_integer(Users::AuthzVersion).default(0))
            .col(timestamp_with_time_zone(Users::CreatedAt))
            .col(timestamp_with_time_zone(Users::UpdatedAt))
            .foreign_key(&mut fk((Users::Table, Users::RoleId), (Roles::Table, Roles::Id), Restrict))
            .foreign_key(&mut fk((Users::Table, Users::ClientId), (Clients::Table, Clients::Id), Restrict))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_users_client").table(Users::Table).col(Users::ClientId).to_owned()).await?;
        m.create_index(Index::create().name("ix_users_role").table(Users::Table).col(Users::RoleId).to_owned()).await?;

        m.create_table(Table::create().table(Contacts::Table)
            .col(uuid(Contacts::Id).primary_key())
            .col(uuid(Contacts::ClientId))
            .col(string(Contacts::Name))
            .col(string(Contacts::Email))
            .col(string_null(Contacts::Phone))
            .col(boolean(Contacts::IsPrimary))
            .col(uuid_null(Contacts::UserId))
            .col(timestamp_with_time_zone(Contacts::CreatedAt))
            .col(timestamp_with_time_zone(Contacts::UpdatedAt))
            .foreign_key(&mut fk((Contacts::Table, Contacts::ClientId), (Clients::Table, Clients::Id), Cascade))
            .foreign_key(&mut fk((Contacts::Table, Contacts::UserId), (Users::Table, Users::Id), SetNull))
            .to_owned()).await?;
        m.create_index(Index::create().name("ux_contacts_client_email").table(Contacts::Table).col(Contacts::ClientId).col(Contacts::Email).unique().to_owned()).await?;

        m.create_table(Table::create().table(Projects::Table)
            .col(uuid(Projects::Id).primary_key())
            .col(uuid(Projects::ClientId))
            .col(string(Projects::Name))
            .col(text(Projects::Description).default(""))
            .col(string(Projects::Status))
            .col(date_null(Projects::StartDate))
            .col(date_null(Projects::EndDate))
            .col(timestamp_with_time_zone(Projects::CreatedAt))
            .col(timestamp_with_time_zone(Projects::UpdatedAt))
            .foreign_key(&mut fk((Projects::Table, Projects::ClientId), (Clients::Table, Clients::Id), Cascade))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_projects_client").table(Projects::Table).col(Projects::ClientId).col(Projects::Id).to_owned()).await?;

        m.create_table(Table::create().table(Tasks::Table)
            .col(uuid(Tasks::Id).primary_key())
            // Denormalised from the project so the tenant filter never needs a join.
            .col(uuid(Tasks::ClientId))
            .col(uuid(Tasks::ProjectId))
            .col(string(Tasks::Title))
            .col(text(Tasks::Description).default(""))
            .col(string(Tasks::Status))
            .col(string(Tasks::Priority))
            .col(uuid_null(Tasks::AssigneeId))
            .col(date_null(Tasks::DueDate))
            .col(big_integer(Tasks::Position))
            .col(timestamp_with_time_zone(Tasks::CreatedAt))
            .col(timestamp_with_time_zone(Tasks::UpdatedAt))
            .foreign_key(&mut fk((Tasks::Table, Tasks::ClientId), (Clients::Table, Clients::Id), Cascade))
            .foreign_key(&mut fk((Tasks::Table, Tasks::ProjectId), (Projects::Table, Projects::Id), Cascade))
            .foreign_key(&mut fk((Tasks::Table, Tasks::AssigneeId), (Users::Table, Users::Id), SetNull))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_tasks_project_position").table(Tasks::Table).col(Tasks::ProjectId).col(Tasks::Position).col(Tasks::Id).to_owned()).await?;
        m.create_index(Index::create().name("ix_tasks_client_due").table(Tasks::Table).col(Tasks::ClientId).col(Tasks::DueDate).col(Tasks::Id).to_owned()).await?;
        m.create_index(Index::create().name("ix_tasks_assignee").table(Tasks::Table).col(Tasks::AssigneeId).to_owned()).await?;
        // The portal home's hottest read: a client's open tasks by due date.
        m.get_connection().execute_unprepared(
            "CREATE INDEX ix_tasks_client_open_due ON tasks (client_id, due_date, id) WHERE status <> 'done'",
        ).await?;

        m.create_table(Table::create().table(Comments::Table)
            .col(uuid(Comments::Id).primary_key())
            .col(uuid(Comments::ClientId))
            .col(uuid(Comments::TaskId))
            .col(uuid(Comments::AuthorId))
            .col(text(Comments::Body))
            .col(string(Comments::Visibility))
            .col(timestamp_with_time_zone_null(Comments::EditedAt))
            .col(timestamp_with_time_zone_null(Comments::DeletedAt))
            .col(timestamp_with_time_zone(Comments::CreatedAt))
            .foreign_key(&mut fk((Comments::Table, Comments::ClientId), (Clients::Table, Clients::Id), Cascade))
            .foreign_key(&mut fk((Comments::Table, Comments::TaskId), (Tasks::Table, Tasks::Id), Cascade))
            .foreign_key(&mut fk((Comments::Table, Comments::AuthorId), (Users::Table, Users::Id), Restrict))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_comments_task").table(Comments::Table).col(Comments::TaskId).col(Comments::CreatedAt).col(Comments::Id).to_owned()).await?;
        m.create_index(Index::create().name("ix_comments_client").table(Comments::Table).col(Comments::ClientId).to_owned()).await?;
        // What a client may ever read of comments. Client-facing code reads this view, never the
        // table, so a Note cannot reach a client through a forgotten filter.
        m.get_connection().execute_unprepared(
            "CREATE VIEW client_comments AS \
             SELECT id, client_id, task_id, author_id, body, visibility, edited_at, deleted_at, created_at \
             FROM comments WHERE visibility = 'reply' AND deleted_at IS NULL",
        ).await?;

        m.create_table(Table::create().table(Invoices::Table)
            .col(uuid(Invoices::Id).primary_key())
            .col(uuid(Invoices::ClientId))
            .col(string_uniq(Invoices::Number))
            .col(date(Invoices::IssueDate))
            .col(date(Invoices::DueDate))
            .col(string_len(Invoices::Currency, 3))
            .col(string(Invoices::Status))
            .col(integer(Invoices::TaxRateBp))
            .col(big_integer(Invoices::SubtotalCents))
            .col(big_integer(Invoices::TaxCents))
            .col(big_integer(Invoices::TotalCents))
            .col(big_integer(Invoices::PaidCents))
            .col(text(Invoices::PaymentInstructions).default(""))
            .col(timestamp_with_time_zone_null(Invoices::SentAt))
            .col(timestamp_with_time_zone(Invoices::CreatedAt))
            .col(timestamp_with_time_zone(Invoices::UpdatedAt))
            .foreign_key(&mut fk((Invoices::Table, Invoices::ClientId), (Clients::Table, Clients::Id), Cascade))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_invoices_client_issued").table(Invoices::Table).col(Invoices::ClientId).col(Invoices::IssueDate).col(Invoices::Id).to_owned()).await?;
        m.create_index(Index::create().name("ix_invoices_status_due").table(Invoices::Table).col(Invoices::Status).col(Invoices::DueDate).to_owned()).await?;

        m.create_table(Table::create().table(InvoiceLines::Table)
            .col(uuid(InvoiceLines::Id).primary_key())
            .col(uuid(InvoiceLines::InvoiceId))
            .col(uuid(InvoiceLines::ClientId))
            .col(integer(InvoiceLines::Position))
            .col(text(InvoiceLines::Description))
            .col(big_integer(InvoiceLines::QuantityMilli))
            .col(big_integer(InvoiceLines::UnitPriceCents))
            .col(big_integer(InvoiceLines::AmountCents))
            .foreign_key(&mut fk((InvoiceLines::Table, InvoiceLines::InvoiceId), (Invoices::Table, Invoices::Id), Cascade))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_invoice_lines_invoice").table(InvoiceLines::Table).col(InvoiceLines::InvoiceId).col(InvoiceLines::Position).to_owned()).await?;

        m.create_table(Table::create().table(Payments::Table)
            .col(uuid(Payments::Id).primary_key())
            .col(uuid(Payments::InvoiceId))
            .col(uuid(Payments::ClientId))
            .col(date(Payments::PaidOn))
            .col(big_integer(Payments::AmountCents))
            .col(string(Payments::Method))
            .col(string_null(Payments::Reference))
            .col(uuid_null(Payments::RecordedBy))
            .col(timestamp_with_time_zone(Payments::CreatedAt))
            .foreign_key(&mut fk((Payments::Table, Payments::InvoiceId), (Invoices::Table, Invoices::Id), Cascade))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_payments_invoice").table(Payments::Table).col(Payments::InvoiceId).col(Payments::PaidOn).to_owned()).await?;
        m.create_index(Index::create().name("ix_payments_client").table(Payments::Table).col(Payments::ClientId).to_owned()).await?;

        m.create_table(Table::create().table(InvoiceCounters::Table)
            .col(integer(InvoiceCounters::Year).primary_key())
            .col(big_integer(InvoiceCounters::Last))
            .to_owned()).await?;

        m.create_table(Table::create().table(PortalSettings::Table)
            .col(integer(PortalSettings::Id).primary_key())
            .col(string(PortalSettings::AgencyName))
            .col(text(PortalSettings::WelcomeMessage))
            .col(text(PortalSettings::Cards))
            .col(text(PortalSettings::HomeTaskStatuses))
            .col(string_null(PortalSettings::BookingUrl))
            .col(string_null(PortalSettings::LogoUrl))
            .col(string(PortalSettings::PrimaryColor))
            .col(string(PortalSettings::AccentColor))
            .col(timestamp_with_time_zone(PortalSettings::UpdatedAt))
            .to_owned()).await?;

        m.create_table(Table::create().table(AuditEvents::Table)
            .col(uuid(AuditEvents::Id).primary_key())
            .col(timestamp_with_time_zone(AuditEvents::At))
            .col(uuid_null(AuditEvents::ActorId))
            .col(uuid_null(AuditEvents::ActingAsId))
            .col(string(AuditEvents::Action))
            .col(string(AuditEvents::TargetType))
            .col(uuid_null(AuditEvents::TargetId))
            .col(uuid_null(AuditEvents::ClientId))
            .col(text(AuditEvents::Details))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_audit_at").table(AuditEvents::Table).col(AuditEvents::At).col(AuditEvents::Id).to_owned()).await?;
        m.create_index(Index::create().name("ix_audit_target").table(AuditEvents::Table).col(AuditEvents::TargetId).to_owned()).await?;

        m.create_table(Table::create().table(RefreshTokens::Table)
            .col(uuid(RefreshTokens::Id).primary_key())
            .col(uuid(RefreshTokens::UserId))
            .col(uuid(RefreshTokens::FamilyId))
            .col(string_uniq(RefreshTokens::TokenHash))
            .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
            .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
            .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
            .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
            .foreign_key(&mut fk((RefreshTokens::Table, RefreshTokens::UserId), (Users::Table, Users::Id), Cascade))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_refresh_user").table(RefreshTokens::Table).col(RefreshTokens::UserId).to_owned()).await?;
        m.create_index(Index::create().name("ix_refresh_family").table(RefreshTokens::Table).col(RefreshTokens::FamilyId).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP VIEW IF EXISTS client_comments").await?;
        for t in ["refresh_tokens", "audit_events", "portal_settings", "invoice_counters", "payments",
                  "invoice_lines", "invoices", "comments", "tasks", "projects", "contacts", "users",
                  "role_permissions", "roles", "clients"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
