//! Money: an amount in a currency's minor unit (cents for EUR, yen for JPY, fils for KWD),
//! never a float. The currency's minor-unit exponent comes from ISO 4217 (the `iso_currency`
//! data), so amounts are shown right for currencies without cents or with three decimals.
use std::fmt;

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
        None => Err(ApiError::field(field, "must be an ISO 4217 currency code, e.g. EUR")),
    }
}

/// `1,234.56 EUR`, `1,234 JPY`, `1.234 KWD`: grouped thousands, the currency's own number of
/// decimals, the code after.
impl fmt::Display for Money<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let exp = self.exponent();
        let scale = 10u64.pow(exp);
        let abs = self.minor.unsigned_abs();
        let (major, minor) = (abs / scale, abs % scale);
        let digits = major.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(d);
        }
        let sign = if self.minor < 0 { "-" } else { "" };
        if exp == 0 {
            write!(f, "{sign}{grouped} {}", self.currency)
        } else {
            write!(f, "{sign}{grouped}.{minor:0width$} {}", self.currency, width = exp as usize)
        }
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
    fn only_iso_currencies_with_a_minor_unit_are_accepted() {
        assert_eq!(currency("currency", " eur ").unwrap(), "EUR");
        assert_eq!(exponent("JPY"), Some(0));
        assert!(currency("currency", "EU").is_err());
        assert!(currency("currency", "ABC").is_err());
        // Gold has no minor unit: an invoice cannot be written in it.
        assert!(currency("currency", "XAU").is_err());
    }
}
