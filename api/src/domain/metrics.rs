//! Is the portal working? The figures behind the Metrics area: adoption (who was invited,
//! who came, who keeps coming), responsiveness (how long each side waits for the other's
//! Reply, in business hours), and the channel client questions arrive by. Staff only; a Note
//! is in none of it (only Replies open or answer a wait).
//!
//! Medians and 90th percentiles interpolate between the two nearest values (PostgreSQL's
//! `percentile_cont`): the median of 1 h and 3 h is 2 h.
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration};
use sea_orm::{QueryOrder, QuerySelect};

use super::{calendar::Calendar, prelude::*, settings};
use crate::entities::{
    client,
    enums::{Channel, Side, UserStatus},
    login, project, reply_wait, task, user,
};

/// The period and account a report covers.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MetricsQuery {
    /// Only this client account (404 when there is none).
    pub client_id: Option<Uuid>,
    /// The start of the period (inclusive); 12 weeks before `to` when absent.
    pub from: Option<DateTime<Utc>>,
    /// The end of the period (exclusive); now when absent.
    pub to: Option<DateTime<Utc>>,
}

/// The longest period one report covers.
pub const MAX_PERIOD_DAYS: i64 = 3 * 366;

struct Period {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    client_id: Option<Uuid>,
}

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
    Ok(Period { from, to, client_id: q.client_id })
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
    let calendar = Calendar::of(&settings::load(db).await?.working_calendar);
    let mut people = user::Entity::find()
        .filter(user::Column::ClientId.is_not_null())
        .filter(user::Column::Status.ne(UserStatus::Service));
    let mut signins = login::Entity::find()
        .filter(login::Column::ClientId.is_not_null())
        .filter(login::Column::At.gte(p.from))
        .filter(login::Column::At.lt(p.to));
    if let Some(id) = p.client_id {
        people = people.filter(user::Column::ClientId.eq(id));
        signins = signins.filter(login::Column::ClientId.eq(id));
    }
    let people = people.all(db).await?;
    let signins: Vec<(Uuid, DateTime<Utc>)> =
        signins.select_only().column(login::Column::UserId).column(login::Column::At).into_tuple().all(db).await?;
    let names = client_names(db, people.iter().filter_map(|u| u.client_id)).await?;
    let mut per_user: HashMap<Uuid, u64> = HashMap::new();
    let mut weeks: BTreeMap<NaiveDate, (u64, std::collections::HashSet<Uuid>)> = BTreeMap::new();
    for week in calendar.weeks(p.from, p.to) {
        weeks.insert(week, Default::default());
    }
    for (user_id, at) in &signins {
        *per_user.entry(*user_id).or_default() += 1;
        let w = weeks.entry(calendar.week_of(*at)).or_default();
        w.0 += 1;
        w.1.insert(*user_id);
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
    let weeks =
        weeks.into_iter().map(|(week, (logins, who))| WeekLogins { week, logins, people: who.len() as u64 }).collect();
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
    /// The start of the period (inclusive); 12 weeks before `to` when absent.
    pub from: Option<DateTime<Utc>>,
    /// The end of the period (exclusive); now when absent.
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
    /// Business seconds until the answer, of the answered ones.
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
    pub by_project: Vec<GroupResponses>,
    pub by_staff: Vec<GroupResponses>,
    /// Every week of the period, empty ones too.
    pub by_week: Vec<WeekResponses>,
}

fn response_figures(waits: &[&reply_wait::Model], target_secs: i64) -> ResponseFigures {
    let mut seconds: Vec<i64> = waits.iter().filter_map(|w| w.business_seconds).collect();
    seconds.sort_unstable();
    ResponseFigures {
        asked: waits.len() as u64,
        answered: seconds.len() as u64,
        open: waits.iter().filter(|w| w.answered_at.is_none()).count() as u64,
        within_target: seconds.iter().filter(|s| **s <= target_secs).count() as u64,
        median_seconds: quantile(&seconds, 0.5),
        p90_seconds: quantile(&seconds, 0.9),
    }
}

pub async fn responsiveness(
    db: &impl ConnectionTrait,
    q: &ResponsivenessQuery,
    now: DateTime<Utc>,
    target_hours: u32,
) -> ApiResult<ResponsivenessReport> {
    let p = period(db, &MetricsQuery { client_id: q.client_id, from: q.from, to: q.to }, now).await?;
    if let Some(id) = q.project_id {
        let found = project::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
        if p.client_id.is_some_and(|c| c != found.client_id) {
            return Err(ApiError::NotFound);
        }
    }
    let asked = q.asked.unwrap_or_default();
    let side = match asked {
        Asked::ByClients => Side::Client,
        Asked::ByAgency => Side::Agency,
    };
    let calendar = Calendar::of(&settings::load(db).await?.working_calendar);
    let mut find = reply_wait::Entity::find()
        .filter(reply_wait::Column::Side.eq(side))
        .filter(reply_wait::Column::AskedAt.gte(p.from))
        .filter(reply_wait::Column::AskedAt.lt(p.to));
    if let Some(id) = p.client_id {
        find = find.filter(reply_wait::Column::ClientId.eq(id));
    }
    if let Some(id) = q.project_id {
        find = find.filter(reply_wait::Column::ProjectId.eq(id));
    }
    let waits = find.all(db).await?;
    let target = i64::from(target_hours) * 3600;
    let staff_of = |w: &reply_wait::Model| match side {
        Side::Client => w.answered_by,
        Side::Agency => Some(w.asked_by),
    };
    let mut by_client: HashMap<Uuid, Vec<&reply_wait::Model>> = HashMap::new();
    let mut by_project: HashMap<Uuid, Vec<&reply_wait::Model>> = HashMap::new();
    let mut by_staff: HashMap<Uuid, Vec<&reply_wait::Model>> = HashMap::new();
    let mut by_week: BTreeMap<NaiveDate, Vec<&reply_wait::Model>> = BTreeMap::new();
    for week in calendar.weeks(p.from, p.to) {
        by_week.insert(week, Vec::new());
    }
    for w in &waits {
        by_client.entry(w.client_id).or_default().push(w);
        by_project.entry(w.project_id).or_default().push(w);
        if let Some(s) = staff_of(w) {
            by_staff.entry(s).or_default().push(w);
        }
        by_week.entry(calendar.week_of(w.asked_at)).or_default().push(w);
    }
    let clients = client_names(db, by_client.keys().copied()).await?;
    let projects = project_names(db, by_project.keys().copied()).await?;
    let staff = user_names(db, by_staff.keys().copied()).await?;
    let groups = |map: HashMap<Uuid, Vec<&reply_wait::Model>>, names: &HashMap<Uuid, String>| {
        let mut list: Vec<GroupResponses> = map
            .into_iter()
            .map(|(id, group)| GroupResponses {
                id,
                name: names.get(&id).cloned().unwrap_or_default(),
                figures: response_figures(&group, target),
            })
            .collect();
        list.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
        list
    };
    Ok(ResponsivenessReport {
        from: p.from,
        to: p.to,
        asked,
        target_hours,
        totals: response_figures(&waits.iter().collect::<Vec<_>>(), target),
        by_client: groups(by_client, &clients),
        by_project: groups(by_project, &projects),
        by_staff: groups(by_staff, &staff),
        by_week: by_week
            .into_iter()
            .map(|(week, group)| WeekResponses { week, figures: response_figures(&group, target) })
            .collect(),
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
    let calendar = Calendar::of(&settings::load(db).await?.working_calendar);
    let mut find = reply_wait::Entity::find()
        .select_only()
        .column(reply_wait::Column::ClientId)
        .column(reply_wait::Column::AskedAt)
        .column(reply_wait::Column::Channel)
        .filter(reply_wait::Column::Side.eq(Side::Client))
        .filter(reply_wait::Column::AskedAt.gte(p.from))
        .filter(reply_wait::Column::AskedAt.lt(p.to));
    if let Some(id) = p.client_id {
        find = find.filter(reply_wait::Column::ClientId.eq(id));
    }
    let rows: Vec<(Uuid, DateTime<Utc>, Channel)> = find.into_tuple().all(db).await?;
    let mut empty = BTreeMap::new();
    for week in calendar.weeks(p.from, p.to) {
        empty.insert(week, (0u64, 0u64));
    }
    let mut all = empty.clone();
    let mut per_client: HashMap<Uuid, BTreeMap<NaiveDate, (u64, u64)>> = HashMap::new();
    for (client_id, at, channel) in &rows {
        let w = calendar.week_of(*at);
        for map in [&mut all, per_client.entry(*client_id).or_insert_with(|| empty.clone())] {
            let cell = map.entry(w).or_default();
            match channel {
                Channel::Portal => cell.0 += 1,
                Channel::Email => cell.1 += 1,
            }
        }
    }
    let weeks_of = |map: BTreeMap<NaiveDate, (u64, u64)>| -> Vec<ChannelWeek> {
        map.into_iter().map(|(week, (portal, email))| ChannelWeek { week, portal, email }).collect()
    };
    let names = client_names(db, per_client.keys().copied()).await?;
    let mut clients: Vec<ClientChannels> = per_client
        .into_iter()
        .map(|(client_id, map)| {
            let weeks = weeks_of(map);
            ClientChannels {
                client_id,
                client_name: names.get(&client_id).cloned().unwrap_or_default(),
                portal: weeks.iter().map(|w| w.portal).sum(),
                email: weeks.iter().map(|w| w.email).sum(),
                weeks,
            }
        })
        .collect();
    clients.sort_by(|a, b| (&a.client_name, a.client_id).cmp(&(&b.client_name, b.client_id)));
    Ok(ChannelsReport { from: p.from, to: p.to, weeks: weeks_of(all), clients })
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
    pub by_project: Vec<GroupSatisfaction>,
    /// By the staff member a survey was about (a task's assignee).
    pub by_staff: Vec<GroupSatisfaction>,
    /// Every week of the period, empty ones too.
    pub by_week: Vec<WeekSatisfaction>,
    /// The answers of the period, newest first.
    pub answers: Vec<SurveyAnswer>,
}

fn satisfaction_figures(group: &[&crate::entities::survey::Model]) -> SatisfactionFigures {
    let mut scores = [0u64; 5];
    let mut sum = 0i64;
    let mut answered = 0u64;
    for s in group {
        if let Some(score) = s.score.filter(|s| (1..=5).contains(s)) {
            scores[(score - 1) as usize] += 1;
            sum += i64::from(score);
            answered += 1;
        }
    }
    let average = (answered > 0).then(|| ((sum as f64 / answered as f64) * 100.0).round() / 100.0);
    SatisfactionFigures { sent: group.len() as u64, answered, average, scores }
}

/// Satisfaction scores of the surveys sent in the period.
pub async fn satisfaction(
    db: &impl ConnectionTrait,
    q: &MetricsQuery,
    now: DateTime<Utc>,
) -> ApiResult<SatisfactionReport> {
    use crate::entities::survey;
    let p = period(db, q, now).await?;
    let calendar = Calendar::of(&settings::load(db).await?.working_calendar);
    let mut find =
        survey::Entity::find().filter(survey::Column::CreatedAt.gte(p.from)).filter(survey::Column::CreatedAt.lt(p.to));
    if let Some(id) = p.client_id {
        find = find.filter(survey::Column::ClientId.eq(id));
    }
    let surveys = find.all(db).await?;
    let mut by_client: HashMap<Uuid, Vec<&survey::Model>> = HashMap::new();
    let mut by_project: HashMap<Uuid, Vec<&survey::Model>> = HashMap::new();
    let mut by_staff: HashMap<Uuid, Vec<&survey::Model>> = HashMap::new();
    let mut by_week: BTreeMap<NaiveDate, Vec<&survey::Model>> = BTreeMap::new();
    for week in calendar.weeks(p.from, p.to) {
        by_week.insert(week, Vec::new());
    }
    for s in &surveys {
        by_client.entry(s.client_id).or_default().push(s);
        if let Some(id) = s.project_id {
            by_project.entry(id).or_default().push(s);
        }
        if let Some(id) = s.staff_id {
            by_staff.entry(id).or_default().push(s);
        }
        by_week.entry(calendar.week_of(s.created_at)).or_default().push(s);
    }
    let clients = client_names(db, by_client.keys().copied()).await?;
    let projects = project_names(db, by_project.keys().copied()).await?;
    let people = user_names(
        db,
        by_staff.keys().copied().chain(surveys.iter().filter(|s| s.answered_at.is_some()).map(|s| s.user_id)),
    )
    .await?;
    let groups = |map: HashMap<Uuid, Vec<&survey::Model>>, names: &HashMap<Uuid, String>| {
        let mut list: Vec<GroupSatisfaction> = map
            .into_iter()
            .map(|(id, group)| GroupSatisfaction {
                id,
                name: names.get(&id).cloned().unwrap_or_default(),
                figures: satisfaction_figures(&group),
            })
            .collect();
        list.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
        list
    };
    let mut answers: Vec<SurveyAnswer> = surveys
        .iter()
        .filter_map(|s| {
            Some(SurveyAnswer {
                survey_id: s.id,
                client_id: s.client_id,
                client_name: clients.get(&s.client_id).cloned().unwrap_or_default(),
                person: people.get(&s.user_id).cloned().unwrap_or_default(),
                subject: s.subject,
                title: s.title.clone(),
                score: s.score?,
                comment: s.comment.clone(),
                answered_at: s.answered_at?,
            })
        })
        .collect();
    answers.sort_by_key(|a| std::cmp::Reverse((a.answered_at, a.survey_id)));
    Ok(SatisfactionReport {
        from: p.from,
        to: p.to,
        totals: satisfaction_figures(&surveys.iter().collect::<Vec<_>>()),
        by_client: groups(by_client, &clients),
        by_project: groups(by_project, &projects),
        by_staff: groups(by_staff, &people),
        by_week: by_week
            .into_iter()
            .map(|(week, group)| WeekSatisfaction { week, figures: satisfaction_figures(&group) })
            .collect(),
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
