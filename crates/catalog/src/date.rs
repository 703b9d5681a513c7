//! Calendar dates for the catalog's lifecycle data (retirement dates, table revisions).
//!
//! The catalog never reads the clock: every date-aware question takes "today" as a parameter, so plans are
//! reproducible and tests can pin the date. [`CatalogDate::from_system_time`] is for the caller that owns the clock.

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

/// A day of the proleptic Gregorian calendar (UTC), as the catalog writes it: `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CatalogDate {
    /// Days since 1970-01-01.
    days: i64,
}

impl CatalogDate {
    /// The date of a year, month (1-12) and day (1-31), if it exists.
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<CatalogDate> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(CatalogDate { days: days_from_civil(year, month, day) })
    }

    /// Parses exactly `YYYY-MM-DD` (a real calendar day; surrounding blanks ignored).
    pub fn parse(text: &str) -> Option<CatalogDate> {
        let b = text.trim().as_bytes();
        let shaped = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shaped {
            return None;
        }
        let text = text.trim();
        let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
        CatalogDate::from_ymd(i64::from(number(0..4)?), number(5..7)?, number(8..10)?)
    }

    /// The UTC day of a point in time (e.g. `SystemTime::now()` at plan).
    pub fn from_system_time(time: SystemTime) -> CatalogDate {
        let seconds = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => after.as_secs() as i64,
            Err(before) => -(before.duration().as_secs() as i64),
        };
        CatalogDate::from_unix_seconds(seconds)
    }

    /// The UTC day of a Unix timestamp.
    pub fn from_unix_seconds(seconds: i64) -> CatalogDate {
        CatalogDate { days: seconds.div_euclid(86_400) }
    }

    /// Days from `self` to `later`: positive when `later` is after `self`, negative when before.
    pub fn days_until(self, later: CatalogDate) -> i64 {
        later.days - self.days
    }

    /// The date `days` days later (earlier when negative).
    pub fn plus_days(self, days: i64) -> CatalogDate {
        CatalogDate { days: self.days + days }
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.days)
    }
}

impl fmt::Display for CatalogDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// Why a text is not a catalog date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date of the form YYYY-MM-DD")]
pub struct DateParseError(pub String);

impl FromStr for CatalogDate {
    type Err = DateParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CatalogDate::parse(s).ok_or_else(|| DateParseError(s.to_owned()))
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil-calendar algorithms (days since 1970-01-01 <-> y/m/d).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> CatalogDate {
        CatalogDate::parse(s).unwrap()
    }

    #[test]
    fn parses_only_real_days_in_the_catalog_shape() {
        assert_eq!(date("2026-09-01").ymd(), (2026, 9, 1));
        assert_eq!(date(" 2024-02-29 ").to_string(), "2024-02-29");
        for bad in ["2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-9-01", "2026/09/01", "latest", ""] {
            assert_eq!(CatalogDate::parse(bad), None, "{bad}");
        }
        assert_eq!("2026-1-1".parse::<CatalogDate>(), Err(DateParseError("2026-1-1".into())));
    }

    #[test]
    fn day_arithmetic_and_order() {
        assert_eq!(date("2026-08-30").days_until(date("2026-09-29")), 30);
        assert_eq!(date("2026-09-29").days_until(date("2026-08-30")), -30);
        assert_eq!(date("2024-02-28").plus_days(1).to_string(), "2024-02-29");
        assert_eq!(date("2025-12-31").plus_days(1).to_string(), "2026-01-01");
        assert!(date("2026-08-30") < date("2026-08-31"));
    }

    #[test]
    fn clock_conversions_are_utc_days() {
        assert_eq!(CatalogDate::from_unix_seconds(0).to_string(), "1970-01-01");
        assert_eq!(CatalogDate::from_unix_seconds(-1).to_string(), "1969-12-31");
        // 2026-11-28T23:59:59Z
        assert_eq!(CatalogDate::from_unix_seconds(1_795_910_399).to_string(), "2026-11-28");
        let time = UNIX_EPOCH + std::time::Duration::from_secs(1_795_910_400);
        assert_eq!(CatalogDate::from_system_time(time).to_string(), "2026-11-29");
    }

    #[test]
    fn round_trips_every_day_of_a_long_range() {
        let mut day = date("1999-12-25");
        for _ in 0..20_000 {
            assert_eq!(CatalogDate::parse(&day.to_string()), Some(day));
            day = day.plus_days(1);
        }
    }
}
