//! One search over clients, projects, tasks, comments, invoices and files, ranked by the
//! database's full-text engine (PostgreSQL `tsvector`, SQLite FTS5; the index is kept by
//! triggers, see the `search` migration).
//!
//! The index knows words, never who may read them: every candidate is intersected with the
//! caller's policy scope of its kind, in the same statement that ranks and pages. A client
//! therefore finds only their own account's rows and, since their comments scope is the
//! Replies-only view, never a Note; staff without `comments.note` find no Note either. A kind
//! the caller may not read (a Client Viewer's invoices) is left out, not refused.
use sea_orm::{
    DbBackend, FromQueryResult, QuerySelect, QueryTrait, Select,
    sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SelectStatement},
};
use std::collections::HashMap;

use super::prelude::*;
use crate::{
    entities::{client, client_comment, comment, enums::Visibility, file, invoice, project, task},
    policy::Comments,
};

/// At most this many words count; more make a query no one types.
const MAX_TERMS: usize = 8;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The words to look for; each matches a word starting with it (`inv` finds "invoice").
    #[param(min_length = 1, max_length = 200)]
    pub q: String,
    /// Only hits of this kind.
    pub kind: Option<SearchKind>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    Client,
    Project,
    Task,
    Comment,
    Invoice,
    File,
}

impl SearchKind {
    fn as_str(self) -> &'static str {
        match self {
            SearchKind::Client => "client",
            SearchKind::Project => "project",
            SearchKind::Task => "task",
            SearchKind::Comment => "comment",
            SearchKind::Invoice => "invoice",
            SearchKind::File => "file",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Client, Self::Project, Self::Task, Self::Comment, Self::Invoice, Self::File]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// One thing found, with what a result list shows and where it leads.
#[derive(Serialize, ToSchema, Debug)]
pub struct SearchHit {
    pub kind: SearchKind,
    pub id: Uuid,
    /// The name, title or number; for a comment, the title of its task.
    pub title: String,
    /// Where the words occur in the text, shortened; empty when only the title matched.
    pub snippet: String,
    pub client_id: Uuid,
    pub project_id: Option<Uuid>,
    /// The task (a task's own id; a comment's or a file's task).
    pub task_id: Option<Uuid>,
    /// A comment's: whether it is a Reply or a Note (staff who read Notes only ever see `note`).
    pub visibility: Option<Visibility>,
}

/// The words of a query, lower-cased; only letters and digits, so nothing reaches the engine's
/// query syntax but words.
pub fn terms(q: &str) -> ApiResult<Vec<String>> {
    if q.chars().count() > 200 {
        return Err(ApiError::field("q", crate::problem!("search-query-too-long")));
    }
    let mut words: Vec<String> = Vec::new();
    for word in q.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let word = word.to_lowercase();
        if !words.contains(&word) && words.len() < MAX_TERMS {
            words.push(word);
        }
    }
    if words.is_empty() {
        return Err(ApiError::field("q", crate::problem!("search-query-no-word")));
    }
    Ok(words)
}

/// Each kind the actor may read, with the ids of its rows they may know exist.
fn scopes(actor: &Actor) -> Vec<(SearchKind, SelectStatement)> {
    fn ids<E: EntityTrait>(select: Select<E>, id: E::Column) -> SelectStatement {
        select.select_only().column(id).into_query()
    }
    let mut out = Vec::new();
    if !actor.is_client()
        && let Ok(s) = policy::clients(actor).list()
    {
        out.push((SearchKind::Client, ids(s, client::Column::Id)));
    }
    if let Ok(s) = policy::projects(actor).list() {
        out.push((SearchKind::Project, ids(s, project::Column::Id)));
    }
    if let Ok(s) = policy::tasks(actor).list() {
        out.push((SearchKind::Task, ids(s, task::Column::Id)));
        let comments = match policy::comments(actor) {
            Comments::All(s) => ids(s, comment::Column::Id),
            Comments::RepliesOnly(s) => ids(s, client_comment::Column::Id),
        };
        out.push((SearchKind::Comment, comments));
    }
    if let Ok(s) = policy::invoices(actor).list() {
        out.push((SearchKind::Invoice, ids(s, invoice::Column::Id)));
    }
    if let Ok(s) = policy::files(actor).list() {
        out.push((SearchKind::File, ids(s, file::Column::Id)));
    }
    out
}

#[derive(FromQueryResult)]
struct Candidate {
    kind: String,
    ref_id: Uuid,
}

/// The ranked candidates of one page (one more than `limit`, to know whether another follows).
fn candidates(
    backend: DbBackend,
    terms: &[String],
    scopes: Vec<(SearchKind, SelectStatement)>,
    offset: u64,
    limit: u64,
) -> SelectStatement {
    let e = Alias::new("e");
    let mut visible = Cond::any();
    for (kind, ids) in scopes {
        visible = visible.add(
            Cond::all()
                .add(Expr::col((e.clone(), Alias::new("kind"))).eq(kind.as_str()))
                .add(Expr::col((e.clone(), Alias::new("ref_id"))).in_subquery(ids)),
        );
    }
    let mut q = Query::select();
    q.column((e.clone(), Alias::new("kind"))).column((e.clone(), Alias::new("ref_id"))).cond_where(visible);
    if backend == DbBackend::Postgres {
        let tsquery = terms.iter().map(|t| format!("{t}:*")).collect::<Vec<_>>().join(" & ");
        q.from_as(Alias::new("search_entries"), e.clone())
            .and_where(Expr::cust_with_values("e.document @@ to_tsquery('simple', $1)", [tsquery.clone()]))
            .order_by_expr(
                Expr::cust_with_values("ts_rank(e.document, to_tsquery('simple', $1))", [tsquery]),
                Order::Desc,
            );
    } else {
        let fts = terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" ");
        q.from(Alias::new("search_fts"))
            .join_as(
                sea_orm::JoinType::InnerJoin,
                Alias::new("search_entries"),
                e.clone(),
                Expr::col((e.clone(), Alias::new("id"))).equals((Alias::new("search_fts"), Alias::new("rowid"))),
            )
            .and_where(Expr::cust_with_values("search_fts MATCH ?", [fts]))
            // Lower is better; a word in the title counts ten times one in the body.
            .order_by_expr(Expr::cust("bm25(search_fts, 10.0, 1.0)"), Order::Asc);
    }
    q.order_by((e.clone(), Alias::new("kind")), Order::Asc)
        .order_by((e, Alias::new("ref_id")), Order::Asc)
        .limit(limit + 1)
        .offset(offset);
    q
}

/// A page of what `actor` may find for `query`, best first.
pub async fn search(db: &impl ConnectionTrait, actor: &Actor, query: &SearchQuery) -> ApiResult<Page<SearchHit>> {
    let terms = terms(&query.q)?;
    let limit = pagination::limit(query.limit)?;
    // A cursor is for the query it was made for: another's offset would mean nothing.
    let list = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&terms, query.kind).hash(&mut h);
        format!("search:{:x}", h.finish())
    };
    let offset = match &query.cursor {
        Some(raw) => pagination::read_offset(&list, raw)?,
        None => 0,
    };
    let mut scopes = scopes(actor);
    if scopes.is_empty() {
        return Err(ApiError::Forbidden(crate::problem!("search-nothing-readable")));
    }
    if let Some(kind) = query.kind {
        scopes.retain(|(k, _)| *k == kind);
        if scopes.is_empty() {
            return Ok(Page { items: vec![], next_cursor: None });
        }
    }
    let backend = db.get_database_backend();
    let statement = backend.build(&candidates(backend, &terms, scopes, offset, limit));
    let mut found: Vec<(SearchKind, Uuid)> = Candidate::find_by_statement(statement)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| SearchKind::parse(&c.kind).map(|k| (k, c.ref_id)))
        .collect();
    let next_cursor = if found.len() as u64 > limit {
        found.truncate(limit as usize);
        Some(pagination::offset_cursor(&list, offset + limit))
    } else {
        None
    };
    let mut hits = details(db, actor, &found, &terms).await?;
    let items = found.iter().filter_map(|key| hits.remove(key)).collect();
    Ok(Page { items, next_cursor })
}

/// Reads the rows found, each again through its scope (a row gone since the ranking is left out).
async fn details(
    db: &impl ConnectionTrait,
    actor: &Actor,
    found: &[(SearchKind, Uuid)],
    terms: &[String],
) -> ApiResult<HashMap<(SearchKind, Uuid), SearchHit>> {
    let of = |kind: SearchKind| found.iter().filter(|(k, _)| *k == kind).map(|(_, id)| *id).collect::<Vec<_>>();
    let mut hits = HashMap::new();
    let mut put = |hit: SearchHit| {
        hits.insert((hit.kind, hit.id), hit);
    };
    let hit = |kind, id, title: &str, text: &str, client_id| SearchHit {
        kind,
        id,
        title: title.to_owned(),
        snippet: snippet(text, terms),
        client_id,
        project_id: None,
        task_id: None,
        visibility: None,
    };
    let ids = of(SearchKind::Client);
    if !ids.is_empty() {
        for c in policy::clients(actor).list()?.filter(client::Column::Id.is_in(ids)).all(db).await? {
            put(hit(SearchKind::Client, c.id, &c.name, c.notes.as_deref().unwrap_or(""), c.id));
        }
    }
    let ids = of(SearchKind::Project);
    if !ids.is_empty() {
        for p in policy::projects(actor).list()?.filter(project::Column::Id.is_in(ids)).all(db).await? {
            put(SearchHit {
                project_id: Some(p.id),
                ..hit(SearchKind::Project, p.id, &p.name, &p.description, p.client_id)
            });
        }
    }
    let comments = comments(db, actor, of(SearchKind::Comment)).await?;
    let mut task_ids = of(SearchKind::Task);
    task_ids.extend(comments.iter().map(|c| c.1));
    let tasks: HashMap<Uuid, task::Model> = if task_ids.is_empty() {
        HashMap::new()
    } else {
        let rows = policy::tasks(actor).list()?.filter(task::Column::Id.is_in(task_ids)).all(db).await?;
        rows.into_iter().map(|t| (t.id, t)).collect()
    };
    for id in of(SearchKind::Task) {
        if let Some(t) = tasks.get(&id) {
            let base = hit(SearchKind::Task, t.id, &t.title, &t.description, t.client_id);
            put(SearchHit { project_id: Some(t.project_id), task_id: Some(t.id), ..base });
        }
    }
    for (id, task_id, body, visibility) in comments {
        if let Some(t) = tasks.get(&task_id) {
            let base = hit(SearchKind::Comment, id, &t.title, &body, t.client_id);
            put(SearchHit {
                project_id: Some(t.project_id),
                task_id: Some(t.id),
                visibility: Some(visibility),
                ..base
            });
        }
    }
    let ids = of(SearchKind::Invoice);
    if !ids.is_empty() {
        for i in policy::invoices(actor).list()?.filter(invoice::Column::Id.is_in(ids)).all(db).await? {
            put(hit(SearchKind::Invoice, i.id, &i.number, "", i.client_id));
        }
    }
    let ids = of(SearchKind::File);
    if !ids.is_empty() {
        for f in policy::files(actor).list()?.filter(file::Column::Id.is_in(ids)).all(db).await? {
            let base = hit(SearchKind::File, f.id, &f.name, "", f.client_id);
            put(SearchHit { project_id: Some(f.project_id), task_id: f.task_id, ..base });
        }
    }
    Ok(hits)
}

/// The comments found, through the caller's comments scope: (id, task, body, visibility).
async fn comments(
    db: &impl ConnectionTrait,
    actor: &Actor,
    ids: Vec<Uuid>,
) -> ApiResult<Vec<(Uuid, Uuid, String, Visibility)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(match policy::comments(actor) {
        Comments::All(s) => s
            .filter(comment::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.task_id, c.body, c.visibility))
            .collect(),
        Comments::RepliesOnly(s) => s
            .filter(client_comment::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.task_id, c.body, c.visibility))
            .collect(),
    })
}

/// About `WIDTH` characters of `text` around the first word that starts with a term; empty when
/// none does (the title matched).
pub fn snippet(text: &str, terms: &[String]) -> String {
    const WIDTH: usize = 160;
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect();
    let starts_word = |i: usize| i == 0 || !lower[i - 1].is_alphanumeric();
    let at = (0..lower.len()).find(|&i| {
        starts_word(i)
            && terms.iter().any(|t| {
                let t: Vec<char> = t.chars().collect();
                lower.len() >= i + t.len() && lower[i..i + t.len()] == t[..]
            })
    });
    let Some(at) = at else { return String::new() };
    let start = at.saturating_sub(WIDTH / 3);
    let end = (start + WIDTH).min(chars.len());
    let mut out: String = chars[start..end].iter().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
    if start > 0 {
        out.insert(0, '…');
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_its_words_lower_cased_without_repeats_or_syntax() {
        assert_eq!(terms("Logo \"DRAFT\" logo* -v2").unwrap(), vec!["logo", "draft", "v2"]);
        assert!(terms(" *** ").is_err());
        assert!(terms(&"a".repeat(201)).is_err());
    }

    #[test]
    fn a_snippet_shows_the_text_around_the_first_match() {
        let text = format!("{} the Logo is ready {}", "x ".repeat(100), "y ".repeat(100));
        let s = snippet(&text, &["logo".into()]);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("the Logo is ready"), "{s}");
        assert_eq!(snippet("nothing here", &["logo".into()]), "");
        assert_eq!(snippet("catalogue", &["logo".into()]), "", "only at the start of a word");
    }
}
