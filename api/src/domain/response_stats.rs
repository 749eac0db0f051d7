//! Response times at scale. A year of every client's Replies is millions of waits; a report
//! cannot read them all. So every change to a wait is also counted into its week
//! (`response_weeks`, a Monday of the working calendar's time zone) in four scopes — all
//! clients, all clients by staff member, its client, and its client by staff member — with
//! how many were asked, answered, answered within the commitment, by which channel, and a
//! histogram of how long the answered ones waited. A report over all clients or one client adds up weeks; a client's projects
//! and one project's figures add up the waits themselves in the database, into the same
//! histogram. The count commits with the change that caused it (the unit of work flushes
//! it last, so the busiest rows are locked for the shortest time).
//!
//! Medians and 90th percentiles come from the histogram: bucket `i` counts the waits in
//! `BOUNDS[i]..BOUNDS[i + 1]` and adds them up, so a bucket holding one wait (or several of the
//! same length) gives them exactly, and any other estimate is within its bucket — minutes for
//! short waits, hours for waits of days.
//!
//! Sign-ins are counted the same way (`login_weeks`: a row per client user and week), so
//! adoption over a year reads person-weeks rather than every sign-in.
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate};
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, QueryOrder, QuerySelect,
    sea_query::{
        Alias, CaseStatement, Expr, ExprTrait, Func, LockType, OnConflict, Query, SelectStatement, SimpleExpr,
    },
};

use super::{calendar::Calendar, metrics::ResponseFigures, prelude::*};
use crate::entities::{
    enums::{Channel, Side},
    login,
    portal_settings::WorkingCalendar,
    reply_wait,
};

/// The lower bound of each histogram bucket, in business seconds (8 business hours a day).
pub const BOUNDS: [i64; 31] = [
    0, 300, 600, 900, 1_800, 2_700, 3_600, 5_400, 7_200, 10_800, 14_400, 18_000, 21_600, 28_800, 36_000, 43_200,
    50_400, 57_600, 72_000, 86_400, 100_800, 115_200, 144_000, 172_800, 230_400, 288_000, 432_000, 576_000, 864_000,
    1_152_000, 1_728_000,
];
const BUCKETS: usize = BOUNDS.len();
const _: () = assert!(BUCKETS == migration::RESPONSE_BUCKETS);

/// The all-clients scope, and "no staff member" (the rows keep no NULL in their key).
const ALL: Uuid = Uuid::nil();

fn bucket(seconds: i64) -> usize {
    BOUNDS.partition_point(|b| *b <= seconds).saturating_sub(1)
}

/// What a group of waits adds up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    pub asked: i64,
    pub answered: i64,
    pub within_target: i64,
    pub portal: i64,
    pub email: i64,
    pub n: [i64; BUCKETS],
    pub s: [i64; BUCKETS],
}

impl Default for Counts {
    fn default() -> Self {
        Self { asked: 0, answered: 0, within_target: 0, portal: 0, email: 0, n: [0; BUCKETS], s: [0; BUCKETS] }
    }
}

impl Counts {
    /// One wait, measured against a commitment of `target` business seconds.
    pub fn of(w: &reply_wait::Model, target: i64) -> Counts {
        let mut c = Counts { asked: 1, ..Counts::default() };
        match w.channel {
            Channel::Portal => c.portal = 1,
            Channel::Email => c.email = 1,
        }
        if let Some(seconds) = w.business_seconds {
            let seconds = Ord::max(seconds, 0);
            c.answered = 1;
            c.within_target = i64::from(seconds <= target);
            c.n[bucket(seconds)] = 1;
            c.s[bucket(seconds)] = seconds;
        }
        c
    }

    pub fn add(&mut self, other: &Counts, sign: i64) {
        self.asked += sign * other.asked;
        self.answered += sign * other.answered;
        self.within_target += sign * other.within_target;
        self.portal += sign * other.portal;
        self.email += sign * other.email;
        for i in 0..BUCKETS {
            self.n[i] += sign * other.n[i];
            self.s[i] += sign * other.s[i];
        }
    }

    fn is_zero(&self) -> bool {
        *self == Counts::default()
    }

    /// The `k`-th shortest answered wait (from 0): the bucket's waits are taken as spread
    /// evenly around their mean, as far as the bucket's bounds allow.
    fn nth(&self, k: i64) -> Option<f64> {
        let mut before = 0;
        for (i, lo) in BOUNDS.iter().enumerate() {
            let (count, sum) = (self.n[i], self.s[i]);
            if count <= 0 {
                continue;
            }
            if k < before + count {
                let mean = sum as f64 / count as f64;
                if count == 1 {
                    return Some(mean);
                }
                let lo = *lo as f64;
                let low = match BOUNDS.get(i + 1) {
                    Some(hi) => lo.max(2.0 * mean - *hi as f64),
                    None => lo,
                };
                let high = 2.0 * mean - low;
                let j = (k - before) as f64;
                return Some(low + (high - low) * (j + 0.5) / count as f64);
            }
            before += count;
        }
        None
    }

    /// The `p`-th quantile (0–1) of the answered waits, interpolated between the two nearest
    /// (PostgreSQL's `percentile_cont`).
    pub fn quantile(&self, p: f64) -> Option<i64> {
        let total: i64 = self.n.iter().sum();
        if total <= 0 {
            return None;
        }
        let rank = p * (total - 1) as f64;
        let (lo, hi) = (rank.floor() as i64, rank.ceil() as i64);
        let (a, b) = (self.nth(lo)?, self.nth(hi)?);
        Some((a + (b - a) * (rank - lo as f64)).round() as i64)
    }

    pub fn figures(&self) -> ResponseFigures {
        let u = |v: i64| Ord::max(v, 0) as u64;
        ResponseFigures {
            asked: u(self.asked),
            answered: u(self.answered),
            open: u(self.asked - self.answered),
            within_target: u(self.within_target),
            median_seconds: self.quantile(0.5),
            p90_seconds: self.quantile(0.9),
        }
    }
}

/// The staff member a wait's figures are about: who answered a client, or who asked the client.
fn staff_of(w: &reply_wait::Model) -> Option<Uuid> {
    match w.side {
        Side::Client => w.answered_by,
        Side::Agency => Some(w.asked_by),
    }
}

/// The waits a change made, unmade or altered, counted when it commits.
#[derive(Debug, Default)]
pub struct Tally {
    entries: Vec<(reply_wait::Model, i64)>,
}

impl Tally {
    /// `w` as it now is counts.
    pub fn add(&mut self, w: &reply_wait::Model) {
        self.entries.push((w.clone(), 1));
    }

    /// `w` as it was no longer counts.
    pub fn remove(&mut self, w: &reply_wait::Model) {
        self.entries.push((w.clone(), -1));
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

type Key = (&'static str, NaiveDate, Uuid, Uuid);

fn count_into(map: &mut BTreeMap<Key, Counts>, w: &reply_wait::Model, sign: i64, calendar: &Calendar, target: i64) {
    let week = calendar.week_of(w.asked_at);
    let counts = Counts::of(w, target);
    let side = w.side.as_str();
    let mut keys = vec![(side, week, ALL, ALL), (side, week, w.client_id, ALL)];
    if let Some(staff) = staff_of(w) {
        keys.push((side, week, ALL, staff));
        keys.push((side, week, w.client_id, staff));
    }
    for key in keys {
        map.entry(key).or_default().add(&counts, sign);
    }
}

/// The time zone and commitment the counts were made with (none: never counted).
struct Basis {
    time_zone: Option<String>,
    target_hours: Option<i32>,
}

impl Basis {
    fn calendar(&self) -> Calendar {
        let zone = self.time_zone.clone().unwrap_or_else(|| "UTC".into());
        Calendar::of(&WorkingCalendar { time_zone: zone, ..WorkingCalendar::default() })
    }

    fn target(&self) -> i64 {
        i64::from(self.target_hours.unwrap_or(0)) * 3600
    }
}

fn table() -> Alias {
    Alias::new("response_weeks")
}

/// Reads the basis; `lock`: `Share` by a change counting into the weeks (so a recount waits for
/// it, and it for a recount), `Update` by a recount. SQLite's one writer needs neither.
async fn basis(db: &DatabaseTransaction, lock: LockType) -> Result<Basis, DbErr> {
    let mut q = Query::select();
    q.columns([Alias::new("time_zone"), Alias::new("target_hours")])
        .from(Alias::new("response_weeks_basis"))
        .and_where(Expr::col(Alias::new("id")).eq(1));
    if db.get_database_backend() == DbBackend::Postgres {
        q.lock(lock);
    }
    let row = db.query_one(&q).await?;
    Ok(Basis {
        time_zone: row.as_ref().and_then(|r| r.try_get::<Option<String>>("", "time_zone").ok().flatten()),
        target_hours: row.as_ref().and_then(|r| r.try_get::<Option<i32>>("", "target_hours").ok().flatten()),
    })
}

fn count_names() -> Vec<String> {
    let mut names: Vec<String> =
        ["asked", "answered", "within_target", "portal", "email"].into_iter().map(String::from).collect();
    for i in 0..BUCKETS {
        names.push(format!("n{i:02}"));
        names.push(format!("s{i:02}"));
    }
    names
}

fn count_columns() -> Vec<Alias> {
    count_names().into_iter().map(Alias::new).collect()
}

fn count_values(c: &Counts) -> Vec<i64> {
    let mut v = vec![c.asked, c.answered, c.within_target, c.portal, c.email];
    for i in 0..BUCKETS {
        v.push(c.n[i]);
        v.push(c.s[i]);
    }
    v
}

fn counts_from(values: &[i64]) -> Counts {
    let mut c = Counts {
        asked: values[0],
        answered: values[1],
        within_target: values[2],
        portal: values[3],
        email: values[4],
        ..Counts::default()
    };
    for i in 0..BUCKETS {
        c.n[i] = values[5 + 2 * i];
        c.s[i] = values[6 + 2 * i];
    }
    c
}

/// Adds `map` to the stored weeks, in key order (every change locks the rows it adds to in
/// the same order, so two changes never wait for each other in a circle).
async fn add_to_weeks(db: &DatabaseTransaction, map: BTreeMap<Key, Counts>) -> Result<(), DbErr> {
    let keys = ["side", "client_id", "staff_id", "week"].map(Alias::new);
    let counts = count_columns();
    let rows: Vec<(Key, Counts)> = map.into_iter().filter(|(_, c)| !c.is_zero()).collect();
    // 71 values a row: under SQLite's and PostgreSQL's limits on a statement's parameters.
    for chunk in rows.chunks(400) {
        let mut insert = Query::insert();
        insert.into_table(table()).columns(keys.iter().chain(counts.iter()).cloned());
        for ((side, week, client, staff), c) in chunk {
            let mut values: Vec<SimpleExpr> =
                vec![Expr::val(*side), Expr::val(*client), Expr::val(*staff), Expr::val(*week)];
            values.extend(count_values(c).into_iter().map(Expr::val));
            insert.values(values).map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        insert.on_conflict(
            OnConflict::columns(keys.clone())
                .values(counts.iter().map(|c| {
                    (c.clone(), Expr::col((table(), c.clone())).add(Expr::col((Alias::new("excluded"), c.clone()))))
                }))
                .to_owned(),
        );
        db.execute(&insert).await?;
    }
    Ok(())
}

/// Counts what `tally` holds into the weeks, in the change's transaction, just before it commits.
pub async fn flush(db: &DatabaseTransaction, tally: Tally) -> Result<(), DbErr> {
    if tally.is_empty() {
        return Ok(());
    }
    let basis = basis(db, LockType::Share).await?;
    if basis.time_zone.is_none() {
        // Never counted: the recount at the server's start counts everything there is.
        return Ok(());
    }
    let (calendar, target) = (basis.calendar(), basis.target());
    let mut map = BTreeMap::new();
    for (w, sign) in &tally.entries {
        count_into(&mut map, w, *sign, &calendar, target);
    }
    add_to_weeks(db, map).await
}

/// Counts every wait again, weeks in `time_zone` and the commitment `target_hours`, in `db`'s
/// transaction (a change counting into the weeks meanwhile waits for it).
pub async fn recount(db: &DatabaseTransaction, time_zone: &str, target_hours: u32) -> Result<u64, DbErr> {
    basis(db, LockType::Update).await?;
    db.execute(&Query::delete().from_table(table()).to_owned()).await?;
    let basis = Basis { time_zone: Some(time_zone.to_owned()), target_hours: Some(target_hours as i32) };
    let (calendar, target) = (basis.calendar(), basis.target());
    let mut map = BTreeMap::new();
    let mut after: Option<Uuid> = None;
    let mut seen = 0u64;
    loop {
        let mut page = reply_wait::Entity::find().order_by_asc(reply_wait::Column::CommentId).limit(10_000);
        if let Some(last) = after {
            page = page.filter(reply_wait::Column::CommentId.gt(last));
        }
        let waits = page.all(db).await?;
        let Some(last) = waits.last() else { break };
        after = Some(last.comment_id);
        seen += waits.len() as u64;
        for w in &waits {
            count_into(&mut map, w, 1, &calendar, target);
        }
    }
    add_to_weeks(db, map).await?;
    recount_sign_ins(db, &calendar).await?;
    let mut update = Query::update();
    update
        .table(Alias::new("response_weeks_basis"))
        .value(Alias::new("time_zone"), time_zone)
        .value(Alias::new("target_hours"), target_hours as i32)
        .and_where(Expr::col(Alias::new("id")).eq(1));
    db.execute(&update).await?;
    Ok(seen)
}

/// Recounts when the weeks were counted in another time zone or against another commitment
/// than the calendar's and `PORTICO_RESPONSE_TARGET_HOURS` (at the server's start; after an
/// upgrade, the first start counts the waits there are).
pub async fn ensure_counted(db: &DatabaseConnection, target_hours: u32) -> Result<(), DbErr> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    let zone = super::settings::load(&txn)
        .await
        .map(|s| s.working_calendar.time_zone)
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    let zone =
        Calendar::of(&WorkingCalendar { time_zone: zone, ..WorkingCalendar::default() }).zone().name().to_owned();
    let b = basis(&txn, LockType::Update).await?;
    if b.time_zone.as_deref() != Some(zone.as_str()) || b.target_hours != Some(target_hours as i32) {
        let waits = recount(&txn, &zone, target_hours).await?;
        tracing::info!(waits, time_zone = %zone, target_hours, "counted the response times into their weeks");
    }
    txn.commit().await
}

/* ------------------------------------------------------------------ sign-ins */

fn login_table() -> Alias {
    Alias::new("login_weeks")
}

/// Sign-ins per (user, week), with the user's account.
type LoginMap = BTreeMap<(Uuid, NaiveDate), (Uuid, i64)>;

/// Adds `map` to the stored sign-in weeks, in key order (as `add_to_weeks`).
async fn add_sign_ins(db: &DatabaseTransaction, map: LoginMap) -> Result<(), DbErr> {
    let columns = ["user_id", "week", "client_id", "logins"].map(Alias::new);
    let rows: Vec<_> = map.into_iter().collect();
    for chunk in rows.chunks(5_000) {
        let mut insert = Query::insert();
        insert.into_table(login_table()).columns(columns.clone());
        for ((user, week), (client, n)) in chunk {
            insert
                .values([Expr::val(*user), Expr::val(*week), Expr::val(*client), Expr::val(*n)])
                .map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        let logins = Alias::new("logins");
        insert.on_conflict(
            OnConflict::columns([Alias::new("user_id"), Alias::new("week")])
                .value(
                    logins.clone(),
                    Expr::col((login_table(), logins.clone())).add(Expr::col((Alias::new("excluded"), logins))),
                )
                .to_owned(),
        );
        db.execute(&insert).await?;
    }
    Ok(())
}

/// Counts client user `user_id`'s (of `client_id`) sign-ins at `times` into their weeks, in
/// the change's transaction.
pub async fn count_sign_ins(
    db: &DatabaseTransaction,
    user_id: Uuid,
    client_id: Uuid,
    times: &[DateTime<Utc>],
) -> Result<(), DbErr> {
    if times.is_empty() {
        return Ok(());
    }
    let basis = basis(db, LockType::Share).await?;
    if basis.time_zone.is_none() {
        return Ok(());
    }
    let calendar = basis.calendar();
    let mut map = LoginMap::new();
    for at in times {
        map.entry((user_id, calendar.week_of(*at))).or_insert((client_id, 0)).1 += 1;
    }
    add_sign_ins(db, map).await
}

async fn recount_sign_ins(db: &DatabaseTransaction, calendar: &Calendar) -> Result<(), DbErr> {
    db.execute(&Query::delete().from_table(login_table()).to_owned()).await?;
    let mut map = LoginMap::new();
    let mut after: Option<Uuid> = None;
    loop {
        let mut page = login::Entity::find()
            .filter(login::Column::ClientId.is_not_null())
            .order_by_asc(login::Column::Id)
            .limit(10_000);
        if let Some(last) = after {
            page = page.filter(login::Column::Id.gt(last));
        }
        let logins = page.all(db).await?;
        let Some(last) = logins.last() else { break };
        after = Some(last.id);
        for l in &logins {
            if let Some(client) = l.client_id {
                map.entry((l.user_id, calendar.week_of(l.at))).or_insert((client, 0)).1 += 1;
            }
        }
    }
    add_sign_ins(db, map).await
}

/// Client sign-ins in the weeks `from..to` (Mondays), of one client or all: per user
/// (`(user, sign-ins)`) and per week (`(week, sign-ins, people)`).
pub async fn sign_ins(
    db: &impl ConnectionTrait,
    (from, to): (NaiveDate, NaiveDate),
    client_id: Option<Uuid>,
) -> ApiResult<(Vec<(Uuid, i64)>, Vec<(NaiveDate, i64, i64)>)> {
    let col = |n: &str| Expr::col(Alias::new(n));
    let mut q = Query::select();
    q.from(login_table()).and_where(col("week").gte(from)).and_where(col("week").lt(to));
    if let Some(id) = client_id {
        q.and_where(col("client_id").eq(id));
    }
    let sum = || Func::cast_as(Func::sum(col("logins")), Alias::new("bigint"));
    let mut per_user = q.clone();
    per_user.column(Alias::new("user_id")).expr_as(sum(), Alias::new("n")).group_by_col(Alias::new("user_id"));
    let mut per_week = q;
    per_week
        .column(Alias::new("week"))
        .expr_as(sum(), Alias::new("n"))
        .expr_as(Func::cast_as(Func::count(Expr::cust("*")), Alias::new("bigint")), Alias::new("people"))
        .group_by_col(Alias::new("week"));
    let (per_user, per_week) = tokio::try_join!(db.query_all(&per_user), db.query_all(&per_week))?;
    let users = per_user
        .iter()
        .map(|r| Ok((r.try_get::<Uuid>("", "user_id")?, r.try_get::<i64>("", "n")?)))
        .collect::<Result<_, DbErr>>()?;
    let weeks = per_week
        .iter()
        .map(|r| Ok((r.try_get::<NaiveDate>("", "week")?, r.try_get::<i64>("", "n")?, r.try_get::<i64>("", "people")?)))
        .collect::<Result<_, DbErr>>()?;
    Ok((users, weeks))
}

/* ------------------------------------------------------------------- reading */

/// Which stored rows a report adds up.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// Every client together.
    All,
    /// Every client together, by staff member.
    ByStaff,
    /// Each client.
    ByClient,
    /// One client.
    Client(Uuid),
    /// One client, by staff member.
    ClientByStaff(Uuid),
}

/// One added-up group: its week and id where the report groups by them.
#[derive(Debug)]
pub struct Row {
    pub week: Option<NaiveDate>,
    pub id: Option<Uuid>,
    pub counts: Counts,
}

fn sums(q: &mut SelectStatement) {
    for c in count_columns() {
        q.expr_as(Func::cast_as(Func::sum(Expr::col(c.clone())), Alias::new("bigint")), c);
    }
}

fn read_counts(r: &sea_orm::QueryResult) -> Result<Counts, DbErr> {
    let values: Vec<i64> = count_names()
        .iter()
        .map(|c| r.try_get::<Option<i64>>("", c).map(|v| v.unwrap_or(0)))
        .collect::<Result<_, _>>()?;
    Ok(counts_from(&values))
}

/// The stored weeks `from..to` (Mondays) of `side`'s questions in `scope`, added up per id
/// (the client's or staff member's, `by_id`) and per week (`by_week`).
pub async fn weeks(
    db: &impl ConnectionTrait,
    side: Side,
    (from, to): (NaiveDate, NaiveDate),
    scope: Scope,
    by_id: bool,
    by_week: bool,
) -> ApiResult<Vec<Row>> {
    let col = |n: &str| Expr::col(Alias::new(n));
    let mut q = Query::select();
    q.from(table())
        .and_where(col("side").eq(side.as_str()))
        .and_where(col("week").gte(from))
        .and_where(col("week").lt(to));
    let id = match scope {
        Scope::All => {
            q.and_where(col("client_id").eq(ALL)).and_where(col("staff_id").eq(ALL));
            None
        }
        Scope::ByStaff => {
            q.and_where(col("client_id").eq(ALL)).and_where(col("staff_id").ne(ALL));
            Some("staff_id")
        }
        Scope::ByClient => {
            q.and_where(col("staff_id").eq(ALL)).and_where(col("client_id").ne(ALL));
            Some("client_id")
        }
        Scope::Client(c) => {
            q.and_where(col("staff_id").eq(ALL)).and_where(col("client_id").eq(c));
            None
        }
        Scope::ClientByStaff(c) => {
            q.and_where(col("client_id").eq(c)).and_where(col("staff_id").ne(ALL));
            Some("staff_id")
        }
    };
    let id = id.filter(|_| by_id);
    if let Some(id) = id {
        q.column(Alias::new(id)).group_by_col(Alias::new(id));
    }
    if by_week {
        q.column(Alias::new("week")).group_by_col(Alias::new("week"));
    }
    sums(&mut q);
    let rows = db.query_all(&q).await?;
    rows.iter()
        .map(|r| {
            Ok(Row {
                week: if by_week { Some(r.try_get::<NaiveDate>("", "week")?) } else { None },
                id: match id {
                    Some(id) => Some(r.try_get::<Uuid>("", id)?),
                    None => None,
                },
                counts: read_counts(r)?,
            })
        })
        .collect::<Result<_, DbErr>>()
        .map_err(Into::into)
}

/// The index in `weeks` (Mondays with their first instant, in `zone`) of the week `column`'s
/// instant falls in: PostgreSQL knows time zones; SQLite is told where each week starts.
pub fn week_index(
    backend: DbBackend,
    column: &str,
    weeks: &[(NaiveDate, DateTime<Utc>)],
    zone: chrono_tz::Tz,
) -> SimpleExpr {
    let bigint = || Alias::new("bigint");
    if backend == DbBackend::Postgres {
        let first = weeks.first().map(|w| w.0).unwrap_or_default();
        let sql = format!("((date_trunc('week', {column} AT TIME ZONE $1))::date - $2::date) / 7");
        return Func::cast_as(
            Expr::cust_with_values(sql, [zone.name().to_owned().into(), sea_orm::Value::from(first)]),
            bigint(),
        )
        .into();
    }
    if weeks.len() < 2 {
        // One week (a CASE needs a WHEN).
        return Func::cast_as(Expr::val(0i64), bigint()).into();
    }
    let mut case = CaseStatement::new();
    for (i, (_, start)) in weeks.iter().enumerate().skip(1) {
        case = case.case(Expr::col(Alias::new(column)).lt(*start), Expr::val(i as i64 - 1));
    }
    Func::cast_as(case.finally(Expr::val(weeks.len() as i64 - 1)), bigint()).into()
}

/// How the waits themselves are grouped when the database adds them up.
#[derive(Debug, Clone, Copy)]
pub enum Group {
    Total,
    Project,
    Staff,
    /// By the weeks starting at these instants (the last ends at the period's end).
    Week,
}

/// The histogram bucket of `column` (a number of business seconds; NULL stays NULL) as the
/// database computes it: PostgreSQL searches the bounds, SQLite is told them in order.
fn bucket_expr(backend: DbBackend, column: &str) -> String {
    if backend == DbBackend::Postgres {
        let bounds = BOUNDS.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        // Below the first bound (never: waits are not negative) is -1, read as the first.
        return format!("width_bucket({column}, ARRAY[{bounds}]::bigint[]) - 1");
    }
    let mut case = format!("CASE WHEN {column} IS NULL THEN NULL");
    for (i, hi) in BOUNDS.iter().enumerate().skip(1) {
        case.push_str(&format!(" WHEN {column} < {hi} THEN {}", i - 1));
    }
    case.push_str(&format!(" ELSE {} END", BUCKETS - 1));
    case
}

/// The waits of `side` asked `from..to` (of one client, or one project), added up by the
/// database per `group` into the same figures as the stored weeks; `weeks` are the period's
/// weeks with their first instant (for `Group::Week`).
///
/// The database groups each wait by its bucket (one expression a row, over a covering index)
/// and the few groups are folded here.
#[allow(clippy::too_many_arguments)]
pub async fn waits(
    db: &impl ConnectionTrait,
    side: Side,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    client_id: Option<Uuid>,
    project_id: Option<Uuid>,
    group: Group,
    (weeks, zone): (&[(NaiveDate, DateTime<Utc>)], chrono_tz::Tz),
    target: i64,
) -> ApiResult<Vec<Row>> {
    let mut q = reply_wait::Entity::find()
        .select_only()
        .filter(reply_wait::Column::Side.eq(side))
        .filter(reply_wait::Column::AskedAt.gte(from))
        .filter(reply_wait::Column::AskedAt.lt(to));
    if let Some(id) = client_id {
        q = q.filter(reply_wait::Column::ClientId.eq(id));
    }
    if let Some(id) = project_id {
        q = q.filter(reply_wait::Column::ProjectId.eq(id));
    }
    let staff = match side {
        Side::Client => "answered_by",
        Side::Agency => "asked_by",
    };
    let mut stmt = sea_orm::QueryTrait::into_query(q);
    let id = match group {
        Group::Project => Some("project_id"),
        Group::Staff => Some(staff),
        _ => None,
    };
    if let Some(id) = id {
        stmt.expr_as(Expr::col(Alias::new(id)), Alias::new("group_id")).group_by_col(Alias::new(id));
    }
    if let Group::Week = group {
        let index = week_index(db.get_database_backend(), "asked_at", weeks, zone);
        // Grouped by its name: the same expression twice would bind its values twice, and
        // PostgreSQL could not tell the two apart from different ones.
        stmt.expr_as(index, Alias::new("week_index")).add_group_by([Expr::cust("week_index")]);
    }
    let bs = "business_seconds";
    let bigint = |sql: String| Func::cast_as(Expr::cust(sql), Alias::new("bigint"));
    let email = Channel::Email.as_str();
    stmt.expr_as(bigint(bucket_expr(db.get_database_backend(), bs)), Alias::new("bucket"))
        .expr_as(bigint("COUNT(*)".into()), Alias::new("waits"))
        .expr_as(bigint(format!("SUM({bs})")), Alias::new("seconds"))
        .expr_as(bigint(format!("SUM(CASE WHEN {bs} <= {target} THEN 1 ELSE 0 END)")), Alias::new("within"))
        .expr_as(bigint(format!("SUM(CASE WHEN channel = '{email}' THEN 1 ELSE 0 END)")), Alias::new("email"))
        .add_group_by([Expr::cust("bucket")]);
    let rows = db.query_all(&stmt).await?;
    let mut groups: BTreeMap<(Option<Uuid>, Option<i64>), Counts> = BTreeMap::new();
    // Read by position (a few values each of thousands of rows): the group, then the bucket,
    // waits, seconds, within the commitment, by e-mail.
    let at = usize::from(id.is_some() || matches!(group, Group::Week));
    let number = |r: &sea_orm::QueryResult, i: usize| r.try_get_by_index::<Option<i64>>(at + i).map(|v| v.unwrap_or(0));
    for r in &rows {
        let key = match group {
            Group::Total => (None, None),
            Group::Project | Group::Staff => match r.try_get_by_index::<Option<Uuid>>(0)? {
                Some(id) => (Some(id), None),
                // A client's question nobody has answered is no staff member's yet.
                None => continue,
            },
            Group::Week => (None, Some(r.try_get_by_index::<i64>(0)?)),
        };
        let (waits, by_email) = (number(r, 1)?, number(r, 4)?);
        let c = groups.entry(key).or_default();
        c.asked += waits;
        c.email += by_email;
        c.portal += waits - by_email;
        if let Some(b) = r.try_get_by_index::<Option<i64>>(at)? {
            let b = (Ord::max(b, 0) as usize).min(BUCKETS - 1);
            c.answered += waits;
            c.within_target += number(r, 3)?;
            c.n[b] += waits;
            c.s[b] += number(r, 2)?;
        }
    }
    let mut out = Vec::new();
    for ((id, index), counts) in groups {
        let week = match index {
            Some(i) => match weeks.get(i as usize) {
                Some((week, _)) => Some(*week),
                None => continue,
            },
            None => None,
        };
        out.push(Row { week, id, counts });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(seconds: &[i64]) -> Counts {
        let mut c = Counts::default();
        for s in seconds {
            c.asked += 1;
            c.answered += 1;
            c.n[bucket(*s)] += 1;
            c.s[bucket(*s)] += s;
        }
        c
    }

    #[test]
    fn waits_fall_into_the_bucket_their_length_starts() {
        assert_eq!(bucket(0), 0);
        assert_eq!(bucket(299), 0);
        assert_eq!(bucket(300), 1);
        assert_eq!(bucket(3_600), 6);
        assert_eq!(bucket(10_000_000), BUCKETS - 1);
    }

    #[test]
    fn waits_alone_in_their_bucket_are_exact() {
        let c = counts(&[3_600, 7_200]);
        assert_eq!(c.quantile(0.5), Some(5_400));
        assert_eq!(c.quantile(0.9), Some(6_840));
        assert_eq!(counts(&[]).quantile(0.5), None);
        assert_eq!(counts(&[52_200]).quantile(0.9), Some(52_200));
    }

    #[test]
    fn waits_of_the_same_length_are_exact_together() {
        assert_eq!(counts(&[3_600, 3_600, 3_600]).quantile(0.5), Some(3_600));
        assert_eq!(counts(&[4_000, 4_000, 4_000]).quantile(0.5), Some(4_000));
    }

    #[test]
    fn other_estimates_stay_within_their_bucket() {
        // Ten waits between one and one and a half hours: the median is somewhere in there.
        let c = counts(&[3_600, 3_700, 3_800, 3_900, 4_000, 4_100, 4_200, 4_300, 4_400, 5_000]);
        let median = c.quantile(0.5).unwrap();
        assert!((3_600..5_400).contains(&median), "{median}");
        assert!((median - 4_050).abs() < 300, "{median}");
    }
}
