//! At most one review of a file waits for a decision: a partial unique index, on both
//! databases, so two review requests racing each other cannot both stand (the domain also
//! supersedes a pending review under the file's lock; this makes it a guarantee).
//!
//! A database migrated before the index existed may already hold several pending reviews of
//! one file: all but the newest are marked superseded first, as a new request would have done.
//! `IF NOT EXISTS`: a database that ran an unreleased version of the files migration which
//! made the index itself keeps it.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "UPDATE reviews SET status = 'superseded' WHERE status = 'pending' AND EXISTS ( \
             SELECT 1 FROM reviews newer WHERE newer.file_id = reviews.file_id AND newer.status = 'pending' \
             AND (newer.requested_at > reviews.requested_at \
             OR (newer.requested_at = reviews.requested_at AND newer.id > reviews.id)))",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX IF NOT EXISTS ux_reviews_pending ON reviews (file_id) WHERE status = 'pending'",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP INDEX IF EXISTS ux_reviews_pending").await?;
        Ok(())
    }
}
