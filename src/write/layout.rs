//! The payment list's layout: its columns, payer block and signatures, read from
//! `templates/payment-list.toml`, which the finance specialist changes without recompiling, as
//! analysts change rules. Checked as a whole before a batch runs; every problem names its line.

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostic, RuleCode, SourceMap};

/// The layout file, beside the notice templates.
pub const FILE: &str = "payment-list.toml";

/// What a column of the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Seq,
    Recipient,
    TaxId,
    Kbe,
    Bank,
    Bic,
    Iban,
    Amount,
    AppNo,
    TypeCode,
    Purpose,
    PaymentId,
}

impl Field {
    const ALL: [(&str, Field); 12] = [
        ("seq", Field::Seq),
        ("recipient", Field::Recipient),
        ("tax-id", Field::TaxId),
        ("kbe", Field::Kbe),
        ("bank", Field::Bank),
        ("bic", Field::Bic),
        ("iban", Field::Iban),
        ("amount", Field::Amount),
        ("app-no", Field::AppNo),
        ("type-code", Field::TypeCode),
        ("purpose", Field::Purpose),
        ("payment-id", Field::PaymentId),
    ];

    /// What the treasury's import cannot do without.
    const REQUIRED: [Field; 7] =
        [Field::Recipient, Field::TaxId, Field::Kbe, Field::Bic, Field::Iban, Field::Amount, Field::Purpose];

    fn key(self) -> &'static str {
        Field::ALL.iter().find(|(_, f)| *f == self).map_or("", |(k, _)| k)
    }

    /// Codes with leading zeros or letters: as numbers they would lose them.
    fn is_identifier(self) -> bool {
        !matches!(self, Field::Seq | Field::Recipient | Field::Bank | Field::Amount | Field::Purpose)
    }
}

/// How a column's cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Text,
    Number,
    Money,
}

/// A value of the payer block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payer {
    Name,
    Bin,
    Iban,
    Bic,
    Kbk,
    Specifics,
    Knp,
    ProgramRu,
    ProgramKk,
    Currency,
}

impl Payer {
    const ALL: [(&str, Payer); 10] = [
        ("payer-name", Payer::Name),
        ("payer-bin", Payer::Bin),
        ("payer-iban", Payer::Iban),
        ("payer-bic", Payer::Bic),
        ("kbk", Payer::Kbk),
        ("specifics", Payer::Specifics),
        ("knp", Payer::Knp),
        ("program-ru", Payer::ProgramRu),
        ("program-kk", Payer::ProgramKk),
        ("currency", Payer::Currency),
    ];
    const REQUIRED: [Payer; 6] = [Payer::Name, Payer::Bin, Payer::Iban, Payer::Bic, Payer::Kbk, Payer::Knp];

    fn key(self) -> &'static str {
        Payer::ALL.iter().find(|(_, f)| *f == self).map_or("", |(k, _)| k)
    }
}

/// Who signs the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signer {
    Head,
    Finance,
    Officer,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub field: Field,
    pub header: String,
    pub width: f64,
    pub cell: Cell,
}

/// A checked layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub title: String,
    pub payer: Vec<(String, Payer)>,
    pub columns: Vec<Column>,
    pub signatures: Vec<Signer>,
}

impl Layout {
    /// No columns: what a template set with a broken layout holds until its problems stop the run.
    pub fn empty() -> Layout {
        Layout { title: String::new(), payer: Vec::new(), columns: Vec::new(), signatures: Vec::new() }
    }

    /// The column of a field, counting from 0.
    pub fn column_of(&self, field: Field) -> Option<u16> {
        self.columns.iter().position(|c| c.field == field).and_then(|i| u16::try_from(i).ok())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    title: String,
    #[serde(default)]
    payer: Vec<RawPayer>,
    #[serde(default)]
    column: Vec<RawColumn>,
    #[serde(default)]
    signatures: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPayer {
    label: String,
    value: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawColumn {
    field: Spanned<String>,
    header: String,
    width: Spanned<f64>,
    cell: Spanned<String>,
}

/// Reads and checks a layout; every problem at once, each with its place in `file`.
pub fn parse(file: &Arc<str>, text: &str) -> Result<Layout, (Vec<Diagnostic>, SourceMap)> {
    let mut sources = SourceMap::default();
    sources.add(file.clone(), text.to_owned());
    let mut diags = Vec::new();
    let mut err = |span: Option<Range<usize>>, msg: String, hint: &str| {
        let d = Diagnostic::new(RuleCode::T004PaymentLayout, file, span, msg);
        diags.push(if hint.is_empty() { d } else { d.hint(hint) });
    };
    let raw: Raw = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            err(e.span(), e.message().trim().to_owned(), "");
            return Err((diags, sources));
        }
    };
    let mut columns = Vec::new();
    for c in &raw.column {
        let Some(field) = Field::ALL.iter().find(|(k, _)| *k == c.field.get_ref()).map(|(_, f)| *f) else {
            let known: Vec<&str> = Field::ALL.iter().map(|(k, _)| *k).collect();
            err(
                Some(c.field.span()),
                format!("unknown field `{}`", c.field.get_ref()),
                &format!("fields: {}", known.join(", ")),
            );
            continue;
        };
        let cell = match c.cell.get_ref().as_str() {
            "text" => Cell::Text,
            "number" => Cell::Number,
            "money" => Cell::Money,
            other => {
                err(Some(c.cell.span()), format!("unknown cell kind `{other}`"), "cell kinds: text, number, money");
                continue;
            }
        };
        if field.is_identifier() && cell != Cell::Text {
            err(
                Some(c.cell.span()),
                format!("field `{}` is written as a {}: an identifier must be text", field.key(), c.cell.get_ref()),
                "as a number a spreadsheet drops its leading zeros and the treasury reads another account or code",
            );
        }
        if field == Field::Amount && cell != Cell::Money {
            err(Some(c.cell.span()), "field `amount` must be written as `money`".to_owned(), "");
        }
        let width = *c.width.get_ref();
        if !(1.0..=120.0).contains(&width) {
            err(Some(c.width.span()), format!("width {width} is not between 1 and 120 characters"), "");
        }
        if columns.iter().any(|x: &Column| x.field == field) {
            err(Some(c.field.span()), format!("field `{}` has two columns", field.key()), "");
        }
        columns.push(Column { field, header: c.header.clone(), width, cell });
    }
    for f in Field::REQUIRED {
        if !raw.column.iter().any(|c| c.field.get_ref() == f.key()) {
            err(None, format!("no column shows `{}`, which the treasury needs", f.key()), "add a `[[column]]` with it");
        }
    }
    let mut payer = Vec::new();
    for p in &raw.payer {
        match Payer::ALL.iter().find(|(k, _)| *k == p.value.get_ref()) {
            Some((_, v)) => payer.push((p.label.clone(), *v)),
            None => {
                let known: Vec<&str> = Payer::ALL.iter().map(|(k, _)| *k).collect();
                err(
                    Some(p.value.span()),
                    format!("unknown payer value `{}`", p.value.get_ref()),
                    &format!("values: {}", known.join(", ")),
                );
            }
        }
    }
    for v in Payer::REQUIRED {
        if !payer.iter().any(|(_, p)| *p == v) {
            err(
                None,
                format!("the payer block lacks `{}`, which the treasury needs", v.key()),
                "add a `[[payer]]` with it",
            );
        }
    }
    let mut signatures = Vec::new();
    for s in &raw.signatures {
        match s.get_ref().as_str() {
            "head" => signatures.push(Signer::Head),
            "finance" => signatures.push(Signer::Finance),
            "officer" => signatures.push(Signer::Officer),
            other => err(Some(s.span()), format!("unknown signer `{other}`"), "signers: head, finance, officer"),
        }
    }
    if diags.is_empty() { Ok(Layout { title: raw.title, payer, columns, signatures }) } else { Err((diags, sources)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> String {
        fs_err::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/payment-list.toml")).unwrap()
    }

    fn problems(text: &str) -> Vec<String> {
        let file: Arc<str> = "templates/payment-list.toml".into();
        match parse(&file, text) {
            Ok(_) => Vec::new(),
            Err((d, sources)) => d.iter().map(|d| sources.render_short(d)).collect(),
        }
    }

    #[test]
    fn the_shipped_layout_is_valid_and_shows_every_field_the_treasury_needs() {
        let file: Arc<str> = "payment-list.toml".into();
        let l = parse(&file, &shipped()).map_err(|(d, _)| d).unwrap();
        for f in Field::REQUIRED {
            assert!(l.column_of(f).is_some(), "{f:?}");
        }
        assert!(l.columns.iter().filter(|c| c.field.is_identifier()).all(|c| c.cell == Cell::Text));
    }

    #[test]
    fn every_problem_is_listed_with_its_line() {
        let text = shipped().replacen("field = \"iban\"", "field = \"account\"", 1).replacen(
            "value = \"knp\"",
            "value = \"knp-code\"",
            1,
        );
        let text = text.replacen("cell = \"text\" # kbe", "cell = \"number\" # kbe", 1);
        let got = problems(&text);
        let all = got.join("\n");
        assert!(all.contains("unknown field `account`"), "{all}");
        assert!(all.contains("no column shows `iban`"), "{all}");
        assert!(all.contains("unknown payer value `knp-code`"), "{all}");
        assert!(all.contains("the payer block lacks `knp`"), "{all}");
        assert!(all.contains("field `kbe` is written as a number"), "{all}");
        // Each problem in the file names its line.
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        assert!(all.contains(&format!("payment-list.toml:{}:", line_of("\"account\""))), "{all}");
        assert!(all.contains(&format!("payment-list.toml:{}:", line_of("\"number\" # kbe"))), "{all}");
    }
}
