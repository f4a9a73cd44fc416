//! Small helpers over rust_xlsxwriter shared by the workbooks this crate writes: header rows,
//! text cells that never become formulas, money cells. The only place money becomes `f64`.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use crate::domain::money::Money;

/// Formats used across sheets.
pub struct Formats {
    pub header: Format,
    /// Applicant-originated text: stored as a string with Excel's quote prefix, so that a value
    /// like `=HYPERLINK(...)` stays text even after the cell is edited.
    pub text: Format,
    /// [`Formats::text`] wrapped within its column, for tables that print.
    pub wrapped: Format,
    pub money: Format,
    pub number: Format,
    pub bold_money: Format,
    pub bold: Format,
    /// Real date cells, shown as Kazakh documents write them.
    pub date: Format,
    pub datetime: Format,
}

impl Default for Formats {
    fn default() -> Self {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0x00DD_EBF7))
                .set_border(FormatBorder::Thin),
            text: Format::new().set_quote_prefix().set_num_format("@"),
            wrapped: Format::new().set_quote_prefix().set_num_format("@").set_text_wrap().set_align(FormatAlign::Top),
            // Top-aligned like wrapped text, so a tall row reads as one line of the table.
            money: Format::new().set_num_format("#,##0.00").set_align(FormatAlign::Top),
            number: Format::new().set_num_format("0.###").set_align(FormatAlign::Top),
            bold_money: Format::new().set_bold().set_num_format("#,##0.00"),
            bold: Format::new().set_bold(),
            date: Format::new().set_num_format("dd.mm.yyyy"),
            datetime: Format::new().set_num_format("dd.mm.yyyy hh:mm:ss"),
        }
    }
}

/// Writes a header row with widths.
pub fn header(ws: &mut Worksheet, f: &Formats, row: u32, cols: &[(&str, f64)]) -> Result<(), XlsxError> {
    for (c, (title, width)) in cols.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(row, c, *title, &f.header)?;
        ws.set_column_width(c, *width)?;
    }
    ws.set_freeze_panes(row + 1, 0)?;
    Ok(())
}

/// A4 landscape, one page wide, header rows repeated on every page.
pub fn print_setup(ws: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_row_height(header_row, 45)?;
    Ok(())
}

/// A text cell (empty text writes nothing), made safe like the CSV twin ([`neutralise`]): the
/// quote prefix keeps it text in Excel, and the leading `'` keeps it text wherever it is copied.
pub fn text(ws: &mut Worksheet, f: &Formats, row: u32, col: u16, s: &str) -> Result<(), XlsxError> {
    if s.is_empty() {
        return Ok(());
    }
    let s = neutralise(s);
    // Excel refuses strings over 32,767 characters; such text is cut with a marker, not lost silently.
    let s = if s.len() > 32_000 && s.chars().count() > 32_000 {
        format!("{}…", s.chars().take(32_000).collect::<String>())
    } else {
        s
    };
    ws.write_string_with_format(row, col, s, &f.text)?;
    Ok(())
}

/// [`text`] wrapped within its column; returns the lines it takes at `width` characters a line.
pub fn wrapped(ws: &mut Worksheet, f: &Formats, row: u32, col: u16, s: &str, width: f64) -> Result<u32, XlsxError> {
    if s.is_empty() {
        return Ok(1);
    }
    ws.write_string_with_format(row, col, neutralise(s), &f.wrapped)?;
    Ok(lines(s, width))
}

/// The lines a text takes in a column of `width` characters, breaking at spaces as a
/// spreadsheet does (a word longer than the line takes lines of its own).
pub fn lines(s: &str, width: f64) -> u32 {
    // Column widths count the digit «0»; a Cyrillic letter is about as wide, capitals wider.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let per_line = (width as usize * 9 / 10).max(1);
    let (mut lines, mut used) = (1u32, 0usize);
    for word in s.split(' ') {
        let n = word.chars().count();
        let need = if used == 0 { n } else { used + 1 + n };
        if need <= per_line {
            used = need;
        } else {
            if used > 0 {
                lines += 1;
            }
            let extra = u32::try_from(n.saturating_sub(1) / per_line).unwrap_or(0);
            lines += extra;
            used = n - (n.saturating_sub(1) / per_line) * per_line;
        }
    }
    lines
}

pub fn money(ws: &mut Worksheet, f: &Formats, row: u32, col: u16, m: Money) -> Result<(), XlsxError> {
    ws.write_number_with_format(row, col, m.to_cell_value(), &f.money)?;
    Ok(())
}

/// A text made safe for spreadsheets by the OWASP rule (CSV injection): a value that begins with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, whatever the validation said
/// about it, so no spreadsheet takes it for a formula.
pub fn neutralise(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

/// Marks every sheet of a draft's workbook: «ЖОБА / ПРОЕКТ» in the page header of every printed
/// page.
pub fn mark_draft(wb: &mut rust_xlsxwriter::Workbook) {
    for ws in wb.worksheets_mut() {
        ws.set_header("&C&\"-,Bold\"ЖОБА / ПРОЕКТ");
    }
}

/// A date cell: sorts and filters as a date, reads `15.04.2025`.
pub fn date(ws: &mut Worksheet, f: &Formats, row: u32, col: u16, d: chrono::NaiveDate) -> Result<(), XlsxError> {
    ws.write_datetime_with_format(row, col, d, &f.date)?;
    Ok(())
}

/// A date-and-time cell, `15.04.2025 10:31:07`.
pub fn datetime(
    ws: &mut Worksheet,
    f: &Formats,
    row: u32,
    col: u16,
    t: chrono::NaiveDateTime,
) -> Result<(), XlsxError> {
    ws.write_datetime_with_format(row, col, t, &f.datetime)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::lines;

    #[test]
    fn a_text_takes_the_lines_its_words_fill() {
        assert_eq!(lines("", 10.0), 1);
        assert_eq!(lines("АО «Умит»", 10.0), 1);
        // 9 characters a line at width 10.
        assert_eq!(lines("АО «Народный Банк Казахстан»", 10.0), 5);
        assert_eq!(lines("KZ826013489922675659", 10.0), 3);
    }
}
