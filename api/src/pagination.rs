//! Keyset (cursor) pagination. A cursor is opaque to callers: base64url of the sort it was made
//! for, the last row's sort key and its id. Pages stay stable while rows are inserted, and every
//! page is one indexed range scan however deep the caller goes.
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect, Select, Value,
    sea_query::NullOrdering,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_cursor: self.next_cursor }
    }
}

/// The sort key of one row.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "t", content = "v")]
pub enum Key {
    Text(String),
    Date(Option<NaiveDate>),
    Time(DateTime<Utc>),
    Int(i64),
}

impl Key {
    fn value(&self) -> Option<Value> {
        match self {
            Key::Text(s) => Some(s.clone().into()),
            Key::Date(d) => d.map(Into::into),
            Key::Time(t) => Some((*t).into()),
            Key::Int(i) => Some((*i).into()),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Cursor {
    s: String,
    k: Key,
    id: Uuid,
}

/// A sort a list offers: its public name, column, direction, and how to read the key of a row.
pub struct Sort<E: EntityTrait, R = <E as EntityTrait>::Model> {
    pub name: &'static str,
    pub col: E::Column,
    pub desc: bool,
    pub nullable: bool,
    pub key: fn(&R) -> Key,
}

/// Validated `limit`: 1..=MAX_LIMIT, default DEFAULT_LIMIT.
pub fn limit(limit: Option<u64>) -> ApiResult<u64> {
    limit_of("limit", limit)
}

/// The same rule for a page size passed under another name (an embedded page's).
pub fn limit_of(field: &str, limit: Option<u64>) -> ApiResult<u64> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::field(field, crate::problem!("page-limit-range", max = MAX_LIMIT as i64))),
    }
}

/// Picks the sort named by the caller (`-name` for descending where offered) among `sorts`;
/// the first is the default.
pub fn pick<'a, E: EntityTrait, R>(sorts: &'a [Sort<E, R>], requested: Option<&str>) -> ApiResult<&'a Sort<E, R>> {
    match requested {
        None => Ok(&sorts[0]),
        Some(name) => sorts.iter().find(|s| s.name == name).ok_or_else(|| {
            let names: Vec<_> = sorts.iter().map(|s| s.name).collect();
            ApiError::field("sort", crate::problem!("page-sort-one-of", sorts = names.join(", ")))
        }),
    }
}

/// Runs `select` as one page of its entity's rows.
pub async fn fetch_page<E, C>(
    db: &C,
    select: Select<E>,
    sort: &Sort<E>,
    id_col: E::Column,
    cursor: Option<&str>,
    limit: u64,
) -> ApiResult<Page<E::Model>>
where
    E: EntityTrait,
    C: sea_orm::ConnectionTrait,
{
    let rows = prepare(select, sort, id_col, cursor, limit)?.all(db).await?;
    Ok(finish(rows, limit, sort.name, sort.key, |m| id_of(m, id_col)))
}

/// Orders `select` by the sort then id, starts it after the cursor and fetches one row more
/// than asked (to know whether another page exists). The caller may still add columns and
/// project into its own row type, then hand the rows to `finish`.
pub fn prepare<E: EntityTrait, R>(
    select: Select<E>,
    sort: &Sort<E, R>,
    id_col: E::Column,
    cursor: Option<&str>,
    limit: u64,
) -> ApiResult<Select<E>> {
    let order = if sort.desc { Order::Desc } else { Order::Asc };
    // NULLS LAST only where NULLs can occur: on a NOT NULL column the clause would still stop a
    // descending sort from reading its index backwards (that order puts NULLs first).
    let select = if sort.nullable {
        select.order_by_with_nulls(sort.col, order.clone(), NullOrdering::Last)
    } else {
        select.order_by(sort.col, order.clone())
    };
    let mut select = select.order_by(id_col, order);
    if let Some(raw) = cursor {
        let c = decode(raw)?;
        if c.s != sort.name {
            return Err(ApiError::BadRequest(crate::problem!("page-cursor-other-sort")));
        }
        if !key_fits(&c.k, sort.col) {
            return Err(not_a_cursor());
        }
        select = select.filter(after(sort, id_col, &c));
    }
    Ok(select.limit(limit + 1))
}

/// Cuts the extra row and makes the next cursor from the last row kept.
pub fn finish<R>(
    mut rows: Vec<R>,
    limit: u64,
    sort_name: &str,
    key: impl Fn(&R) -> Key,
    id: impl Fn(&R) -> Uuid,
) -> Page<R> {
    let next_cursor = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|last| encode(&Cursor { s: sort_name.into(), k: key(last), id: id(last) }))
    } else {
        None
    };
    Page { items: rows, next_cursor }
}

fn id_of<M: sea_orm::ModelTrait>(model: &M, id_col: <M::Entity as EntityTrait>::Column) -> Uuid {
    match model.get(id_col) {
        Value::Uuid(Some(id)) => id,
        other => unreachable!("id column holds a uuid, got {other:?}"),
    }
}

fn after<E: EntityTrait, R>(sort: &Sort<E, R>, id_col: E::Column, c: &Cursor) -> Condition {
    let past_id = if sort.desc { id_col.lt(c.id) } else { id_col.gt(c.id) };
    match c.k.value() {
        // NULLs sort last: after a NULL key only NULLs with a later id remain.
        None => Condition::all().add(sort.col.is_null()).add(past_id),
        Some(v) => {
            let past_key = if sort.desc { sort.col.lt(v.clone()) } else { sort.col.gt(v.clone()) };
            let mut cond = Condition::any().add(past_key).add(Condition::all().add(sort.col.eq(v)).add(past_id));
            if sort.nullable {
                cond = cond.add(sort.col.is_null());
            }
            cond
        }
    }
}

/// Whether a cursor's key can be compared with the sort's column: a hand-made cursor with a
/// text key for a date column would otherwise reach PostgreSQL ("operator does not exist").
/// Only pairs known not to compare are refused.
fn key_fits<C: ColumnTrait>(key: &Key, col: C) -> bool {
    use sea_orm::sea_query::ColumnType as T;
    let column = col.def();
    let ty = column.get_column_type();
    let text = matches!(ty, T::String(_) | T::Text | T::Char(_));
    let date = matches!(ty, T::Date);
    let time = matches!(ty, T::Timestamp | T::TimestampWithTimeZone | T::DateTime);
    let int = matches!(ty, T::Integer | T::BigInteger | T::SmallInteger | T::TinyInteger);
    match key {
        Key::Text(_) => !(date || time || int),
        Key::Date(_) => !(text || time || int),
        Key::Time(_) => !(text || date || int),
        Key::Int(_) => !(text || date || time),
    }
}

fn encode(c: &Cursor) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(c).expect("cursor serialises"))
}

fn not_a_cursor() -> ApiError {
    ApiError::field("cursor", crate::problem!("page-cursor-foreign"))
}

fn decode(raw: &str) -> ApiResult<Cursor> {
    URL_SAFE_NO_PAD.decode(raw).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).ok_or_else(not_a_cursor)
}

/// A cursor for a list that pages by position (a ranked search, whose order is not a column):
/// the list's name and the offset of the next page.
pub fn offset_cursor(list: &str, offset: u64) -> String {
    encode(&Cursor { s: list.into(), k: Key::Int(offset as i64), id: Uuid::nil() })
}

/// The offset an `offset_cursor` of `list` holds.
pub fn read_offset(list: &str, raw: &str) -> ApiResult<u64> {
    match decode(raw)? {
        Cursor { s, k: Key::Int(n), .. } if s == list && n >= 0 => Ok(n as u64),
        _ => Err(not_a_cursor()),
    }
}
