//! At most one review of a file waits for a decision: a partial unique index, on both
//! databases, so two review requests racing each other cannot both stand (the domain also
//! supersedes a pending review under the file's lock; this makes it a guarantee).
//!
//! A database migrated before the index existed may already hold several pending reviews of
//! one file: all but the newest are marked superseded first, as a new request would have done.
//! `IF NOT EXISTS`: the files migration as it finally landed makes the index itself, so on a
//! database it migrated this only checks; one migrated by its earlier version gets it here.
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

    /// Nothing to undo: the files migration as it landed makes the index itself, so the schema
    /// before this one has it too (and superseded reviews stay superseded).
    async fn down(&self, _: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
