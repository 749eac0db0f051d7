//! Invoices a client can keep and pay:
//!
//! - what the PDF prints: a client's billing address and tax number, the agency's own address
//!   block, its uploaded logo (the object's key in the file store) and the paper size (`a4` or
//!   `letter`);
//! - when a client's people looked at a sent invoice (`invoice_views`, one row per look; the
//!   first and latest on the invoice for the lists);
//! - online payment: each "Pay now" attempt (`checkout_sessions`, with the amount it asked
//!   for) and every payment-provider event received (`stripe_events`, keyed by the provider's
//!   event id, so an event is acted on once however often it is delivered);
//! - a payment's `external_id` (the provider's payment or refund), refunds being payments with
//!   a negative amount;
//! - invoice reminders in stages relative to the due date (negative days: before it), each
//!   with its own wording, in place of the overdue-only days (which become stages as they were).
use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Clients { Table, Id, BillingAddress, TaxId }
#[derive(DeriveIden)]
enum PortalSettings { Table, Id, AgencyAddress, InvoicePaper, InvoiceReminders, OverdueReminderDays, LogoKey }
#[derive(DeriveIden)]
enum Invoices { Table, Id, FirstViewedAt, LastViewedAt }
#[derive(DeriveIden)]
enum Payments { Table, ExternalId }
#[derive(DeriveIden)]
enum Users { Table, Id }
#[derive(DeriveIden)]
enum InvoiceViews { Table, Id, InvoiceId, ClientId, UserId, Via, ViewedAt }
#[derive(DeriveIden)]
enum CheckoutSessions {
    Table, Id, InvoiceId, ClientId, ProviderId, AmountCents, Currency, Status, Url, CreatedBy, CreatedAt, CompletedAt,
}
#[derive(DeriveIden)]
enum StripeEvents { Table, Id, Kind, InvoiceId, Outcome, Detail, ReceivedAt }

const TABLES: [&str; 2] = ["invoice_views", "checkout_sessions"];

fn fk<T: IntoIden + 'static, C: IntoIden + 'static, U: IntoIden + 'static, D: IntoIden + 'static>(
    from: (T, C), to: (U, D), on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(on_delete).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        // SQLite adds one column per ALTER TABLE.
        m.alter_table(Table::alter().table(Clients::Table).add_column(text_null(Clients::BillingAddress)).to_owned()).await?;
        m.alter_table(Table::alter().table(Clients::Table).add_column(string_null(Clients::TaxId)).to_owned()).await?;
        m.alter_table(Table::alter().table(PortalSettings::Table)
            .add_column(text(PortalSettings::AgencyAddress).default("")).to_owned()).await?;
        m.alter_table(Table::alter().table(PortalSettings::Table)
            .add_column(string(PortalSettings::InvoicePaper).default("a4")).to_owned()).await?;
        m.alter_table(Table::alter().table(PortalSettings::Table)
            .add_column(string_null(PortalSettings::LogoKey)).to_owned()).await?;
        m.alter_table(Table::alter().table(PortalSettings::Table)
            .add_column(json_binary(PortalSettings::InvoiceReminders).default("[]")).to_owned()).await?;
        // The overdue days become stages with the default wording; then the old column goes.
        let db = m.get_connection();
        let read = Query::select().column(PortalSettings::Id)
            .expr(Expr::col(PortalSettings::OverdueReminderDays).cast_as("TEXT"))
            .from(PortalSettings::Table).to_owned();
        for row in db.query_all(&read).await? {
            let id: i32 = row.try_get_by_index(0)?;
            let days: String = row.try_get_by_index(1)?;
            let days: Vec<i64> = serde_json::from_str(&days)
                .map_err(|e| DbErr::Custom(format!("portal_settings.overdue_reminder_days is not a list of days: {e}")))?;
            let stages: Vec<serde_json::Value> = days.iter().map(|d| serde_json::json!({"days": d, "message": ""})).collect();
            let write = Query::update().table(PortalSettings::Table)
                .value(PortalSettings::InvoiceReminders, serde_json::Value::Array(stages))
                .and_where(Expr::col(PortalSettings::Id).eq(id)).to_owned();
            db.execute(&write).await?;
        }
        m.alter_table(Table::alter().table(PortalSettings::Table).drop_column(PortalSettings::OverdueReminderDays).to_owned()).await?;
        m.alter_table(Table::alter().table(Invoices::Table)
            .add_column(timestamp_with_time_zone_null(Invoices::FirstViewedAt)).to_owned()).await?;
        m.alter_table(Table::alter().table(Invoices::Table)
            .add_column(timestamp_with_time_zone_null(Invoices::LastViewedAt)).to_owned()).await?;
        m.alter_table(Table::alter().table(Payments::Table).add_column(string_null(Payments::ExternalId)).to_owned()).await?;
        m.create_index(Index::create().name("ux_payments_external").table(Payments::Table).col(Payments::ExternalId).unique().to_owned()).await?;

        m.create_table(Table::create().table(InvoiceViews::Table)
            .col(uuid(InvoiceViews::Id).primary_key())
            .col(uuid(InvoiceViews::InvoiceId))
            .col(uuid(InvoiceViews::ClientId))
            .col(uuid(InvoiceViews::UserId))
            // `detail` or `pdf`.
            .col(string(InvoiceViews::Via))
            .col(timestamp_with_time_zone(InvoiceViews::ViewedAt))
            .foreign_key(&mut fk((InvoiceViews::Table, InvoiceViews::InvoiceId), (Invoices::Table, Invoices::Id), Cascade))
            .foreign_key(&mut fk((InvoiceViews::Table, InvoiceViews::ClientId), (Clients::Table, Clients::Id), Restrict))
            .foreign_key(&mut fk((InvoiceViews::Table, InvoiceViews::UserId), (Users::Table, Users::Id), Cascade))
            .to_owned()).await?;
        m.create_index(Index::create().name("ix_invoice_views_invoice").table(InvoiceViews::Table)
            .col(InvoiceViews::InvoiceId).col(InvoiceViews::ViewedAt).to_owned()).await?;

        m.create_table(Table::create().table(CheckoutSessions::Table)
            .col(uuid(CheckoutSessions::Id).primary_key())
            .col(uuid(CheckoutSessions::InvoiceId))
            .col(uuid(CheckoutSessions::ClientId))
            // The provider's session id, once it answered.
            .col(string_null(CheckoutSessions::ProviderId))
            .col(big_integer(CheckoutSessions::AmountCents))
            .col(string_len(CheckoutSessions::Currency, 3))
            // `open`, `completed`, `expired`.
            .col(string(CheckoutSessions::Status))
            .col(text_null(CheckoutSessions::Url))
            .col(uuid_null(CheckoutSessions::CreatedBy))
            .col(timestamp_with_time_zone(CheckoutSessions::CreatedAt))
            .col(timestamp_with_time_zone_null(CheckoutSessions::CompletedAt))
            .foreign_key(&mut fk((CheckoutSessions::Table, CheckoutSessions::InvoiceId), (Invoices::Table, Invoices::Id), Cascade))
            .foreign_key(&mut fk((CheckoutSessions::Table, CheckoutSessions::ClientId), (Clients::Table, Clients::Id), Restrict))
            .foreign_key(&mut fk((CheckoutSessions::Table, CheckoutSessions::CreatedBy), (Users::Table, Users::Id), SetNull))
            .to_owned()).await?;
        m.create_index(Index::create().name("ux_checkout_sessions_provider").table(CheckoutSessions::Table)
            .col(CheckoutSessions::ProviderId).unique().to_owned()).await?;
        m.create_index(Index::create().name("ix_checkout_sessions_invoice").table(CheckoutSessions::Table)
            .col(CheckoutSessions::InvoiceId).to_owned()).await?;

        // The agency's record of the provider's events: no account's row, never shown to a client.
        m.create_table(Table::create().table(StripeEvents::Table)
            .col(string(StripeEvents::Id).primary_key())
            .col(string(StripeEvents::Kind))
            .col(uuid_null(StripeEvents::InvoiceId))
            // `recorded`, `ignored` or `rejected` (with why in `detail`).
            .col(string(StripeEvents::Outcome))
            .col(text_null(StripeEvents::Detail))
            .col(timestamp_with_time_zone(StripeEvents::ReceivedAt))
            .foreign_key(&mut fk((StripeEvents::Table, StripeEvents::InvoiceId), (Invoices::Table, Invoices::Id), SetNull))
            .to_owned()).await?;

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
        m.drop_table(Table::drop().table(StripeEvents::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(CheckoutSessions::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(InvoiceViews::Table).to_owned()).await?;
        m.drop_index(Index::drop().name("ux_payments_external").table(Payments::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Payments::Table).drop_column(Payments::ExternalId).to_owned()).await?;
        m.alter_table(Table::alter().table(Invoices::Table).drop_column(Invoices::LastViewedAt).to_owned()).await?;
        m.alter_table(Table::alter().table(Invoices::Table).drop_column(Invoices::FirstViewedAt).to_owned()).await?;
        m.alter_table(Table::alter().table(PortalSettings::Table)
            .add_column(json_binary(PortalSettings::OverdueReminderDays).default("[1,7,14]")).to_owned()).await?;
        // Back to days after the due date: what the older schema can hold of the stages.
        let db = m.get_connection();
        let read = Query::select().column(PortalSettings::Id)
            .expr(Expr::col(PortalSettings::InvoiceReminders).cast_as("TEXT"))
            .from(PortalSettings::Table).to_owned();
        for row in db.query_all(&read).await? {
            let id: i32 = row.try_get_by_index(0)?;
            let stages: String = row.try_get_by_index(1)?;
            let stages: Vec<serde_json::Value> = serde_json::from_str(&stages).unwrap_or_default();
            let days: Vec<i64> = stages.iter().filter_map(|s| s["days"].as_i64()).filter(|d| *d > 0).collect();
            let write = Query::update().table(PortalSettings::Table)
                .value(PortalSettings::OverdueReminderDays, serde_json::json!(days))
                .and_where(Expr::col(PortalSettings::Id).eq(id)).to_owned();
            db.execute(&write).await?;
        }
        m.alter_table(Table::alter().table(PortalSettings::Table).drop_column(PortalSettings::InvoiceReminders).to_owned()).await?;
        m.alter_table(Table::alter().table(PortalSettings::Table).drop_column(PortalSettings::LogoKey).to_owned()).await?;
        m.alter_table(Table::alter().table(PortalSettings::Table).drop_column(PortalSettings::InvoicePaper).to_owned()).await?;
        m.alter_table(Table::alter().table(PortalSettings::Table).drop_column(PortalSettings::AgencyAddress).to_owned()).await?;
        m.alter_table(Table::alter().table(Clients::Table).drop_column(Clients::TaxId).to_owned()).await?;
        m.alter_table(Table::alter().table(Clients::Table).drop_column(Clients::BillingAddress).to_owned()).await
    }
}
