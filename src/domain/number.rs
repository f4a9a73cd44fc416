//! Numbers as people type them in Kazakh spreadsheets: `1 234,5`, `1234.5`, NBSP groups.

use std::str::FromStr;

use rust_decimal::Decimal;

/// Reads a decimal written with spaces or no-break spaces as thousand groups and a comma or a dot
/// as the decimal mark. A text with both a comma and a dot is refused: it is ambiguous.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let cleaned: String =
        s.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'')).collect();
    if cleaned.is_empty() || (cleaned.contains(',') && cleaned.contains('.')) {
        return None;
    }
    let cleaned = cleaned.replace(',', ".");
    if !cleaned.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+')) {
        return None;
    }
    Decimal::from_str(&cleaned).ok()
}

/// The decimal a spreadsheet float stands for: its shortest round-trip text, so that `254.5`
/// stays `254.5` rather than its binary expansion.
pub fn decimal_from_cell_float(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    Decimal::from_str(&format!("{f}")).ok().map(|d| {
        // Excel stores 0.1 + 0.2 as 0.30000000000000004: anything past 9 places is float noise.
        if d.scale() > 9 { d.round_dp(9).normalize() } else { d }
    })
}

/// A quantity as Kazakh documents write it: `5 010,5`.
pub fn display_decimal(d: Decimal) -> String {
    group_thousands(&d.normalize().to_string(), ' ')
}

/// A decimal's text (`12345.5`) with its thousands separated by `sep` and a decimal comma.
pub fn group_thousands(text: &str, sep: char) -> String {
    let (int, frac) = text.split_once('.').map_or((text, None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::from(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(sep);
        }
        grouped.push(c);
    }
    if let Some(f) = frac {
        grouped.push(',');
        grouped.push_str(f);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_spreadsheet_numbers() {
        let p = |s| parse_decimal(s).unwrap().to_string();
        assert_eq!(p("1 234,5"), "1234.5");
        assert_eq!(p("1\u{a0}234.50"), "1234.50");
        assert_eq!(p(" 42 "), "42");
        assert!(parse_decimal("1,234.5").is_none());
        assert!(parse_decimal("12 kg").is_none());
        assert!(parse_decimal("").is_none());
        assert_eq!(decimal_from_cell_float(254.5).unwrap().to_string(), "254.5");
        assert_eq!(decimal_from_cell_float(0.1 + 0.2).unwrap().to_string(), "0.3");
        let show = |s: &str| display_decimal(s.parse().unwrap());
        assert_eq!(show("5010.50"), "5 010,5");
        assert_eq!(show("250"), "250");
        assert_eq!(show("-1234567"), "-1 234 567");
    }
}
