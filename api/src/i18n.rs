//! What Portico says in e-mails, notifications and PDFs, in the reader's language: Fluent
//! messages (`api/locales/<language>/*.ftl`, compiled in), one bundle per shipped language.
//! A text is kept as a message and its arguments until it is known who reads it, so each
//! recipient of one notice gets it in their own language.
use std::{borrow::Cow, sync::LazyLock};

use chrono::NaiveDate;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use sea_orm::Iterable;
use unic_langid::LanguageIdentifier;

pub use crate::entities::enums::Language;

/// One language's files, as the binary carries them: every language has the same files.
macro_rules! files {
    ($language:literal) => {
        &[
            ("emails.ftl", include_str!(concat!("../locales/", $language, "/emails.ftl"))),
            ("notices.ftl", include_str!(concat!("../locales/", $language, "/notices.ftl"))),
            ("documents.ftl", include_str!(concat!("../locales/", $language, "/documents.ftl"))),
            ("problems.ftl", include_str!(concat!("../locales/", $language, "/problems.ftl"))),
            ("catalogue.ftl", include_str!(concat!("../locales/", $language, "/catalogue.ftl"))),
            ("problems-http.ftl", include_str!(concat!("../locales/", $language, "/problems-http.ftl"))),
            ("problems-access.ftl", include_str!(concat!("../locales/", $language, "/problems-access.ftl"))),
            ("problems-accounts.ftl", include_str!(concat!("../locales/", $language, "/problems-accounts.ftl"))),
            ("problems-work.ftl", include_str!(concat!("../locales/", $language, "/problems-work.ftl"))),
        ]
    };
}

/// Each shipped language's messages, by file.
pub const CATALOGUES: [(Language, &[(&str, &str)]); 3] =
    [(Language::En, files!("en")), (Language::De, files!("de")), (Language::Fr, files!("fr"))];

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<Vec<(Language, Bundle)>> = LazyLock::new(|| {
    CATALOGUES
        .iter()
        .map(|(language, files)| {
            let id: LanguageIdentifier = language.as_str().parse().expect("a shipped language is a language tag");
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Plain-text e-mails and PDFs: no Unicode isolation marks around arguments.
            bundle.set_use_isolating(false);
            for (file, source) in *files {
                let resource = FluentResource::try_new((*source).to_owned())
                    .unwrap_or_else(|(_, errors)| panic!("{}/{file} does not parse: {errors:?}", language.as_str()));
                bundle
                    .add_resource(resource)
                    .unwrap_or_else(|errors| panic!("{}/{file} repeats a message: {errors:?}", language.as_str()));
            }
            (*language, bundle)
        })
        .collect()
});

fn bundle(language: Language) -> &'static Bundle {
    &BUNDLES.iter().find(|(l, _)| *l == language).expect("every language has a bundle").1
}

impl Language {
    /// A BCP 47 tag's language if Portico speaks it (`de-CH` → German), for documents written
    /// in a locale's language.
    pub fn of_locale(tag: &str) -> Option<Language> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Language::iter().find(|l| l.as_str() == primary)
    }

    /// The month names of its CLDR locale, and where the day stands (German writes "3.").
    fn dates(self) -> (chrono::Locale, &'static str) {
        match self {
            Language::En => (chrono::Locale::en_GB, "%-d"),
            Language::De => (chrono::Locale::de_DE, "%-d."),
            Language::Fr => (chrono::Locale::fr_FR, "%-d"),
        }
    }

    /// A date as this language writes it in a sentence: "3 December 2026", "3. Dezember 2026",
    /// "3 décembre 2026".
    pub fn long_date(self, date: NaiveDate) -> String {
        let (locale, day) = self.dates();
        date.format_localized(&format!("{day} %B %Y"), locale).to_string()
    }

    /// A date in a table column: "3 Dec 2026", "3. Dez. 2026", "3 déc. 2026".
    pub fn short_date(self, date: NaiveDate) -> String {
        let (locale, day) = self.dates();
        date.format_localized(&format!("{day} %b %Y"), locale).to_string()
    }
}

/// An argument of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    /// Chooses plural forms (`{ $count -> [one] … *[other] … }`).
    Number(i64),
    /// Written as the reader's language writes dates.
    Date(NaiveDate),
    /// Another text, said in the same language ("{ $by } { $what }").
    Say(Box<Text>),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_owned())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}
impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Number(n as i64)
    }
}
impl From<Text> for Arg {
    fn from(t: Text) -> Self {
        Arg::Say(Box::new(t))
    }
}
impl From<NaiveDate> for Arg {
    fn from(d: NaiveDate) -> Self {
        Arg::Date(d)
    }
}

/// Something to say, in whichever language its reader reads: a message of the catalogues
/// with its arguments, or words someone wrote (a comment's excerpt), which stay as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    Message {
        id: &'static str,
        args: Vec<(&'static str, Arg)>,
    },
    Verbatim(String),
    /// Texts said in the same language one after another, with `separator` between them.
    Joined(Vec<Text>, &'static str),
}

impl Text {
    pub fn new(id: &'static str) -> Self {
        Text::Message { id, args: Vec::new() }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        if let Text::Message { args, .. } = &mut self {
            args.push((name, value.into()));
        }
        self
    }

    pub fn verbatim(s: impl Into<String>) -> Self {
        Text::Verbatim(s.into())
    }

    pub fn render(&self, language: Language) -> String {
        match self {
            Text::Verbatim(s) => s.clone(),
            Text::Message { id, args } => say(language, id, args),
            Text::Joined(texts, separator) => {
                texts.iter().map(|t| t.render(language)).collect::<Vec<_>>().join(separator)
            }
        }
    }
}

/// Whether `language` has message `id` (for ids made at run time, like a payment method's).
pub fn has(language: Language, id: &str) -> bool {
    bundle(language).has_message(id)
}

/// Message `id` in `language` (English where a language lacks it, which the catalogue test
/// forbids; the id itself, logged, where English lacks it too).
pub fn say(language: Language, id: &str, args: &[(&'static str, Arg)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        let value = match value {
            Arg::Text(s) => FluentValue::String(Cow::Owned(s.clone())),
            Arg::Number(n) => FluentValue::from(*n),
            Arg::Date(d) => FluentValue::String(Cow::Owned(language.long_date(*d))),
            Arg::Say(t) => FluentValue::String(Cow::Owned(t.render(language))),
        };
        fluent.set(*name, value);
    }
    for candidate in [language, Language::En] {
        let bundle = bundle(candidate);
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fluent), &mut errors);
            if !errors.is_empty() {
                tracing::error!(id, language = candidate.as_str(), ?errors, "a message did not format cleanly");
            }
            return text.into_owned();
        }
    }
    tracing::error!(id, "no language has this message");
    id.to_owned()
}

tokio::task_local! {
    static REQUEST_LANGUAGE: Language;
}

/// The language the current request asked for (`Accept-Language`), English outside a request:
/// what an answer's problem details are written in.
pub fn current() -> Language {
    REQUEST_LANGUAGE.try_with(|l| *l).unwrap_or(Language::En)
}

/// The shipped language `Accept-Language` prefers most (`de-CH;q=0.9, fr;q=0.8` → German),
/// English when it names none Portico speaks.
pub fn negotiate(header: &str) -> Language {
    let mut offers: Vec<(f32, usize, Language)> = header
        .split(',')
        .enumerate()
        .filter_map(|(at, part)| {
            let mut pieces = part.split(';');
            let language = Language::of_locale(pieces.next()?.trim())?;
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, at, language))
        })
        .collect();
    // The highest weight first; of equal weights, the one written first.
    offers.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    offers.first().map_or(Language::En, |o| o.2)
}

/// Runs each request in the language its `Accept-Language` asks for (English without one),
/// and says on a problem answer which language its words are in (`Content-Language`).
pub async fn language_of_request(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::http::header::{ACCEPT_LANGUAGE, CONTENT_LANGUAGE, HeaderValue, VARY};
    let asked = req.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(negotiate);
    let language = asked.unwrap_or(Language::En);
    let mut res = REQUEST_LANGUAGE.scope(language, next.call(req)).await?;
    let problem = res
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .is_some_and(|c| c.as_bytes().starts_with(b"application/problem+json"));
    if problem {
        res.headers_mut().insert(CONTENT_LANGUAGE, HeaderValue::from_static(language.as_str()));
        res.headers_mut().append(VARY, HeaderValue::from_static("Accept-Language"));
    }
    Ok(res)
}

/// A problem's words in the current request's language: `problem!("invoice-not-draft")`.
#[macro_export]
macro_rules! problem {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::t!($crate::i18n::current(), $id $(, $name = $value)*)
    };
}

/// `say` with arguments written inline: `t!(lang, "invoice-due", number = &inv.number)`.
#[macro_export]
macro_rules! t {
    ($language:expr, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::say($language, $id, &[$((stringify!($name), $crate::i18n::Arg::from($value))),*])
    };
}

/// A `Text` with arguments written inline: `text!("reply-title", author = name, task = &t.title)`.
#[macro_export]
macro_rules! text {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Text::new($id)$(.arg(stringify!($name), $value))*
    };
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast::{self, Entry, Expression, InlineExpression, PatternElement};

    use super::*;

    /// Each message's id and the variables it uses, of one language.
    fn messages(language: Language) -> BTreeMap<String, BTreeSet<String>> {
        let files = CATALOGUES.iter().find(|(l, _)| *l == language).unwrap().1;
        let mut out = BTreeMap::new();
        for (file, source) in files {
            let resource = fluent_syntax::parser::parse(*source)
                .unwrap_or_else(|(_, e)| panic!("{}/{file}: {e:?}", language.as_str()));
            for entry in resource.body {
                if let Entry::Message(m) = entry {
                    let mut vars = BTreeSet::new();
                    if let Some(p) = &m.value {
                        pattern_vars(p, &mut vars);
                    }
                    assert!(out.insert(m.id.name.to_owned(), vars).is_none(), "{} repeats {}", file, m.id.name);
                }
            }
        }
        out
    }

    fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
        for element in &p.elements {
            if let PatternElement::Placeable { expression } = element {
                expression_vars(expression, vars);
            }
        }
    }

    fn expression_vars(e: &Expression<&str>, vars: &mut BTreeSet<String>) {
        match e {
            Expression::Inline(i) => inline_vars(i, vars),
            Expression::Select { selector, variants } => {
                inline_vars(selector, vars);
                for v in variants {
                    pattern_vars(&v.value, vars);
                }
            }
        }
    }

    fn inline_vars(i: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
        match i {
            InlineExpression::VariableReference { id } => {
                vars.insert(id.name.to_owned());
            }
            InlineExpression::Placeable { expression } => expression_vars(expression, vars),
            InlineExpression::FunctionReference { arguments, .. } => {
                for a in &arguments.positional {
                    inline_vars(a, vars);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_language_has_every_message_english_has_with_the_same_arguments() {
        let english = messages(Language::En);
        assert!(english.len() > 20, "English has the messages");
        for language in [Language::De, Language::Fr] {
            let theirs = messages(language);
            let missing: Vec<_> = english.keys().filter(|k| !theirs.contains_key(*k)).collect();
            let extra: Vec<_> = theirs.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", language.as_str());
            assert!(extra.is_empty(), "{} has messages English lacks: {extra:?}", language.as_str());
            for (id, vars) in &english {
                // A translation may leave out a count it spells as a word; never invent one.
                let unknown: Vec<_> = theirs[id].difference(vars).collect();
                assert!(
                    unknown.is_empty(),
                    "{}: {id} uses {unknown:?}, which English does not pass",
                    language.as_str()
                );
            }
        }
    }

    #[test]
    fn every_message_the_code_says_is_in_english() {
        let english = messages(Language::En);
        let mut used = BTreeSet::new();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let pattern = ["t!(", "text!(", "Text::new(", "say(", "problem!(", "conflict_on_unique("];
        let mut stack = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("i18n.rs") {
                    let source = std::fs::read_to_string(&path).unwrap();
                    for start in pattern {
                        for (at, _) in source.match_indices(start) {
                            // `t!(` but not `format!(`.
                            if source[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                                continue;
                            }
                            let rest = &source[at + start.len()..];
                            // The id is the first string literal of the call.
                            if let Some(open) = rest.find('"').filter(|o| !rest[..*o].contains(')')) {
                                let id: String = rest[open + 1..].chars().take_while(|c| *c != '"').collect();
                                used.insert((id, path.display().to_string()));
                            }
                        }
                    }
                }
            }
        }
        assert!(used.len() > 20, "the code says things: {used:?}");
        let missing: Vec<_> = used.iter().filter(|(id, _)| !english.contains_key(id)).collect();
        assert!(missing.is_empty(), "said but not in English: {missing:?}");
    }

    #[test]
    fn a_message_takes_its_arguments_and_plurals_in_each_language() {
        for language in [Language::En, Language::De, Language::Fr] {
            let one = say(language, "files-await-review", &[("count", Arg::Number(1))]);
            let many = say(language, "files-await-review", &[("count", Arg::Number(3))]);
            assert_ne!(one, many, "{}", language.as_str());
            assert!(many.contains('3'), "{many}");
        }
        assert_eq!(Language::De.long_date(NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()), "3. Dezember 2026");
        assert_eq!(Language::Fr.long_date(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()), "1 mars 2026");
        assert_eq!(Language::En.long_date(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()), "1 March 2026");
        assert_eq!(Language::of_locale("de-CH"), Some(Language::De));
        assert_eq!(Language::of_locale("it-IT"), None);
    }

    #[test]
    fn every_permission_is_described_in_english() {
        for p in crate::auth::permissions::Perm::ALL {
            for id in [format!("permission-{}", p.message_id()), format!("permission-{}-description", p.message_id())] {
                assert!(has(Language::En, &id), "{id}");
            }
        }
    }

    #[test]
    fn a_request_speaks_the_shipped_language_its_accept_language_weighs_most() {
        assert_eq!(negotiate("de-CH,de;q=0.9,en;q=0.8"), Language::De);
        assert_eq!(negotiate("it-IT, fr;q=0.5, en;q=0.4"), Language::Fr);
        assert_eq!(negotiate("en;q=0.2, fr;q=0.9"), Language::Fr);
        assert_eq!(negotiate("de;q=0, fr;q=0.1"), Language::Fr, "q=0 refuses a language");
        assert_eq!(negotiate("it, es"), Language::En);
        assert_eq!(negotiate("*"), Language::En);
        assert_eq!(negotiate(""), Language::En);
        assert_eq!(current(), Language::En, "outside a request");
    }
}
