//! Leasing rows of a work table (outbox, jobs, webhook deliveries) to one worker at a time.
//!
//! Candidates are read, then each is taken with a conditional update that only one worker can
//! win: the row is still pending and its lease (if any) has run out. The lease's end, in whole
//! seconds, is also the holder's mark: two holders of one row are at least a lease apart, so a
//! worker still holds a row exactly while `locked_until` is the value it wrote. Work renews the
//! lease of each row just before working on it (`renew`) and records the outcome only while it
//! still holds it (`Held::condition`), so a batch that outlasts its first lease neither loses a row
//! nor does one twice, and a crashed worker's rows come free when their leases run out. Works the
//! same on SQLite and PostgreSQL.
use chrono::{DateTime, Duration, DurationRound, Utc};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, ModelTrait, QueryFilter, QueryOrder, QuerySelect,
    Value, sea_query::Expr,
};

/// The columns that describe a work row.
pub struct Columns<C> {
    pub id: C,
    pub status: C,
    /// When the row is next due.
    pub due: C,
    pub locked_until: C,
}

/// A row this worker holds, and until when.
pub struct Held<M> {
    pub row: M,
    pub until: DateTime<Utc>,
}

fn lease_end(lease: Duration) -> DateTime<Utc> {
    let end = Utc::now() + lease;
    end.duration_trunc(Duration::seconds(1)).unwrap_or(end)
}

impl<M: ModelTrait> Held<M>
where
    <M::Entity as EntityTrait>::Column: Copy,
{
    /// Matches the row only while this worker still holds it: add to the update that records
    /// the outcome.
    pub fn condition(&self, cols: &Columns<<M::Entity as EntityTrait>::Column>) -> Condition {
        Condition::all().add(cols.id.eq(self.row.get(cols.id))).add(cols.locked_until.eq(self.until))
    }

    /// Gives the row back unworked, for the next claim (by any worker) to take at once.
    pub async fn release(
        &self,
        db: &DatabaseConnection,
        cols: &Columns<<M::Entity as EntityTrait>::Column>,
    ) -> Result<(), DbErr> {
        <M::Entity as EntityTrait>::update_many()
            .col_expr(cols.locked_until, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(self.condition(cols))
            .exec(db)
            .await?;
        Ok(())
    }

    /// Extends the lease to a full `lease` from now, if this worker still holds the row; false
    /// when it lost it (its lease ran out and another worker took the row).
    pub async fn renew(
        &mut self,
        db: &DatabaseConnection,
        cols: &Columns<<M::Entity as EntityTrait>::Column>,
        lease: Duration,
    ) -> Result<bool, DbErr> {
        let until = lease_end(lease);
        let renewed = <M::Entity as EntityTrait>::update_many()
            .col_expr(cols.locked_until, Expr::value(until))
            .filter(self.condition(cols))
            .exec(db)
            .await?;
        if renewed.rows_affected == 1 {
            self.until = until;
        }
        Ok(renewed.rows_affected == 1)
    }
}

/// Rows no worker holds at `now`: never leased, or their lease has run out.
pub fn free<C: ColumnTrait>(cols: &Columns<C>, now: DateTime<Utc>) -> Condition {
    Condition::any().add(cols.locked_until.is_null()).add(cols.locked_until.lt(now))
}

/// Takes a lease on up to `limit` due rows (those also matching `only`).
pub async fn claim_due<E>(
    db: &DatabaseConnection,
    cols: &Columns<E::Column>,
    pending: &str,
    only: Condition,
    limit: u64,
    lease: Duration,
) -> Result<Vec<Held<E::Model>>, DbErr>
where
    E: EntityTrait,
    E::Column: Copy,
{
    let now = Utc::now();
    let free = free(cols, now);
    let candidates = E::find()
        .filter(cols.status.eq(pending))
        .filter(cols.due.lte(now))
        .filter(free.clone())
        .filter(only)
        .order_by_asc(cols.due)
        .limit(limit)
        .all(db)
        .await?;
    let until = lease_end(lease);
    let mut claimed = Vec::with_capacity(candidates.len());
    for row in candidates {
        let id: Value = row.get(cols.id);
        let won = E::update_many()
            .col_expr(cols.locked_until, Expr::value(until))
            .filter(cols.id.eq(id))
            .filter(cols.status.eq(pending))
            .filter(free.clone())
            .exec(db)
            .await?;
        if won.rows_affected == 1 {
            claimed.push(Held { row, until });
        }
    }
    Ok(claimed)
}

/// Runs `record` until it succeeds, while the lease `until` lasts: an outcome (an e-mail was
/// accepted, a webhook answered) that is not written is done again by whoever takes the row
/// next, so a brief database outage must not lose it. False when the lease ran out first.
pub async fn record_while_held<F, Fut>(until: DateTime<Utc>, mut record: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), DbErr>>,
{
    let mut pause = std::time::Duration::from_millis(100);
    loop {
        match record().await {
            Ok(()) => return true,
            Err(DbErr::RecordNotUpdated) => return false,
            Err(e) if Utc::now() + Duration::from_std(pause).unwrap_or_default() < until => {
                tracing::warn!(error = %e, "could not record a worker's outcome; retrying");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(std::time::Duration::from_secs(2));
            }
            Err(e) => {
                tracing::error!(error = %e, "could not record a worker's outcome before its lease ran out");
                return false;
            }
        }
    }
}
