//! [`Date`]: a calendar date as ward reads and writes one (a waiver's expiry, "today" for
//! rules that read the clock). The calendar is chrono's.

use chrono::{Datelike as _, NaiveDate, Utc};

/// A calendar date, as waivers' expiry dates are written (`2027-03-31`). The calendar is
/// chrono's; this type owns only how ward reads and writes a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

impl Date {
    /// Reads `YYYY-MM-DD` (a TOML local date, or the date part of a TOML datetime).
    ///
    /// ```
    /// use ward_engine::Date;
    /// assert_eq!(Date::parse("2027-03-31"), Date::from_ymd(2027, 3, 31));
    /// assert_eq!(Date::parse("2027-02-30"), None);
    /// assert_eq!(Date::parse("next week"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Date> {
        // The shape is checked here rather than with chrono's `%Y-%m-%d`, which also takes
        // years of other widths and one-digit months and days.
        let date = text.get(..10)?;
        let mut parts = date.splitn(3, '-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        Date::from_ymd(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }

    /// The date of a year, month (1–12) and day of the month, if there is one.
    ///
    /// ```
    /// use ward_engine::Date;
    /// assert!(Date::from_ymd(2024, 2, 29).is_some());
    /// assert!(Date::from_ymd(2100, 2, 29).is_none());
    /// ```
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, day).map(Date)
    }

    /// Today, in UTC, from the system clock.
    pub fn today() -> Date {
        Date(Utc::now().date_naive())
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // As written in ward.toml; chrono's own format would add a sign to years past 9999.
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), self.0.month(), self.0.day())
    }
}
