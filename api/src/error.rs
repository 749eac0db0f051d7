//! The one error type of the API. Every failure becomes an RFC 9457 problem document; internal
//! causes are logged with the request and never shown to the caller.
use std::collections::BTreeMap;

use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use utoipa::ToSchema;

/// RFC 9457 problem details.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Per-field messages for validation failures (422).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, Vec<String>>>,
}

pub type FieldErrors = BTreeMap<String, Vec<String>>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The password was right; the account also asks for a code from its authenticator (or a
    /// recovery code). Its own problem type, so a client knows to ask for one.
    #[error("two-factor code required")]
    TwoFactorRequired,
    /// The caller's role requires two-factor sign-in and they have not enrolled: they may
    /// only enrol.
    #[error("two-factor enrolment required")]
    TwoFactorEnrolmentRequired,
    /// Deliberately carries nothing: a foreign resource must look exactly like a missing one.
    #[error("not found")]
    NotFound,
    /// The path exists, not with this method; `Allow` lists the methods it has.
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("validation failed")]
    Unprocessable(FieldErrors),
    /// An `If-Match` that names no tag of the resource as it is now: it changed since it was read.
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    /// A `Range` that names no byte of a representation of `size` bytes.
    #[error("range not satisfiable")]
    RangeNotSatisfiable { size: u64 },
    /// A service behind us (the file store) cannot be reached: retry later.
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A 422 naming one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(field.to_owned(), vec![message.into()]);
        ApiError::Unprocessable(errors)
    }

    pub fn forbidden_missing(perm: &str) -> Self {
        ApiError::Forbidden(crate::problem!("problem-missing-permission", perm = perm))
    }

    /// Maps a unique-constraint violation to a 409 saying message `id` (of the catalogues, in
    /// the request's language, written only if it comes to that); anything else stays an
    /// internal database error.
    pub fn conflict_on_unique(id: &'static str) -> impl FnOnce(DbErr) -> ApiError {
        move |err| match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                ApiError::Conflict(crate::i18n::say(crate::i18n::current(), id, &[]))
            }
            _ => ApiError::Db(err),
        }
    }

    /// Whether this is the database being unreachable (restarting, failed over, the pool
    /// exhausted): a 503 the caller may retry, not a fault of ours to log as one.
    pub fn database_away(&self) -> bool {
        match self {
            ApiError::Db(e) => unreachable_database(e),
            ApiError::Internal(e) => e.downcast_ref::<DbErr>().is_some_and(unreachable_database),
            _ => false,
        }
    }

    /// The problem's type slug and its title (a message of `problems.ftl`).
    fn parts(&self) -> (&'static str, &'static str) {
        if self.database_away() {
            return ("unavailable", "title-unavailable");
        }
        match self {
            ApiError::BadRequest(_) => ("bad-request", "title-bad-request"),
            ApiError::Unauthorized(_) => ("unauthorized", "title-unauthorized"),
            ApiError::Forbidden(_) => ("forbidden", "title-forbidden"),
            ApiError::TwoFactorRequired => ("two-factor-required", "title-two-factor-required"),
            ApiError::TwoFactorEnrolmentRequired => ("two-factor-enrolment-required", "title-two-factor-enrolment"),
            ApiError::NotFound => ("not-found", "title-not-found"),
            ApiError::MethodNotAllowed { .. } => ("method-not-allowed", "title-method-not-allowed"),
            ApiError::Conflict(_) => ("conflict", "title-conflict"),
            ApiError::Unprocessable(_) => ("validation-failed", "title-validation-failed"),
            ApiError::PreconditionFailed => ("precondition-failed", "title-precondition-failed"),
            ApiError::PayloadTooLarge => ("payload-too-large", "title-payload-too-large"),
            ApiError::TooManyRequests { .. } => ("too-many-requests", "title-too-many-requests"),
            ApiError::RangeNotSatisfiable { .. } => ("range-not-satisfiable", "title-range-not-satisfiable"),
            ApiError::Unavailable(_) => ("unavailable", "title-unavailable"),
            ApiError::Db(_) | ApiError::Internal(_) => ("internal", "title-internal"),
        }
    }

    /// The problem document, its words in the current request's language.
    pub fn to_problem(&self) -> Problem {
        let (slug, title) = self.parts();
        let language = crate::i18n::current();
        let detail = match self {
            _ if self.database_away() => {
                crate::problem!("problem-database-away", seconds = RETRY_AFTER_UNAVAILABLE as i64)
            }
            ApiError::BadRequest(d)
            | ApiError::Unauthorized(d)
            | ApiError::Forbidden(d)
            | ApiError::Conflict(d)
            | ApiError::Unavailable(d) => d.clone(),
            ApiError::RangeNotSatisfiable { size } => crate::problem!("problem-range", size = *size as i64),
            ApiError::NotFound => crate::problem!("problem-not-found"),
            ApiError::MethodNotAllowed { allow } => crate::problem!("problem-method-not-allowed", allow = allow),
            ApiError::TwoFactorRequired => crate::problem!("problem-two-factor-required"),
            ApiError::TwoFactorEnrolmentRequired => crate::problem!("problem-two-factor-enrolment"),
            ApiError::Unprocessable(_) => crate::problem!("problem-validation-failed"),
            ApiError::PreconditionFailed => crate::problem!("problem-precondition-failed"),
            ApiError::PayloadTooLarge => crate::problem!("problem-payload-too-large"),
            ApiError::TooManyRequests { retry_after_secs } => {
                crate::problem!("problem-too-many-requests", seconds = *retry_after_secs as i64)
            }
            ApiError::Db(_) | ApiError::Internal(_) => crate::problem!("problem-internal"),
        };
        Problem {
            kind: format!("urn:portico:problem:{slug}"),
            title: crate::i18n::say(language, title, &[]),
            status: self.status_code().as_u16(),
            detail,
            errors: match self {
                ApiError::Unprocessable(e) => Some(e.clone()),
                _ => None,
            },
        }
    }
}

/// What the file store's failure means to the caller; the cause is logged, never sent. An
/// object gone from under its row (a download racing the file's deletion) is simply not found.
impl From<object_store::Error> for ApiError {
    fn from(e: object_store::Error) -> Self {
        if let object_store::Error::NotFound { .. } = e {
            tracing::warn!(error = %e, "a file's stored bytes are missing");
            return ApiError::NotFound;
        }
        tracing::warn!(error = %e, "file store request failed");
        ApiError::Unavailable(crate::problem!("problem-file-store-away"))
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errs: validator::ValidationErrors) -> Self {
        let mut out = FieldErrors::new();
        collect(&errs, "", &mut out);
        ApiError::Unprocessable(out)
    }
}

/// Every failure of `errs`, nested ones too, under its path (`lines[0].description`).
fn collect(errs: &validator::ValidationErrors, prefix: &str, out: &mut FieldErrors) {
    use validator::ValidationErrorsKind as Kind;
    for (field, kind) in errs.errors() {
        let path = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
        match kind {
            Kind::Field(kinds) => {
                let messages = kinds
                    .iter()
                    .map(|e| e.message.as_ref().map(|m| m.to_string()).unwrap_or_else(|| default_message(e)));
                out.entry(path).or_default().extend(messages);
            }
            Kind::Struct(inner) => collect(inner, &path, out),
            Kind::List(items) => {
                for (i, inner) in items {
                    collect(inner, &format!("{path}[{i}]"), out);
                }
            }
        }
    }
}

fn default_message(e: &validator::ValidationError) -> String {
    use crate::problem;
    let number = |name: &str| e.params.get(name).and_then(|v| v.as_i64());
    match e.code.as_ref() {
        "length" if e.params.get("value").is_some_and(|v| v.is_array()) => match (number("min"), number("max")) {
            (Some(min), Some(max)) => problem!("field-items-between", min = min, max = max),
            (Some(min), None) => problem!("field-items-at-least", min = min),
            (None, Some(max)) => problem!("field-items-at-most", max = max),
            _ => problem!("field-items-invalid"),
        },
        "length" => match (number("min"), number("max")) {
            (Some(min), Some(max)) => problem!("field-length-between", min = min, max = max),
            (Some(min), None) => problem!("field-length-at-least", min = min),
            (None, Some(max)) => problem!("field-length-at-most", max = max),
            _ => problem!("field-length-invalid"),
        },
        "email" => problem!("field-email"),
        "url" => problem!("field-url"),
        "range" => problem!("field-range"),
        code => problem!("field-invalid", code = code),
    }
}

/// The `Retry-After` of a 503 while the database is away.
const RETRY_AFTER_UNAVAILABLE: u64 = 5;

/// Connection-level failures: the pool could not hand out a connection, the connection broke,
/// or PostgreSQL is refusing connections or shutting down (SQLSTATE class 08, 57P01–57P03, 53300).
fn unreachable_database(e: &DbErr) -> bool {
    use sea_orm::{RuntimeErr, sqlx::Error as Sqlx};
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => match e.as_ref() {
            Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed | Sqlx::Tls(_) => true,
            Sqlx::Database(db) => db
                .code()
                .is_some_and(|c| c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03" | "53300")),
            _ => false,
        },
        _ => false,
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        if self.database_away() {
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::TwoFactorEnrolmentRequired => StatusCode::FORBIDDEN,
            ApiError::TwoFactorRequired => StatusCode::UNAUTHORIZED,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::RangeNotSatisfiable { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Db(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.database_away() {
            tracing::warn!(error = %self, "request failed: the database is unreachable");
        } else if matches!(self, ApiError::Db(_) | ApiError::Internal(_)) {
            tracing::error!(error = ?self, "request failed");
        } else if let ApiError::Unavailable(why) = self {
            tracing::warn!(error = %why, "request failed: a service behind us is unreachable");
        }
        let mut res = HttpResponse::build(self.status_code());
        res.content_type("application/problem+json");
        if let ApiError::Unauthorized(_) | ApiError::TwoFactorRequired = self {
            res.insert_header(("WWW-Authenticate", "Bearer"));
        }
        if let ApiError::TooManyRequests { retry_after_secs } = self {
            res.insert_header(("Retry-After", retry_after_secs.to_string()));
        }
        if self.database_away() || matches!(self, ApiError::Unavailable(_)) {
            res.insert_header(("Retry-After", RETRY_AFTER_UNAVAILABLE.to_string()));
        }
        if let ApiError::MethodNotAllowed { allow } = self {
            res.insert_header(("Allow", allow.clone()));
        }
        if let ApiError::RangeNotSatisfiable { size } = self {
            res.insert_header(("Content-Range", format!("bytes */{size}")));
        }
        res.json(self.to_problem())
    }
}

/// Extractor failures (bad JSON, query strings, paths) as problems rather than actix's plain text.
pub mod extractors {
    use super::*;
    use actix_web::{
        error::{PathError, QueryPayloadError},
        web,
    };

    pub fn query_config() -> web::QueryConfig {
        web::QueryConfig::default().error_handler(|err, _req| {
            let api = match &err {
                QueryPayloadError::Deserialize(e) => {
                    ApiError::BadRequest(crate::problem!("problem-query-invalid-because", why = e.to_string()))
                }
                _ => ApiError::BadRequest(crate::problem!("problem-query-invalid")),
            };
            actix_web::error::InternalError::from_response(err, api.error_response()).into()
        })
    }

    pub fn path_config() -> web::PathConfig {
        web::PathConfig::default().error_handler(|err, _req| {
            let api = match &err {
                PathError::Deserialize(_) => ApiError::BadRequest(crate::problem!("problem-path-id")),
                _ => ApiError::BadRequest(crate::problem!("problem-path-invalid")),
            };
            actix_web::error::InternalError::from_response(err, api.error_response()).into()
        })
    }
}
