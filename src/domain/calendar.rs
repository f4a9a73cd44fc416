//! The Kazakh working-day calendar: Monday-Friday, less holidays and transferred days off, plus
//! transferred working Saturdays and Sundays (data in `rules/kz-calendar.csv`, from the Government
//! decrees; `shared/domain/calendar.md`). Years the data does not cover are an error, never a guess.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate, Weekday};

/// A date outside the years the calendar covers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the working-day calendar does not cover {year} (it covers {from}-{to})")]
pub struct NotCovered {
    pub year: i32,
    pub from: i32,
    pub to: i32,
}

#[derive(Debug, Clone)]
pub struct Calendar {
    off: BTreeSet<NaiveDate>,
    work: BTreeSet<NaiveDate>,
    years: RangeInclusive<i32>,
    /// Every working day of the years covered, in order: a due date is then found by position
    /// rather than by walking the days (every application has two).
    working: Vec<NaiveDate>,
}

/// Why the calendar file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CalendarError {
    pub line: usize,
    pub message: String,
}

impl Calendar {
    /// Reads `date,kind` lines (`kind` is `off` for a weekday off, `work` for a working weekend
    /// day); `#` lines are comments. The years covered are those of the first and last date.
    pub fn parse(text: &str) -> Result<Calendar, CalendarError> {
        let (mut off, mut work) = (BTreeSet::new(), BTreeSet::new());
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line == "date,kind" {
                continue;
            }
            let err = |message: String| CalendarError { line: i + 1, message };
            let (d, kind) = line.split_once(',').ok_or_else(|| err(format!("expected `date,kind`, found `{line}`")))?;
            let d = NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| err(format!("not a date `{d}`")))?;
            let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            match (kind.trim(), weekend) {
                ("off", false) => off.insert(d),
                ("work", true) => work.insert(d),
                ("off", true) => return Err(err(format!("{d} is a weekend day: `off` is for weekdays"))),
                ("work", false) => return Err(err(format!("{d} is a weekday: `work` is for Saturdays and Sundays"))),
                (k, _) => return Err(err(format!("kind must be `off` or `work`, found `{k}`"))),
            };
        }
        let all = off.iter().chain(&work);
        let first = all
            .clone()
            .min()
            .map(Datelike::year)
            .ok_or_else(|| CalendarError { line: 0, message: "no dates".into() })?;
        let last = all.max().map(Datelike::year).unwrap_or(first);
        let mut cal = Calendar { off, work, years: first..=last, working: Vec::new() };
        let days = NaiveDate::from_ymd_opt(first, 1, 1)
            .into_iter()
            .flat_map(|d| d.iter_days())
            .take_while(|d| d.year() <= last);
        cal.working = days.filter(|&d| cal.is_working(d) == Ok(true)).collect();
        Ok(cal)
    }

    pub fn is_working(&self, d: NaiveDate) -> Result<bool, NotCovered> {
        if !self.years.contains(&d.year()) {
            return Err(NotCovered { year: d.year(), from: *self.years.start(), to: *self.years.end() });
        }
        if self.work.contains(&d) {
            return Ok(true);
        }
        Ok(!matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.off.contains(&d))
    }

    /// The date `n` working days after `start`, counting from the next day ("течение срока
    /// начинается на следующий день").
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, NotCovered> {
        if n == 0 {
            return Ok(start);
        }
        let next = start.succ_opt().expect("dates stay in range");
        let uncovered = |year| NotCovered { year, from: *self.years.start(), to: *self.years.end() };
        if !self.years.contains(&next.year()) {
            return Err(uncovered(next.year()));
        }
        // The first working day after `start`, then n - 1 working days on; past the last covered
        // day the count runs into the next year, which the calendar does not cover.
        let first = self.working.partition_point(|&d| d <= start);
        let at = usize::try_from(n - 1).ok().and_then(|k| first.checked_add(k));
        at.and_then(|i| self.working.get(i)).copied().ok_or_else(|| uncovered(*self.years.end() + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Calendar {
        let text = fs_err::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/kz-calendar.csv")).unwrap();
        Calendar::parse(&text).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn published_vectors() {
        let cal = shipped();
        for (start, n, want) in [
            ("2024-05-03", 3, "2024-05-10"),
            ("2024-03-20", 1, "2024-03-26"),
            ("2025-01-02", 1, "2025-01-05"),
            ("2022-10-21", 1, "2022-10-22"),
            ("2023-06-27", 1, "2023-06-29"),
            ("2019-08-09", 1, "2019-08-12"),
            ("2025-12-31", 1, "2026-01-05"),
            ("2026-03-20", 1, "2026-03-26"),
            ("2026-05-08", 1, "2026-05-12"),
            ("2020-12-15", 10, "2020-12-31"),
        ] {
            assert_eq!(cal.add_working_days(d(start), n), Ok(d(want)), "{start} + {n}");
        }
    }

    #[test]
    fn working_days_per_year_match_the_decrees() {
        let cal = shipped();
        for (year, want) in
            [(2019, 246), (2020, 246), (2021, 245), (2022, 246), (2023, 246), (2024, 249), (2025, 246), (2026, 247)]
        {
            let days = NaiveDate::from_ymd_opt(year, 1, 1).unwrap().iter_days().take_while(|d| d.year() == year);
            assert_eq!(days.filter(|d| cal.is_working(*d).unwrap()).count(), want, "{year}");
        }
    }

    #[test]
    fn years_not_covered_are_an_error() {
        let cal = shipped();
        assert_eq!(cal.is_working(d("2027-01-04")), Err(NotCovered { year: 2027, from: 2019, to: 2026 }));
        assert!(cal.add_working_days(d("2026-12-30"), 3).is_err());
    }

    /// The definition: step day by day, counting working days.
    fn walk(cal: &Calendar, start: NaiveDate, n: u32) -> Result<NaiveDate, NotCovered> {
        let (mut d, mut left) = (start, n);
        while left > 0 {
            d = d.succ_opt().unwrap();
            if cal.is_working(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    #[test]
    fn due_dates_by_position_are_those_of_the_walk() {
        let cal = shipped();
        let starts = d("2018-12-20").iter_days().take_while(|s| *s <= d("2027-01-03"));
        for start in starts {
            for n in [0, 1, 2, 5, 10, 15, 30] {
                assert_eq!(cal.add_working_days(start, n), walk(&cal, start, n), "{start} + {n}");
            }
        }
    }

    #[test]
    fn bad_lines_are_refused() {
        assert!(Calendar::parse("2025-01-04,off\n").unwrap_err().message.contains("weekend"));
        assert_eq!(Calendar::parse("x\n").unwrap_err().line, 1);
    }
}
