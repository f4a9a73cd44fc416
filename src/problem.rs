//! Input problems: data, not errors. Each names where it was found (file, sheet, cell or line),
//! the application it concerns, and, when it refuses the application, the refusal ground.

use std::fmt;
use std::sync::Arc;

use crate::domain::ground::Ground;

/// Where a value was read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// A spreadsheet cell; `row` and `col` are 0-based and shown as `Заявки!F17`.
    Cell { file: Arc<str>, sheet: Arc<str>, row: u32, col: u16 },
    /// A whole spreadsheet row (the column is absent).
    Row { file: Arc<str>, sheet: Arc<str>, row: u32 },
    /// A CSV line (1-based) and the column's header.
    Line { file: Arc<str>, line: u32, column: Option<Arc<str>> },
    /// A whole file.
    File { file: Arc<str> },
}

impl Location {
    /// The short reference analysts use: `Заявки!F17`, `Заявки!17`, `items.csv:17`.
    pub fn reference(&self) -> String {
        match self {
            Location::Cell { sheet, row, col, .. } => {
                format!("{sheet}!{}", rust_xlsxwriter::utility::row_col_to_cell(*row, *col))
            }
            Location::Row { sheet, row, .. } => format!("{sheet}!{}", row + 1),
            Location::Line { file, line, column: Some(c) } => format!("{file}:{line} ({c})"),
            Location::Line { file, line, column: None } => format!("{file}:{line}"),
            Location::File { file } => file.to_string(),
        }
    }

    pub fn file(&self) -> &str {
        match self {
            Location::Cell { file, .. }
            | Location::Row { file, .. }
            | Location::Line { file, .. }
            | Location::File { file } => file,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line { .. } | Location::File { .. } => f.write_str(&self.reference()),
            _ => write!(f, "{}: {}", self.file(), self.reference()),
        }
    }
}

/// A table's file and sheet (none for CSV), to name a row of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
}

impl Source {
    /// A whole row of this table (a sheet row, or a CSV line).
    pub fn row_location(&self, row: u32) -> Location {
        match &self.sheet {
            Some(sheet) => Location::Row { file: self.file.clone(), sheet: sheet.clone(), row },
            None => Location::Line { file: self.file.clone(), line: row, column: None },
        }
    }

    /// `Заявки!7` for a 0-based sheet row, `applications.csv:7` for a CSV line.
    pub fn row_ref(&self, row: u32) -> String {
        match &self.sheet {
            Some(sheet) => format!("{sheet}!{}", row + 1),
            None => format!("{}:{row}", self.file),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Refuses the application it belongs to (or drops a row that belongs to none).
    Error,
    /// Read correctly but worth a look (a leading zero restored).
    Warning,
}

/// Stable codes of input problems; a code never changes meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    I001UnreadableCell,
    I002RestoredValue,
    I003MissingColumn,
    I004DuplicateApplication,
    I005OrphanItem,
    I006NoApplicationNumber,
    I007AlreadyDecided,
    I008OtherRegion,
    V001MissingValue,
    V002TaxId,
    V003TaxIdKind,
    V004Iban,
    V005Bic,
    V006Kbe,
    V007DateOrder,
    V008NotPositive,
    V009EdsSigner,
    V010EdsExpired,
    V011EdsRevoked,
    V012NoConsent,
    V013UnknownType,
    V014TypeMismatch,
    V015NoItems,
    V016QuantityMismatch,
    V017AgeMismatch,
    V018ApplicantKind,
    V019FormulaLike,
}

impl Code {
    /// Every code, in order.
    pub const ALL: [Code; 27] = [
        Code::I001UnreadableCell,
        Code::I002RestoredValue,
        Code::I003MissingColumn,
        Code::I004DuplicateApplication,
        Code::I005OrphanItem,
        Code::I006NoApplicationNumber,
        Code::I007AlreadyDecided,
        Code::I008OtherRegion,
        Code::V001MissingValue,
        Code::V002TaxId,
        Code::V003TaxIdKind,
        Code::V004Iban,
        Code::V005Bic,
        Code::V006Kbe,
        Code::V007DateOrder,
        Code::V008NotPositive,
        Code::V009EdsSigner,
        Code::V010EdsExpired,
        Code::V011EdsRevoked,
        Code::V012NoConsent,
        Code::V013UnknownType,
        Code::V014TypeMismatch,
        Code::V015NoItems,
        Code::V016QuantityMismatch,
        Code::V017AgeMismatch,
        Code::V018ApplicantKind,
        Code::V019FormulaLike,
    ];

    pub fn id(self) -> &'static str {
        self.parts().0
    }

    pub fn name(self) -> &'static str {
        self.parts().1
    }

    fn parts(self) -> (&'static str, &'static str) {
        use Code::*;
        match self {
            I001UnreadableCell => ("I001", "unreadable-cell"),
            I002RestoredValue => ("I002", "restored-value"),
            I003MissingColumn => ("I003", "missing-column"),
            I004DuplicateApplication => ("I004", "duplicate-application"),
            I005OrphanItem => ("I005", "orphan-item"),
            I006NoApplicationNumber => ("I006", "no-application-number"),
            I007AlreadyDecided => ("I007", "already-decided"),
            I008OtherRegion => ("I008", "other-region"),
            V001MissingValue => ("V001", "missing-value"),
            V002TaxId => ("V002", "invalid-iin-bin"),
            V003TaxIdKind => ("V003", "iin-bin-kind"),
            V004Iban => ("V004", "invalid-iban"),
            V005Bic => ("V005", "bic-mismatch"),
            V006Kbe => ("V006", "invalid-kbe"),
            V007DateOrder => ("V007", "date-order"),
            V008NotPositive => ("V008", "not-positive"),
            V009EdsSigner => ("V009", "eds-signer"),
            V010EdsExpired => ("V010", "eds-expired"),
            V011EdsRevoked => ("V011", "eds-revoked"),
            V012NoConsent => ("V012", "no-consent"),
            V013UnknownType => ("V013", "unknown-subsidy-type"),
            V014TypeMismatch => ("V014", "type-mismatch"),
            V015NoItems => ("V015", "no-items"),
            V016QuantityMismatch => ("V016", "quantity-mismatch"),
            V017AgeMismatch => ("V017", "age-mismatch"),
            V018ApplicantKind => ("V018", "applicant-kind"),
            V019FormulaLike => ("V019", "formula-like-text"),
        }
    }
}

/// One input problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub severity: Severity,
    pub location: Location,
    pub app_no: Option<String>,
    pub field: Option<&'static str>,
    /// Lower-case English message naming the value last, e.g. ``control digit is 8, expected 7``.
    pub message: String,
    /// The refusal ground (p.9 of Appendix 4) when the problem refuses its application.
    pub ground: Option<Ground>,
}

impl Problem {
    pub fn error(code: Code, location: Location, message: impl Into<String>) -> Self {
        Problem {
            code,
            severity: Severity::Error,
            location,
            app_no: None,
            field: None,
            message: message.into(),
            ground: None,
        }
    }

    pub fn warning(code: Code, location: Location, message: impl Into<String>) -> Self {
        Problem { severity: Severity::Warning, ..Problem::error(code, location, message) }
    }

    pub fn field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    pub fn app(mut self, app_no: Option<&str>) -> Self {
        self.app_no = app_no.map(str::to_owned);
        self
    }

    pub fn ground(mut self, ground: Ground) -> Self {
        self.ground = Some(ground);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stops compiling when a code is added to [`Code`] and not to [`Code::ALL`].
    fn listed(code: Code) -> bool {
        match code {
            Code::I001UnreadableCell
            | Code::I002RestoredValue
            | Code::I003MissingColumn
            | Code::I004DuplicateApplication
            | Code::I005OrphanItem
            | Code::I006NoApplicationNumber
            | Code::I007AlreadyDecided
            | Code::I008OtherRegion
            | Code::V001MissingValue
            | Code::V002TaxId
            | Code::V003TaxIdKind
            | Code::V004Iban
            | Code::V005Bic
            | Code::V006Kbe
            | Code::V007DateOrder
            | Code::V008NotPositive
            | Code::V009EdsSigner
            | Code::V010EdsExpired
            | Code::V011EdsRevoked
            | Code::V012NoConsent
            | Code::V013UnknownType
            | Code::V014TypeMismatch
            | Code::V015NoItems
            | Code::V016QuantityMismatch
            | Code::V017AgeMismatch
            | Code::V018ApplicantKind
            | Code::V019FormulaLike => Code::ALL.contains(&code),
        }
    }

    #[test]
    fn every_code_is_listed_once() {
        for code in Code::ALL {
            assert!(listed(code), "{} is not in Code::ALL", code.id());
        }
        let mut ids: Vec<&str> = Code::ALL.iter().map(|c| c.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Code::ALL.len(), "a code is listed twice");
    }

    #[test]
    fn references_are_one_based_a1() {
        let l = Location::Cell { file: "a.xlsx".into(), sheet: "Заявки".into(), row: 16, col: 5 };
        assert_eq!(l.reference(), "Заявки!F17");
        assert_eq!(l.to_string(), "a.xlsx: Заявки!F17");
        let l = Location::Line { file: "items.csv".into(), line: 4, column: Some("price".into()) };
        assert_eq!(l.to_string(), "items.csv:4 (price)");
    }
}
