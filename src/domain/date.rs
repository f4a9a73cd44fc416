//! Dates as Kazakh documents write them: `dd.mm.yyyy` and `dd.mm.yyyy hh:mm:ss`.
//!
//! Written out by hand: chrono's `format` parses its pattern on every call, which showed in
//! registers of half a million rows.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// `15.04.2025`
pub fn dmy(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

/// `15.04.2025 09:05:00`
pub fn dmy_hms(t: NaiveDateTime) -> String {
    format!("{} {:02}:{:02}:{:02}", dmy(t.date()), t.hour(), t.minute(), t.second())
}

/// Whole months from `from` to `to` (the age convention of ИСЖ: a month is complete on the same day).
pub fn months_between(from: chrono::NaiveDate, to: chrono::NaiveDate) -> i32 {
    use chrono::Datelike as _;
    let mut m = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        m -= 1;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_complete_on_the_same_day() {
        let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(months_between(d(2024, 1, 15), d(2025, 1, 15)), 12);
        assert_eq!(months_between(d(2024, 1, 15), d(2025, 1, 14)), 11);
        assert_eq!(months_between(d(2024, 1, 31), d(2024, 2, 29)), 0);
    }

    #[test]
    fn same_as_chrono_patterns() {
        for (y, m, d) in [(2025, 4, 15), (2019, 1, 1), (2026, 12, 31), (999, 3, 9)] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(dmy(day), day.format("%d.%m.%Y").to_string());
            let t = day.and_hms_opt(9, 5, 0).unwrap();
            assert_eq!(dmy_hms(t), t.format("%d.%m.%Y %H:%M:%S").to_string());
        }
    }
}
