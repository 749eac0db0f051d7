//! Replies by e-mail. An e-mail telling a client of a staff Reply says "reply to this e-mail",
//! and its `Reply-To` is a reply address of its own: the reply mailbox's address with a token
//! for that person and task (`replies+<token>@agency.example`; only the token's hash is kept,
//! 160 random bits, so no answer can be forged by guessing). Each message read from the
//! mailbox is posted as that person's Reply on that task — the quoted earlier text and the
//! signature cut off — when it comes from that person's own address, they are still active and
//! may still reply there. Anything else is not posted, and the staff who look after client
//! accounts are told why. Notes are never mailed, so nothing can answer one.
//!
//! Each message is written down once (`inbound_mails`, by its `Message-ID`), so two instances
//! reading one mailbox, or a message read twice, post it once.
use mail_parser::MimeHeaders;
use sea_orm::sea_query::OnConflict;
use sha2::{Digest, Sha256};

use super::{
    comments::{self, CreateCommentRequest},
    notify::{self, Notice},
    prelude::*,
};
use crate::{
    auth::tokens,
    entities::{enums::Visibility, inbound_mail, reply_token, task, user},
    i18n::Text,
    text,
};

/// The longest Reply an e-mail becomes (the rest is cut, as a comment's limit says).
const MAX_BODY_CHARS: usize = 20_000;

/// A reply address for `person` about `task`, when a reply mailbox is configured.
pub async fn reply_address(change: &Change<'_>, person: &user::Model, task: &task::Model) -> ApiResult<Option<String>> {
    let s = change.settings();
    let (Some(_), Some(address)) = (&s.imap_host, &s.imap_reply_address) else { return Ok(None) };
    let Some((local, domain)) = address.split_once('@') else { return Ok(None) };
    // Lower-case hex: some mail systems change the case of an address's local part.
    let token = hex::encode(rand::random::<[u8; 20]>());
    reply_token::ActiveModel {
        token_hash: Set(tokens::hash(&token)),
        user_id: Set(person.id),
        task_id: Set(task.id),
        client_id: Set(task.client_id),
        created_at: Set(change.now()),
    }
    .insert(change.db())
    .await?;
    Ok(Some(format!("{local}+{token}@{domain}")))
}

/// What became of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Posted as a Reply.
    Posted(Uuid),
    /// Read before (by this instance or another): nothing more happens.
    Seen,
    /// Not posted; staff were told why.
    Refused(Refusal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooLarge,
    Unreadable,
    /// To no reply address of ours (or one whose token we never gave).
    NoReplyAddress,
    /// From someone other than the person the reply address was given to.
    WrongSender,
    /// The person is no longer active.
    Deactivated,
    /// They may no longer reply on the task (their role, or the task is gone).
    NotAllowed,
    /// Nothing left once the quoted text and signature are cut.
    Empty,
}

impl Refusal {
    fn key(self) -> &'static str {
        match self {
            Refusal::TooLarge => "too_large",
            Refusal::Unreadable => "unreadable",
            Refusal::NoReplyAddress => "no_reply_address",
            Refusal::WrongSender => "wrong_sender",
            Refusal::Deactivated => "deactivated",
            Refusal::NotAllowed => "not_allowed",
            Refusal::Empty => "empty",
        }
    }

    fn message(self) -> Text {
        match self {
            Refusal::TooLarge => text!("inbound-reason-too-large"),
            Refusal::Unreadable => text!("inbound-reason-unreadable"),
            Refusal::NoReplyAddress => text!("inbound-reason-no-reply-address"),
            Refusal::WrongSender => text!("inbound-reason-wrong-sender"),
            Refusal::Deactivated => text!("inbound-reason-deactivated"),
            Refusal::NotAllowed => text!("inbound-reason-not-allowed"),
            Refusal::Empty => text!("inbound-reason-empty"),
        }
    }
}

/// Reads one message of the reply mailbox (`raw`, as it arrived).
pub async fn receive(state: &AppState, raw: &[u8]) -> ApiResult<Outcome> {
    let key = message_key(raw);
    if inbound_mail::Entity::find_by_id(key.clone()).one(&state.db).await?.is_some() {
        return Ok(Outcome::Seen);
    }
    if raw.len() > state.settings.imap_max_message_bytes as usize {
        return refuse(state, &key, "", None, Refusal::TooLarge).await;
    }
    let Some(message) = mail_parser::MessageParser::default().parse(raw) else {
        return refuse(state, &key, "", None, Refusal::Unreadable).await;
    };
    let sender = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(|a| a.trim().to_lowercase())
        .unwrap_or_default();
    let Some(token) = token_in(state, &message) else {
        return refuse(state, &key, &sender, None, Refusal::NoReplyAddress).await;
    };
    let Some(given) = reply_token::Entity::find_by_id(tokens::hash(&token)).one(&state.db).await? else {
        return refuse(state, &key, &sender, None, Refusal::NoReplyAddress).await;
    };
    let Some(person) = user::Entity::find_by_id(given.user_id).one(&state.db).await? else {
        return refuse(state, &key, &sender, None, Refusal::NoReplyAddress).await;
    };
    if person.email != sender {
        return refuse(state, &key, &sender, Some(given.client_id), Refusal::WrongSender).await;
    }
    let Ok(actor) = crate::auth::Actor::for_user(&state.authz, &state.db, person.id, None, None).await else {
        return refuse(state, &key, &sender, Some(given.client_id), Refusal::Deactivated).await;
    };
    if !actor.has(Perm::CommentsReply) {
        return refuse(state, &key, &sender, Some(given.client_id), Refusal::NotAllowed).await;
    }
    let Ok(task) = policy::tasks(&actor).get(&state.db, given.task_id).await else {
        return refuse(state, &key, &sender, Some(given.client_id), Refusal::NotAllowed).await;
    };
    let text = message.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    let mut body: String = strip_quoted(&text).chars().take(MAX_BODY_CHARS).collect();
    // Its attachments, stored before the change (as an upload's bytes are), when the person may
    // upload files; each no larger than an upload may be.
    let mut attached = Vec::new();
    if actor.has(Perm::FilesUpload) {
        let parts = message.attachments().take(comments::MAX_ATTACHMENTS);
        for part in parts.filter(|p| (p.contents().len() as u64) <= state.settings.max_upload_bytes) {
            let (file_id, version_id) = (Uuid::now_v7(), Uuid::now_v7());
            let key = super::files::storage_key(task.project_id, file_id, version_id);
            let bytes = bytes::Bytes::copy_from_slice(part.contents());
            let stored = state.storage.put_whole(&key, bytes).await.map_err(|e| ApiError::Internal(e.into()))?;
            let original_name = super::files::sanitize_name(part.attachment_name().unwrap_or("attachment"));
            attached.push(super::files::NewVersion { file_id, version_id, storage_key: key, original_name, stored });
        }
    }
    if body.is_empty() && !attached.is_empty() {
        body = attached.iter().map(|v| v.original_name.as_str()).collect::<Vec<_>>().join(", ");
    }
    if body.is_empty() {
        return refuse(state, &key, &sender, Some(given.client_id), Refusal::Empty).await;
    }
    let keys: Vec<String> = attached.iter().map(|v| v.storage_key.clone()).collect();
    let posted = post(state, &actor, &task, (&key, &sender), body, attached).await;
    if !matches!(posted, Ok(Outcome::Posted(_))) {
        // Nothing names the stored attachments: they go again.
        for k in keys {
            if let Err(e) = state.storage.delete(&k).await {
                tracing::warn!(error = %e, key = k, "could not remove an e-mail attachment nothing names");
            }
        }
    }
    posted
}

/// Posts the answer as one change: the Reply, its attachments, the wait it opens marked as by
/// e-mail, the message written down.
async fn post(
    state: &AppState,
    actor: &crate::auth::Actor,
    task: &task::Model,
    (key, sender): (&str, &str),
    body: String,
    attached: Vec<super::files::NewVersion>,
) -> ApiResult<Outcome> {
    let mut change = Change::begin(state, Some(actor)).await?;
    if !write_down(&change, key, sender, "posted").await? {
        return Ok(Outcome::Seen);
    }
    let posted =
        comments::create(&mut change, task, CreateCommentRequest { body, visibility: Visibility::Reply }).await?;
    let files = attached.len();
    for version in attached {
        super::files::attach(&mut change, &posted, version).await?;
    }
    super::responses::came_by_email(&mut change, posted.id).await?;
    inbound_mail::Entity::update_many()
        .col_expr(inbound_mail::Column::CommentId, sea_orm::sea_query::Expr::value(posted.id))
        .filter(inbound_mail::Column::MessageKey.eq(key))
        .exec(change.db())
        .await?;
    let entry = Entry::new("comment.by_email", "comment", Some(posted.id), Some(posted.client_id));
    let details = serde_json::json!({"task_id": task.id, "from": sender, "attachments": files});
    change.audit(entry.details(details)).await?;
    change.commit().await?;
    Ok(Outcome::Posted(posted.id))
}

/// A message too large to download, known by `key` (its place in the mailbox).
pub async fn too_large(state: &AppState, key: &str) -> ApiResult<Outcome> {
    if inbound_mail::Entity::find_by_id(key.to_owned()).one(&state.db).await?.is_some() {
        return Ok(Outcome::Seen);
    }
    refuse(state, key, "", None, Refusal::TooLarge).await
}

/// The message's `Message-ID`, or a digest of it when it has none.
fn message_key(raw: &[u8]) -> String {
    let id = mail_parser::MessageParser::new()
        .parse_headers(raw)
        .and_then(|m| m.message_id().map(|id| id.chars().take(190).collect::<String>()));
    id.map(|id| format!("id:{id}")).unwrap_or_else(|| format!("sha256:{}", hex::encode(Sha256::digest(raw))))
}

/// The token of the first of our reply addresses the message was sent to.
fn token_in(state: &AppState, message: &mail_parser::Message<'_>) -> Option<String> {
    let (local, domain) = state.settings.imap_reply_address.as_deref()?.split_once('@')?;
    let prefix = format!("{}+", local.to_lowercase());
    let domain = domain.to_lowercase();
    let mut addresses: Vec<String> = [message.to(), message.cc()]
        .into_iter()
        .flatten()
        .flat_map(|a| a.iter().filter_map(|x| x.address().map(str::to_owned)).collect::<Vec<_>>())
        .collect();
    for header in ["Delivered-To", "X-Original-To"] {
        if let Some(v) = message.header(header).and_then(|h| h.as_text()) {
            addresses.push(v.trim().trim_matches(['<', '>']).to_owned());
        }
    }
    addresses.into_iter().find_map(|a| {
        let a = a.to_lowercase();
        let (l, d) = a.split_once('@')?;
        let token = l.strip_prefix(&prefix)?;
        (d == domain && token.len() == 40 && token.bytes().all(|b| b.is_ascii_hexdigit())).then(|| token.to_owned())
    })
}

/// The new text of a reply: above the first line that starts the quoted message ("On … wrote:",
/// its German and French forms, an Outlook header block) and above the signature ("-- "), with
/// quoted (`>`) lines dropped.
pub fn strip_quoted(text: &str) -> String {
    let starts_quote = |line: &str| {
        let l = line.trim();
        (l.starts_with("On ") && l.ends_with("wrote:"))
            || (l.starts_with("Am ") && l.ends_with(':') && (l.contains(" schrieb ") || l.ends_with("schrieb:")))
            || (l.starts_with("Le ") && l.ends_with("a écrit :"))
            || (l.starts_with("Le ") && l.ends_with("a écrit\u{a0}:"))
            || l.starts_with("-----Original Message-----")
            || l.starts_with("-----Ursprüngliche Nachricht-----")
            || l.starts_with("-------- Original Message --------")
            || l == "________________________________"
    };
    let mut kept = Vec::new();
    for line in text.lines() {
        if line == "-- " || line == "--" || starts_quote(line) {
            break;
        }
        if line.trim_start().starts_with('>') {
            continue;
        }
        kept.push(line.trim_end());
    }
    kept.join("\n").trim().to_owned()
}

/// Writes the message down as read, once: `false` when another reader already has.
async fn write_down(change: &Change<'_>, key: &str, sender: &str, outcome: &str) -> ApiResult<bool> {
    let row = inbound_mail::ActiveModel {
        message_key: Set(key.to_owned()),
        received_at: Set(change.now()),
        sender: Set(sender.chars().take(320).collect()),
        outcome: Set(outcome.to_owned()),
        comment_id: Set(None),
    };
    let inserted = inbound_mail::Entity::insert(row)
        .on_conflict(OnConflict::column(inbound_mail::Column::MessageKey).do_nothing().to_owned())
        .exec_without_returning(change.db())
        .await?;
    Ok(inserted == 1)
}

/// Not posted: written down, audited and told to the staff who look after client accounts.
async fn refuse(
    state: &AppState,
    key: &str,
    sender: &str,
    client_id: Option<Uuid>,
    why: Refusal,
) -> ApiResult<Outcome> {
    let mut change = Change::begin(state, None).await?;
    if !write_down(&change, key, sender, why.key()).await? {
        return Ok(Outcome::Seen);
    }
    let entry = Entry::new("inbound.refused", "inbound_mail", None, client_id);
    change.audit(entry.details(serde_json::json!({"from": sender, "reason": why.key()}))).await?;
    let staff = notify::account_keepers(change.db()).await?;
    let sender_text =
        if sender.is_empty() { text!("inbound-unknown-sender") } else { Text::verbatim(sender.to_owned()) };
    let notice = Notice {
        kind: "inbound_refused",
        title: text!("inbound-refused-title"),
        body: Text::Joined(vec![sender_text, why.message()], " — "),
        link: "/staff/audit-log?action=inbound.refused".into(),
        source: Source::inbound(Uuid::now_v7()),
        event_id: None,
    };
    notify::deliver(&mut change, &staff, &notice).await?;
    change.commit().await?;
    Ok(Outcome::Refused(why))
}

#[cfg(test)]
mod tests {
    use super::strip_quoted;

    #[test]
    fn the_quoted_message_and_the_signature_are_cut_off() {
        let mail = "Sounds good, go ahead.\nThanks!\n\n-- \nSam Client\nAcme Corp\n\nOn Mon, 9 Nov 2026 at 10:00, Studio <replies@agency.test> wrote:\n> Yes, to the 20th.\n";
        assert_eq!(strip_quoted(mail), "Sounds good, go ahead.\nThanks!");
        let german = "Passt.\n\nAm 09.11.2026 um 10:00 schrieb Studio:\n> Ja.";
        assert_eq!(strip_quoted(german), "Passt.");
        let outlook = "Fine by us\r\n\r\n-----Original Message-----\r\nFrom: Studio\r\n";
        assert_eq!(strip_quoted(outlook), "Fine by us");
        let interleaved = "> earlier\nMy answer\n> more earlier";
        assert_eq!(strip_quoted(interleaved), "My answer");
        assert_eq!(strip_quoted("> only quoted\n"), "");
    }
}
