//! The e-mails Portico sends, each with a plain-text and an HTML part.
use chrono::{DateTime, Utc};

use super::mail::{Brand, Email, html_layout};
use crate::entities::portal_settings;

fn brand(s: &portal_settings::Model) -> Brand<'_> {
    Brand { agency: &s.agency_name, color: &s.primary_color, logo_url: s.logo_url.as_deref() }
}

pub fn invitation(
    s: &portal_settings::Model,
    to_name: &str,
    to_email: &str,
    link: &str,
    expires_at: DateTime<Utc>,
) -> Email {
    let agency = &s.agency_name;
    let expires = expires_at.format("%-d %B %Y").to_string();
    let welcome = s.welcome_message.replace("{name}", to_name.split_whitespace().next().unwrap_or(to_name));
    let paragraphs = vec![
        format!("Hello {to_name},"),
        format!(
            "{agency} has invited you to its client portal, where you can follow your projects, answer questions on tasks and see your invoices."
        ),
        welcome,
        format!("Choose a password to get started. The link works once and expires on {expires}."),
    ];
    let next = format!(
        "What happens next: after you set your password you land on your portal home. \
         If the link has expired, ask your contact at {agency} for a new invitation."
    );
    let text = format!(
        "{}\n\n{}\n\n{}\n\n{}\n\nAccept the invitation: {link}\n\n{next}\n",
        paragraphs[0], paragraphs[1], paragraphs[2], paragraphs[3]
    );
    Email {
        kind: "invitation",
        to: to_email.to_owned(),
        subject: format!("{agency} invited you to its client portal"),
        html: html_layout(
            &brand(s),
            &format!("Welcome to {agency}'s portal"),
            &paragraphs,
            ("Accept invitation", link),
            &next,
        ),
        text,
    }
}

/// An invitation to join the agency's own team (a staff role), not its client portal.
pub fn staff_invitation(
    s: &portal_settings::Model,
    to_name: &str,
    to_email: &str,
    role_name: &str,
    link: &str,
    expires_at: DateTime<Utc>,
) -> Email {
    let agency = &s.agency_name;
    let expires = expires_at.format("%-d %B %Y").to_string();
    let paragraphs = vec![
        format!("Hello {to_name},"),
        format!("{agency} has added you to its team as {role_name}."),
        format!("Choose a password to get started. The link works once and expires on {expires}."),
    ];
    let next = format!("If the link has expired, ask an administrator at {agency} to send a new invitation.");
    let text = format!(
        "{}\n\n{}\n\n{}\n\nAccept the invitation: {link}\n\n{next}\n",
        paragraphs[0], paragraphs[1], paragraphs[2]
    );
    Email {
        kind: "invitation",
        to: to_email.to_owned(),
        subject: format!("{agency} invited you to join its team"),
        html: html_layout(&brand(s), &format!("Join {agency}'s team"), &paragraphs, ("Accept invitation", link), &next),
        text,
    }
}

pub fn password_reset(
    s: &portal_settings::Model,
    to_name: &str,
    to_email: &str,
    link: &str,
    valid_minutes: i64,
) -> Email {
    let agency = &s.agency_name;
    let paragraphs = vec![
        format!("Hello {to_name},"),
        format!(
            "Someone asked to reset the password of your {agency} portal account. If it was you, choose a new password; the link works once, for {valid_minutes} minutes."
        ),
    ];
    let footer = "If you did not ask for this, ignore this e-mail: your password stays as it is.";
    Email {
        kind: "password_reset",
        to: to_email.to_owned(),
        subject: format!("Reset your {agency} portal password"),
        text: format!("{}\n\n{}\n\nReset your password: {link}\n\n{footer}\n", paragraphs[0], paragraphs[1]),
        html: html_layout(&brand(s), "Reset your password", &paragraphs, ("Choose a new password", link), footer),
    }
}

/// A change to how someone signs in, told to them whoever made it: if it was not them, they
/// know at once. Not a notification they can turn off.
pub fn security_notice(s: &portal_settings::Model, to_name: &str, to_email: &str, what: &str, link: &str) -> Email {
    let agency = &s.agency_name;
    let paragraphs = vec![format!("Hello {to_name},"), format!("{what} on your {agency} portal account.")];
    let footer = "If this was not you, tell the agency at once and change your password.";
    Email {
        kind: "security_notice",
        to: to_email.to_owned(),
        subject: format!("{agency}: {what}"),
        text: format!(
            "{}

{}

Your sign-in settings: {link}

{footer}
",
            paragraphs[0], paragraphs[1]
        ),
        html: html_layout(&brand(s), what, &paragraphs, ("Open your profile", link), footer),
    }
}

/// A notification by e-mail: its title, a short body and a link to see it in the portal.
pub fn notification(
    s: &portal_settings::Model,
    to_name: &str,
    to_email: &str,
    title: &str,
    body: &str,
    link: &str,
    kind: &'static str,
) -> Email {
    let paragraphs = vec![format!("Hello {to_name},"), body.to_owned()];
    let footer = "You can choose which e-mails you receive under Profile → Notifications in the portal.";
    Email {
        kind,
        to: to_email.to_owned(),
        subject: format!("{}: {title}", s.agency_name),
        text: format!("{}\n\n{title}\n\n{body}\n\nSee it in the portal: {link}\n\n{footer}\n", paragraphs[0]),
        html: html_layout(&brand(s), title, &paragraphs, ("Open in the portal", link), footer),
    }
}
