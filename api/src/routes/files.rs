//! Files and deliverables over HTTP: multipart uploads streamed into the file store, downloads
//! streamed out of it (with `Range`), versions and reviews.
//!
//! An upload is checked before a byte of it is read (the project must be the caller's, the
//! role must hold `files.upload`, a declared length must fit); its bytes then go to the store
//! as they arrive, and only a whole, stored file is recorded. Anything that goes wrong on the
//! way — too large, cut off, malformed, refused by the change — removes what was stored.
use actix_multipart::{Field, Multipart};
use actix_web::{HttpRequest, http::header};
use futures_util::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};

use super::prelude::*;
use crate::{
    auth::jwt::LinkClaims,
    domain::comments,
    domain::files::{
        self, DecisionRequest, FileResponse, ListFilesQuery, NewFile, NewVersion, RequestReviewRequest, ReviewResponse,
        VersionResponse,
    },
    entities::{file, file_version},
    extract::Downloader,
    services::storage::{self, Stored},
};

/// Room for the multipart framing and the small fields around the file.
const FORM_OVERHEAD: u64 = 64 * 1024;
/// The longest value of a text field of an upload.
const MAX_FIELD_BYTES: usize = 1024;
/// The parts an upload may have: the file and a few fields.
const MAX_PARTS: usize = 8;

/// Refuses an upload whose declared length is over the limit before reading any of it.
fn check_length(req: &HttpRequest, max: u64) -> ApiResult<()> {
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(n) if n > max + FORM_OVERHEAD => Err(ApiError::PayloadTooLarge),
        _ => Ok(()),
    }
}

/// An upload's parts: the stored file and the text fields.
struct Received {
    stored: Option<(Stored, String)>,
    folder: Option<String>,
    task_id: Option<Uuid>,
    name: Option<String>,
}

fn malformed(e: actix_multipart::MultipartError) -> ApiError {
    use actix_multipart::MultipartError as E;
    match e {
        E::ContentTypeMissing | E::ContentTypeParse | E::ContentTypeIncompatible | E::BoundaryMissing => {
            ApiError::BadRequest(crate::problem!("upload-not-multipart"))
        }
        _ => ApiError::BadRequest(crate::problem!("upload-cut-off")),
    }
}

async fn text_field(mut field: Field) -> ApiResult<String> {
    let mut buf = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(malformed)?;
        if buf.len() + chunk.len() > MAX_FIELD_BYTES {
            let name = field.name().unwrap_or("field").to_owned();
            return Err(ApiError::field(&name, crate::problem!("upload-field-too-long", max = MAX_FIELD_BYTES)));
        }
        buf.extend_from_slice(&chunk);
    }
    String::from_utf8(buf).map_err(|_| ApiError::BadRequest(crate::problem!("upload-field-not-utf8")))
}

/// Streams the `file` part into the store at `key`; aborts (leaving nothing) on any failure.
async fn store_file(state: &AppState, key: &str, mut field: Field) -> ApiResult<Stored> {
    let max = state.settings.max_upload_bytes;
    let mut upload = state.storage.upload(key).await?;
    loop {
        let chunk = match field.next().await {
            None => break,
            Some(Ok(chunk)) => chunk,
            Some(Err(e)) => {
                upload.abort().await;
                return Err(malformed(e));
            }
        };
        if upload.size() + chunk.len() as u64 > max {
            upload.abort().await;
            return Err(ApiError::PayloadTooLarge);
        }
        if let Err(e) = upload.write(chunk).await {
            upload.abort().await;
            return Err(e.into());
        }
    }
    Ok(upload.finish().await?)
}

/// Reads the whole form. The file goes to `key`; on any failure after it was stored, it is
/// removed again.
async fn receive(state: &AppState, key: &str, mut form: Multipart) -> ApiResult<Received> {
    let mut got = Received { stored: None, folder: None, task_id: None, name: None };
    let outcome: ApiResult<()> = async {
        let mut parts = 0;
        while let Some(field) = form.next().await {
            let field = field.map_err(malformed)?;
            parts += 1;
            if parts > MAX_PARTS {
                return Err(ApiError::field("form", crate::problem!("upload-too-many-parts", max = MAX_PARTS)));
            }
            match field.name().unwrap_or_default() {
                "file" if got.stored.is_some() => {
                    return Err(ApiError::field("file", crate::problem!("upload-one-file")));
                }
                "file" => {
                    let original = field
                        .content_disposition()
                        .and_then(|cd| cd.get_filename())
                        .map(files::sanitize_name)
                        .unwrap_or_else(|| "file".to_owned());
                    got.stored = Some((store_file(state, key, field).await?, original));
                }
                "folder" => got.folder = files::sanitize_folder(&text_field(field).await?)?,
                "name" => got.name = Some(text_field(field).await?),
                "task_id" => {
                    let raw = text_field(field).await?;
                    let id = raw
                        .trim()
                        .parse()
                        .map_err(|_| ApiError::field("task_id", crate::problem!("upload-task-id-uuid")))?;
                    got.task_id = Some(id);
                }
                other => {
                    let name = if other.is_empty() { "form".to_owned() } else { other.to_owned() };
                    return Err(ApiError::field(&name, crate::problem!("upload-unknown-field")));
                }
            }
        }
        if got.stored.is_none() {
            return Err(ApiError::field("file", crate::problem!("upload-file-required")));
        }
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => Ok(got),
        Err(e) => {
            if got.stored.is_some() {
                forget(state, key).await;
            }
            Err(e)
        }
    }
}

/// The text fields that came with an upload's file.
struct Fields {
    folder: Option<String>,
    task_id: Option<Uuid>,
    name: Option<String>,
}

/// An upload from start to end: the declared length checked before a byte is read, the file
/// streamed to the store as a new version of `file_id` (in `project_id`), then `record` run as
/// one change with the fields and the stored version. Whatever refuses it on the way — the
/// form, the fields, the change — the stored object is removed again.
async fn upload<'a, T>(
    state: &'a AppState,
    actor: &'a Actor,
    req: &HttpRequest,
    form: Multipart,
    (project_id, file_id): (Uuid, Uuid),
    record: impl AsyncFnOnce(&mut Change<'a>, Fields, NewVersion) -> ApiResult<T>,
) -> ApiResult<T> {
    check_length(req, state.settings.max_upload_bytes)?;
    let version_id = Uuid::now_v7();
    let key = files::storage_key(project_id, file_id, version_id);
    let got = receive(state, &key, form).await?;
    let (stored, original_name) = got.stored.expect("receive requires the file");
    let fields = Fields { folder: got.folder, task_id: got.task_id, name: got.name };
    let version = NewVersion { file_id, version_id, storage_key: key.clone(), original_name, stored };
    let made = Change::run(state, Some(actor), async |c| record(c, fields, version).await).await;
    if made.is_err() {
        forget(state, &key).await;
    }
    made
}

/// Removes an object no row will name (an upload the change refused).
async fn forget(state: &AppState, key: &str) {
    if let Err(e) = state.storage.delete(key).await {
        tracing::warn!(error = %e, key, "could not remove the object of a refused upload");
    }
}

/// The fields of an upload, for the OpenAPI document (the server reads the form as a stream).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file's contents; its type is told from the bytes. At most `PORTICO_MAX_UPLOAD_BYTES`.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// A folder path in the project's Files area (`Design/Logos`), at most 5 deep.
    folder: Option<String>,
    /// The name to show (default: the uploaded file's name), sanitised.
    name: Option<String>,
    /// A task of the project the file is about.
    task_id: Option<Uuid>,
}

/// The files of a project's Files area, most recently changed first.
#[utoipa::path(tag = "files", params(("id" = Uuid, Path), ListFilesQuery), responses((status = 200, body = Page<FileResponse>)))]
#[get("/projects/{id}/files")]
pub async fn list_files(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    query: web::Query<ListFilesQuery>,
) -> ApiResult<web::Json<Page<FileResponse>>> {
    let project = policy::projects(&actor).get(&state.db, *id).await?;
    Ok(web::Json(files::list(&state.db, &actor, Some(&project), &query).await?))
}

/// Files across every project the caller may read (clients: their account's), most recently
/// changed first: "recent files", and with `review=pending` what awaits the client's decision.
#[utoipa::path(tag = "files", params(ListFilesQuery), responses((status = 200, body = Page<FileResponse>)))]
#[get("/files")]
pub async fn list_all_files(
    state: State,
    actor: Actor,
    query: web::Query<ListFilesQuery>,
) -> ApiResult<web::Json<Page<FileResponse>>> {
    Ok(web::Json(files::list(&state.db, &actor, None, &query).await?))
}

/// Upload a file to a project (multipart, the contents in the field `file`). Staff, and client
/// users whose role holds `files.upload` (their own account's projects; staff are told).
#[utoipa::path(
    tag = "files",
    params(("id" = Uuid, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = FileResponse), (status = 413, description = "Larger than PORTICO_MAX_UPLOAD_BYTES: nothing was stored"))
)]
#[post("/projects/{id}/files")]
pub async fn upload_file(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    req: HttpRequest,
    form: Multipart,
) -> ApiResult<HttpResponse> {
    let project = policy::projects(&actor).get_for(&state.db, *id, Perm::FilesUpload).await?;
    let made = upload(&state, &actor, &req, form, (project.id, Uuid::now_v7()), async |c, fields, version| {
        let name = fields.name.as_deref().map(files::sanitize_name).unwrap_or_else(|| version.original_name.clone());
        let new = NewFile { name, folder: fields.folder, task_id: fields.task_id };
        files::create(c, &project, new, version).await
    })
    .await?;
    Ok(HttpResponse::Created().json(files::find(&state.db, &actor, made.id).await?))
}

/// A file, with its current version and latest review.
#[utoipa::path(tag = "files", params(("id" = Uuid, Path)), responses((status = 200, body = FileResponse)))]
#[get("/files/{id}")]
pub async fn get_file(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<FileResponse>> {
    Ok(web::Json(files::find(&state.db, &actor, *id).await?))
}

/// Delete a file with all its versions and reviews (staff with `projects.write`).
#[utoipa::path(tag = "files", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted")))]
#[delete("/files/{id}")]
pub async fn delete_file(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let f = policy::area_files(&actor).get_for(&state.db, *id, Perm::ProjectsWrite).await?;
    Change::run(&state, Some(&actor), async |c| files::delete(c, f).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
pub struct VersionList {
    /// Newest first.
    pub items: Vec<VersionResponse>,
}

/// A file's versions, newest first.
#[utoipa::path(tag = "files", params(("id" = Uuid, Path)), responses((status = 200, body = VersionList)))]
#[get("/files/{id}/versions")]
pub async fn list_versions(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<VersionList>> {
    let f = files::get(&state.db, &actor, *id).await?;
    Ok(web::Json(VersionList { items: files::versions(&state.db, &f).await? }))
}

/// Upload a new version of a file (multipart, field `file`). Staff with `files.upload`; a
/// client user only for a file they uploaded. A review waiting on the old version is
/// superseded; after "changes requested" the review starts again on this one.
#[utoipa::path(
    tag = "files",
    params(("id" = Uuid, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = FileResponse), (status = 413, description = "Larger than PORTICO_MAX_UPLOAD_BYTES: nothing was stored"))
)]
#[post("/files/{id}/versions")]
pub async fn add_version(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    req: HttpRequest,
    form: Multipart,
) -> ApiResult<HttpResponse> {
    let f = policy::area_files(&actor).get_for(&state.db, *id, Perm::FilesUpload).await?;
    if actor.is_client() && f.created_by != actor.user_id {
        return Err(ApiError::Forbidden(crate::problem!("upload-version-by-agency-or-uploader")));
    }
    let made = upload(&state, &actor, &req, form, (f.project_id, f.id), async |c, fields, version| {
        if fields.folder.is_some() || fields.task_id.is_some() || fields.name.is_some() {
            return Err(ApiError::field("form", crate::problem!("upload-version-only-file")));
        }
        files::add_version(c, f.id, version).await
    })
    .await?;
    Ok(HttpResponse::Created().json(files::find(&state.db, &actor, made.id).await?))
}

/// Attach a file to your own comment (multipart, field `file`; `files.upload`; ten per
/// comment). A Note's attachment is a Note: no client ever lists, downloads or hears of it.
#[utoipa::path(
    tag = "files",
    params(("id" = Uuid, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = comments::CommentResponse), (status = 413, description = "Larger than PORTICO_MAX_UPLOAD_BYTES: nothing was stored"))
)]
#[post("/comments/{id}/files")]
pub async fn attach_file(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    req: HttpRequest,
    form: Multipart,
) -> ApiResult<HttpResponse> {
    let (comment, project) = comments::attachable(&state.db, &actor, *id).await?;
    upload(&state, &actor, &req, form, (project, Uuid::now_v7()), async |c, fields, mut version| {
        if fields.folder.is_some() || fields.task_id.is_some() {
            return Err(ApiError::field("form", crate::problem!("upload-attachment-only-file")));
        }
        if let Some(name) = fields.name.as_deref() {
            version.original_name = files::sanitize_name(name);
        }
        files::attach(c, &comment, version).await
    })
    .await?;
    Ok(HttpResponse::Created().json(comments::find(&state.db, &actor, comment.id).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ContentQuery {
    /// A version number (default: the current version).
    #[param(minimum = 1)]
    pub version: Option<i32>,
    /// A download link's token, instead of an `Authorization` header.
    pub link: Option<String>,
    /// Always as an attachment, even for an image or PDF that would be shown.
    pub download: Option<bool>,
}

/// A version's contents. Images and PDF are shown inline, everything else is an attachment;
/// nothing is ever served as HTML or script. `Range` is honoured (206). Authorised with the
/// caller's access token or a download link of theirs.
#[utoipa::path(
    tag = "files",
    params(("id" = Uuid, Path), ContentQuery),
    responses(
        (status = 200, description = "The contents, as the type it was stored with", content_type = "*/*"),
        (status = 206, description = "The requested range", content_type = "*/*"),
        (status = 416, description = "The range lies outside the file")
    )
)]
#[get("/files/{id}/content")]
pub async fn download(
    state: State,
    who: Downloader,
    id: web::Path<Uuid>,
    query: web::Query<ContentQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let f = files::get(&state.db, &who.actor, *id).await?;
    let v = files::version(&state.db, &f, query.version).await?;
    if let Some(link) = &who.link
        && (link.file != f.id || link.version != v.number)
    {
        return Err(ApiError::Unauthorized(crate::problem!("http-download-link-other-file")));
    }
    serve(&state, &f, &v, query.download.unwrap_or(false), &req).await
}

async fn serve(
    state: &AppState,
    f: &file::Model,
    v: &file_version::Model,
    force_download: bool,
    req: &HttpRequest,
) -> ApiResult<HttpResponse> {
    let size = v.size as u64;
    let etag = format!("\"{}\"", v.sha256);
    let range = match req.headers().get(header::RANGE).and_then(|r| r.to_str().ok()) {
        // A range only for this very version: `If-Range` with another validator means "all".
        Some(r) if if_range_matches(req, &etag) => match http_range::HttpRange::parse(r, size) {
            Ok(ranges) if ranges.len() == 1 && ranges[0].length > 0 => Some(ranges[0]),
            Ok(ranges) if ranges.len() == 1 || size == 0 => return Err(ApiError::RangeNotSatisfiable { size }),
            // Several ranges would need multipart/byteranges; the whole file is a valid answer.
            Ok(_) => None,
            Err(http_range::HttpRangeParseError::NoOverlap) => return Err(ApiError::RangeNotSatisfiable { size }),
            // A header that is not a byte range of ours is ignored (RFC 9110 §14.2).
            Err(http_range::HttpRangeParseError::InvalidRange) => None,
        },
        _ => None,
    };
    let inline = !force_download && storage::previewable(&v.content_type);
    let content_type = if inline || v.content_type.starts_with("text/plain") {
        v.content_type.clone()
    } else {
        "application/octet-stream".to_owned()
    };
    let mut res = if range.is_some() { HttpResponse::PartialContent() } else { HttpResponse::Ok() };
    res.content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, crate::headers::disposition(&f.name, inline)))
        .insert_header((header::ETAG, etag))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        // Never kept by a browser or proxy: a shared computer keeps no client's file after sign-out.
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, content_policy(inline, &v.content_type)))
        // The portal's own pages may frame a preview (the file page's PDF viewer); nobody else.
        .insert_header((header::X_FRAME_OPTIONS, "SAMEORIGIN"));
    let bytes = match range {
        Some(r) => {
            res.insert_header((header::CONTENT_RANGE, format!("bytes {}-{}/{size}", r.start, r.start + r.length - 1)));
            state.storage.read(&v.storage_key, Some(r.start..r.start + r.length)).await
        }
        None if size == 0 => return Ok(res.no_chunking(0).finish()),
        None => state.storage.read(&v.storage_key, None).await,
    }?;
    let length = range.map(|r| r.length).unwrap_or(size);
    let body = bytes.map_err(|e| {
        tracing::warn!(error = %e, "file store stream failed mid-download");
        std::io::Error::other("file store stream failed")
    });
    Ok(res.no_chunking(length).streaming(body))
}

/// What a browser may do with a download. Everything is sandboxed — no script, no origin —
/// except a PDF shown inline, which the browser's own viewer renders (a sandbox would stop the
/// viewer, and the PDF's own scripts run inside the viewer, never in the portal's pages).
fn content_policy(inline: bool, content_type: &str) -> &'static str {
    if inline && content_type == "application/pdf" {
        "default-src 'none'; object-src 'self'; frame-ancestors 'self'"
    } else {
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
    }
}

fn if_range_matches(req: &HttpRequest, etag: &str) -> bool {
    match req.headers().get(header::IF_RANGE).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(v) => v.trim() == etag,
    }
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    /// A version number (default: the current version).
    #[schema(minimum = 1)]
    #[validate(range(min = 1))]
    pub version: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct LinkResponse {
    /// A path on this server that downloads the version until `expires_at`, as the user who
    /// asked: authorised as them on every use, refused once they sign out. Whoever holds the
    /// URL can use it until then, so it is for the page that asked, not for sharing.
    pub url: String,
    #[serde(serialize_with = "crate::timefmt::utc")]
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// A short-lived download link for one version, tied to the caller (for previews and plain
/// links, which cannot send an `Authorization` header). Changes nothing: View-as may ask.
#[utoipa::path(tag = "files", params(("id" = Uuid, Path)), request_body = LinkRequest, responses((status = 200, body = LinkResponse)))]
#[post("/files/{id}/links")]
pub async fn create_link(
    state: State,
    reader: crate::extract::Reader,
    id: web::Path<Uuid>,
    body: Body<LinkRequest>,
) -> ApiResult<web::Json<LinkResponse>> {
    let actor = reader.0;
    let f = files::get(&state.db, &actor, *id).await?;
    body.validate()?;
    let v = files::version(&state.db, &f, body.version).await?;
    let expires_at = chrono::Utc::now() + chrono::Duration::seconds(state.settings.download_link_ttl_secs);
    let claims = LinkClaims {
        sub: actor.user_id,
        file: f.id,
        version: v.number,
        epoch: actor.epochs.user,
        act: actor.viewed_by.zip(actor.epochs.viewer).map(|(sub, epoch)| crate::auth::jwt::ActClaim { sub, epoch }),
        key: actor.key.as_ref().map(|k| k.id),
        exp: expires_at.timestamp(),
        iss: state.jwt.issuer.clone(),
        aud: state.jwt.audience.clone(),
    };
    let token = state.jwt.issue_link(&claims)?;
    let url = format!("/api/v1/files/{}/content?version={}&link={token}", f.id, v.number);
    Ok(web::Json(LinkResponse { url, expires_at }))
}

#[derive(Serialize, ToSchema)]
pub struct ReviewList {
    /// Newest first.
    pub items: Vec<ReviewResponse>,
}

/// A file's reviews, newest first: who asked, who decided what, and when.
#[utoipa::path(tag = "files", params(("id" = Uuid, Path)), responses((status = 200, body = ReviewList)))]
#[get("/files/{id}/reviews")]
pub async fn list_reviews(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<web::Json<ReviewList>> {
    let f = files::get(&state.db, &actor, *id).await?;
    Ok(web::Json(ReviewList { items: files::reviews(&state.db, &f).await? }))
}

/// Put the current version up for the client's review (staff with `projects.write`); the
/// account's approvers are asked.
#[utoipa::path(tag = "files", params(("id" = Uuid, Path)), request_body = RequestReviewRequest, responses((status = 201, body = FileResponse)))]
#[post("/files/{id}/review")]
pub async fn request_review(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<RequestReviewRequest>,
) -> ApiResult<HttpResponse> {
    let f = policy::area_files(&actor).get_for(&state.db, *id, Perm::ProjectsWrite).await?;
    if actor.is_client() {
        return Err(ApiError::Forbidden(crate::problem!("http-review-by-agency")));
    }
    body.validate()?;
    Change::run(&state, Some(&actor), async |c| files::request_review(c, &f, body.into_inner()).await).await?;
    Ok(HttpResponse::Created().json(files::find(&state.db, &actor, f.id).await?))
}

/// Withdraw the open review request (staff with `projects.write`).
#[utoipa::path(tag = "files", params(("id" = Uuid, Path)), responses((status = 204, description = "Withdrawn")))]
#[delete("/files/{id}/review")]
pub async fn cancel_review(state: State, actor: Actor, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let f = policy::area_files(&actor).get_for(&state.db, *id, Perm::ProjectsWrite).await?;
    Change::run(&state, Some(&actor), async |c| files::cancel_review(c, &f).await).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Approve the version awaiting review, or ask for changes (with a comment, which also lands
/// as a Reply on the file's task). Client users whose role holds `deliverables.approve`.
#[utoipa::path(tag = "files", params(("id" = Uuid, Path)), request_body = DecisionRequest, responses((status = 200, body = FileResponse)))]
#[post("/files/{id}/decision")]
pub async fn decide(
    state: State,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Body<DecisionRequest>,
) -> ApiResult<web::Json<FileResponse>> {
    let f = policy::area_files(&actor).get_for(&state.db, *id, Perm::DeliverablesApprove).await?;
    if !actor.is_client() {
        return Err(ApiError::Forbidden(crate::problem!("http-approval-by-client")));
    }
    body.validate()?;
    Change::run(&state, Some(&actor), async |c| files::decide(c, &f, body.into_inner()).await).await?;
    Ok(web::Json(files::find(&state.db, &actor, f.id).await?))
}

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_files)
        .service(list_all_files)
        .service(upload_file)
        .service(get_file)
        .service(delete_file)
        .service(list_versions)
        .service(add_version)
        .service(download)
        .service(create_link)
        .service(list_reviews)
        .service(request_review)
        .service(cancel_review)
        .service(decide)
        .service(attach_file);
}
