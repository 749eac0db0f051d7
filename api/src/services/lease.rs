//! Leasing rows of a work table (outbox, jobs, webhook deliveries) to one worker at a time.
//! Candidates are read, then each is taken with a conditional update that only one worker can
//! win: the row is still pending and its lease (if any) has run out. Works the same on SQLite
//! and PostgreSQL, and a crashed worker's lease simply expires.
use chrono::{Duration, Utc};
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

pub async fn claim_due<E>(
    db: &DatabaseConnection,
    cols: &Columns<E::Column>,
    pending: &str,
    limit: u64,
    lease: Duration,
) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Column: Copy,
{
    let now = Utc::now();
    let free = Condition::any().add(cols.locked_until.is_null()).add(cols.locked_until.lt(now));
    let candidates = E::find()
        .filter(cols.status.eq(pending))
        .filter(cols.due.lte(now))
        .filter(free.clone())
        .order_by_asc(cols.due)
        .limit(limit)
        .all(db)
        .await?;
    let mut claimed = Vec::with_capacity(candidates.len());
    for row in candidates {
        let id: Value = row.get(cols.id);
        let won = E::update_many()
            .col_expr(cols.locked_until, Expr::value(now + lease))
            .filter(cols.id.eq(id))
            .filter(cols.status.eq(pending))
            .filter(free.clone())
            .exec(db)
            .await?;
        if won.rows_affected == 1 {
            claimed.push(row);
        }
    }
    Ok(claimed)
}
