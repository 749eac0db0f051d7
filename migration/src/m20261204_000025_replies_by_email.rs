//! Replies by e-mail: an e-mail that tells a client of a Reply says where to answer (its own
//! `Reply-To`, a reply address with a token for that person and task, only the token's hash
//! kept), and every message read from the reply mailbox is written down once, with what became
//! of it, so two instances reading the same mailbox post it once.
use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    ReplyTo,
}

#[derive(DeriveIden)]
enum ReplyTokens {
    Table,
    TokenHash,
    UserId,
    TaskId,
    ClientId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum InboundMails {
    Table,
    MessageKey,
    ReceivedAt,
    Sender,
    Outcome,
    CommentId,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Tasks {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Outbox::Table).add_column(string_len_null(Outbox::ReplyTo, 320)).to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table(ReplyTokens::Table)
                .col(string_len(ReplyTokens::TokenHash, 64).primary_key())
                .col(uuid(ReplyTokens::UserId))
                .col(uuid(ReplyTokens::TaskId))
                .col(uuid(ReplyTokens::ClientId))
                .col(timestamp_with_time_zone(ReplyTokens::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ReplyTokens::Table, ReplyTokens::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ReplyTokens::Table, ReplyTokens::TaskId)
                        .to(Tasks::Table, Tasks::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(InboundMails::Table)
                .col(string_len(InboundMails::MessageKey, 200).primary_key())
                .col(timestamp_with_time_zone(InboundMails::ReceivedAt))
                .col(string_len(InboundMails::Sender, 320))
                .col(string_len(InboundMails::Outcome, 32))
                .col(uuid_null(InboundMails::CommentId))
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            m.get_connection()
                .execute_unprepared(
                    "ALTER TABLE reply_tokens ENABLE ROW LEVEL SECURITY; ALTER TABLE reply_tokens FORCE ROW LEVEL SECURITY; \
                     CREATE POLICY tenant_scope ON reply_tokens TO CURRENT_USER USING (portico_tenant_sees(client_id)) \
                     WITH CHECK (portico_tenant_sees(client_id));",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(InboundMails::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ReplyTokens::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Outbox::Table).drop_column(Outbox::ReplyTo).to_owned()).await
    }
}
