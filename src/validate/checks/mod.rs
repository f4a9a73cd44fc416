//! The checks of one application, in one registry: each names its problem codes, the refusal
//! ground it cites and what it checks (`samples/README.md` «Input checks» lists them for staff).
//! They run in the registry's order, so an application's problems keep a stable order.

mod applicant;
mod bank;
mod items;
mod signature;
mod values;

use chrono::NaiveDate;

use crate::application::{Application, Record};
use crate::catalogue::{self as fields, app};
use crate::domain::ground::Ground;
use crate::ingest::RawTable;
use crate::problem::{Code, Location, Problem};
use crate::rules::{Program, RuleSet};

/// Fields every application needs, whatever its type.
pub(super) const ALWAYS: [usize; 13] = [
    app::SUBMITTED_AT,
    app::APPLICANT_NAME,
    app::APPLICANT_KIND,
    app::TAX_ID,
    app::IBAN,
    app::BIC,
    app::KBE,
    app::QUANTITY,
    app::AMOUNT_CLAIMED,
    app::CONSENT,
    app::EDS_SIGNER,
    app::EDS_VALID_TO,
    app::DISTRICT,
];

/// One check of the registry.
pub struct Check {
    pub name: &'static str,
    /// The problem codes it raises.
    pub codes: &'static [Code],
    /// The refusal ground (p.9 of Appendix 4) its problems cite.
    pub ground: Ground,
    pub doc: &'static str,
    run: fn(&Input<'_>, &mut Sink<'_>),
}

/// Every check, in the order they run. The subsidy type is checked before them: an application
/// whose type is not in the rules (`V013`) is checked no further.
pub static CHECKS: &[Check] = &[
    Check {
        name: "type-code",
        codes: &[Code::V014TypeMismatch],
        ground: Ground::InaccurateData,
        doc: "the type code column, when given, equals the first three digits of the application number",
        run: values::type_code,
    },
    Check {
        name: "required",
        codes: &[Code::V001MissingValue],
        ground: Ground::InaccurateData,
        doc: "every field the service and the type require is filled (cells already unreadable are not reported again)",
        run: values::required,
    },
    Check {
        name: "applicant",
        codes: &[Code::V018ApplicantKind, Code::V002TaxId, Code::V003TaxIdKind, Code::V006Kbe],
        ground: Ground::InaccurateData,
        doc: "a known applicant kind; an IIN or BIN that passes its control digit and suits the kind; a Кбе allowed for the kind",
        run: applicant::applicant,
    },
    Check {
        name: "formula-like",
        codes: &[Code::V019FormulaLike],
        ground: Ground::InaccurateData,
        doc: "the applicant's name, which goes to the treasury's import file, does not start like a formula (= + - @ tab, return)",
        run: applicant::formula_like,
    },
    Check {
        name: "bank",
        codes: &[Code::V004Iban, Code::V005Bic],
        ground: Ground::InaccurateData,
        doc: "a valid Kazakh IBAN; a BIC of the bank directory whose bank code is the IBAN's",
        run: bank::bank,
    },
    Check {
        name: "signature",
        codes: &[Code::V009EdsSigner, Code::V010EdsExpired, Code::V011EdsRevoked],
        ground: Ground::InaccurateData,
        doc: "signed by the applicant, with a certificate valid on the submission date and not revoked",
        run: signature::signature,
    },
    Check {
        name: "consent",
        codes: &[Code::V012NoConsent],
        ground: Ground::NoConsent,
        doc: "consent to access restricted personal data is given",
        run: signature::consent,
    },
    Check {
        name: "submitted-by-batch",
        codes: &[Code::V007DateOrder],
        ground: Ground::InaccurateData,
        doc: "submitted on or before the batch date",
        run: values::submitted_by_batch,
    },
    Check {
        name: "positive",
        codes: &[Code::V008NotPositive],
        ground: Ground::InaccurateData,
        doc: "quantity, herd size, output and the amount claimed are more than zero",
        run: values::positive,
    },
    Check {
        name: "items",
        codes: &[
            Code::V015NoItems,
            Code::V001MissingValue,
            Code::V008NotPositive,
            Code::V002TaxId,
            Code::V007DateOrder,
            Code::V017AgeMismatch,
            Code::V016QuantityMismatch,
        ],
        ground: Ground::InaccurateData,
        doc: "at least one item; each with its required fields, positive quantities and price, a valid counterparty IIN/BIN, \
              dates in order (birth, transaction, registration, invoice, submission) and an age that matches its dates; \
              the declared quantity equals the items' total",
        run: items::items,
    },
];

/// What the checks read: the tables (for cell references), the rules and the batch date.
pub(super) struct Ctx<'a> {
    pub apps: &'a RawTable,
    pub items: &'a RawTable,
    pub rules: &'a RuleSet,
    pub batch_date: NaiveDate,
}

/// One application under check.
struct Input<'a> {
    ctx: &'a Ctx<'a>,
    a: &'a Application,
    program: &'a Program,
    /// `(row, field)` of this application's cells already reported as unreadable.
    unreadable: &'a [(u32, &'static str)],
}

impl Input<'_> {
    fn at(&self, f: usize) -> Location {
        self.ctx.apps.location(self.a.record.row, f)
    }

    fn at_item(&self, rec: &Record, f: usize) -> Location {
        self.ctx.items.location(rec.row, f)
    }
}

/// Collects one application's problems, citing the running check's ground.
struct Sink<'a> {
    app_no: &'a str,
    ground: Ground,
    out: &'a mut Vec<Problem>,
}

impl Sink<'_> {
    fn push(&mut self, code: Code, at: Location, field: &'static str, message: impl Into<String>) {
        let p = Problem::error(code, at, message).app(Some(self.app_no)).ground(self.ground).field(field);
        self.out.push(p);
    }
}

impl Ctx<'_> {
    /// Runs every check on `a`; `unreadable` are its cells already reported as unreadable.
    pub(super) fn check(&self, a: &Application, unreadable: &[(u32, &'static str)], problems: &mut Vec<Problem>) {
        let mut s = Sink { app_no: &a.app_no, ground: Ground::InaccurateData, out: problems };
        let Some(program) = self.rules.programs.get(&a.type_code) else {
            s.push(
                Code::V013UnknownType,
                self.apps.location(a.record.row, app::APP_NO),
                "app_no",
                format!(
                    "subsidy type `{}` (first three digits of the application number) is not in the rules; known types: {}",
                    a.type_code,
                    self.rules.programs.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            );
            return;
        };
        let input = Input { ctx: self, a, program, unreadable };
        for c in CHECKS {
            s.ground = c.ground;
            (c.run)(&input, &mut s);
        }
    }
}

fn key(f: usize) -> &'static str {
    fields::APPLICATION_FIELDS[f].key
}

fn ikey(f: usize) -> &'static str {
    fields::ITEM_FIELDS[f].key
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every validation code is raised by a check of the registry (V013 by the type lookup), and
    /// each check documents itself.
    #[test]
    fn every_code_has_its_check() {
        // Every validation code but V013, which the type lookup raises before the checks.
        let all = Code::ALL.into_iter().filter(|c| c.id().starts_with('V') && *c != Code::V013UnknownType);
        for code in all {
            assert!(CHECKS.iter().any(|c| c.codes.contains(&code)), "{} has no check", code.id());
        }
        let mut names: Vec<&str> = CHECKS.iter().map(|c| c.name).collect();
        names.dedup();
        assert_eq!(names.len(), CHECKS.len(), "check names are unique");
        assert!(CHECKS.iter().all(|c| !c.doc.is_empty() && !c.codes.is_empty()));
        // Staff's table of checks names each check and each of its codes.
        let readme = fs_err::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/README.md")).unwrap();
        let readme = &readme[readme.find("## Input checks").expect("samples/README.md has «Input checks»")..];
        for c in CHECKS {
            let row = readme.lines().find(|l| l.starts_with(&format!("| `{}` |", c.name)));
            let row = row.unwrap_or_else(|| panic!("samples/README.md «Input checks» lacks `{}`", c.name));
            for code in c.codes {
                assert!(row.contains(&format!("`{}`", code.id())), "{} not listed for `{}`", code.id(), c.name);
            }
        }
    }
}
