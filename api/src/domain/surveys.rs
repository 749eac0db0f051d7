//! How satisfied are the clients? A short survey — a score of 1 to 5 and an optional comment —
//! goes to a client's people when one of their tasks moves to Done, when a project of theirs is
//! completed, or every few weeks, each as the settings say. It reaches them in the portal (a
//! prompt on the home) and by e-mail with a single-use link that answers without signing in:
//! only the link token's hash is kept, it expires, and each person answers each subject once.
//! A low score tells the staff who look after the account at once.
use chrono::{DateTime, Duration};
use sea_orm::{QueryOrder, sea_query::OnConflict};

use super::{
    notify::{self, Notice},
    prelude::*,
    settings,
};
use crate::{
    auth::tokens,
    entities::{enums::SurveySubject, project, survey, task, user},
    text,
};

/// How long a survey link (and the survey) stays open.
pub const OPEN_DAYS: i64 = 30;

/// A score at or below which the staff hear of it at once.
pub const LOW_SCORE: i16 = 2;

/// A survey as the person asked sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyResponse {
    pub id: Uuid,
    pub subject: SurveySubject,
    /// What it asks about: the task's or project's name (empty for a periodic survey).
    pub title: String,
    pub task_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub score: Option<i16>,
    pub comment: Option<String>,
}

impl From<survey::Model> for SurveyResponse {
    fn from(m: survey::Model) -> Self {
        Self {
            id: m.id,
            subject: m.subject,
            title: m.title,
            task_id: m.task_id,
            project_id: m.project_id,
            created_at: m.created_at,
            expires_at: m.expires_at,
            answered_at: m.answered_at,
            score: m.score,
            comment: m.comment,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AnswerSurveyRequest {
    /// 1 (poor) to 5 (excellent).
    #[schema(minimum = 1, maximum = 5)]
    #[validate(range(min = 1, max = 5))]
    pub score: i16,
    #[schema(max_length = 2000)]
    #[validate(length(max = 2000))]
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AnswerByLinkRequest {
    /// The token from the e-mail's link.
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub token: String,
    #[schema(minimum = 1, maximum = 5)]
    #[validate(range(min = 1, max = 5))]
    pub score: i16,
    #[schema(max_length = 2000)]
    #[validate(length(max = 2000))]
    #[serde(default)]
    pub comment: Option<String>,
}

struct Subject {
    key: String,
    kind: SurveySubject,
    task_id: Option<Uuid>,
    project_id: Option<Uuid>,
    staff_id: Option<Uuid>,
    title: String,
}

/// Automation: a task of theirs is Done — its readers are asked about it (and its assignee).
pub async fn task_done(change: &mut Change<'_>, t: &task::Model) -> ApiResult<()> {
    if !settings::load(change.db()).await?.surveys.on_task_done {
        return Ok(());
    }
    let subject = Subject {
        key: format!("task:{}", t.id),
        kind: SurveySubject::Task,
        task_id: Some(t.id),
        project_id: Some(t.project_id),
        staff_id: t.assignee_id,
        title: t.title.clone(),
    };
    let readers = notify::client_readers(change.db(), t.client_id, Perm::TasksRead).await?;
    ask(change, t.client_id, &readers, subject).await
}

/// Automation: a project of theirs is completed.
pub async fn project_completed(change: &mut Change<'_>, p: &project::Model) -> ApiResult<()> {
    if !settings::load(change.db()).await?.surveys.on_project_completed {
        return Ok(());
    }
    let subject = Subject {
        key: format!("project:{}", p.id),
        kind: SurveySubject::Project,
        task_id: None,
        project_id: Some(p.id),
        staff_id: None,
        title: p.name.clone(),
    };
    let readers = notify::client_readers(change.db(), p.client_id, Perm::ProjectsRead).await?;
    ask(change, p.client_id, &readers, subject).await
}

/// The scheduled survey of `period` (its number since the epoch, in `every_weeks` weeks) for
/// one client user; a job, so each person is asked once per period however often it runs.
pub async fn periodic(state: &AppState, user_id: Uuid, period: i64) -> ApiResult<()> {
    let mut change = Change::begin(state, None).await?;
    let Some(u) = user::Entity::find_by_id(user_id).one(change.db()).await? else { return Ok(()) };
    let Some(client_id) = u.client_id.filter(|_| u.status == crate::entities::enums::UserStatus::Active) else {
        return Ok(());
    };
    let subject = Subject {
        key: format!("period:{period}"),
        kind: SurveySubject::Period,
        task_id: None,
        project_id: None,
        staff_id: None,
        title: String::new(),
    };
    ask(&mut change, client_id, &[u], subject).await?;
    change.commit().await?;
    Ok(())
}

/// Asks each of `people` about `subject` (once: someone already asked is not asked again).
async fn ask(change: &mut Change<'_>, client_id: Uuid, people: &[user::Model], subject: Subject) -> ApiResult<()> {
    let now = change.now();
    let brand = settings::load(change.db()).await?;
    let base = change.settings().public_url.trim_end_matches('/').to_owned();
    for person in people {
        let token = tokens::generate();
        let id = Uuid::now_v7();
        let row = survey::ActiveModel {
            id: Set(id),
            client_id: Set(client_id),
            user_id: Set(person.id),
            subject_key: Set(subject.key.clone()),
            subject: Set(subject.kind),
            task_id: Set(subject.task_id),
            project_id: Set(subject.project_id),
            staff_id: Set(subject.staff_id),
            title: Set(subject.title.chars().take(300).collect()),
            token_hash: Set(tokens::hash(&token)),
            expires_at: Set(now + Duration::days(OPEN_DAYS)),
            created_at: Set(now),
            answered_at: Set(None),
            score: Set(None),
            comment: Set(None),
        };
        let inserted = survey::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([survey::Column::UserId, survey::Column::SubjectKey]).do_nothing().to_owned(),
            )
            .exec_without_returning(change.db())
            .await?;
        if inserted == 0 {
            continue;
        }
        let (title, body) = match subject.kind {
            SurveySubject::Task => (text!("survey-task-title", task = &subject.title), text!("survey-body")),
            SurveySubject::Project => (text!("survey-project-title", project = &subject.title), text!("survey-body")),
            SurveySubject::Period => (text!("survey-period-title", agency = &brand.agency_name), text!("survey-body")),
        };
        let notice = Notice {
            kind: "survey",
            title,
            body,
            link: format!("/surveys/{id}"),
            source: Source::survey(id),
            event_id: None,
        };
        let link = format!("{base}/survey#token={token}");
        notify::deliver_with_link(change, person, &notice, &link).await?;
    }
    Ok(())
}

/// The caller's surveys still open, newest first (a client user's own; nobody else's).
pub async fn open_for(db: &impl ConnectionTrait, user_id: Uuid, now: DateTime<Utc>) -> ApiResult<Vec<SurveyResponse>> {
    Ok(survey::Entity::find()
        .filter(survey::Column::UserId.eq(user_id))
        .filter(survey::Column::AnsweredAt.is_null())
        .filter(survey::Column::ExpiresAt.gt(now))
        .order_by_desc(survey::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Answers the caller's own survey `id` (404 for anyone else's).
pub async fn answer(change: &mut Change<'_>, id: Uuid, body: AnswerSurveyRequest) -> ApiResult<SurveyResponse> {
    let actor = change.actor().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("an answer needs a person")))?;
    let found = survey::Entity::find_by_id(id)
        .filter(survey::Column::UserId.eq(actor.user_id))
        .one(change.db())
        .await?
        .ok_or(ApiError::NotFound)?;
    record(change, found, body.score, body.comment).await
}

/// Answers the survey a link's token names. Signed in as someone else, the link is not theirs
/// to answer (403).
pub async fn answer_by_link(
    change: &mut Change<'_>,
    caller: Option<Uuid>,
    body: AnswerByLinkRequest,
) -> ApiResult<SurveyResponse> {
    let found = survey::Entity::find()
        .filter(survey::Column::TokenHash.eq(tokens::hash(body.token.trim())))
        .one(change.db())
        .await?
        .ok_or(ApiError::NotFound)?;
    if caller.is_some_and(|c| c != found.user_id) {
        return Err(ApiError::Forbidden(crate::problem!("survey-someone-elses")));
    }
    record(change, found, body.score, body.comment).await
}

async fn record(
    change: &mut Change<'_>,
    found: survey::Model,
    score: i16,
    comment: Option<String>,
) -> ApiResult<SurveyResponse> {
    let now = change.now();
    if found.answered_at.is_some() {
        return Err(ApiError::Conflict(crate::problem!("survey-answered")));
    }
    if found.expires_at <= now {
        return Err(ApiError::field("token", crate::problem!("survey-expired")));
    }
    let comment = comment.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    // Conditional on still being open: of two answers at once, one counts.
    let updated = survey::Entity::update_many()
        .col_expr(survey::Column::AnsweredAt, sea_orm::sea_query::Expr::value(now))
        .col_expr(survey::Column::Score, sea_orm::sea_query::Expr::value(score))
        .col_expr(survey::Column::Comment, sea_orm::sea_query::Expr::value(comment.clone()))
        .filter(survey::Column::Id.eq(found.id))
        .filter(survey::Column::AnsweredAt.is_null())
        .exec(change.db())
        .await?;
    if updated.rows_affected != 1 {
        return Err(ApiError::Conflict(crate::problem!("survey-answered")));
    }
    let answered = survey::Model { answered_at: Some(now), score: Some(score), comment, ..found };
    let entry = Entry::new("survey.answered", "survey", Some(answered.id), Some(answered.client_id));
    change.audit(entry.details(serde_json::json!({"score": score}))).await?;
    if score <= LOW_SCORE {
        low_score(change, &answered).await?;
    }
    Ok(answered.into())
}

/// The staff who look after the account hear of a low score: the member it is about, those
/// working on the project, and whoever reads the metrics.
async fn low_score(change: &mut Change<'_>, s: &survey::Model) -> ApiResult<()> {
    let who = user::Entity::find_by_id(s.user_id).one(change.db()).await?.map(|u| u.name).unwrap_or_default();
    let client = crate::entities::client::Entity::find_by_id(s.client_id)
        .one(change.db())
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let staff = notify::account_staff(change.db(), s.project_id, s.staff_id).await?;
    let notice = Notice {
        kind: "survey_low_score",
        title: text!(
            "survey-low-title",
            score = i64::from(s.score.unwrap_or_default()),
            person = &who,
            client = &client
        ),
        body: match &s.comment {
            Some(c) => crate::i18n::Text::verbatim(c.clone()),
            None => text!("survey-low-no-comment"),
        },
        link: format!("/staff/metrics?client_id={}", s.client_id),
        source: Source::survey(s.id),
        event_id: None,
    };
    notify::deliver(change, &staff, &notice).await
}

/// A survey answered as it already happened (the demo agency, an import): its link is spent.
pub struct ImportedAnswer<'a> {
    pub person: &'a user::Model,
    pub task: Option<&'a task::Model>,
    pub sent_at: DateTime<Utc>,
    pub answered_at: DateTime<Utc>,
    pub score: i16,
    pub comment: Option<&'a str>,
}

pub async fn imported(change: &Change<'_>, client_id: Uuid, a: ImportedAnswer<'_>) -> ApiResult<()> {
    let (key, kind, title) = match a.task {
        Some(t) => (format!("task:{}", t.id), SurveySubject::Task, t.title.clone()),
        None => (format!("period:imported:{}", a.sent_at.timestamp()), SurveySubject::Period, String::new()),
    };
    survey::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(client_id),
        user_id: Set(a.person.id),
        subject_key: Set(key),
        subject: Set(kind),
        task_id: Set(a.task.map(|t| t.id)),
        project_id: Set(a.task.map(|t| t.project_id)),
        staff_id: Set(a.task.and_then(|t| t.assignee_id)),
        title: Set(title),
        token_hash: Set(tokens::hash(&tokens::generate())),
        expires_at: Set(a.sent_at + Duration::days(OPEN_DAYS)),
        created_at: Set(a.sent_at),
        answered_at: Set(Some(a.answered_at)),
        score: Set(Some(a.score)),
        comment: Set(a.comment.map(str::to_owned)),
    }
    .insert(change.db())
    .await?;
    Ok(())
}
