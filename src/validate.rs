//! Validate: raw rows -> applications, and input problems with their cells.
//!
//! A row that fails a check is kept: its problems carry the refusal ground (p.9 of Appendix 4)
//! and the application goes on to `decide`, which refuses it citing them. Only rows without a
//! usable application number cannot become applications; they stay in the problem list.

use rayon::prelude::*;
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::application::{Application, Record};
use crate::domain::ground::Ground;
use crate::domain::taxid::{self, TaxIdKind};
use crate::domain::{iban, money::Money};
use crate::ingest::RawTable;
use crate::ingest::cell::{self, Value};
use crate::ingest::fields::{self, app, item};
use crate::problem::{Code, Location, Problem, Severity, Source};
use crate::rules::RuleSet;

/// The batch after validation: every application, and every problem found on the way.
#[derive(Debug, Default)]
pub struct Validated {
    pub applications: Vec<Application>,
    pub problems: Vec<Problem>,
    /// The applications and items tables of each input file; [`Application::source`] indexes it.
    pub sources: Vec<(Source, Source)>,
    /// Cell references name their file: the batch has several files, read one at a time.
    pub name_files: bool,
}

impl Validated {
    /// The row an application came from: `Заявки!7`, or `[processing.xlsx]Заявки!7` when the
    /// batch has several files (Excel's own notation).
    pub fn app_ref(&self, a: &Application) -> String {
        self.reference(a.source, |s| &s.0, a.record.row)
    }

    /// The number (1-based) of the application's item that `at` lies in, if it is in one.
    pub fn item_number(&self, a: &Application, at: &crate::problem::Location) -> Option<usize> {
        use crate::problem::Location as L;
        let (_, items) = self.sources.get(a.source)?;
        let (file, sheet, row) = match at {
            L::Cell { file, sheet, row, .. } | L::Row { file, sheet, row } => (file, Some(sheet), *row),
            L::Line { file, line, .. } => (file, None, *line),
            L::File { .. } => return None,
        };
        let same = *file == items.file && sheet.map(|s| &**s) == items.sheet.as_deref();
        if !same {
            return None;
        }
        a.items.iter().position(|it| it.row == row).map(|i| i + 1)
    }

    /// The row of one of an application's items.
    pub fn item_ref(&self, a: &Application, row: u32) -> String {
        self.reference(a.source, |s| &s.1, row)
    }

    fn reference(&self, source: usize, pick: impl Fn(&(Source, Source)) -> &Source, row: u32) -> String {
        let Some(src) = self.sources.get(source).map(pick) else { return row.to_string() };
        let r = src.row_ref(row);
        if (self.name_files || self.sources.len() > 1) && src.sheet.is_some() {
            let name = std::path::Path::new(&*src.file).file_name().map(|n| n.to_string_lossy().into_owned());
            format!("[{}]{r}", name.unwrap_or_default())
        } else {
            r
        }
    }

    /// Parts read one by one, as one batch: the application numbers are unique across them
    /// already ([`Admission`]).
    pub fn concat(parts: Vec<Validated>) -> Validated {
        let mut out = Validated::default();
        for part in parts {
            let base = out.sources.len();
            out.name_files |= part.name_files;
            out.problems.extend(part.problems);
            out.applications.extend(part.applications.into_iter().map(|mut a| {
                a.source += base;
                a
            }));
            out.sources.extend(part.sources);
        }
        out
    }
}

/// The files of a batch are read one at a time, twice when the batch is large. An application
/// number found in an earlier file is an input problem (`I004`) in the later one, whose
/// application is left out; the first file holding each number is remembered, so a file read
/// again is admitted the same way.
#[derive(Debug, Default)]
pub struct Admission {
    first: BTreeMap<String, usize>,
    files: Vec<String>,
}

impl Admission {
    /// Admits file number `k` (0-based, in the order given).
    pub fn admit(&mut self, k: usize, mut part: Validated) -> Validated {
        let file = part.sources[0].0.clone();
        if self.files.len() <= k {
            self.files.resize(k + 1, String::new());
            self.files[k] = file.file.to_string();
        }
        let mut left_out = std::collections::BTreeSet::new();
        for a in &part.applications {
            let first = *self.first.entry(a.app_no.clone()).or_insert(k);
            if first != k {
                left_out.insert(a.app_no.clone());
            }
        }
        if left_out.is_empty() {
            return part;
        }
        // The problems of a left-out application would otherwise refuse the one that is used.
        part.problems.retain(|p| p.app_no.as_deref().is_none_or(|n| !left_out.contains(n)));
        let apps = std::mem::take(&mut part.applications);
        for a in apps {
            if !left_out.contains(&a.app_no) {
                part.applications.push(a);
                continue;
            }
            let first = &self.files[self.first[&a.app_no]];
            part.problems.push(
                Problem::error(
                    Code::I004DuplicateApplication,
                    file.row_location(a.record.row),
                    format!("application `{}` is also in `{first}`; the one there is used", a.app_no),
                )
                .app(Some(&a.app_no))
                .field("app_no"),
            );
        }
        part
    }
}

/// Reads every row of both tables and checks each application.
/// `decided` maps application numbers decided in earlier batches to their batch: those are not
/// decided again.
pub fn validate(
    apps: &RawTable,
    items: &RawTable,
    rules: &RuleSet,
    batch_date: NaiveDate,
    decided: &BTreeMap<String, String>,
) -> Validated {
    let mut problems: Vec<Problem> = apps.problems.iter().chain(&items.problems).cloned().collect();
    let mut applications: Vec<Application> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut others: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();

    for (rec, read_problems) in read_records(apps) {
        problems.extend(read_problems);
        let Some(app_no) = application_number(apps, &rec, &mut problems) else {
            continue;
        };
        if let Some(&first) = index.get(&app_no) {
            let first_at = apps.row_location(applications[first].record.row).reference();
            problems.push(
                Problem::error(
                    Code::I004DuplicateApplication,
                    apps.location(rec.row, app::APP_NO),
                    format!("application `{app_no}` appears again; the row at {first_at} is used"),
                )
                .app(Some(&app_no))
                .field("app_no"),
            );
            continue;
        }
        if let Some(batch) = decided.get(&app_no) {
            problems.push(
                Problem::warning(
                    Code::I007AlreadyDecided,
                    apps.location(rec.row, app::APP_NO),
                    format!("application `{app_no}` was decided in batch {batch}; it is not decided again (see `subsidy ledger history`)"),
                )
                .app(Some(&app_no))
                .field("app_no"),
            );
            continue;
        }
        // Another department's application: reported, and left to that department.
        if let Some(other) = rec.text(app::REGION).and_then(|n| rules.region_named(n)).filter(|r| r.key != rules.region)
        {
            problems.push(
                Problem::warning(
                    Code::I008OtherRegion,
                    apps.location(rec.row, app::REGION),
                    format!(
                        "application `{app_no}` is of {} («{}»), not of {}; it is not decided here",
                        other.name_ru,
                        rec.text(app::REGION).unwrap_or_default(),
                        rules.region().name_ru
                    ),
                )
                .app(Some(&app_no))
                .field("region"),
            );
            others.insert(app_no);
            continue;
        }
        index.insert(app_no.clone(), applications.len());
        let type_code = app_no[..3].to_owned();
        applications.push(Application { app_no, type_code, source: 0, record: rec, items: Vec::new() });
    }
    for (rec, read_problems) in read_records(items) {
        problems.extend(read_problems);
        let Some(app_no) = application_number(items, &rec, &mut problems) else {
            continue;
        };
        match index.get(&app_no) {
            Some(&i) => applications[i].items.push(rec),
            None if decided.contains_key(&app_no) || others.contains(&app_no) => {}
            None => problems.push(
                Problem::error(
                    Code::I005OrphanItem,
                    items.location(rec.row, item::APP_NO),
                    format!("item row belongs to application `{app_no}`, which is not in the applications sheet"),
                )
                .app(Some(&app_no))
                .field("app_no"),
            ),
        }
    }
    let ctx = Ctx { apps, items, rules, batch_date };
    missing_columns(&ctx, &applications, &mut problems);
    let mut unreadable: BTreeMap<String, Vec<(u32, &'static str)>> = BTreeMap::new();
    for p in problems.iter().filter(|p| p.code == Code::I001UnreadableCell) {
        if let (Some(app_no), Some(field)) = (&p.app_no, p.field) {
            unreadable.entry(app_no.clone()).or_default().push((row_of(&p.location), field));
        }
    }
    let checked: Vec<Vec<Problem>> = applications
        .par_iter()
        .map(|a| {
            let mut found = Vec::new();
            ctx.check(a, unreadable.get(&a.app_no).map_or(&[][..], Vec::as_slice), &mut found);
            found
        })
        .collect();
    problems.extend(checked.into_iter().flatten());
    Validated { applications, problems, sources: vec![(apps.source(), items.source())], name_files: false }
}

/// Fields every application needs, whatever its type.
const ALWAYS: [usize; 13] = [
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

/// One problem per column that some application of the batch needs and the sheet lacks.
fn missing_columns(ctx: &Ctx<'_>, applications: &[Application], problems: &mut Vec<Problem>) {
    let mut need_app: std::collections::BTreeSet<usize> = ALWAYS.into_iter().collect();
    let mut need_item = std::collections::BTreeSet::new();
    for a in applications {
        if let Some(p) = ctx.rules.programs.get(&a.type_code) {
            need_app.extend(&p.required);
            need_item.extend(&p.required_items);
        }
    }
    for (table, need) in [(ctx.apps, need_app), (ctx.items, need_item)] {
        for f in need {
            if table.columns[f].is_none() {
                let field = &table.kind.fields()[f];
                let at = match &table.sheet {
                    Some(s) => Location::Row { file: table.file.clone(), sheet: s.clone(), row: 0 },
                    None => Location::File { file: table.file.clone() },
                };
                problems.push(
                    Problem::error(
                        Code::I003MissingColumn,
                        at,
                        format!(
                            "no column for `{}` ({}); looked for headers: {}",
                            field.key,
                            field.doc,
                            field.aliases.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .field(field.key),
                );
            }
        }
    }
}

/// Reads each cell of a row as its field's kind; unreadable cells become problems.
/// Every row of a table read as its fields' kinds, in order, each with its own problems.
fn read_records(table: &RawTable) -> Vec<(Record, Vec<Problem>)> {
    table
        .rows
        .par_iter()
        .map(|raw| {
            let mut found = Vec::new();
            let rec = read_record(table, raw, &mut found);
            (rec, found)
        })
        .collect()
}

fn read_record(table: &RawTable, raw: &crate::ingest::RawRow, problems: &mut Vec<Problem>) -> Record {
    let app_no_pos = fields::position(table.kind, "app_no");
    let app_no = match raw.cells.get(app_no_pos).map(|c| cell::read(fields::Kind::Digits(14), c)) {
        Some(Ok(cell::Read { value: Some(Value::Text(t)), .. })) => Some(t),
        _ => None,
    };
    let mut values = Vec::with_capacity(raw.cells.len());
    for (f, (c, field)) in raw.cells.iter().zip(table.kind.fields()).enumerate() {
        match cell::read(field.kind, c) {
            Ok(read) => {
                if let Some(w) = read.warning {
                    problems.push(
                        Problem::warning(Code::I002RestoredValue, table.location(raw.row, f), w)
                            .app(app_no.as_deref())
                            .field(field.key),
                    );
                }
                values.push(read.value);
            }
            Err(message) => {
                if f != app_no_pos {
                    problems.push(
                        Problem::error(
                            Code::I001UnreadableCell,
                            table.location(raw.row, f),
                            format!("`{}`: {message}", field.key),
                        )
                        .app(app_no.as_deref())
                        .field(field.key)
                        .ground(Ground::InaccurateData),
                    );
                }
                values.push(None);
            }
        }
    }
    Record { row: raw.row, values }
}

fn application_number(table: &RawTable, rec: &Record, problems: &mut Vec<Problem>) -> Option<String> {
    let pos = fields::position(table.kind, "app_no");
    let found = rec.text(pos).map(str::to_owned);
    if found.is_none() {
        problems.push(
            Problem::error(
                Code::I006NoApplicationNumber,
                table.location(rec.row, pos),
                "row has no readable application number (14 digits); it cannot be processed",
            )
            .field("app_no"),
        );
    }
    found
}

struct Ctx<'a> {
    apps: &'a RawTable,
    items: &'a RawTable,
    rules: &'a RuleSet,
    batch_date: NaiveDate,
}

/// Collects one application's problems.
struct Sink<'a> {
    app_no: &'a str,
    out: &'a mut Vec<Problem>,
}

impl Sink<'_> {
    fn push(
        &mut self,
        code: Code,
        at: Location,
        field: Option<&'static str>,
        ground: Ground,
        message: impl Into<String>,
    ) {
        let mut p = Problem::error(code, at, message).app(Some(self.app_no)).ground(ground);
        p.field = field;
        self.out.push(p);
    }
}

impl Ctx<'_> {
    fn at(&self, rec: &Record, f: usize) -> Location {
        self.apps.location(rec.row, f)
    }

    fn at_item(&self, rec: &Record, f: usize) -> Location {
        self.items.location(rec.row, f)
    }

    /// `unreadable`: `(row, field)` of this application's cells already reported as unreadable.
    fn check(&self, a: &Application, unreadable: &[(u32, &'static str)], problems: &mut Vec<Problem>) {
        let r = &a.record;
        // Cells already reported as unreadable are not reported again as missing.
        let mut s = Sink { app_no: &a.app_no, out: problems };
        let key = |f: usize| fields::APPLICATION_FIELDS[f].key;
        let ikey = |f: usize| fields::ITEM_FIELDS[f].key;

        let program = self.rules.programs.get(&a.type_code);
        let Some(program) = program else {
            s.push(Code::V013UnknownType, self.at(r, app::APP_NO), Some("app_no"), Ground::InaccurateData,
                format!("subsidy type `{}` (first three digits of the application number) is not in the rules; known types: {}",
                    a.type_code, self.rules.programs.keys().cloned().collect::<Vec<_>>().join(", ")));
            return;
        };
        if let Some(code) = r.text(app::TYPE_CODE)
            && code != a.type_code
        {
            s.push(
                Code::V014TypeMismatch,
                self.at(r, app::TYPE_CODE),
                Some("type_code"),
                Ground::InaccurateData,
                format!("subsidy type code is `{code}` but the application number starts with `{}`", a.type_code),
            );
        }

        for &f in ALWAYS.iter().chain(&program.required) {
            if r.get(f).is_none() && !unreadable.contains(&(r.row, key(f))) {
                s.push(
                    Code::V001MissingValue,
                    self.at(r, f),
                    Some(key(f)),
                    Ground::InaccurateData,
                    format!("`{}` is required and empty ({})", key(f), fields::APPLICATION_FIELDS[f].doc),
                );
            }
        }

        // Applicant: kind, IIN/BIN, Кбе.
        let kind = r.text(app::APPLICANT_KIND).map(|k| (k, self.rules.service().applicant_kind(k)));
        if let Some((k, None)) = kind {
            let codes: Vec<String> =
                self.rules.service().applicant_kinds.iter().flat_map(|k| k.codes.clone()).collect();
            s.push(
                Code::V018ApplicantKind,
                self.at(r, app::APPLICANT_KIND),
                Some("applicant_kind"),
                Ground::InaccurateData,
                format!("unknown applicant kind `{k}`; expected one of: {}", codes.join(", ")),
            );
        }
        let kind = kind.and_then(|(_, k)| k);
        let tax_id = r.text(app::TAX_ID);
        if let Some(id) = tax_id {
            let expected = kind.map(|k| k.tax_id).or_else(|| taxid::looks_like(id));
            if let Some(expected) = expected
                && let Err(e) = taxid::check(expected, id)
            {
                let other = if expected == TaxIdKind::Iin { TaxIdKind::Bin } else { TaxIdKind::Iin };
                if kind.is_some() && taxid::check(other, id).is_ok() {
                    s.push(
                        Code::V003TaxIdKind,
                        self.at(r, app::TAX_ID),
                        Some("tax_id"),
                        Ground::InaccurateData,
                        format!(
                            "`{id}` is a valid {} but the applicant kind `{}` needs an {}",
                            name(other),
                            r.text(app::APPLICANT_KIND).unwrap_or_default(),
                            name(expected)
                        ),
                    );
                } else {
                    s.push(
                        Code::V002TaxId,
                        self.at(r, app::TAX_ID),
                        Some("tax_id"),
                        Ground::InaccurateData,
                        format!("{} `{id}` is not valid: {e}", name(expected)),
                    );
                }
            }
        }
        if let (Some(kbe), Some(kind)) = (r.text(app::KBE), kind) {
            let joint = tax_id.is_some_and(taxid::is_joint_farm_bin) && !kind.kbe_joint_farm.is_empty();
            let allowed = if joint { &kind.kbe_joint_farm } else { &kind.kbe };
            let shape = kbe.len() == 2 && matches!(kbe.as_bytes()[0], b'1' | b'2') && kbe.as_bytes()[1] != b'0';
            if !shape || !allowed.iter().any(|k| k == kbe) {
                s.push(
                    Code::V006Kbe,
                    self.at(r, app::KBE),
                    Some("kbe"),
                    Ground::InaccurateData,
                    format!(
                        "Кбе `{kbe}` does not fit applicant kind `{}`; expected {}",
                        r.text(app::APPLICANT_KIND).unwrap_or_default(),
                        allowed.join(" or ")
                    ),
                );
            }
        }

        // Names travel to the treasury's import file, which is not protected against formulas
        // (OWASP ASVS 1.2.10): a name that starts like a formula is refused, not rewritten.
        if let Some(name) = r.text(app::APPLICANT_NAME)
            && name.starts_with(['=', '+', '-', '@', '\t', '\r'])
        {
            s.push(
                Code::V019FormulaLike,
                self.at(r, app::APPLICANT_NAME),
                Some("applicant_name"),
                Ground::InaccurateData,
                format!("applicant name starts like a spreadsheet formula: `{name}`"),
            );
        }

        // Bank details.
        let checked_iban = r.text(app::IBAN).and_then(|raw| match iban::check(raw) {
            Ok(i) => Some(i),
            Err(e) => {
                s.push(
                    Code::V004Iban,
                    self.at(r, app::IBAN),
                    Some("iban"),
                    Ground::InaccurateData,
                    format!("ИИК (IBAN) is not valid: {e}"),
                );
                None
            }
        });
        if let Some(bic) = r.text(app::BIC) {
            let bic = bic.to_ascii_uppercase();
            match self.rules.banks.by_bic(&bic) {
                None => s.push(
                    Code::V005Bic,
                    self.at(r, app::BIC),
                    Some("bic"),
                    Ground::InaccurateData,
                    format!("БИК `{bic}` is not in the bank directory"),
                ),
                Some(bank) => {
                    if let Some(i) = &checked_iban
                        && iban::bank_code(i) != bank.code
                    {
                        let owner = self.rules.banks.by_code(iban::bank_code(i)).map_or_else(
                            || "no bank in the directory".to_owned(),
                            |b| format!("{} ({})", b.name, b.bic),
                        );
                        s.push(
                            Code::V005Bic,
                            self.at(r, app::BIC),
                            Some("bic"),
                            Ground::InaccurateData,
                            format!(
                                "ИИК `{i}` has bank code {} ({owner}) but БИК `{bic}` is {} (code {})",
                                iban::bank_code(i),
                                bank.name,
                                bank.code
                            ),
                        );
                    }
                }
            }
        }

        // Signature and consent.
        let submitted = r.date(app::SUBMITTED_AT);
        if let (Some(signer), Some(id)) = (r.text(app::EDS_SIGNER), tax_id)
            && signer != id
        {
            s.push(
                Code::V009EdsSigner,
                self.at(r, app::EDS_SIGNER),
                Some("eds_signer"),
                Ground::InaccurateData,
                format!("the application is signed by `{signer}`, not by the applicant `{id}`"),
            );
        }
        if let (Some(valid_to), Some(sub)) = (r.date(app::EDS_VALID_TO), submitted)
            && valid_to < sub
        {
            s.push(
                Code::V010EdsExpired,
                self.at(r, app::EDS_VALID_TO),
                Some("eds_valid_to"),
                Ground::InaccurateData,
                format!(
                    "the signing certificate expired on {} before signing on {}",
                    valid_to.format("%d.%m.%Y"),
                    sub.format("%d.%m.%Y")
                ),
            );
        }
        if r.flag(app::EDS_REVOKED) == Some(true) {
            s.push(
                Code::V011EdsRevoked,
                self.at(r, app::EDS_REVOKED),
                Some("eds_revoked"),
                Ground::InaccurateData,
                "the signing certificate was revoked",
            );
        }
        if r.flag(app::CONSENT) == Some(false) {
            s.push(
                Code::V012NoConsent,
                self.at(r, app::CONSENT),
                Some("consent"),
                Ground::NoConsent,
                "no consent to access restricted personal data",
            );
        }
        if let Some(sub) = submitted
            && sub > self.batch_date
        {
            s.push(
                Code::V007DateOrder,
                self.at(r, app::SUBMITTED_AT),
                Some("submitted_at"),
                Ground::InaccurateData,
                format!(
                    "submitted on {} after the batch date {}",
                    sub.format("%d.%m.%Y"),
                    self.batch_date.format("%d.%m.%Y")
                ),
            );
        }
        for f in [app::QUANTITY, app::HERD_SIZE, app::OUTPUT_TONNES] {
            if r.decimal(f).is_some_and(|d| d <= Decimal::ZERO) {
                s.push(
                    Code::V008NotPositive,
                    self.at(r, f),
                    Some(key(f)),
                    Ground::InaccurateData,
                    format!("`{}` must be more than zero", key(f)),
                );
            }
        }
        if r.money(app::AMOUNT_CLAIMED).is_some_and(|m| m <= Money::ZERO) {
            s.push(
                Code::V008NotPositive,
                self.at(r, app::AMOUNT_CLAIMED),
                Some("amount_claimed"),
                Ground::InaccurateData,
                "`amount_claimed` must be more than zero",
            );
        }

        // Items.
        if a.items.is_empty() {
            s.push(
                Code::V015NoItems,
                self.at(r, app::APP_NO),
                Some("app_no"),
                Ground::InaccurateData,
                "the application has no rows in the items sheet (animals or deliveries)",
            );
        }
        let mut basis_total = Decimal::ZERO;
        for it in &a.items {
            for &f in &program.required_items {
                if it.get(f).is_none() && !unreadable.contains(&(it.row, ikey(f))) {
                    s.push(
                        Code::V001MissingValue,
                        self.at_item(it, f),
                        Some(ikey(f)),
                        Ground::InaccurateData,
                        format!(
                            "`{}` is required for type {} and empty ({})",
                            ikey(f),
                            a.type_code,
                            fields::ITEM_FIELDS[f].doc
                        ),
                    );
                }
            }
            for f in [item::AGE_MONTHS, item::LIVE_WEIGHT_KG, item::VOLUME_KG, item::HEAD_COUNT] {
                if it.decimal(f).is_some_and(|d| d <= Decimal::ZERO) {
                    s.push(
                        Code::V008NotPositive,
                        self.at_item(it, f),
                        Some(ikey(f)),
                        Ground::InaccurateData,
                        format!("`{}` must be more than zero", ikey(f)),
                    );
                }
            }
            if it.money(item::PRICE).is_some_and(|m| m <= Money::ZERO) {
                s.push(
                    Code::V008NotPositive,
                    self.at_item(it, item::PRICE),
                    Some("price"),
                    Ground::InaccurateData,
                    "`price` must be more than zero",
                );
            }
            if let Some(cp) = it.text(item::COUNTERPARTY_ID) {
                let ok = taxid::looks_like(cp).is_some_and(|k| taxid::check(k, cp).is_ok());
                if !ok {
                    s.push(
                        Code::V002TaxId,
                        self.at_item(it, item::COUNTERPARTY_ID),
                        Some("counterparty_id"),
                        Ground::InaccurateData,
                        format!("counterparty IIN/BIN `{cp}` is not valid"),
                    );
                }
            }
            let birth = it.date(item::BIRTH_DATE);
            let deal = it.date(item::TRANSACTION_DATE);
            let order = [
                (birth, item::BIRTH_DATE, deal, item::TRANSACTION_DATE),
                (birth, item::BIRTH_DATE, it.date(item::ISJ_REG_DATE), item::ISJ_REG_DATE),
                (deal, item::TRANSACTION_DATE, submitted, app::SUBMITTED_AT),
                (it.date(item::ESF_DATE), item::ESF_DATE, submitted, app::SUBMITTED_AT),
            ];
            for (i, (early, ef, late, lf)) in order.into_iter().enumerate() {
                if let (Some(e), Some(l)) = (early, late)
                    && e > l
                {
                    let late_key = if i >= 2 { key(lf) } else { ikey(lf) };
                    s.push(
                        Code::V007DateOrder,
                        self.at_item(it, ef),
                        Some(ikey(ef)),
                        Ground::InaccurateData,
                        format!(
                            "`{}` {} is after `{late_key}` {}",
                            ikey(ef),
                            e.format("%d.%m.%Y"),
                            l.format("%d.%m.%Y")
                        ),
                    );
                }
            }
            if let (Some(b), Some(d), Some(age)) = (birth, deal, it.decimal(item::AGE_MONTHS)) {
                let months = Decimal::from(months_between(b, d));
                if (months - age).abs() > Decimal::ONE {
                    s.push(
                        Code::V017AgeMismatch,
                        self.at_item(it, item::AGE_MONTHS),
                        Some("age_months"),
                        Ground::InaccurateData,
                        format!(
                            "age {age} months does not match birth {} and transaction {} ({months} full months)",
                            b.format("%d.%m.%Y"),
                            d.format("%d.%m.%Y")
                        ),
                    );
                }
            }
            basis_total += basis_of(it, program.basis);
        }
        if let Some(q) = r.decimal(app::QUANTITY)
            && !a.items.is_empty()
            && q != basis_total
        {
            s.push(
                Code::V016QuantityMismatch,
                self.at(r, app::QUANTITY),
                Some("quantity"),
                Ground::InaccurateData,
                format!(
                    "declared quantity {q} differs from the items' total {basis_total} (`{}`)",
                    ikey(program.basis)
                ),
            );
        }
    }
}

/// An item's quantity in the type's unit; an empty head count is one animal.
pub fn basis_of(it: &Record, basis: usize) -> Decimal {
    match it.decimal(basis) {
        Some(d) => d,
        None if basis == item::HEAD_COUNT => Decimal::ONE,
        None => Decimal::ZERO,
    }
}

/// Whole months from `from` to `to` (the age convention of ИСЖ: a month is complete on the same day).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> i32 {
    let mut m = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        m -= 1;
    }
    m
}

fn name(k: TaxIdKind) -> &'static str {
    match k {
        TaxIdKind::Iin => "IIN",
        TaxIdKind::Bin => "BIN",
    }
}

fn row_of(l: &Location) -> u32 {
    match l {
        Location::Cell { row, .. } | Location::Row { row, .. } => *row,
        Location::Line { line, .. } => *line,
        Location::File { .. } => u32::MAX,
    }
}

/// Whether a problem refuses its application.
pub fn refuses(p: &Problem) -> bool {
    p.severity == Severity::Error && p.ground.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_files_leaves_out_a_repeated_application_with_its_problems() {
        let part = |file: &str, problem: Option<Code>| {
            let source = Source { file: file.into(), sheet: Some("Заявки".into()) };
            let app = Application {
                app_no: "00700100000001".into(),
                type_code: "007".into(),
                source: 0,
                record: Record { row: 4, values: Vec::new() },
                items: Vec::new(),
            };
            let problems = problem
                .map(|c| {
                    Problem::error(c, source.row_location(4), "bad")
                        .app(Some(&app.app_no))
                        .ground(Ground::InaccurateData)
                })
                .into_iter()
                .collect();
            Validated { applications: vec![app], problems, sources: vec![(source.clone(), source)], name_files: false }
        };
        let admit = |adm: &mut Admission| {
            vec![adm.admit(0, part("a.xlsx", None)), adm.admit(1, part("b.xlsx", Some(Code::V002TaxId)))]
        };
        let mut adm = Admission::default();
        let merged = Validated::concat(admit(&mut adm));
        // A file read again (the second pass of a large batch) is admitted the same way.
        let again = Validated::concat(admit(&mut adm));
        assert_eq!(again.problems, merged.problems);
        assert_eq!(again.applications, merged.applications);
        assert_eq!(merged.applications.len(), 1);
        assert_eq!(merged.applications[0].source, 0);
        let codes: Vec<Code> = merged.problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, [Code::I004DuplicateApplication], "b.xlsx's V002 must not refuse a.xlsx's application");
        assert!(merged.problems[0].message.contains("is also in `a.xlsx`"));
        assert_eq!(merged.app_ref(&merged.applications[0]), "[a.xlsx]Заявки!5");
    }

    #[test]
    fn months_are_complete_on_the_same_day() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(months_between(d(2024, 1, 15), d(2025, 1, 15)), 12);
        assert_eq!(months_between(d(2024, 1, 15), d(2025, 1, 14)), 11);
        assert_eq!(months_between(d(2024, 1, 31), d(2024, 2, 29)), 0);
    }
}
