//! The e-mails Portico sends, each with a plain-text and an HTML part, in the reader's language
//! (their own choice, else the agency's).
use chrono::{DateTime, Utc};

use super::mail::{Brand, Email, html_layout};
use crate::{entities::portal_settings, i18n::Language, t};

fn brand(s: &portal_settings::Model, language: Language) -> Brand<'_> {
    Brand { agency: &s.agency_name, color: &s.primary_color, logo_url: s.logo_url.as_deref(), language }
}

/// Who an e-mail is for, and the language they read.
pub struct To<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub language: Language,
}

impl<'a> To<'a> {
    /// `user`, in their language or the agency's.
    pub fn user(s: &portal_settings::Model, user: &'a crate::entities::user::Model) -> Self {
        To { name: &user.name, email: &user.email, language: user.language.unwrap_or(s.language) }
    }
}

pub fn invitation(s: &portal_settings::Model, to: &To, link: &str, expires_at: DateTime<Utc>) -> Email {
    let (agency, l) = (&s.agency_name, to.language);
    let expires = l.long_date(expires_at.date_naive());
    let first_name = to.name.split_whitespace().next().unwrap_or(to.name);
    let paragraphs = vec![
        t!(l, "hello", name = to.name),
        t!(l, "invitation-intro", agency = agency),
        // The agency's own words, as it wrote them.
        s.welcome_message.replace("{name}", first_name),
        t!(l, "invitation-choose-password", expires = expires),
    ];
    let next = t!(l, "invitation-next", agency = agency);
    let text = format!("{}\n\n{}\n\n{next}\n", paragraphs.join("\n\n"), t!(l, "invitation-link", link = link));
    Email {
        kind: "invitation",
        to: to.email.to_owned(),
        subject: t!(l, "invitation-subject", agency = agency),
        html: html_layout(
            &brand(s, l),
            &t!(l, "invitation-heading", agency = agency),
            &paragraphs,
            (&t!(l, "invitation-button"), link),
            &next,
        ),
        text,
    }
}

/// An invitation to join the agency's own team (a staff role), not its client portal.
pub fn staff_invitation(
    s: &portal_settings::Model,
    to: &To,
    role_name: &str,
    link: &str,
    expires_at: DateTime<Utc>,
) -> Email {
    let (agency, l) = (&s.agency_name, to.language);
    let expires = l.long_date(expires_at.date_naive());
    let paragraphs = vec![
        t!(l, "hello", name = to.name),
        t!(l, "staff-invitation-intro", agency = agency, role = role_name),
        t!(l, "invitation-choose-password", expires = expires),
    ];
    let next = t!(l, "staff-invitation-next", agency = agency);
    let text = format!("{}\n\n{}\n\n{next}\n", paragraphs.join("\n\n"), t!(l, "invitation-link", link = link));
    Email {
        kind: "invitation",
        to: to.email.to_owned(),
        subject: t!(l, "staff-invitation-subject", agency = agency),
        html: html_layout(
            &brand(s, l),
            &t!(l, "staff-invitation-heading", agency = agency),
            &paragraphs,
            (&t!(l, "invitation-button"), link),
            &next,
        ),
        text,
    }
}

pub fn password_reset(s: &portal_settings::Model, to: &To, link: &str, valid_minutes: i64) -> Email {
    let (agency, l) = (&s.agency_name, to.language);
    let paragraphs =
        vec![t!(l, "hello", name = to.name), t!(l, "reset-intro", agency = agency, minutes = valid_minutes)];
    let footer = t!(l, "reset-footer");
    Email {
        kind: "password_reset",
        to: to.email.to_owned(),
        subject: t!(l, "reset-subject", agency = agency),
        text: format!("{}\n\n{}\n\n{footer}\n", paragraphs.join("\n\n"), t!(l, "reset-link", link = link)),
        html: html_layout(&brand(s, l), &t!(l, "reset-heading"), &paragraphs, (&t!(l, "reset-button"), link), &footer),
    }
}

/// A change to how someone signs in, told to them whoever made it: if it was not them, they
/// know at once. Not a notification they can turn off. `what` is a message id
/// (`security-two-factor-on`, …).
pub fn security_notice(s: &portal_settings::Model, to: &To, what: &'static str, link: &str) -> Email {
    let (agency, l) = (&s.agency_name, to.language);
    let what = crate::i18n::say(l, what, &[]);
    let paragraphs = vec![t!(l, "hello", name = to.name), t!(l, "security-intro", what = &what, agency = agency)];
    let footer = t!(l, "security-footer");
    Email {
        kind: "security_notice",
        to: to.email.to_owned(),
        subject: t!(l, "security-subject", agency = agency, what = &what),
        text: format!("{}\n\n{}\n\n{footer}\n", paragraphs.join("\n\n"), t!(l, "security-link", link = link)),
        html: html_layout(&brand(s, l), &what, &paragraphs, (&t!(l, "security-button"), link), &footer),
    }
}

/// A notification by e-mail: its title, a short body and a link to see it in the portal.
pub fn notification(
    s: &portal_settings::Model,
    to: &To,
    title: &str,
    body: &str,
    link: &str,
    kind: &'static str,
) -> Email {
    let l = to.language;
    let paragraphs = vec![t!(l, "hello", name = to.name), body.to_owned()];
    let footer = t!(l, "notification-footer");
    Email {
        kind,
        to: to.email.to_owned(),
        subject: t!(l, "notification-subject", agency = &s.agency_name, title = title),
        text: format!(
            "{}\n\n{title}\n\n{body}\n\n{}\n\n{footer}\n",
            paragraphs[0],
            t!(l, "notification-link", link = link)
        ),
        html: html_layout(&brand(s, l), title, &paragraphs, (&t!(l, "notification-button"), link), &footer),
    }
}
