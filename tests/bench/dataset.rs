//! The benchmark dataset: profiles, deterministic ids and the generator that loads them.
//!
//! Ids are UUIDs (version 8, RFC 9562's "custom" layout) that spell out what they are:
//! `TTTT0000-NNNN-8000-8000-KKKKKKKKKKKK` is row `K` of kind `T` belonging to client `N`. The
//! load harness and the pgbench ceiling scripts compute the same ids without a lookup, and
//! the harness can tell from any id in a response which client owns it.
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use portico::{domain::calendar::Calendar, entities::portal_settings::WorkingCalendar};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value};
use uuid::Uuid;

pub const PASSWORD: &str = "bench-password-7c1e";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum Kind {
    Client = 0x0c,
    Project = 0x01,
    Task = 0x02,
    Comment = 0x03,
    ClientUser = 0x04,
    Staff = 0x05,
    Invoice = 0x06,
    InvoiceLine = 0x07,
    Payment = 0x08,
    Contact = 0x09,
    Login = 0x0a,
    Survey = 0x0b,
}

pub fn id(kind: Kind, client: u32, k: u64) -> Uuid {
    let t = (kind as u16).to_be_bytes();
    let n = (client as u16).to_be_bytes();
    let k = k.to_be_bytes();
    Uuid::from_bytes([t[0], t[1], 0, 0, n[0], n[1], 0x80, 0, 0x80, 0, k[2], k[3], k[4], k[5], k[6], k[7]])
}

/// (kind tag, client index) of an id this generator made, `None` for any other id.
pub fn owner(id: &Uuid) -> Option<(u16, u32)> {
    let b = id.as_bytes();
    (b[2] == 0 && b[3] == 0 && b[6] == 0x80 && b[7] == 0 && b[8] == 0x80 && b[9] == 0)
        .then(|| (u16::from_be_bytes([b[0], b[1]]), u16::from_be_bytes([b[4], b[5]]) as u32))
}

pub fn client_email(client: u32, k: u32) -> String {
    format!("c{client:04}-{k}@bench.portico.test")
}

pub fn staff_email(i: u32) -> String {
    format!("staff{i:02}@bench.portico.test")
}

/// Every Note's body starts with this; it must never reach a client.
pub const NOTE_MARK: &str = "[internal note]";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    pub name: &'static str,
    pub clients: u32,
    pub staff: u32,
    pub projects: u32,
    pub tasks: u64,
    pub invoices: u32,
}

pub const PROFILES: &[Profile] = &[
    Profile { name: "full", clients: 1000, staff: 50, projects: 10_000, tasks: 1_000_000, invoices: 100_000 },
    Profile { name: "tenth", clients: 100, staff: 5, projects: 1_000, tasks: 100_000, invoices: 10_000 },
    Profile { name: "smoke", clients: 20, staff: 5, projects: 100, tasks: 4_000, invoices: 400 },
];

/// Client 0 is the whale: a tenth of all projects and tasks.
pub const WHALE: u32 = 0;
/// Client users per account: 0 is a Client (the harness logs in as this one), 1 a Client
/// Admin, 2 a Client Finance.
pub const CLIENT_USERS: [&str; 3] = ["client", "client_admin", "client_finance"];

impl Profile {
    pub fn named(name: &str) -> Option<Profile> {
        PROFILES.iter().copied().find(|p| p.name == name)
    }

    fn share(total: u64, clients: u32, client: u32) -> u64 {
        let whale = total / 10;
        if client == WHALE {
            return whale;
        }
        let rest = total - whale;
        let others = (clients - 1) as u64;
        rest / others + u64::from(((client - 1) as u64) < rest % others)
    }

    pub fn tasks_of(&self, client: u32) -> u64 {
        Self::share(self.tasks, self.clients, client)
    }

    pub fn projects_of(&self, client: u32) -> u64 {
        Self::share(self.projects as u64, self.clients, client)
    }

    pub fn invoices_of(&self, client: u32) -> u64 {
        let per = (self.invoices / self.clients) as u64;
        per + u64::from(client < self.invoices % self.clients)
    }

    /// Tasks `0..min_tasks()` exist for every client.
    pub fn min_tasks(&self) -> u64 {
        (0..self.clients).map(|c| self.tasks_of(c)).min().unwrap_or(0)
    }
}

/// A cell of a generated row, written as COPY text on PostgreSQL and bound on SQLite.
enum Cell {
    Null,
    Id(Uuid),
    Text(String),
    Int(i64),
    Bool(bool),
    Date(NaiveDate),
    Time(DateTime<Utc>),
}

impl From<Uuid> for Cell {
    fn from(v: Uuid) -> Self {
        Cell::Id(v)
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_owned())
    }
}
impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}
impl From<bool> for Cell {
    fn from(v: bool) -> Self {
        Cell::Bool(v)
    }
}
impl From<NaiveDate> for Cell {
    fn from(v: NaiveDate) -> Self {
        Cell::Date(v)
    }
}
impl From<DateTime<Utc>> for Cell {
    fn from(v: DateTime<Utc>) -> Self {
        Cell::Time(v)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Null, Into::into)
    }
}

macro_rules! row { ($($v:expr),+ $(,)?) => { vec![$(Cell::from($v)),+] }; }

impl Cell {
    fn copy_text(&self, out: &mut String) {
        use std::fmt::Write;
        match self {
            Cell::Null => out.push_str("\\N"),
            Cell::Id(v) => write!(out, "{v}").unwrap(),
            Cell::Text(s) => {
                for ch in s.chars() {
                    match ch {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
            }
            Cell::Int(v) => write!(out, "{v}").unwrap(),
            Cell::Bool(v) => out.push(if *v { 't' } else { 'f' }),
            Cell::Date(v) => write!(out, "{v}").unwrap(),
            Cell::Time(v) => out.push_str(&v.to_rfc3339()),
        }
    }

    fn value(self) -> Value {
        match self {
            Cell::Null => Value::String(None),
            Cell::Id(v) => Value::Uuid(Some(v)),
            Cell::Text(s) => Value::String(Some(s)),
            Cell::Int(v) => Value::BigInt(Some(v)),
            Cell::Bool(v) => Value::Bool(Some(v)),
            Cell::Date(v) => Value::ChronoDate(Some(v)),
            Cell::Time(v) => Value::ChronoDateTimeUtc(Some(v)),
        }
    }
}

struct Table {
    name: &'static str,
    cols: &'static [&'static str],
    rows: Vec<Vec<Cell>>,
}

const TABLES: &[(&str, &[&str])] = &[
    ("clients", &["id", "name", "status", "notes", "created_at", "updated_at"]),
    (
        "users",
        &[
            "id",
            "email",
            "name",
            "password_hash",
            "role_id",
            "client_id",
            "status",
            "last_login_at",
            "authz_version",
            "created_at",
            "updated_at",
            "invited_at",
            "first_login_at",
            "last_seen_at",
        ],
    ),
    ("contacts", &["id", "client_id", "name", "email", "phone", "is_primary", "user_id", "created_at", "updated_at"]),
    (
        "projects",
        &["id", "client_id", "name", "description", "status", "start_date", "end_date", "created_at", "updated_at"],
    ),
    (
        "tasks",
        &[
            "id",
            "client_id",
            "project_id",
            "title",
            "description",
            "status",
            "priority",
            "assignee_id",
            "due_date",
            "position",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "comments",
        &[
            "id",
            "client_id",
            "task_id",
            "author_id",
            "body",
            "visibility",
            "edited_at",
            "deleted_at",
            "created_at",
            "released_at",
        ],
    ),
    (
        "reply_waits",
        &[
            "comment_id",
            "task_id",
            "project_id",
            "client_id",
            "side",
            "asked_by",
            "asked_at",
            "channel",
            "answer_id",
            "answered_by",
            "answered_at",
            "business_seconds",
        ],
    ),
    ("logins", &["id", "user_id", "client_id", "at"]),
    (
        "surveys",
        &[
            "id",
            "client_id",
            "user_id",
            "subject_key",
            "subject",
            "task_id",
            "project_id",
            "staff_id",
            "title",
            "token_hash",
            "expires_at",
            "created_at",
            "answered_at",
            "score",
            "comment",
        ],
    ),
    (
        "invoices",
        &[
            "id",
            "client_id",
            "number",
            "issue_date",
            "due_date",
            "currency",
            "status",
            "tax_rate_bp",
            "subtotal_cents",
            "tax_cents",
            "total_cents",
            "paid_cents",
            "payment_instructions",
            "sent_at",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "invoice_lines",
        &[
            "id",
            "invoice_id",
            "client_id",
            "position",
            "description",
            "quantity_milli",
            "unit_price_cents",
            "amount_cents",
        ],
    ),
    (
        "payments",
        &[
            "id",
            "invoice_id",
            "client_id",
            "paid_on",
            "amount_cents",
            "method",
            "reference",
            "recorded_by",
            "created_at",
        ],
    ),
];

/// Buffers rows per table and writes them in bulk: COPY on PostgreSQL, multi-row INSERTs in
/// one transaction on SQLite. Foreign keys are not checked during the load (the generator
/// makes them consistent by construction), which is what makes a million rows a minute.
struct Writer {
    db: DatabaseConnection,
    pg: Option<sea_orm::sqlx::pool::PoolConnection<sea_orm::sqlx::Postgres>>,
    tables: Vec<Table>,
    pub written: u64,
}

const FLUSH_ROWS: usize = 20_000;

impl Writer {
    async fn new(db: &DatabaseConnection) -> anyhow::Result<Writer> {
        let tables = TABLES.iter().map(|(name, cols)| Table { name, cols, rows: Vec::new() }).collect();
        let pg = if db.get_database_backend() == DbBackend::Postgres {
            let mut conn = db.get_postgres_connection_pool().acquire().await?;
            sea_orm::sqlx::query("SET session_replication_role = replica").execute(&mut *conn).await?;
            Some(conn)
        } else {
            db.execute_unprepared("PRAGMA foreign_keys = OFF").await?;
            db.execute_unprepared("BEGIN").await?;
            None
        };
        Ok(Writer { db: db.clone(), pg, tables, written: 0 })
    }

    async fn push(&mut self, table: &str, row: Vec<Cell>) -> anyhow::Result<()> {
        let i = self.tables.iter().position(|t| t.name == table).expect("known table");
        debug_assert_eq!(row.len(), self.tables[i].cols.len(), "{table}");
        self.tables[i].rows.push(row);
        if self.tables[i].rows.len() >= FLUSH_ROWS {
            self.flush(i).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, i: usize) -> anyhow::Result<()> {
        let rows = std::mem::take(&mut self.tables[i].rows);
        if rows.is_empty() {
            return Ok(());
        }
        self.written += rows.len() as u64;
        let (name, cols) = (self.tables[i].name, self.tables[i].cols);
        if let Some(conn) = self.pg.as_mut() {
            let mut text = String::with_capacity(rows.len() * 160);
            for row in &rows {
                for (j, cell) in row.iter().enumerate() {
                    if j > 0 {
                        text.push('\t');
                    }
                    cell.copy_text(&mut text);
                }
                text.push('\n');
            }
            let mut copy = conn.copy_in_raw(&format!("COPY {name} ({}) FROM STDIN", cols.join(", "))).await?;
            copy.send(text.into_bytes()).await?;
            copy.finish().await?;
        } else {
            // SQLite binds at most 32,766 parameters per statement.
            let per = 30_000 / cols.len();
            let mut rows = rows.into_iter().peekable();
            while rows.peek().is_some() {
                let chunk: Vec<_> = rows.by_ref().take(per).collect();
                let one = format!("({})", vec!["?"; cols.len()].join(","));
                let sql =
                    format!("INSERT INTO {name} ({}) VALUES {}", cols.join(", "), vec![one; chunk.len()].join(","));
                let values: Vec<Value> = chunk.into_iter().flatten().map(Cell::value).collect();
                self.db.execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)).await?;
            }
        }
        Ok(())
    }

    async fn finish(mut self) -> anyhow::Result<u64> {
        for i in 0..self.tables.len() {
            self.flush(i).await?;
        }
        if let Some(mut conn) = self.pg.take() {
            sea_orm::sqlx::query("SET session_replication_role = DEFAULT").execute(&mut *conn).await?;
        } else {
            self.db.execute_unprepared("COMMIT").await?;
            self.db.execute_unprepared("PRAGMA foreign_keys = ON").await?;
        }
        Ok(self.written)
    }
}

const PHRASES: &[&str] = &[
    "homepage hero copy",
    "pricing page layout",
    "newsletter template",
    "logo refresh",
    "checkout flow review",
    "SEO audit follow-up",
    "brand guidelines PDF",
    "onboarding e-mails",
    "landing page A/B test",
    "press kit",
    "social media calendar",
    "product photography",
    "accessibility fixes",
    "analytics dashboard",
    "app store screenshots",
    "blog migration",
    "cookie banner",
    "contact form spam",
    "video subtitles",
    "quarterly report design",
];

fn day(d: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + Duration::days(d)
}

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 8, 0, 0).unwrap() + Duration::minutes(minutes)
}

/// A stable hash of a comment's coordinates: which comments are Notes does not depend on the
/// generator's order or its random stream.
fn is_note(client: u32, comment: u64) -> bool {
    match comment {
        0 => false, // every client has a Reply…
        1 => true,  // …and a Note
        _ => {
            let mut x = ((client as u64) << 40) ^ comment ^ 0x9e37_79b9_7f4a_7c15;
            x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (x ^ (x >> 31)) % 100 < 30
        }
    }
}

pub struct Loaded {
    pub rows: u64,
    pub comments: u64,
    pub notes: u64,
}

/// Writes the whole profile into a freshly migrated, empty database.
pub async fn generate(db: &DatabaseConnection, profile: &Profile, seed: u64) -> anyhow::Result<Loaded> {
    let role_ids = role_ids(db).await?;
    let hash = {
        use argon2::PasswordHasher;
        portico::auth::password::hasher()
            .hash_password(PASSWORD.as_bytes())
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .to_string()
    };
    let mut w = Writer::new(db).await?;
    let (mut comments, mut notes) = (0u64, 0u64);
    let calendar = Calendar::of(&WorkingCalendar::default());

    // Staff: 0 is an Admin, then Managers, the rest Members; Members are the assignees.
    let staff_role = |i: u32| {
        if i == 0 {
            "admin"
        } else if i <= profile.staff / 5 {
            "manager"
        } else {
            "member"
        }
    };
    for i in 0..profile.staff {
        w.push(
            "users",
            row![
                id(Kind::Staff, 0, i as u64),
                staff_email(i),
                format!("Staff {i:02}"),
                hash.clone(),
                role_ids[staff_role(i)],
                None::<Uuid>,
                "active",
                None::<DateTime<Utc>>,
                0i64,
                at(0),
                at(0),
                None::<DateTime<Utc>>,
                None::<DateTime<Utc>>,
                None::<DateTime<Utc>>
            ],
        )
        .await?;
    }
    let assignees: Vec<Uuid> = (1..profile.staff).map(|i| id(Kind::Staff, 0, i as u64)).collect();

    for c in 0..profile.clients {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ ((c as u64) << 20));
        let client_id = id(Kind::Client, c, 0);
        let name = if c == WHALE { "Whale Holdings".to_owned() } else { format!("Client {c:04} Ltd") };
        w.push("clients", row![client_id, name.clone(), "active", None::<String>, at(c as i64), at(c as i64)]).await?;
        let mut people = Vec::new();
        for (k, role) in CLIENT_USERS.iter().enumerate() {
            let user = id(Kind::ClientUser, c, k as u64);
            people.push(user);
            let email = client_email(c, k as u32);
            let person = format!("{} person {k} of {name}", role.replace('_', " "));
            // Invited on the account's first day, then signed in every few days all year.
            let invited = at(c as i64);
            let every = 2 + ((c as u64 + k as u64) % 6) as i64;
            let logins: Vec<DateTime<Utc>> = (0..)
                .map(|n| invited + Duration::hours(5 + (k as i64) * 7) + Duration::days(n * every))
                .take_while(|t| *t < at(500_000))
                .collect();
            for (n, when) in logins.iter().enumerate() {
                w.push("logins", row![id(Kind::Login, c, (k as u64) << 32 | n as u64), user, client_id, *when]).await?;
            }
            w.push(
                "users",
                row![
                    user,
                    email.clone(),
                    person.clone(),
                    hash.clone(),
                    role_ids[*role],
                    client_id,
                    "active",
                    logins.last().copied(),
                    0i64,
                    at(c as i64),
                    at(c as i64),
                    Some(invited),
                    logins.first().copied(),
                    logins.last().copied()
                ],
            )
            .await?;
            w.push(
                "contacts",
                row![
                    id(Kind::Contact, c, k as u64),
                    client_id,
                    person,
                    email,
                    None::<String>,
                    k == 0,
                    user,
                    at(c as i64),
                    at(c as i64)
                ],
            )
            .await?;
        }

        let projects = profile.projects_of(c);
        for p in 0..projects {
            let status = ["in_progress", "in_progress", "planned", "completed", "on_hold"][rng.random_range(0..5)];
            w.push(
                "projects",
                row![
                    id(Kind::Project, c, p),
                    client_id,
                    format!("{} #{p}", PHRASES[(p as usize) % PHRASES.len()]),
                    "",
                    status,
                    Some(day(rng.random_range(0..300))),
                    None::<NaiveDate>,
                    at(p as i64),
                    at(p as i64)
                ],
            )
            .await?;
        }

        let mut comment_no = 0u64;
        for t in 0..profile.tasks_of(c) {
            let task_id = id(Kind::Task, c, t);
            let status = match rng.random_range(0..100) {
                0..60 => "done",
                60..85 => "todo",
                _ => "in_progress",
            };
            let priority = ["low", "medium", "medium", "high", "urgent"][rng.random_range(0..5)];
            let assignee = (rng.random_range(0..100) < 80 && !assignees.is_empty())
                .then(|| assignees[rng.random_range(0..assignees.len())]);
            let due = (rng.random_range(0..100) < 85).then(|| day(rng.random_range(120..900)));
            let created = at((t as i64) * 7 % 500_000);
            w.push(
                "tasks",
                row![
                    task_id,
                    client_id,
                    id(Kind::Project, c, t % projects),
                    format!("{} — step {t}", PHRASES[(t as usize) % PHRASES.len()]),
                    "Details of the work, acceptance criteria and links.",
                    status,
                    priority,
                    assignee,
                    due,
                    ((t / projects) as i64 + 1) * 1024,
                    created,
                    created
                ],
            )
            .await?;
            let mut said: Vec<Said> = Vec::new();
            for j in 0..rng.random_range(2..=8u64) {
                let note = is_note(c, comment_no);
                let author = if note || rng.random_range(0..2) == 0 {
                    assignee.unwrap_or(assignees.first().copied().unwrap_or(id(Kind::Staff, 0, 0)))
                } else {
                    people[rng.random_range(0..2)]
                };
                let body = if note {
                    format!(
                        "{NOTE_MARK} margin on {} looks thin, check before replying ({comment_no})",
                        PHRASES[(j as usize) % PHRASES.len()]
                    )
                } else {
                    format!(
                        "Thanks, the {} looks good; one small change in the second section ({comment_no})",
                        PHRASES[(j as usize) % PHRASES.len()]
                    )
                };
                let when = created + Duration::hours(j as i64 * 5 + 1);
                w.push(
                    "comments",
                    row![
                        id(Kind::Comment, c, comment_no),
                        client_id,
                        task_id,
                        author,
                        body,
                        if note { "note" } else { "reply" },
                        None::<DateTime<Utc>>,
                        None::<DateTime<Utc>>,
                        when,
                        when
                    ],
                )
                .await?;
                if !note {
                    said.push(Said {
                        id: id(Kind::Comment, c, comment_no),
                        by: author,
                        client: people.contains(&author),
                        at: when,
                    });
                }
                comments += 1;
                notes += u64::from(note);
                comment_no += 1;
            }
            for wait in waits(&said, &calendar) {
                // One client question in ten arrives as an answer to an e-mail.
                let channel = if wait.client && wait.id.as_u128() % 10 == 3 { "email" } else { "portal" };
                w.push(
                    "reply_waits",
                    row![
                        wait.id,
                        task_id,
                        id(Kind::Project, c, t % projects),
                        client_id,
                        if wait.client { "client" } else { "agency" },
                        wait.by,
                        wait.at,
                        channel,
                        wait.answer.map(|a| a.0),
                        wait.answer.map(|a| a.1),
                        wait.answer.map(|a| a.2),
                        wait.answer.map(|a| a.3)
                    ],
                )
                .await?;
            }
            // A survey about one done task in ten, answered more often than not.
            if status == "done" && t % 10 == 0 {
                let sent = created + Duration::days(2);
                let answered = rng.random_range(0..100) < 60;
                let score = [5i64, 5, 4, 4, 4, 3, 3, 2, 1][rng.random_range(0..9)];
                let survey = id(Kind::Survey, c, t);
                w.push(
                    "surveys",
                    row![
                        survey,
                        client_id,
                        people[0],
                        format!("task:{task_id}"),
                        "task",
                        Some(task_id),
                        Some(id(Kind::Project, c, t % projects)),
                        assignee,
                        format!("{} — step {t}", PHRASES[(t as usize) % PHRASES.len()]),
                        format!("{:064x}", survey.as_u128()),
                        sent + Duration::days(30),
                        sent,
                        answered.then(|| sent + Duration::hours(3)),
                        answered.then_some(score),
                        (answered && score <= 2).then(|| "It took a while to hear back.".to_owned())
                    ],
                )
                .await?;
            }
        }

        for i in 0..profile.invoices_of(c) {
            let inv = id(Kind::Invoice, c, i);
            let issue = day((i as i64 * 6) % 690);
            let due = issue + Duration::days(30);
            let status = match rng.random_range(0..100) {
                0..5 => "draft",
                5..10 => "void",
                10..70 => "paid",
                _ => "sent",
            };
            let mut subtotal = 0i64;
            for l in 0..rng.random_range(1..=3u64) {
                let qty = rng.random_range(1..=40i64) * 250;
                let price = rng.random_range(40..=180i64) * 500;
                let amount = qty * price / 1000;
                subtotal += amount;
                w.push(
                    "invoice_lines",
                    row![
                        id(Kind::InvoiceLine, c, i * 4 + l),
                        inv,
                        client_id,
                        l as i64,
                        format!("{} ({} h)", PHRASES[((i + l) as usize) % PHRASES.len()], qty as f64 / 1000.0),
                        qty,
                        price,
                        amount
                    ],
                )
                .await?;
            }
            let tax = subtotal * 2000 / 10_000;
            let total = subtotal + tax;
            let paid = if status == "paid" { total } else { 0 };
            let sent_at = (status != "draft").then(|| at(0) + Duration::days((i as i64 * 6) % 690));
            w.push(
                "invoices",
                row![
                    inv,
                    client_id,
                    format!("B{c:04}-{i:04}"),
                    issue,
                    due,
                    "EUR",
                    status,
                    2000i64,
                    subtotal,
                    tax,
                    total,
                    paid,
                    "Bank transfer to IBAN NL00 BANK 0123 4567 89",
                    sent_at,
                    at(0),
                    at(0)
                ],
            )
            .await?;
            if status == "paid" {
                w.push(
                    "payments",
                    row![
                        id(Kind::Payment, c, i),
                        inv,
                        client_id,
                        due - Duration::days(5),
                        total,
                        "bank_transfer",
                        Some(format!("TRX-{c}-{i}")),
                        Some(id(Kind::Staff, 0, 0)),
                        at(0)
                    ],
                )
                .await?;
            }
        }
    }
    let rows = w.finish().await?;
    Ok(Loaded { rows, comments, notes })
}

/// A Reply as the portal saw it: who wrote it, on whose side, and when it reached the client.
struct Said {
    id: Uuid,
    by: Uuid,
    client: bool,
    at: DateTime<Utc>,
}

/// A Reply waiting for the other side, as `portico::domain::responses` records it.
struct Wait {
    id: Uuid,
    by: Uuid,
    client: bool,
    at: DateTime<Utc>,
    /// The answering Reply, its author, when, and the business seconds in between.
    answer: Option<(Uuid, Uuid, DateTime<Utc>, i64)>,
}

/// Every Reply waits for the other side; the other side's next Reply answers all it waits for.
fn waits(said: &[Said], calendar: &Calendar) -> Vec<Wait> {
    let mut out: Vec<Wait> = Vec::new();
    for s in said {
        for open in out.iter_mut().filter(|w| w.client != s.client && w.answer.is_none() && w.at <= s.at) {
            open.answer = Some((s.id, s.by, s.at, calendar.business_seconds(open.at, s.at)));
        }
        out.push(Wait { id: s.id, by: s.by, client: s.client, at: s.at, answer: None });
    }
    out
}

async fn role_ids(db: &DatabaseConnection) -> anyhow::Result<std::collections::HashMap<String, Uuid>> {
    use sea_orm::EntityTrait;
    let roles = portico::entities::role::Entity::find().all(db).await?;
    Ok(roles.into_iter().map(|r| (r.key, r.id)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_say_whose_they_are() {
        let t = id(Kind::Task, 999, 123_456);
        assert_eq!(t.to_string(), "00020000-03e7-8000-8000-00000001e240");
        assert_eq!(owner(&t), Some((Kind::Task as u16, 999)));
        assert_eq!(owner(&Uuid::now_v7()), None);
    }

    #[test]
    fn profiles_add_up() {
        for p in PROFILES {
            assert_eq!((0..p.clients).map(|c| p.tasks_of(c)).sum::<u64>(), p.tasks, "{}", p.name);
            assert_eq!((0..p.clients).map(|c| p.projects_of(c)).sum::<u64>(), p.projects as u64, "{}", p.name);
            assert_eq!((0..p.clients).map(|c| p.invoices_of(c)).sum::<u64>(), p.invoices as u64, "{}", p.name);
            assert_eq!(p.tasks_of(WHALE), p.tasks / 10);
        }
    }

    #[test]
    fn every_client_has_both_replies_and_notes() {
        assert!(!is_note(7, 0) && is_note(7, 1));
        let notes = (0..100_000).filter(|&i| is_note(3, i)).count();
        assert!((29_000..31_000).contains(&notes), "{notes}");
    }
}
