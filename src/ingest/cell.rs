//! Reading one cell as its field's kind, the way Excel and the state system write them: numbers
//! stored as text, identifiers stored as numbers, serial dates, `dd.mm.yyyy` text, comma decimals,
//! no-break spaces. A value that cannot be read exactly is an error, never a guess.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use compact_str::CompactString;
use rust_decimal::Decimal;

use crate::catalogue::Kind;
use crate::domain::date::dmy_hms;
use crate::domain::money::Money;
use crate::domain::number::{decimal_from_cell_float, parse_decimal};

/// A cell as read, before its field's kind is applied.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    DateTime(NaiveDateTime),
    Error(String),
}

pub(crate) use crate::application::Value;

/// A value read with a remark worth showing (e.g. a leading zero restored).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Read {
    pub value: Option<Value>,
    pub warning: Option<String>,
}

impl Read {
    fn ok(value: Option<Value>) -> Self {
        Read { value, warning: None }
    }
}

/// Reads a cell; `Err` says what was expected and what was found.
pub(crate) fn read(kind: Kind, cell: &CellValue) -> Result<Read, String> {
    if let CellValue::Error(e) = cell {
        return Err(format!("cell holds the spreadsheet error `{e}`"));
    }
    if let CellValue::Text(t) = cell
        && clean_text(t).is_empty()
    {
        return Ok(Read::ok(None));
    }
    if matches!(cell, CellValue::Empty) {
        return Ok(Read::ok(None));
    }
    match kind {
        Kind::Text => {
            let text = match cell {
                CellValue::Text(t) => CompactString::new(clean_text(t)),
                other => as_text(other).into(),
            };
            // A name or a purpose is a line, not a document: cut in one file and whole in another
            // it would be two different facts.
            let n = text.chars().count();
            if n > MAX_TEXT {
                return Err(format!("text of {n} characters; a field holds at most {MAX_TEXT}"));
            }
            Ok(Read::ok(Some(Value::Text(text))))
        }
        Kind::Digits(n) => read_digits(n, cell),
        Kind::Date => read_datetime(cell).and_then(sane).map(|d| Read::ok(Some(Value::Date(d.date())))),
        Kind::DateTime => read_datetime(cell).and_then(sane).map(|d| Read::ok(Some(Value::DateTime(d)))),
        Kind::Decimal => read_decimal(cell).map(|d| Read::ok(Some(Value::Decimal(d)))),
        Kind::Count => {
            let d = read_decimal(cell)?;
            if !d.fract().is_zero() {
                return Err(format!("expected a whole number (heads, colonies, doses), found {}", d.normalize()));
            }
            Ok(Read::ok(Some(Value::Decimal(d))))
        }
        Kind::Money => {
            let d = read_decimal(cell)?;
            Money::from_decimal_exact(d)
                .map(|m| Read::ok(Some(Value::Money(m))))
                .map_err(|e| format!("expected an amount in tenge: {e}"))
        }
        Kind::Flag => read_flag(cell).map(|b| Read::ok(Some(Value::Flag(b)))),
    }
}

/// The longest text a field may hold, in characters.
pub(crate) const MAX_TEXT: usize = 1000;

/// The years a date of an application may fall in: submissions, signatures, animals' births,
/// purchases and registrations all lie within them. A date outside is a misread cell (Excel's
/// serial 60, a year 10000), never a fact.
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

fn sane(d: NaiveDateTime) -> Result<NaiveDateTime, String> {
    use chrono::Datelike as _;
    if YEARS.contains(&d.year()) {
        Ok(d)
    } else {
        Err(format!(
            "the date {} is outside {}–{}, the years an application's dates lie in",
            d.format("%d.%m.%Y"),
            YEARS.start(),
            YEARS.end()
        ))
    }
}

/// A character that is not text: control characters (NUL, escape …) and the invisible marks that
/// reorder or hide text (bidirectional overrides and isolates, zero-width characters).
fn invisible(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// Text with no-break and zero-width spaces normalised, runs of spaces collapsed, and control and
/// invisible characters removed (a NUL before `=` must not hide a formula).
pub(crate) fn clean_text(s: &str) -> std::borrow::Cow<'_, str> {
    // Nearly every cell is already clean: borrowing it saves an allocation per cell.
    if is_clean(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || matches!(c, '\u{a0}' | '\u{202f}')).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !invisible(*c)));
    }
    std::borrow::Cow::Owned(out)
}

/// Single spaces between words and nothing [`clean_text`] would remove.
fn is_clean(s: &str) -> bool {
    let mut after_space = true;
    for c in s.chars() {
        if c == ' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if c.is_whitespace() || invisible(c) {
            return false;
        } else {
            after_space = false;
        }
    }
    !after_space || s.is_empty()
}

pub(crate) fn as_text(cell: &CellValue) -> String {
    match cell {
        CellValue::Text(t) => clean_text(t).into_owned(),
        CellValue::Number(n) => {
            decimal_from_cell_float(*n).map_or_else(|| n.to_string(), |d| d.normalize().to_string())
        }
        CellValue::Bool(b) => b.to_string(),
        CellValue::DateTime(d) => dmy_hms(*d),
        CellValue::Empty | CellValue::Error(_) => String::new(),
    }
}

fn describe(cell: &CellValue) -> String {
    match cell {
        CellValue::Number(n) => format!("the number {n}"),
        CellValue::DateTime(d) => format!("the date {}", d.format("%d.%m.%Y")),
        other => format!("`{}`", as_text(other)),
    }
}

fn read_digits(n: usize, cell: &CellValue) -> Result<Read, String> {
    let expected = || format!("expected {n} digits, found {}", describe(cell));
    let (digits, from_number) = match cell {
        CellValue::Number(f) => {
            let d = decimal_from_cell_float(*f).filter(|d| d.fract().is_zero() && !d.is_sign_negative());
            (compact_str::ToCompactString::to_compact_string(&d.ok_or_else(expected)?.normalize()), true)
        }
        CellValue::Text(t) => {
            let s: CompactString = clean_text(t).chars().filter(|c| *c != ' ' && *c != '-').collect();
            if s.contains(['E', 'e']) && s.contains(['.', ',', '+']) {
                return Err(format!(
                    "found `{}`, a number in scientific notation: its digits are lost; format the column as text and type the {n} digits",
                    clean_text(t)
                ));
            }
            (s, false)
        }
        _ => return Err(expected()),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.is_empty() || digits.len() > n {
        return Err(expected());
    }
    if digits.len() == n {
        return Ok(Read::ok(Some(Value::Text(digits))));
    }
    // A 12-digit IIN of someone born in 2000-2009 starts with 0; Excel drops it when the column
    // is numeric. Only a number loses zeros that way, and only one or two: text that is short, or
    // more lost zeros, mean the value is something else.
    if n >= 12 && from_number && digits.len() + 2 >= n {
        let padded = format!("{digits:0>n$}");
        return Ok(Read {
            value: Some(Value::Text(CompactString::new(&padded))),
            warning: Some(format!("stored as a number; leading zeros restored: `{padded}`")),
        });
    }
    if n == 2 || n == 3 {
        // Codes such as Кбе `19` or type `007` typed into a numeric column.
        return Ok(Read::ok(Some(Value::Text(format!("{digits:0>n$}").into()))));
    }
    Err(expected())
}

fn read_datetime(cell: &CellValue) -> Result<NaiveDateTime, String> {
    match cell {
        CellValue::DateTime(d) => Ok(*d),
        CellValue::Number(f) => {
            from_serial(*f).ok_or_else(|| format!("expected a date, found the number {f} (not an Excel date serial)"))
        }
        CellValue::Text(t) => parse_date_text(&clean_text(t)).ok_or_else(|| {
            format!("expected a date `dd.mm.yyyy` or `dd.mm.yyyy hh:mm[:ss]`, found `{}`", clean_text(t))
        }),
        other => Err(format!("expected a date, found {}", describe(other))),
    }
}

/// Excel's 1900 date system: serial 1 is 1900-01-01 and the fictitious 1900-02-29 is serial 60,
/// so serials after it count from 1899-12-30. Serials before March 1900 are not dates we meet.
fn from_serial(f: f64) -> Option<NaiveDateTime> {
    if !(61.0..2_958_466.0).contains(&f) {
        return None;
    }
    let d = decimal_from_cell_float(f)?;
    let days = i64::try_from(d.trunc()).ok()?;
    let secs = ((d - d.trunc()) * Decimal::from(86_400)).round();
    let secs = i64::try_from(secs).ok()?;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
    base.checked_add_signed(chrono::TimeDelta::days(days) + chrono::TimeDelta::seconds(secs))
}

/// `dd.mm.yyyy`, `dd.mm.yyyy hh:mm`, `dd.mm.yyyy hh:mm:ss`, or ISO `yyyy-mm-dd[ hh:mm:ss]`.
pub(crate) fn parse_date_text(s: &str) -> Option<NaiveDateTime> {
    const FORMATS: &[&str] =
        &["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"];
    for f in FORMATS {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    for f in ["%d.%m.%Y", "%Y-%m-%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d.and_time(NaiveTime::MIN));
        }
    }
    None
}

fn read_decimal(cell: &CellValue) -> Result<Decimal, String> {
    match cell {
        CellValue::Number(f) => decimal_from_cell_float(*f).ok_or_else(|| format!("expected a number, found {f}")),
        CellValue::Text(t) => {
            parse_decimal(t).ok_or_else(|| format!("expected a number such as `1 234,5`, found `{}`", clean_text(t)))
        }
        other => Err(format!("expected a number, found {}", describe(other))),
    }
}

fn read_flag(cell: &CellValue) -> Result<bool, String> {
    match cell {
        CellValue::Bool(b) => Ok(*b),
        CellValue::Number(f) if *f == 1.0 => Ok(true),
        CellValue::Number(f) if *f == 0.0 => Ok(false),
        CellValue::Text(t) => match crate::catalogue::normalize_header(t).as_str() {
            "да" | "иә" | "ия" | "yes" | "true" | "1" | "+" | "есть" | "бар" => Ok(true),
            "нет" | "жоқ" | "жок" | "no" | "false" | "0" | "-" => Ok(false),
            _ => Err(format!("expected `Да` or `Нет` (`Иә`/`Жоқ`), found `{}`", clean_text(t))),
        },
        other => Err(format!("expected `Да` or `Нет`, found {}", describe(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> CellValue {
        CellValue::Text(s.to_owned())
    }

    fn val(kind: Kind, cell: CellValue) -> Value {
        read(kind, &cell).unwrap().value.unwrap()
    }

    #[test]
    fn text_is_cleaned_and_clean_text_is_borrowed() {
        for (raw, clean) in [
            ("  КХ  «Ақжол»\u{a0}", "КХ «Ақжол»"),
            ("a\tb\nc", "a b c"),
            ("ИП\u{200b} Нұр", "ИП Нұр"),
            ("\u{feff}x", "x"),
            (" ", ""),
            ("", ""),
        ] {
            assert_eq!(clean_text(raw), clean, "{raw:?}");
        }
        for s in ["КХ «Ақжол»", "a b", "", "7"] {
            assert!(matches!(clean_text(s), std::borrow::Cow::Borrowed(_)), "{s:?}");
        }
    }

    #[test]
    fn identifiers_stored_as_numbers_get_their_zeros_back() {
        let r = read(Kind::Digits(12), &CellValue::Number(61_211_600_012.0)).unwrap();
        assert_eq!(r.value, Some(Value::Text("061211600012".into())));
        assert!(r.warning.unwrap().contains("stored as a number"));
        assert_eq!(val(Kind::Digits(12), text("871 008 401 427")), Value::Text("871008401427".into()));
        assert!(read(Kind::Digits(12), &text("6.12116E+10")).unwrap_err().contains("scientific"));
        assert!(read(Kind::Digits(12), &text("12345")).is_err());
        assert_eq!(val(Kind::Digits(2), CellValue::Number(19.0)), Value::Text("19".into()));
        assert_eq!(val(Kind::Digits(14), CellValue::Number(700_100_123_456.0)), Value::Text("00700100123456".into()));
    }

    #[test]
    fn dates_in_every_form() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(val(Kind::Date, text("15.04.2025")), Value::Date(d(2025, 4, 15)));
        assert_eq!(val(Kind::Date, CellValue::Number(45762.0)), Value::Date(d(2025, 4, 15)));
        assert_eq!(
            val(Kind::DateTime, text("15.04.2025 10:31:07")),
            Value::DateTime(d(2025, 4, 15).and_hms_opt(10, 31, 7).unwrap())
        );
        assert_eq!(
            val(Kind::DateTime, CellValue::Number(45762.5)),
            Value::DateTime(d(2025, 4, 15).and_hms_opt(12, 0, 0).unwrap())
        );
        assert!(read(Kind::Date, &text("31.02.2025")).unwrap_err().contains("31.02.2025"));
        assert!(read(Kind::Date, &CellValue::Number(12.0)).is_err());
    }

    #[test]
    fn numbers_and_money() {
        assert_eq!(val(Kind::Decimal, text("1\u{a0}234,5")), Value::Decimal("1234.5".parse().unwrap()));
        assert_eq!(val(Kind::Money, CellValue::Number(150_000.0)), Value::Money(Money::from_tiyn(15_000_000)));
        assert!(read(Kind::Money, &text("12,345")).unwrap_err().contains("decimal places"));
        assert!(read(Kind::Decimal, &text("двадцать")).is_err());
    }

    #[test]
    fn flags_and_blanks() {
        assert_eq!(val(Kind::Flag, text(" Да ")), Value::Flag(true));
        assert_eq!(val(Kind::Flag, text("Жоқ")), Value::Flag(false));
        assert_eq!(read(Kind::Text, &text(" \u{a0} ")).unwrap().value, None);
        assert_eq!(val(Kind::Text, text("ТОО\u{a0}«Ақ  бидай»")), Value::Text("ТОО «Ақ бидай»".into()));
    }
}
