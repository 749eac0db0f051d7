//! The e-mails Portico sends, each with a plain-text and an HTML part, in the reader's language
//! (their own choice, else the agency's).
use chrono::{DateTime, Utc};

use super::mail::{Brand, Email, html_layout};
use crate::{entities::portal_settings, i18n::Language, t};

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

/// What every message is made of; `send` dresses it in the agency's frame, both parts alike.
struct Letter {
    kind: &'static str,
    subject: String,
    heading: String,
    /// The paragraphs of both parts (the first is the greeting).
    paragraphs: Vec<String>,
    /// The button's label and where it goes; the text part has `link_line` instead.
    button: (String, String),
    link_line: String,
    footer: String,
    /// Whether the text part repeats the heading after the greeting (a notification's title,
    /// which the HTML part shows as its heading).
    heading_in_text: bool,
}

impl Letter {
    fn send(self, s: &portal_settings::Model, to: &To) -> Email {
        let brand = Brand {
            agency: &s.agency_name,
            color: &s.primary_color,
            logo_url: s.logo_url.as_deref(),
            language: to.language,
        };
        let mut text: Vec<&str> = self.paragraphs.iter().map(String::as_str).collect();
        if self.heading_in_text {
            text.insert(1.min(text.len()), &self.heading);
        }
        text.extend([self.link_line.as_str(), self.footer.as_str()]);
        Email {
            kind: self.kind,
            to: to.email.to_owned(),
            subject: self.subject,
            text: format!("{}\n", text.join("\n\n")),
            html: html_layout(&brand, &self.heading, &self.paragraphs, (&self.button.0, &self.button.1), &self.footer),
            reply_to: None,
        }
    }
}

pub fn invitation(s: &portal_settings::Model, to: &To, link: &str, expires_at: DateTime<Utc>) -> Email {
    let (agency, l) = (&s.agency_name, to.language);
    let expires = l.long_date(expires_at.date_naive());
    let first_name = to.name.split_whitespace().next().unwrap_or(to.name);
    Letter {
        kind: "invitation",
        subject: t!(l, "invitation-subject", agency = agency),
        heading: t!(l, "invitation-heading", agency = agency),
        paragraphs: vec![
            t!(l, "hello", name = to.name),
            t!(l, "invitation-intro", agency = agency),
            // The agency's own words, as it wrote them.
            s.welcome_message.replace("{name}", first_name),
            t!(l, "invitation-choose-password", expires = expires),
        ],
        button: (t!(l, "invitation-button"), link.to_owned()),
        link_line: t!(l, "invitation-link", link = link),
        footer: t!(l, "invitation-next", agency = agency),
        heading_in_text: false,
    }
    .send(s, to)
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
    Letter {
        kind: "invitation",
        subject: t!(l, "staff-invitation-subject", agency = agency),
        heading: t!(l, "staff-invitation-heading", agency = agency),
        paragraphs: vec![
            t!(l, "hello", name = to.name),
            t!(l, "staff-invitation-intro", agency = agency, role = role_name),
            t!(l, "invitation-choose-password", expires = expires),
        ],
        button: (t!(l, "invitation-button"), link.to_owned()),
        link_line: t!(l, "invitation-link", link = link),
        footer: t!(l, "staff-invitation-next", agency = agency),
        heading_in_text: false,
    }
    .send(s, to)
}

pub fn password_reset(s: &portal_settings::Model, to: &To, link: &str, valid_minutes: i64) -> Email {
    let (agency, l) = (&s.agency_name, to.language);
    Letter {
        kind: "password_reset",
        subject: t!(l, "reset-subject", agency = agency),
        heading: t!(l, "reset-heading"),
        paragraphs: vec![
            t!(l, "hello", name = to.name),
            t!(l, "reset-intro", agency = agency, minutes = valid_minutes),
        ],
        button: (t!(l, "reset-button"), link.to_owned()),
        link_line: t!(l, "reset-link", link = link),
        footer: t!(l, "reset-footer"),
        heading_in_text: false,
    }
    .send(s, to)
}

/// A change to how someone signs in, told to them whoever made it: if it was not them, they
/// know at once. Not a notification they can turn off. `what` is a message id
/// (`security-two-factor-on`, …).
pub fn security_notice(s: &portal_settings::Model, to: &To, what: &'static str, link: &str) -> Email {
    let (agency, l) = (&s.agency_name, to.language);
    let what = crate::i18n::say(l, what, &[]);
    Letter {
        kind: "security_notice",
        subject: t!(l, "security-subject", agency = agency, what = &what),
        paragraphs: vec![t!(l, "hello", name = to.name), t!(l, "security-intro", what = &what, agency = agency)],
        heading: what,
        button: (t!(l, "security-button"), link.to_owned()),
        link_line: t!(l, "security-link", link = link),
        footer: t!(l, "security-footer"),
        heading_in_text: false,
    }
    .send(s, to)
}

/// A notification that can be answered by e-mail: as `notification`, with a line saying so and
/// answers going to `reply_to` (a reply address of this person and task).
pub fn answerable_notification(
    s: &portal_settings::Model,
    to: &To,
    (title, body, link): (&str, &str, &str),
    kind: &'static str,
    reply_to: String,
) -> Email {
    let l = to.language;
    let mut email = Letter {
        kind,
        subject: t!(l, "notification-subject", agency = &s.agency_name, title = title),
        heading: title.to_owned(),
        paragraphs: vec![t!(l, "hello", name = to.name), body.to_owned(), t!(l, "notification-answer-by-email")],
        button: (t!(l, "notification-button"), link.to_owned()),
        link_line: t!(l, "notification-link", link = link),
        footer: t!(l, "notification-footer"),
        heading_in_text: true,
    }
    .send(s, to);
    email.reply_to = Some(reply_to);
    email
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
    Letter {
        kind,
        subject: t!(l, "notification-subject", agency = &s.agency_name, title = title),
        heading: title.to_owned(),
        paragraphs: vec![t!(l, "hello", name = to.name), body.to_owned()],
        button: (t!(l, "notification-button"), link.to_owned()),
        link_line: t!(l, "notification-link", link = link),
        footer: t!(l, "notification-footer"),
        heading_in_text: true,
    }
    .send(s, to)
}
