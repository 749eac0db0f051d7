//! Two-factor sign-in (TOTP, RFC 6238): a user's shared secret once they have enrolled, the
//! secret of an enrolment not yet confirmed, the last time step a code was accepted for (a
//! code is good once), their recovery codes (only hashes), and which roles must use it.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    TotpSecret,
    TotpEnabledAt,
    TotpLastStep,
    TotpPendingSecret,
    TotpPendingAt,
}

#[derive(DeriveIden)]
enum Roles {
    Table,
    RequiresTwoFactor,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    UsedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for column in [
            text_null(Users::TotpSecret),
            timestamp_with_time_zone_null(Users::TotpEnabledAt),
            big_integer_null(Users::TotpLastStep),
            text_null(Users::TotpPendingSecret),
            timestamp_with_time_zone_null(Users::TotpPendingAt),
        ] {
            m.alter_table(Table::alter().table(Users::Table).add_column(column).to_owned()).await?;
        }
        m.alter_table(
            Table::alter().table(Roles::Table).add_column(boolean(Roles::RequiresTwoFactor).default(false)).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RecoveryCodes::Table)
                .col(uuid(RecoveryCodes::Id).primary_key())
                .col(uuid(RecoveryCodes::UserId))
                .col(string_len(RecoveryCodes::CodeHash, 64))
                .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                .col(timestamp_with_time_zone(RecoveryCodes::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RecoveryCodes::Table, RecoveryCodes::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // A code is looked up by its owner and hash together, and is one of a kind.
        m.create_index(
            Index::create()
                .name("idx_recovery_codes_user_code")
                .table(RecoveryCodes::Table)
                .col(RecoveryCodes::UserId)
                .col(RecoveryCodes::CodeHash)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RecoveryCodes::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Roles::Table).drop_column(Roles::RequiresTwoFactor).to_owned()).await?;
        for column in [
            Users::TotpPendingAt,
            Users::TotpPendingSecret,
            Users::TotpLastStep,
            Users::TotpEnabledAt,
            Users::TotpSecret,
        ] {
            m.alter_table(Table::alter().table(Users::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
