//! Money: an amount in a currency's minor unit (cents for EUR, yen for JPY, fils for KWD),
//! never a float. The currency's minor-unit exponent comes from ISO 4217 (the `iso_currency`
//! data), so amounts are shown right for currencies without cents or with three decimals.
use std::fmt;

use icu_decimal::{DecimalFormatter, input::Decimal, options::DecimalFormatterOptions};
use icu_locale_core::{
    Locale,
    extensions::unicode::{key, value},
    locale,
};
use iso_currency::Currency;

use crate::error::{ApiError, ApiResult};

/// An amount of `currency` in its minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money<'a> {
    pub minor: i64,
    pub currency: &'a str,
}

impl<'a> Money<'a> {
    pub fn new(minor: i64, currency: &'a str) -> Self {
        Self { minor, currency }
    }

    /// Digits after the decimal point: 2 for EUR, 0 for JPY, 3 for KWD (2 for a code ISO 4217
    /// does not know, which validated input never holds).
    pub fn exponent(&self) -> u32 {
        exponent(self.currency).unwrap_or(2)
    }
}

/// The minor-unit exponent of an ISO 4217 currency that has one.
pub fn exponent(code: &str) -> Option<u32> {
    Currency::from_code(code).and_then(|c| c.exponent()).map(u32::from)
}

/// `code` as an ISO 4217 currency that has a minor unit (upper-cased), or a 422 naming `field`.
pub fn currency(field: &str, code: &str) -> ApiResult<String> {
    let code = code.trim().to_uppercase();
    match exponent(&code) {
        Some(_) => Ok(code),
        None => Err(ApiError::field(field, crate::problem!("money-currency"))),
    }
}

/// How a locale writes numbers: its decimal and grouping separators, digits and minus sign,
/// from the CLDR data ICU4X compiles in. One per document or message: making one is cheap
/// (about a microsecond), but not free.
pub struct Numbers {
    formatter: DecimalFormatter,
}

/// The digits the documents' font draws: Latin, Arabic-Indic and Extended Arabic-Indic (the
/// numbering systems a locale may name with `-u-nu-`).
const DRAWN_DIGITS: [&str; 3] = ["latn", "arab", "arabext"];

/// `value`·10⁻`digits` as a decimal that keeps all `digits` places.
fn scaled(value: i64, digits: u32) -> Decimal {
    let mut d = Decimal::from(value);
    d.multiply_pow10(-(digits.min(18) as i16));
    d
}

fn drawn_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{0660}'..='\u{0669}').contains(&c) || ('\u{06f0}'..='\u{06f9}').contains(&c)
}

impl Numbers {
    /// The numbers of `tag`, a BCP 47 locale (`de-DE`, `fr-CH`, `en-IN`); a tag CLDR has no
    /// data for falls back along its parents (`de-AT` → `de`), one that does not parse (which
    /// validated settings never hold) to English. A locale whose own digits the documents'
    /// font cannot draw (Bengali, Devanagari, Thai…) keeps its separators with Latin digits.
    pub fn new(tag: &str) -> Self {
        let mut locale = Locale::try_from_str(tag).unwrap_or(locale!("en"));
        let numbers = Self::of(&locale);
        if numbers.fixed(-1_234_567_890, 2).chars().filter(|c| c.is_numeric()).all(drawn_digit) {
            return numbers;
        }
        locale.extensions.unicode.keywords.set(key!("nu"), value!("latn"));
        Self::of(&locale)
    }

    fn of(locale: &Locale) -> Self {
        let formatter = DecimalFormatter::try_new(locale.into(), DecimalFormatterOptions::default())
            .or_else(|_| DecimalFormatter::try_new(locale!("en").into(), DecimalFormatterOptions::default()))
            .expect("the compiled CLDR data has English");
        Self { formatter }
    }

    /// The formatted number without the bidirectional marks some locales put around a minus
    /// sign (Arabic's letter mark): documents are laid out left to right and their font has no
    /// glyph for them.
    fn write(&self, d: &Decimal) -> String {
        let text = self.formatter.format(d).to_string();
        text.replace(['\u{061c}', '\u{200e}', '\u{200f}'], "")
    }

    /// `value`·10⁻`digits` with all `digits` decimals: `fixed(150, 2)` is `1.50` in English,
    /// `1,50` in German.
    pub fn fixed(&self, value: i64, digits: u32) -> String {
        self.write(&scaled(value, digits))
    }

    /// As [`Numbers::fixed`] without trailing zeros: `7.5`, `1`, `0.125`.
    pub fn trimmed(&self, value: i64, digits: u32) -> String {
        let mut d = scaled(value, digits);
        d.absolute.trim_end();
        self.write(&d)
    }

    /// `1,234.56 EUR` (en), `1.234,56 EUR` (de), `1 234,56 EUR` (fr, with a narrow no-break
    /// space), `123,456 JPY`: the locale's separators, the currency's own number of decimals,
    /// the ISO code after (a code reads the same in every language, unlike `$`, which is not
    /// only the US dollar).
    pub fn money(&self, m: Money) -> String {
        format!("{} {}", self.fixed(m.minor, m.exponent()), m.currency)
    }
}

/// `tag` as a BCP 47 locale in its canonical spelling (`de-de` → `de-DE`), or a 422 naming
/// `field`: a language of two or three letters, optionally a script and a region, and at most
/// a numbering system the documents can draw (`-u-nu-latn`, `-u-nu-arab`, `-u-nu-arabext`).
/// Variants, other extensions and private use say nothing about numbers and are refused.
pub fn locale(field: &str, tag: &str) -> ApiResult<String> {
    let refuse = || ApiError::field(field, crate::problem!("money-locale"));
    let tag = tag.trim();
    if tag.is_empty() || tag.len() > 35 {
        return Err(refuse());
    }
    let locale = Locale::try_from_str(tag).map_err(|_| refuse())?;
    let language = locale.id.language;
    let ext = &locale.extensions;
    let numbering_only = ext.unicode.attributes.is_empty()
        && ext.unicode.keywords.iter().all(|(k, v)| *k == key!("nu") && DRAWN_DIGITS.contains(&v.to_string().as_str()));
    if language.is_unknown()
        || language.as_str().len() > 3
        || !locale.id.variants.is_empty()
        || !ext.transform.is_empty()
        || !ext.private.is_empty()
        || !ext.other.is_empty()
        || !numbering_only
    {
        return Err(refuse());
    }
    Ok(locale.to_string())
}

/// English, for text no reader's locale applies to (logs, the audit trail).
impl fmt::Display for Money<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        thread_local! {
            static ENGLISH: Numbers = Numbers::new("en");
        }
        f.write_str(&ENGLISH.with(|n| n.money(*self)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_show_the_currencys_own_decimals() {
        assert_eq!(Money::new(123_456, "EUR").to_string(), "1,234.56 EUR");
        assert_eq!(Money::new(123_456, "JPY").to_string(), "123,456 JPY");
        assert_eq!(Money::new(1_234_567, "KWD").to_string(), "1,234.567 KWD");
        assert_eq!(Money::new(5, "USD").to_string(), "0.05 USD");
        assert_eq!(Money::new(-150, "EUR").to_string(), "-1.50 EUR");
        assert_eq!(Money::new(100_000_000, "EUR").to_string(), "1,000,000.00 EUR");
        assert_eq!(Money::new(0, "JPY").to_string(), "0 JPY");
    }

    #[test]
    fn each_locale_writes_amounts_with_its_own_separators() {
        let eur = Money::new(123_456_789, "EUR");
        assert_eq!(Numbers::new("en").money(eur), "1,234,567.89 EUR");
        assert_eq!(Numbers::new("de-DE").money(eur), "1.234.567,89 EUR");
        // French groups with a narrow no-break space; Swiss German with an apostrophe.
        assert_eq!(Numbers::new("fr-FR").money(eur), "1\u{202f}234\u{202f}567,89 EUR");
        assert_eq!(Numbers::new("de-CH").money(eur), "1'234'567.89 EUR");
        // India groups by lakh and crore.
        assert_eq!(Numbers::new("en-IN").money(eur), "12,34,567.89 EUR");
        assert_eq!(Numbers::new("de").money(Money::new(123_456, "JPY")), "123.456 JPY");
        assert_eq!(Numbers::new("de-AT").money(Money::new(-150, "EUR")), "-1,50 EUR");
        // A region CLDR has nothing of its own for falls back to the language.
        assert_eq!(
            Numbers::new("de-BR").money(Money::new(100, "CHF")),
            Numbers::new("de").money(Money::new(100, "CHF"))
        );
    }

    #[test]
    fn digits_the_documents_cannot_draw_become_latin_and_bidi_marks_go() {
        // Bengali writes its own digits by default: the separators stay, the digits are Latin.
        assert_eq!(Numbers::new("bn").money(Money::new(123_456_789, "EUR")), "12,34,567.89 EUR");
        // Arabic's own digits are drawn; the letter mark before its minus sign is not kept.
        let arabic = Numbers::new("ar-EG").money(Money::new(-150, "EGP"));
        assert!(arabic.starts_with("-١٫٥٠"), "{arabic:?}");
        assert!(!arabic.contains('\u{061c}'));
    }

    #[test]
    fn a_formatter_may_cross_threads() {
        fn send_and_sync<T: Send + Sync>() {}
        send_and_sync::<Numbers>();
    }

    #[test]
    fn quantities_and_rates_lose_their_trailing_zeros_but_keep_the_locales_comma() {
        let de = Numbers::new("de-DE");
        assert_eq!(de.trimmed(7_500, 3), "7,5");
        assert_eq!(de.trimmed(1_000, 3), "1");
        assert_eq!(de.trimmed(125, 3), "0,125");
        assert_eq!(Numbers::new("en").trimmed(1_234_000, 3), "1,234");
    }

    #[test]
    fn locales_are_checked_and_written_canonically() {
        assert_eq!(locale("locale", " de-de ").unwrap(), "de-DE");
        assert_eq!(locale("locale", "en").unwrap(), "en");
        assert_eq!(locale("locale", "ar-EG-u-nu-latn").unwrap(), "ar-EG-u-nu-latn");
        assert_eq!(locale("locale", "fa-IR-u-nu-arabext").unwrap(), "fa-IR-u-nu-arabext");
        for bad in [
            "",
            "english",
            "und",
            "de_DE!",
            "12",
            "x-private",
            "de-1901",
            "de-x-foo",
            "en-u-ca-buddhist",
            "en-u-nu-thai",
        ] {
            assert!(locale("locale", bad).is_err(), "{bad:?} is not a locale");
        }
    }

    #[test]
    fn only_iso_currencies_with_a_minor_unit_are_accepted() {
        assert_eq!(currency("currency", " eur ").unwrap(), "EUR");
        assert_eq!(exponent("JPY"), Some(0));
        assert!(currency("currency", "EU").is_err());
        assert!(currency("currency", "ABC").is_err());
        // Gold has no minor unit: an invoice cannot be written in it.
        assert!(currency("currency", "XAU").is_err());
    }
}
