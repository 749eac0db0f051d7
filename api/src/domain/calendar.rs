//! The agency's working calendar, and time measured in it: a client who writes on Friday
//! evening and is answered on Monday at ten has waited one business hour, not sixty-three.
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::{
    entities::portal_settings::{Weekday, WorkingCalendar},
    error::{ApiError, ApiResult},
    problem,
};

impl Default for WorkingCalendar {
    /// Monday to Friday, nine to five, UTC.
    fn default() -> Self {
        use Weekday::*;
        Self {
            time_zone: "UTC".into(),
            days: vec![Mon, Tue, Wed, Thu, Fri],
            starts: "09:00".into(),
            ends: "17:00".into(),
            holidays: Vec::new(),
        }
    }
}

/// A calendar checked once, ready to measure with.
#[derive(Debug, Clone)]
pub struct Calendar {
    zone: Tz,
    days: [bool; 7],
    starts: NaiveTime,
    /// `None`: the end of the day (midnight after it).
    ends: Option<NaiveTime>,
    holidays: Vec<NaiveDate>,
}

fn time(s: &str) -> Option<NaiveTime> {
    // Exactly HH:MM: `9:00` or `09:00:30` would be read differently by different readers.
    if s.len() != 5 || s.as_bytes()[2] != b':' {
        return None;
    }
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

fn weekday_index(day: Weekday) -> usize {
    day as usize
}

/// The most holidays a calendar keeps (a bit more than a year of days).
pub const MAX_HOLIDAYS: usize = 400;

impl Calendar {
    /// Checks `c`, naming the field at fault (under `field`) in the problem.
    pub fn new(c: &WorkingCalendar, field: &str) -> ApiResult<Calendar> {
        let zone: Tz = Some(&c.time_zone)
            .filter(|z| z.len() <= 64)
            .and_then(|z| z.parse().ok())
            .ok_or_else(|| ApiError::field(&format!("{field}.time_zone"), problem!("calendar-time-zone")))?;
        if c.days.is_empty() {
            return Err(ApiError::field(&format!("{field}.days"), problem!("calendar-no-days")));
        }
        if c.days.len() > 7 {
            return Err(ApiError::field(&format!("{field}.days"), problem!("calendar-days-once")));
        }
        let mut days = [false; 7];
        for d in &c.days {
            days[weekday_index(*d)] = true;
        }
        let starts =
            time(&c.starts).ok_or_else(|| ApiError::field(&format!("{field}.starts"), problem!("calendar-time")))?;
        let ends = match c.ends.as_str() {
            "24:00" => None,
            s => Some(time(s).ok_or_else(|| ApiError::field(&format!("{field}.ends"), problem!("calendar-time")))?),
        };
        if ends.is_some_and(|e| e <= starts) {
            return Err(ApiError::field(&format!("{field}.ends"), problem!("calendar-ends-before-start")));
        }
        if c.holidays.len() > MAX_HOLIDAYS {
            return Err(ApiError::field(
                &format!("{field}.holidays"),
                problem!("calendar-holidays-at-most", max = MAX_HOLIDAYS),
            ));
        }
        let mut holidays = c.holidays.clone();
        holidays.sort_unstable();
        holidays.dedup();
        Ok(Calendar { zone, days, starts, ends, holidays })
    }

    /// The stored calendar; one that no longer parses (a time zone a newer database renamed)
    /// falls back to the default rather than failing every metric.
    pub fn of(c: &WorkingCalendar) -> Calendar {
        Calendar::new(c, "working_calendar").unwrap_or_else(|_| {
            Calendar::new(&WorkingCalendar::default(), "working_calendar").expect("the default calendar is valid")
        })
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    fn works_on(&self, day: NaiveDate) -> bool {
        self.days[day.weekday().num_days_from_monday() as usize] && self.holidays.binary_search(&day).is_err()
    }

    /// The instant a local wall-clock time happens on `day`; in a spring-forward gap, the
    /// moment the clocks jump.
    fn at(&self, day: NaiveDate, t: NaiveTime) -> DateTime<Utc> {
        let local = day.and_time(t);
        match self.zone.from_local_datetime(&local) {
            chrono::LocalResult::Single(x) => x.with_timezone(&Utc),
            chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
            chrono::LocalResult::None => {
                // Step forward a minute at a time until the wall clock exists again (at most the
                // gap, which no zone makes longer than a day).
                let mut probe = local;
                for _ in 0..24 * 60 {
                    probe += Duration::minutes(1);
                    if let Some(x) = self.zone.from_local_datetime(&probe).earliest() {
                        return x.with_timezone(&Utc);
                    }
                }
                Utc.from_utc_datetime(&local)
            }
        }
    }

    /// The working span of `day`, if it is a working day.
    fn span(&self, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.works_on(day) {
            return None;
        }
        let start = self.at(day, self.starts);
        let end = match self.ends {
            Some(e) => self.at(day, e),
            None => self.at(day.succ_opt()?, NaiveTime::MIN),
        };
        Some((start, end))
    }

    /// Working time between two instants, in seconds (0 when `to` is not after `from`).
    pub fn business_seconds(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to <= from {
            return 0;
        }
        let first = from.with_timezone(&self.zone).date_naive();
        let last = to.with_timezone(&self.zone).date_naive();
        let mut total = 0;
        let mut day = first;
        while day <= last {
            if let Some((start, end)) = self.span(day) {
                let (a, b) = (start.max(from), end.min(to));
                if b > a {
                    total += (b - a).num_seconds();
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        total
    }

    /// The instant `seconds` of working time after `from` (within the next ten years; `from`
    /// itself for none).
    pub fn after_business_seconds(&self, from: DateTime<Utc>, seconds: i64) -> DateTime<Utc> {
        let mut left = seconds;
        if left <= 0 {
            return from;
        }
        let mut day = from.with_timezone(&self.zone).date_naive();
        for _ in 0..3660 {
            if let Some((start, end)) = self.span(day) {
                let start = start.max(from);
                if end > start {
                    let here = (end - start).num_seconds();
                    if here >= left {
                        return start + Duration::seconds(left);
                    }
                    left -= here;
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        from + Duration::seconds(seconds)
    }

    /// The latest instant from which `seconds` of working time pass until `to` (within the ten
    /// years before it).
    pub fn before_business_seconds(&self, to: DateTime<Utc>, seconds: i64) -> DateTime<Utc> {
        let mut left = seconds;
        if left <= 0 {
            return to;
        }
        let mut day = to.with_timezone(&self.zone).date_naive();
        for _ in 0..3660 {
            if let Some((start, end)) = self.span(day) {
                let end = end.min(to);
                if end > start {
                    let here = (end - start).num_seconds();
                    if here >= left {
                        return end - Duration::seconds(left);
                    }
                    left -= here;
                }
            }
            match day.pred_opt() {
                Some(previous) => day = previous,
                None => break,
            }
        }
        to - Duration::seconds(seconds)
    }

    /// The local date of `at` in the calendar's zone (weeks and days are the agency's).
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }

    /// The Monday of the week `at` falls in, in the calendar's zone.
    pub fn week_of(&self, at: DateTime<Utc>) -> NaiveDate {
        let day = self.local_date(at);
        day - Duration::days(day.weekday().num_days_from_monday().into())
    }

    /// The Mondays of every week from `from` up to `to` (those it only touches too).
    pub fn weeks(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> impl Iterator<Item = NaiveDate> + '_ {
        std::iter::successors(Some(self.week_of(from)), |w| w.checked_add_signed(Duration::weeks(1)))
            .take_while(move |w| self.start_of(*w) < to)
    }

    /// Midnight starting `day` in the calendar's zone.
    pub fn start_of(&self, day: NaiveDate) -> DateTime<Utc> {
        self.at(day, NaiveTime::MIN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn calendar(zone: &str, holidays: &[&str]) -> Calendar {
        let c = WorkingCalendar {
            time_zone: zone.into(),
            holidays: holidays.iter().map(|d| d.parse().unwrap()).collect(),
            ..Default::default()
        };
        Calendar::new(&c, "working_calendar").unwrap()
    }

    #[test]
    fn within_one_working_day_it_is_the_plain_difference() {
        let c = calendar("UTC", &[]);
        // Monday 2026-11-02.
        assert_eq!(c.business_seconds(utc("2026-11-02T10:00:00Z"), utc("2026-11-02T12:30:00Z")), 9000);
    }

    #[test]
    fn evenings_and_weekends_do_not_count() {
        let c = calendar("UTC", &[]);
        // Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday.
        assert_eq!(c.business_seconds(utc("2026-11-06T16:00:00Z"), utc("2026-11-09T10:00:00Z")), 7200);
        // Saturday to Sunday: nothing.
        assert_eq!(c.business_seconds(utc("2026-11-07T09:00:00Z"), utc("2026-11-08T18:00:00Z")), 0);
        // Before opening to after closing: the whole day.
        assert_eq!(c.business_seconds(utc("2026-11-02T06:00:00Z"), utc("2026-11-02T20:00:00Z")), 8 * 3600);
    }

    #[test]
    fn a_holiday_is_not_a_working_day() {
        let c = calendar("UTC", &["2026-11-03"]);
        // Monday 15:00 to Wednesday 10:00, Tuesday off: 2 h + 1 h.
        assert_eq!(c.business_seconds(utc("2026-11-02T15:00:00Z"), utc("2026-11-04T10:00:00Z")), 3 * 3600);
    }

    #[test]
    fn hours_are_the_agencys_local_hours() {
        let c = calendar("Europe/Berlin", &[]);
        // 08:00 UTC is 09:00 in Berlin in winter: the day has just begun.
        assert_eq!(c.business_seconds(utc("2026-11-02T07:00:00Z"), utc("2026-11-02T09:00:00Z")), 3600);
        // Across the spring change (2027-03-28 is a Sunday): Friday 16:00 CET to Monday
        // 10:00 CEST is still one hour each side.
        assert_eq!(c.business_seconds(utc("2027-03-26T15:00:00Z"), utc("2027-03-29T08:00:00Z")), 7200);
    }

    #[test]
    fn counting_forward_lands_where_counting_between_says() {
        let c = calendar("Europe/Berlin", &["2026-11-11"]);
        let from = utc("2026-11-06T15:00:00Z");
        let to = c.after_business_seconds(from, 7200);
        assert_eq!(to, utc("2026-11-09T09:00:00Z"), "Friday 16:00 + 2 h is Monday 10:00");
        for hours in [1, 5, 8, 13, 30] {
            let at = c.after_business_seconds(from, hours * 3600);
            assert_eq!(c.business_seconds(from, at), hours * 3600);
            let back = c.before_business_seconds(at, hours * 3600);
            assert_eq!(c.business_seconds(back, at), hours * 3600);
            assert!(back >= from, "the latest such instant");
        }
        assert_eq!(c.before_business_seconds(utc("2026-11-09T09:00:00Z"), 7200), utc("2026-11-06T15:00:00Z"));
    }

    #[test]
    fn a_backwards_or_empty_span_is_zero() {
        let c = calendar("UTC", &[]);
        assert_eq!(c.business_seconds(utc("2026-11-02T12:00:00Z"), utc("2026-11-02T10:00:00Z")), 0);
    }

    #[test]
    fn weeks_start_on_the_agencys_monday() {
        let c = calendar("Pacific/Auckland", &[]);
        // Sunday 20:00 UTC is already Monday in Auckland.
        assert_eq!(c.week_of(utc("2026-11-08T20:00:00Z")).to_string(), "2026-11-09");
    }

    #[test]
    fn a_calendar_that_makes_no_sense_is_refused_by_field() {
        let bad = |f: fn(&mut WorkingCalendar)| {
            let mut c = WorkingCalendar::default();
            f(&mut c);
            Calendar::new(&c, "working_calendar").is_err()
        };
        assert!(bad(|c| c.time_zone = "Mars/Olympus".into()));
        assert!(bad(|c| c.days.clear()));
        assert!(bad(|c| c.days = vec![Weekday::Fri; 8]));
        assert!(bad(|c| c.starts = "9:00".into()));
        assert!(bad(|c| c.ends = "08:00".into()));
        assert!(!bad(|c| c.ends = "24:00".into()));
    }
}
