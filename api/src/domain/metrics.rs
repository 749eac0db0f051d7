//! Is the portal working? The figures behind the Metrics area: adoption (who was invited,
//! who came, who keeps coming), responsiveness (how long each side waits for the other's
//! Reply, in business hours), and the channel client questions arrive by. Staff only; a Note
//! is in none of it (only Replies open or answer a wait).
//!
//! Medians and 90th percentiles interpolate between the two nearest values (PostgreSQL's
//! `percentile_cont`): the median of 1 h and 3 h is 2 h.
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration};
use sea_orm::{QueryOrder, QuerySelect, sea_query::Expr};

use super::{
    calendar::Calendar,
    prelude::*,
    response_stats::{self as stats, Counts, Group, Row, Scope},
    settings,
};
use crate::entities::{
    client,
    enums::{Channel, Side, UserStatus},
    project, reply_wait, task, user,
};

/// The period and account a report covers.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MetricsQuery {
    /// Only this client account (404 when there is none).
    pub client_id: Option<Uuid>,
    /// The start of the period (inclusive; moved back to the start of its week); 12 weeks
    /// before `to` when absent.
    pub from: Option<DateTime<Utc>>,
    /// The end of the period (exclusive; moved on to the end of its week); now when absent.
    pub to: Option<DateTime<Utc>>,
}

/// The longest period one report covers.
pub const MAX_PERIOD_DAYS: i64 = 3 * 366;

struct Period {
    /// The first instant of the period's first week.
    from: DateTime<Utc>,
    /// The first instant after its last week.
    to: DateTime<Utc>,
    client_id: Option<Uuid>,
    calendar: Calendar,
    /// Each week's Monday and first instant.
    weeks: Vec<(NaiveDate, DateTime<Utc>)>,
    /// The Monday after the last week.
    week_after: NaiveDate,
}

/// The whole weeks of the working calendar the query's period touches: a report's weeks are
/// never cut short, so its first and last look like the others.
async fn period(db: &impl ConnectionTrait, q: &MetricsQuery, now: DateTime<Utc>) -> ApiResult<Period> {
    // Far from now, date arithmetic would overflow; nothing Portico measured is there.
    let sane = |at: DateTime<Utc>| (1970..=9999).contains(&chrono::Datelike::year(&at));
    for (field, at) in [("from", q.from), ("to", q.to)] {
        if at.is_some_and(|at| !sane(at)) {
            return Err(ApiError::field(field, crate::problem!("metrics-period-range")));
        }
    }
    let to = q.to.unwrap_or(now);
    let from = q.from.unwrap_or(to - Duration::weeks(12));
    if from >= to {
        return Err(ApiError::field("from", crate::problem!("metrics-period-backwards")));
    }
    if to - from > Duration::days(MAX_PERIOD_DAYS) {
        return Err(ApiError::field("from", crate::problem!("metrics-period-too-long", days = MAX_PERIOD_DAYS)));
    }
    if let Some(id) = q.client_id {
        require_client(db, id).await?;
    }
    let calendar = Calendar::of(&settings::load(db).await?.working_calendar);
    let weeks: Vec<(NaiveDate, DateTime<Utc>)> = calendar.weeks(from, to).map(|w| (w, calendar.start_of(w))).collect();
    let first = weeks.first().map_or(calendar.week_of(from), |w| w.0);
    let week_after = weeks.last().map_or(first, |w| w.0) + Duration::weeks(1);
    Ok(Period {
        from: calendar.start_of(first),
        to: calendar.start_of(week_after),
        client_id: q.client_id,
        calendar,
        weeks,
        week_after,
    })
}

/// 404 unless the client account `id` exists (staff see every account).
pub async fn require_client(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<()> {
    client::Entity::find_by_id(id).one(db).await?.map(|_| ()).ok_or(ApiError::NotFound)
}

/// The `p`-th quantile (0–1) of sorted values, interpolated; none of nothing.
pub fn quantile(sorted: &[i64], p: f64) -> Option<i64> {
    let (first, last) = (sorted.first()?, sorted.last()?);
    if sorted.len() == 1 {
        return Some(*first);
    }
    let rank = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    let (a, b) = (sorted[lo] as f64, sorted.get(hi).copied().unwrap_or(*last) as f64);
    Some((a + (b - a) * (rank - lo as f64)).round() as i64)
}

/* ---------------------------------------------------------------- adoption */

/// How one group of client users (an account, or all of them) takes to the portal.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct AdoptionFigures {
    /// Client users (people: not the users API keys act as).
    pub users: u64,
    /// Of them, those ever sent an invitation.
    pub invited: u64,
    /// Of the invited, those who accepted and signed in.
    pub accepted: u64,
    /// Users who used the portal in the 7 days before now (View-as never counts).
    pub active_7_days: u64,
    pub active_30_days: u64,
    /// Sign-ins in the period.
    pub logins: u64,
    /// The median time from first invitation to first sign-in, in seconds (calendar time).
    pub median_seconds_to_first_login: Option<i64>,
    /// The latest use of the portal by any of them.
    pub last_visit_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClientAdoption {
    pub client_id: Uuid,
    pub client_name: String,
    #[serde(flatten)]
    pub figures: AdoptionFigures,
}

/// Sign-ins in one week (Monday to Sunday in the working calendar's time zone).
#[derive(Debug, Serialize, ToSchema)]
pub struct WeekLogins {
    /// The week's Monday.
    pub week: NaiveDate,
    pub logins: u64,
    /// Different people who signed in.
    pub people: u64,
}

/// One client user's way into the portal.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserAdoption {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub client_id: Uuid,
    pub client_name: String,
    pub status: UserStatus,
    pub invited_at: Option<DateTime<Utc>>,
    pub first_login_at: Option<DateTime<Utc>>,
    /// From the first invitation to the first sign-in, in seconds.
    pub seconds_to_first_login: Option<i64>,
    pub last_visit_at: Option<DateTime<Utc>>,
    /// Sign-ins in the period.
    pub logins: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdoptionReport {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub totals: AdoptionFigures,
    /// Every client account with users, by name.
    pub clients: Vec<ClientAdoption>,
    /// Every week of the period, empty ones too.
    pub weeks: Vec<WeekLogins>,
    /// Every client user, by account and name.
    pub users: Vec<UserAdoption>,
}

pub async fn adoption(db: &impl ConnectionTrait, q: &MetricsQuery, now: DateTime<Utc>) -> ApiResult<AdoptionReport> {
    let p = period(db, q, now).await?;
    let mut people = user::Entity::find()
        .filter(user::Column::ClientId.is_not_null())
        .filter(user::Column::Status.ne(UserStatus::Service));
    if let Some(id) = p.client_id {
        people = people.filter(user::Column::ClientId.eq(id));
    }
    // From the weeks counted as people sign in: a year of every client's sign-ins is hundreds
    // of thousands, their person-weeks a fraction of it. Read while the people are.
    let first = p.weeks.first().map_or(p.week_after, |w| w.0);
    let (people, (per_user, per_week)) = tokio::try_join!(
        async { Ok::<_, ApiError>(people.all(db).await?) },
        stats::sign_ins(db, (first, p.week_after), p.client_id)
    )?;
    let names = client_names(db, people.iter().filter_map(|u| u.client_id)).await?;
    let per_user: HashMap<Uuid, u64> = per_user.into_iter().map(|(u, n)| (u, n as u64)).collect();
    let mut weeks: BTreeMap<NaiveDate, (u64, u64)> = p.weeks.iter().map(|(w, _)| (*w, (0, 0))).collect();
    for (week, logins, who) in per_week {
        if let Some(cell) = weeks.get_mut(&week) {
            *cell = (logins as u64, who as u64);
        }
    }
    let users: Vec<UserAdoption> = {
        let mut list: Vec<UserAdoption> = people
            .iter()
            .map(|u| {
                let client_id = u.client_id.unwrap_or_default();
                UserAdoption {
                    user_id: u.id,
                    name: u.name.clone(),
                    email: u.email.clone(),
                    client_id,
                    client_name: names.get(&client_id).cloned().unwrap_or_default(),
                    status: u.status,
                    invited_at: u.invited_at,
                    first_login_at: u.first_login_at,
                    seconds_to_first_login: u
                        .invited_at
                        .zip(u.first_login_at)
                        .map(|(i, f)| (f - i).num_seconds().max(0)),
                    last_visit_at: u.last_seen_at,
                    logins: per_user.get(&u.id).copied().unwrap_or(0),
                }
            })
            .collect();
        list.sort_by(|a, b| (&a.client_name, &a.name, a.user_id).cmp(&(&b.client_name, &b.name, b.user_id)));
        list
    };
    let figures = |group: &[&UserAdoption]| {
        let mut waits: Vec<i64> =
            group.iter().filter(|u| u.invited_at.is_some()).filter_map(|u| u.seconds_to_first_login).collect();
        waits.sort_unstable();
        let active = |days| {
            group.iter().filter(|u| u.last_visit_at.is_some_and(|v| v >= now - Duration::days(days))).count() as u64
        };
        AdoptionFigures {
            users: group.len() as u64,
            invited: group.iter().filter(|u| u.invited_at.is_some()).count() as u64,
            accepted: group.iter().filter(|u| u.invited_at.is_some() && u.first_login_at.is_some()).count() as u64,
            active_7_days: active(7),
            active_30_days: active(30),
            logins: group.iter().map(|u| u.logins).sum(),
            median_seconds_to_first_login: quantile(&waits, 0.5),
            last_visit_at: group.iter().filter_map(|u| u.last_visit_at).max(),
        }
    };
    let mut by_client: BTreeMap<(String, Uuid), Vec<&UserAdoption>> = BTreeMap::new();
    for u in &users {
        by_client.entry((u.client_name.clone(), u.client_id)).or_default().push(u);
    }
    let clients = by_client
        .into_iter()
        .map(|((client_name, client_id), group)| ClientAdoption { client_id, client_name, figures: figures(&group) })
        .collect();
    let totals = figures(&users.iter().collect::<Vec<_>>());
    let weeks = weeks.into_iter().map(|(week, (logins, people))| WeekLogins { week, logins, people }).collect();
    Ok(AdoptionReport { from: p.from, to: p.to, totals, clients, weeks, users })
}

/// The names of `ids` (each once) of a table with an id and a name column.
async fn names<E: EntityTrait>(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = Uuid>,
    (id, name): (E::Column, E::Column),
) -> ApiResult<HashMap<Uuid, String>> {
    let ids: Vec<Uuid> = ids.collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, String)> =
        E::find().select_only().column(id).column(name).filter(id.is_in(ids)).into_tuple().all(db).await?;
    Ok(rows.into_iter().collect())
}

async fn client_names(db: &impl ConnectionTrait, ids: impl Iterator<Item = Uuid>) -> ApiResult<HashMap<Uuid, String>> {
    names::<client::Entity>(db, ids, (client::Column::Id, client::Column::Name)).await
}

async fn project_names(db: &impl ConnectionTrait, ids: impl Iterator<Item = Uuid>) -> ApiResult<HashMap<Uuid, String>> {
    names::<project::Entity>(db, ids, (project::Column::Id, project::Column::Name)).await
}

async fn user_names(db: &impl ConnectionTrait, ids: impl Iterator<Item = Uuid>) -> ApiResult<HashMap<Uuid, String>> {
    names::<user::Entity>(db, ids, (user::Column::Id, user::Column::Name)).await
}

/* ------------------------------------------------------------ responsiveness */

/// Whose questions a responsiveness report measures.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Asked {
    /// Clients' Replies, answered by the agency (the commitment).
    #[default]
    ByClients,
    /// Staff Replies, answered by the client.
    ByAgency,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResponsivenessQuery {
    /// Only this client account (404 when there is none).
    pub client_id: Option<Uuid>,
    /// The start of the period (inclusive; moved back to the start of its week); 12 weeks
    /// before `to` when absent.
    pub from: Option<DateTime<Utc>>,
    /// The end of the period (exclusive; moved on to the end of its week); now when absent.
    pub to: Option<DateTime<Utc>>,
    /// Only this project (404 when there is none, or it is not the client's named).
    pub project_id: Option<Uuid>,
    /// `by_clients` (default): how long clients wait for the agency; `by_agency`: how long the
    /// agency waits for clients.
    #[param(inline)]
    pub asked: Option<Asked>,
}

/// Waits of one group: those asked in the period, and how they were answered.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ResponseFigures {
    /// Replies asked in the period.
    pub asked: u64,
    /// Of them, answered so far.
    pub answered: u64,
    /// Still waiting for an answer.
    pub open: u64,
    /// Answered within the commitment (`PORTICO_RESPONSE_TARGET_HOURS` business hours).
    pub within_target: u64,
    /// Business seconds until the answer, of the answered ones: read from the waits'
    /// histogram, exact for a wait alone in its bucket, otherwise estimated within it.
    pub median_seconds: Option<i64>,
    pub p90_seconds: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupResponses {
    /// The client, project or staff member (`by_staff`: who answered, or for `by_agency` who
    /// asked), absent for a week.
    pub id: Uuid,
    pub name: String,
    #[serde(flatten)]
    pub figures: ResponseFigures,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeekResponses {
    /// The Monday of the week the Replies were asked in.
    pub week: NaiveDate,
    #[serde(flatten)]
    pub figures: ResponseFigures,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponsivenessReport {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub asked: Asked,
    /// The commitment, in business hours.
    pub target_hours: u32,
    pub totals: ResponseFigures,
    pub by_client: Vec<GroupResponses>,
    /// The projects of the client chosen (`client_id`, or the one of `project_id`); empty over
    /// all clients.
    pub by_project: Vec<GroupResponses>,
    pub by_staff: Vec<GroupResponses>,
    /// Every week of the period, empty ones too.
    pub by_week: Vec<WeekResponses>,
}

/// Names the ids of `rows` and sorts them by name.
fn named(rows: Vec<Row>, names: &HashMap<Uuid, String>) -> Vec<GroupResponses> {
    let mut list: Vec<GroupResponses> = rows
        .into_iter()
        // A group whose questions were all withdrawn or deleted has nothing to show.
        .filter(|r| r.counts.asked != 0)
        .filter_map(|r| {
            let id = r.id?;
            Some(GroupResponses { id, name: names.get(&id).cloned().unwrap_or_default(), figures: r.counts.figures() })
        })
        .collect();
    list.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
    list
}

fn total(rows: &[Row]) -> Counts {
    let mut sum = Counts::default();
    for r in rows {
        sum.add(&r.counts, 1);
    }
    sum
}

/// Every week of the period, with what `rows` (grouped by week) hold for it.
fn by_week(p: &Period, rows: &[Row]) -> Vec<WeekResponses> {
    let mut weeks: BTreeMap<NaiveDate, Counts> = p.weeks.iter().map(|(w, _)| (*w, Counts::default())).collect();
    for r in rows {
        if let Some(cell) = r.week.and_then(|w| weeks.get_mut(&w)) {
            cell.add(&r.counts, 1);
        }
    }
    weeks.into_iter().map(|(week, c)| WeekResponses { week, figures: c.figures() }).collect()
}

/// How long each side waits for the other: over all clients and each client from the weeks
/// counted as the waits happened; within a client (by project, by staff member) and within a
/// project from its waits, added up by the database.
pub async fn responsiveness(
    db: &impl ConnectionTrait,
    q: &ResponsivenessQuery,
    now: DateTime<Utc>,
    target_hours: u32,
) -> ApiResult<ResponsivenessReport> {
    let p = period(db, &MetricsQuery { client_id: q.client_id, from: q.from, to: q.to }, now).await?;
    let project = match q.project_id {
        Some(id) => {
            let found = project::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
            if p.client_id.is_some_and(|c| c != found.client_id) {
                return Err(ApiError::NotFound);
            }
            Some(found)
        }
        None => None,
    };
    let asked = q.asked.unwrap_or_default();
    let side = match asked {
        Asked::ByClients => Side::Client,
        Asked::ByAgency => Side::Agency,
    };
    let target = i64::from(target_hours) * 3600;
    let span = (p.from, p.to);
    let weeks = (p.weeks.first().map(|w| w.0).unwrap_or_default(), p.week_after);
    let raw = |client: Option<Uuid>, project: Option<Uuid>, group: Group| {
        stats::waits(db, side, span, client, project, group, (&p.weeks, p.calendar.zone()), target)
    };
    let (totals, week_rows, clients, projects, staff) = match (&project, p.client_id) {
        (Some(project), _) => {
            let all = raw(None, Some(project.id), Group::Total).await?;
            let totals = total(&all);
            let client = Row { week: None, id: Some(project.client_id), counts: totals.clone() };
            let own = Row { week: None, id: Some(project.id), counts: totals.clone() };
            let staff = raw(None, Some(project.id), Group::Staff).await?;
            (totals, raw(None, Some(project.id), Group::Week).await?, vec![client], vec![own], staff)
        }
        (None, Some(client)) => {
            // The projects' waits are added up while the weeks are read (a pool serves both).
            let (week_rows, projects, staff) = tokio::try_join!(
                stats::weeks(db, side, weeks, Scope::Client(client), false, true),
                raw(Some(client), None, Group::Project),
                stats::weeks(db, side, weeks, Scope::ClientByStaff(client), true, false),
            )?;
            let totals = total(&week_rows);
            let own = Row { week: None, id: Some(client), counts: totals.clone() };
            (totals, week_rows, vec![own], projects, staff)
        }
        (None, None) => {
            let week_rows = stats::weeks(db, side, weeks, Scope::All, false, true).await?;
            let clients = stats::weeks(db, side, weeks, Scope::ByClient, true, false).await?;
            let staff = stats::weeks(db, side, weeks, Scope::ByStaff, true, false).await?;
            // Every project of every client would be no report: projects are a client's.
            (total(&week_rows), week_rows, clients, Vec::new(), staff)
        }
    };
    let client_names = client_names(db, clients.iter().filter_map(|r| r.id)).await?;
    let project_names = project_names(db, projects.iter().filter_map(|r| r.id)).await?;
    let staff_names = user_names(db, staff.iter().filter_map(|r| r.id)).await?;
    Ok(ResponsivenessReport {
        from: p.from,
        to: p.to,
        asked,
        target_hours,
        totals: totals.figures(),
        by_week: by_week(&p, &week_rows),
        by_client: named(clients, &client_names),
        by_project: named(projects, &project_names),
        by_staff: named(staff, &staff_names),
    })
}

/* ------------------------------------------------------------ awaiting reply */

/// A client's Reply the agency has not answered yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct AwaitingReply {
    pub comment_id: Uuid,
    pub task_id: Uuid,
    pub task_title: String,
    pub client_id: Uuid,
    pub client_name: String,
    pub author_name: String,
    pub asked_at: DateTime<Utc>,
    pub channel: Channel,
    /// Business seconds it has waited so far.
    pub waiting_seconds: i64,
    /// Past the commitment.
    pub overdue: bool,
}

/// The client Replies still waiting for the agency, longest wait first; with `overdue_only`,
/// those past the commitment.
pub async fn awaiting(
    db: &impl ConnectionTrait,
    client_id: Option<Uuid>,
    overdue_only: bool,
    now: DateTime<Utc>,
    target_hours: u32,
    limit: usize,
) -> ApiResult<Vec<AwaitingReply>> {
    let calendar = Calendar::of(&settings::load(db).await?.working_calendar);
    let target = i64::from(target_hours) * 3600;
    let mut find = reply_wait::Entity::find()
        .filter(reply_wait::Column::Side.eq(Side::Client))
        .filter(reply_wait::Column::AnsweredAt.is_null());
    if let Some(id) = client_id {
        find = find.filter(reply_wait::Column::ClientId.eq(id));
    }
    if overdue_only {
        // Only those asked before the commitment's span of working time ended: found by index,
        // however many open questions there are.
        find = find.filter(reply_wait::Column::AskedAt.lte(calendar.before_business_seconds(now, target)));
    }
    // The earlier a question, the longer its wait in working time: the longest come first.
    let open = find
        .order_by_asc(reply_wait::Column::AskedAt)
        .order_by_asc(reply_wait::Column::CommentId)
        .limit(limit as u64)
        .all(db)
        .await?;
    let rows: Vec<(reply_wait::Model, i64)> = open
        .into_iter()
        .map(|w| {
            let s = calendar.business_seconds(w.asked_at, now);
            (w, s)
        })
        .filter(|(_, s)| !overdue_only || *s > target)
        .collect();
    let tasks =
        names::<task::Entity>(db, rows.iter().map(|(w, _)| w.task_id), (task::Column::Id, task::Column::Title)).await?;
    let clients = client_names(db, rows.iter().map(|(w, _)| w.client_id)).await?;
    let authors = user_names(db, rows.iter().map(|(w, _)| w.asked_by)).await?;
    Ok(rows
        .into_iter()
        .map(|(w, s)| AwaitingReply {
            comment_id: w.comment_id,
            task_id: w.task_id,
            task_title: tasks.get(&w.task_id).cloned().unwrap_or_default(),
            client_id: w.client_id,
            client_name: clients.get(&w.client_id).cloned().unwrap_or_default(),
            author_name: authors.get(&w.asked_by).cloned().unwrap_or_default(),
            asked_at: w.asked_at,
            channel: w.channel,
            waiting_seconds: s,
            overdue: s > target,
        })
        .collect())
}

/* ------------------------------------------------------------------ channels */

/// Client questions of one week by the channel they came by.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelWeek {
    pub week: NaiveDate,
    pub portal: u64,
    pub email: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClientChannels {
    pub client_id: Uuid,
    pub client_name: String,
    pub portal: u64,
    pub email: u64,
    /// Every week of the period, empty ones too.
    pub weeks: Vec<ChannelWeek>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelsReport {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// All clients together, every week of the period.
    pub weeks: Vec<ChannelWeek>,
    /// Each client that asked anything in the period, by name.
    pub clients: Vec<ClientChannels>,
}

/// The brief's "portal usage vs e-mail questions": client Replies (each one a question to
/// the agency) per week, by how they arrived.
pub async fn channels(db: &impl ConnectionTrait, q: &MetricsQuery, now: DateTime<Utc>) -> ApiResult<ChannelsReport> {
    let p = period(db, q, now).await?;
    let weeks = (p.weeks.first().map(|w| w.0).unwrap_or_default(), p.week_after);
    let empty: BTreeMap<NaiveDate, (u64, u64)> = p.weeks.iter().map(|(w, _)| (*w, (0, 0))).collect();
    let fill = |rows: &[&Row]| {
        let mut map = empty.clone();
        for r in rows {
            if let Some(cell) = r.week.and_then(|w| map.get_mut(&w)) {
                cell.0 += Ord::max(r.counts.portal, 0) as u64;
                cell.1 += Ord::max(r.counts.email, 0) as u64;
            }
        }
        map.into_iter().map(|(week, (portal, email))| ChannelWeek { week, portal, email }).collect::<Vec<_>>()
    };
    let (all, per_client) = match p.client_id {
        Some(id) => {
            let rows = stats::weeks(db, Side::Client, weeks, Scope::Client(id), false, true).await?;
            let rows: Vec<Row> = rows.into_iter().map(|r| Row { id: Some(id), ..r }).collect();
            (fill(&rows.iter().collect::<Vec<_>>()), rows)
        }
        None => {
            let all = stats::weeks(db, Side::Client, weeks, Scope::All, false, true).await?;
            let per_client = stats::weeks(db, Side::Client, weeks, Scope::ByClient, true, true).await?;
            (fill(&all.iter().collect::<Vec<_>>()), per_client)
        }
    };
    let mut grouped: HashMap<Uuid, Vec<&Row>> = HashMap::new();
    for r in &per_client {
        if let Some(id) = r.id.filter(|_| r.counts.asked != 0) {
            grouped.entry(id).or_default().push(r);
        }
    }
    let names = client_names(db, grouped.keys().copied()).await?;
    let mut clients: Vec<ClientChannels> = grouped
        .into_iter()
        .map(|(client_id, rows)| {
            let weeks = fill(&rows);
            ClientChannels {
                client_id,
                client_name: names.get(&client_id).cloned().unwrap_or_default(),
                portal: weeks.iter().map(|w| w.portal).sum(),
                email: weeks.iter().map(|w| w.email).sum(),
                weeks,
            }
        })
        .filter(|c| c.portal + c.email > 0)
        .collect();
    clients.sort_by(|a, b| (&a.client_name, a.client_id).cmp(&(&b.client_name, b.client_id)));
    Ok(ChannelsReport { from: p.from, to: p.to, weeks: all, clients })
}

/* -------------------------------------------------------------- satisfaction */

/// Survey answers of one group.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct SatisfactionFigures {
    /// Surveys sent in the period.
    pub sent: u64,
    /// Of them, answered.
    pub answered: u64,
    /// The mean score of the answers (1–5), to two decimals.
    pub average: Option<f64>,
    /// How many answers gave 1, 2, 3, 4 and 5.
    pub scores: [u64; 5],
}

impl SatisfactionFigures {
    fn of(sent: u64, scores: [u64; 5]) -> Self {
        let answered: u64 = scores.iter().sum();
        let total: u64 = scores.iter().zip(1..).map(|(n, k)| n * k).sum();
        let average = (answered > 0).then(|| ((total as f64 / answered as f64) * 100.0).round() / 100.0);
        SatisfactionFigures { sent, answered, average, scores }
    }

    /// These and `other` together.
    fn plus(&self, other: &Self) -> Self {
        let mut scores = self.scores;
        for (a, b) in scores.iter_mut().zip(other.scores) {
            *a += b;
        }
        Self::of(self.sent + other.sent, scores)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupSatisfaction {
    pub id: Uuid,
    pub name: String,
    #[serde(flatten)]
    pub figures: SatisfactionFigures,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeekSatisfaction {
    /// The Monday of the week the surveys were sent in.
    pub week: NaiveDate,
    #[serde(flatten)]
    pub figures: SatisfactionFigures,
}

/// One answer with its comment.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyAnswer {
    pub survey_id: Uuid,
    pub client_id: Uuid,
    pub client_name: String,
    pub person: String,
    pub subject: crate::entities::enums::SurveySubject,
    pub title: String,
    pub score: i16,
    pub comment: Option<String>,
    pub answered_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SatisfactionReport {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub totals: SatisfactionFigures,
    pub by_client: Vec<GroupSatisfaction>,
    /// The projects of the client chosen (`client_id`); empty over all clients.
    pub by_project: Vec<GroupSatisfaction>,
    /// By the staff member a survey was about (a task's assignee).
    pub by_staff: Vec<GroupSatisfaction>,
    /// Every week of the period, empty ones too.
    pub by_week: Vec<WeekSatisfaction>,
    /// The newest answers of the period (at most 200), newest first.
    pub answers: Vec<SurveyAnswer>,
}

/// The most answers a report lists (the newest); the figures count them all.
pub const MAX_ANSWERS: u64 = 200;

/// Surveys of the period added up by the database, per `group` (a column, or the week).
async fn survey_groups(
    db: &impl ConnectionTrait,
    p: &Period,
    group: Option<crate::entities::survey::Column>,
    by_week: bool,
) -> ApiResult<Vec<(Option<Uuid>, Option<i64>, SatisfactionFigures)>> {
    use crate::entities::survey;
    let mut find = survey::Entity::find()
        .select_only()
        .filter(survey::Column::CreatedAt.gte(p.from))
        .filter(survey::Column::CreatedAt.lt(p.to));
    if let Some(id) = p.client_id {
        find = find.filter(survey::Column::ClientId.eq(id));
    }
    if let Some(col) = group {
        find = find.column_as(col, "group_id").filter(col.is_not_null()).group_by(col);
    } else {
        find = find.column_as(Expr::cust("CAST(NULL AS uuid)"), "group_id");
    }
    if by_week {
        let index = stats::week_index(db.get_database_backend(), "created_at", &p.weeks, p.calendar.zone());
        find = find.expr_as(index, "week_index").group_by(Expr::cust("week_index"));
    } else {
        find = find.column_as(Expr::cust("CAST(NULL AS bigint)"), "week_index");
    }
    let bigint =
        |sql: String| sea_orm::sea_query::Func::cast_as(Expr::cust(sql), sea_orm::sea_query::Alias::new("bigint"));
    find = find.expr_as(bigint("COUNT(*)".into()), "sent");
    for k in 1..=5 {
        find = find.expr_as(bigint(format!("SUM(CASE WHEN score = {k} THEN 1 ELSE 0 END)")), format!("score_{k}"));
    }
    let rows = find.into_model::<SurveySums>().all(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let scores = [r.score_1, r.score_2, r.score_3, r.score_4, r.score_5].map(|n| n.unwrap_or(0).max(0) as u64);
            (r.group_id, r.week_index, SatisfactionFigures::of(r.sent.max(0) as u64, scores))
        })
        .collect())
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct SurveySums {
    group_id: Option<Uuid>,
    week_index: Option<i64>,
    sent: i64,
    score_1: Option<i64>,
    score_2: Option<i64>,
    score_3: Option<i64>,
    score_4: Option<i64>,
    score_5: Option<i64>,
}

/// Satisfaction scores of the surveys sent in the period.
pub async fn satisfaction(
    db: &impl ConnectionTrait,
    q: &MetricsQuery,
    now: DateTime<Utc>,
) -> ApiResult<SatisfactionReport> {
    use crate::entities::survey;
    let p = period(db, q, now).await?;
    let clients = survey_groups(db, &p, Some(survey::Column::ClientId), false).await?;
    let totals = clients.iter().fold(SatisfactionFigures::default(), |all, c| all.plus(&c.2));
    // Every project of every client would be no report: projects are a client's.
    let projects = match p.client_id {
        Some(_) => survey_groups(db, &p, Some(survey::Column::ProjectId), false).await?,
        None => Vec::new(),
    };
    let staff = survey_groups(db, &p, Some(survey::Column::StaffId), false).await?;
    let weeks = survey_groups(db, &p, None, true).await?;
    let mut answers = survey::Entity::find()
        .filter(survey::Column::CreatedAt.gte(p.from))
        .filter(survey::Column::CreatedAt.lt(p.to))
        .filter(survey::Column::AnsweredAt.is_not_null());
    if let Some(id) = p.client_id {
        answers = answers.filter(survey::Column::ClientId.eq(id));
    }
    let answers = answers
        .order_by_desc(survey::Column::AnsweredAt)
        .order_by_desc(survey::Column::Id)
        .limit(MAX_ANSWERS)
        .all(db)
        .await?;
    let client_names =
        client_names(db, clients.iter().filter_map(|r| r.0).chain(answers.iter().map(|a| a.client_id))).await?;
    let project_names = project_names(db, projects.iter().filter_map(|r| r.0)).await?;
    let people = user_names(db, staff.iter().filter_map(|r| r.0).chain(answers.iter().map(|a| a.user_id))).await?;
    let named = |rows: Vec<(Option<Uuid>, Option<i64>, SatisfactionFigures)>, names: &HashMap<Uuid, String>| {
        let mut list: Vec<GroupSatisfaction> = rows
            .into_iter()
            .filter_map(|(id, _, figures)| {
                let id = id?;
                Some(GroupSatisfaction { id, name: names.get(&id).cloned().unwrap_or_default(), figures })
            })
            .collect();
        list.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
        list
    };
    let mut by_week: BTreeMap<NaiveDate, SatisfactionFigures> =
        p.weeks.iter().map(|(w, _)| (*w, SatisfactionFigures::default())).collect();
    for (_, index, figures) in weeks {
        if let Some(cell) = index.and_then(|i| p.weeks.get(i as usize)).and_then(|(w, _)| by_week.get_mut(w)) {
            *cell = figures;
        }
    }
    let answers = answers
        .into_iter()
        .filter_map(|s| {
            Some(SurveyAnswer {
                survey_id: s.id,
                client_id: s.client_id,
                client_name: client_names.get(&s.client_id).cloned().unwrap_or_default(),
                person: people.get(&s.user_id).cloned().unwrap_or_default(),
                subject: s.subject,
                title: s.title.clone(),
                score: s.score?,
                comment: s.comment.clone(),
                answered_at: s.answered_at?,
            })
        })
        .collect();
    Ok(SatisfactionReport {
        from: p.from,
        to: p.to,
        totals,
        by_client: named(clients, &client_names),
        by_project: named(projects, &project_names),
        by_staff: named(staff, &people),
        by_week: by_week.into_iter().map(|(week, figures)| WeekSatisfaction { week, figures }).collect(),
        answers,
    })
}

#[cfg(test)]
mod tests {
    use super::quantile;

    #[test]
    fn quantiles_interpolate_between_the_nearest_values() {
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[7], 0.9), Some(7));
        assert_eq!(quantile(&[1, 3], 0.5), Some(2));
        assert_eq!(quantile(&[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9), Some(91));
        assert_eq!(quantile(&[1, 2, 3], 0.5), Some(2));
    }
}
