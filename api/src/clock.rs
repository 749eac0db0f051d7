//! The time Portico's measured facts are stamped with: sign-ins, comments and the waits
//! between them. In production it is the system's clock. A test can stop it at chosen
//! instants, so that "answered on Monday at ten" is a fact it can arrange and check to the
//! second; it is set only through this handle, which nothing reachable over HTTP holds.
use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use chrono::{DateTime, Utc};

/// An adjustable clock not set yet: it reads the system's time.
const UNSET: i64 = i64::MIN;

#[derive(Clone, Default)]
pub struct Clock {
    /// The instant it stands at (milliseconds since the epoch, or `UNSET`); none for the
    /// system's clock itself.
    fixed: Option<Arc<AtomicI64>>,
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.fixed.as_ref().map(|f| f.load(Ordering::Relaxed)) {
            None | Some(UNSET) => f.write_str("Clock(system)"),
            Some(ms) => write!(f, "Clock(stopped at {ms} ms)"),
        }
    }
}

impl Clock {
    /// A clock that can be set; until it is, it reads the system's time.
    pub fn adjustable() -> Clock {
        Clock { fixed: Some(Arc::new(AtomicI64::new(UNSET))) }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self.fixed.as_ref().map(|f| f.load(Ordering::Relaxed)) {
            None | Some(UNSET) => Utc::now(),
            Some(ms) => DateTime::from_timestamp_millis(ms).unwrap_or_else(Utc::now),
        }
    }

    /// Stops it at `at` until it is set again.
    ///
    /// # Panics
    /// On the system's clock, which nothing may set.
    pub fn set(&self, at: DateTime<Utc>) {
        let fixed = self.fixed.as_ref().expect("the system's clock cannot be set");
        fixed.store(at.timestamp_millis(), Ordering::Relaxed);
    }
}
