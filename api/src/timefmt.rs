//! Timestamps and dates for hot list responses, written byte for byte as chrono's own serde
//! does (RFC 3339 with `Z` and 0, 3, 6 or 9 fractional digits; ISO 8601 dates) but straight
//! into a small buffer. chrono goes through `fmt` and serde_json's escaping adapter one char at
//! a time, which on a page of 50 tasks was about a twentieth of the server's CPU
//! (docs/benchmarks.md). Anything outside years 0–9999 falls back to chrono.
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use serde::{Serialize, Serializer};

fn two(buf: &mut [u8], at: usize, n: u32) {
    buf[at] = b'0' + (n / 10) as u8;
    buf[at + 1] = b'0' + (n % 10) as u8;
}

fn digits(buf: &mut [u8], at: usize, mut n: u32, width: usize) {
    for i in (0..width).rev() {
        buf[at + i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// `YYYY-MM-DD` into `buf[..10]`; None outside years 0–9999.
fn write_date(buf: &mut [u8], d: NaiveDate) -> Option<()> {
    let year = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
    digits(buf, 0, year, 4);
    buf[4] = b'-';
    two(buf, 5, d.month());
    buf[7] = b'-';
    two(buf, 8, d.day());
    Some(())
}

fn ascii(buf: &[u8]) -> &str {
    std::str::from_utf8(buf).expect("only ASCII digits and separators are written")
}

pub fn utc<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; 30];
    let naive = t.naive_utc();
    if write_date(&mut buf, naive.date()).is_none() {
        return t.serialize(s);
    }
    let (mut sec, mut nano) = (naive.second(), naive.nanosecond());
    // chrono keeps a leap second as nanoseconds past 1e9 and prints it as second 60.
    if nano >= 1_000_000_000 {
        sec += 1;
        nano -= 1_000_000_000;
    }
    buf[10] = b'T';
    two(&mut buf, 11, naive.hour());
    buf[13] = b':';
    two(&mut buf, 14, naive.minute());
    buf[16] = b':';
    two(&mut buf, 17, sec);
    let mut len = 19;
    let (value, width) = match nano {
        0 => (0, 0),
        n if n % 1_000_000 == 0 => (n / 1_000_000, 3),
        n if n % 1_000 == 0 => (n / 1_000, 6),
        n => (n, 9),
    };
    if width > 0 {
        buf[len] = b'.';
        digits(&mut buf, len + 1, value, width);
        len += 1 + width;
    }
    buf[len] = b'Z';
    s.serialize_str(ascii(&buf[..len + 1]))
}

pub fn opt_utc<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => utc(t, s),
        None => s.serialize_none(),
    }
}

pub fn date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; 10];
    match write_date(&mut buf, *d) {
        Some(()) => s.serialize_str(ascii(&buf)),
        None => d.serialize(s),
    }
}

pub fn opt_date<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => date(d, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn ours(t: &DateTime<Utc>) -> String {
        utc(t, serde_json::value::Serializer).unwrap().as_str().unwrap().to_owned()
    }

    fn theirs<T: Serialize>(t: &T) -> String {
        serde_json::to_value(t).unwrap().as_str().unwrap().to_owned()
    }

    #[test]
    fn timestamps_read_exactly_as_chronos_own() {
        let base = Utc.with_ymd_and_hms(2026, 11, 28, 8, 5, 9).unwrap();
        let nanos = [0, 1, 7, 999, 1_000, 120_000, 123_456_000, 100_000_000, 5_000_000, 999_999_999, 123_456_789];
        for n in nanos {
            for t in [
                base,
                Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap(),
            ] {
                let t = t + Duration::nanoseconds(n);
                assert_eq!(ours(&t), theirs(&t), "{n}");
            }
        }
        // A leap second, and years chrono writes with a sign.
        let leap = Utc.from_utc_datetime(
            &NaiveDate::from_ymd_opt(2016, 12, 31).unwrap().and_hms_nano_opt(23, 59, 59, 1_500_000_000).unwrap(),
        );
        assert_eq!(ours(&leap), theirs(&leap));
        for y in [-1, 10_000, 262_000] {
            let t = Utc.with_ymd_and_hms(y, 3, 4, 5, 6, 7).unwrap();
            assert_eq!(ours(&t), theirs(&t));
        }
    }

    #[test]
    fn dates_and_absent_values_read_exactly_as_chronos_own() {
        let mut d = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..400 {
            assert_eq!(date(&d, serde_json::value::Serializer).unwrap(), serde_json::to_value(d).unwrap());
            d += Duration::days(37);
        }
        for d in [
            NaiveDate::from_ymd_opt(0, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(-5, 6, 7).unwrap(),
            NaiveDate::from_ymd_opt(12345, 1, 2).unwrap(),
        ] {
            assert_eq!(date(&d, serde_json::value::Serializer).unwrap(), serde_json::to_value(d).unwrap());
        }
        assert_eq!(opt_date(&None, serde_json::value::Serializer).unwrap(), serde_json::Value::Null);
        assert_eq!(opt_utc(&None, serde_json::value::Serializer).unwrap(), serde_json::Value::Null);
    }
}
