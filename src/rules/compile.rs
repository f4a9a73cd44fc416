//! Raw rule files -> [`RuleSet`], collecting every problem before giving up.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::criterion::{CriterionError, compile};
use super::raw::{Level, RawCriterion, RawProgram, RawService};
use super::{ApplicantKind, Criterion, GroundText, Program, Rate, RuleSet, RulesError, Service};
use crate::decide::schema;
use crate::diag::{Diagnostic, RuleCode, SourceMap};
use crate::domain::bank::{Bank, BankDirectory};
use crate::domain::ground::Ground;
use crate::ingest::fields::{self, SheetKind};

/// Collects diagnostics and the ids seen so far.
struct Checker {
    diags: Vec<Diagnostic>,
    ids: BTreeMap<String, Arc<str>>,
    app_schema: polars::prelude::Schema,
    item_schema: polars::prelude::Schema,
}

impl Checker {
    fn err(
        &mut self,
        code: RuleCode,
        file: &Arc<str>,
        span: Option<Range<usize>>,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diags.push(Diagnostic::new(code, file, span, msg));
        self.diags.last_mut().expect("just pushed")
    }

    fn unique_id(&mut self, file: &Arc<str>, id: &Spanned<String>) {
        if let Some(first) = self.ids.insert(id.get_ref().clone(), file.clone()) {
            self.err(
                RuleCode::R002DuplicateId,
                file,
                Some(id.span()),
                format!("id `{}` is used twice", id.get_ref()),
            )
            .hints
            .push(format!(
                "it is first used in `{first}`; ids are cited in registers and must be unique"
            ));
        }
    }

    fn legal_ref(&mut self, file: &Arc<str>, what: &str, r: &Spanned<String>) -> String {
        if r.get_ref().trim().is_empty() {
            self.err(
                RuleCode::R008MissingLegalRef,
                file,
                Some(r.span()),
                format!("{what} has an empty `legal-ref`"),
            )
            .hints
            .push("cite the order, appendix and point, e.g. \"Приказ МСХ РК № 108 от 15.03.2019, прил. 2\"".into());
        }
        r.get_ref().trim().to_owned()
    }

    fn text(&mut self, file: &Arc<str>, what: &str, key: &str, t: &Spanned<String>) -> String {
        if t.get_ref().trim().is_empty() {
            self.err(
                RuleCode::R013MissingText,
                file,
                Some(t.span()),
                format!("{what} has an empty `{key}`"),
            );
        }
        t.get_ref().trim().to_owned()
    }

    fn date(&mut self, file: &Arc<str>, key: &str, v: &Spanned<toml::value::Datetime>) -> Option<NaiveDate> {
        let d = v.get_ref();
        let date = match (d.date, d.time) {
            (Some(date), None) => {
                NaiveDate::from_ymd_opt(i32::from(date.year), u32::from(date.month), u32::from(date.day))
            }
            _ => None,
        };
        if date.is_none() {
            self.err(
                RuleCode::R001Syntax,
                file,
                Some(v.span()),
                format!("`{key}` must be a date such as 2025-01-20, found `{d}`"),
            );
        }
        date
    }

    fn field(&mut self, file: &Arc<str>, sheet: SheetKind, name: &Spanned<String>) -> Option<usize> {
        let pos = sheet.fields().iter().position(|f| f.key == name.get_ref());
        if pos.is_none() {
            let known: Vec<&str> = sheet.fields().iter().map(|f| f.key).collect();
            self.err(
                RuleCode::R014UnknownFieldName,
                file,
                Some(name.span()),
                format!("unknown {} field `{}`", sheet_word(sheet), name.get_ref()),
            )
            .hints
            .push(format!("known fields: {}", known.join(", ")));
        }
        pos
    }

    fn decimal(&mut self, file: &Arc<str>, key: &str, v: &Spanned<String>) -> Option<Decimal> {
        let d = crate::domain::number::parse_decimal(v.get_ref()).filter(|d| d > &Decimal::ZERO);
        if d.is_none() {
            self.err(
                RuleCode::R001Syntax,
                file,
                Some(v.span()),
                format!("`{key}` must be a positive number in quotes, found `{}`", v.get_ref()),
            );
        }
        d
    }

    fn criterion(&mut self, file: &Arc<str>, raw: &RawCriterion) -> Option<Criterion> {
        self.unique_id(file, &raw.id);
        let id = raw.id.get_ref().clone();
        let what = format!("criterion `{id}`");
        let legal_ref = self.legal_ref(file, &what, &raw.legal_ref);
        let message_ru = self.text(file, &what, "message-ru", &raw.message_ru);
        let message_kk = self.text(file, &what, "message-kk", &raw.message_kk);
        let (schema, cols, level) = match raw.level {
            Level::Application => (&self.app_schema, schema::application_columns(), "application"),
            Level::Item => (&self.item_schema, schema::item_columns(), "item"),
        };
        let span = Some(raw.require.span());
        match compile(raw.require.get_ref(), schema) {
            Ok((expr, fields)) => Some(Criterion {
                id,
                level: raw.level,
                text: raw.require.get_ref().clone(),
                expr,
                fields,
                ground: raw.ground,
                legal_ref,
                message_ru,
                message_kk,
            }),
            Err(CriterionError::Syntax(m)) => {
                self.err(RuleCode::R005CriterionSyntax, file, span, format!("{what} does not parse: {m}"))
                    .hints
                    .push("write a condition such as `age_months BETWEEN 8 AND 26`, `breed IN ('a', 'b')` or `herd_size >= 20 AND record_no IS NOT NULL`".into());
                None
            }
            Err(CriterionError::UnknownField { name }) => {
                let known: Vec<String> = cols.iter().map(|c| c.0.clone()).collect();
                self.err(
                    RuleCode::R006UnknownField,
                    file,
                    span,
                    format!("{what} uses unknown {level} field `{name}`"),
                )
                .hints
                .push(format!("{level} criteria can use: {}", known.join(", ")));
                None
            }
            Err(CriterionError::NotBoolean(t)) => {
                self.err(
                    RuleCode::R007NotBoolean,
                    file,
                    span,
                    format!("{what} gives a value of type {t}, not true or false"),
                )
                .hints
                .push("compare the value with something, e.g. `herd_size >= 20`".into());
                None
            }
        }
    }
}

fn sheet_word(s: SheetKind) -> &'static str {
    match s {
        SheetKind::Applications => "application",
        SheetKind::Items => "item",
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads and checks every rule file under `dir`.
pub fn load(dir: &Path) -> Result<RuleSet, RulesError> {
    let mut sources = SourceMap::default();
    let mut files = Vec::new();
    let mut read = |path: &Path| -> Result<(Arc<str>, String), RulesError> {
        let bytes =
            fs_err::read(path).map_err(|e| RulesError::Io(anyhow::Error::new(e).context("cannot read the rules")))?;
        let name: Arc<str> = path.to_string_lossy().into();
        files.push((name.to_string(), sha256_hex(&bytes)));
        let text = String::from_utf8_lossy(&bytes).into_owned();
        sources.add(name.clone(), text.clone());
        Ok((name, text))
    };
    let mut ck = Checker {
        diags: Vec::new(),
        ids: BTreeMap::new(),
        app_schema: schema::to_schema(&schema::application_columns()),
        item_schema: schema::to_schema(&schema::item_columns()),
    };

    let (sfile, stext) = read(&dir.join("service.toml"))?;
    let service = match toml::from_str::<RawService>(&stext) {
        Ok(raw) => Some(service(&mut ck, &sfile, &raw)),
        Err(e) => {
            ck.err(RuleCode::R001Syntax, &sfile, e.span(), e.message().trim().to_owned());
            None
        }
    };

    let (bfile, btext) = read(&dir.join("banks-kz.csv"))?;
    let banks = banks(&mut ck, &bfile, &btext);

    let pdir = dir.join("programs");
    let mut paths: Vec<_> = fs_err::read_dir(&pdir)
        .with_context(|| format!("cannot list the subsidy types in `{}`", pdir.display()))
        .map_err(RulesError::Io)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut programs = BTreeMap::new();
    for path in &paths {
        let (file, text) = read(path)?;
        match toml::from_str::<RawProgram>(&text) {
            Ok(raw) => {
                if let Some(p) = program(&mut ck, &file, path, &raw) {
                    programs.insert(p.code.clone(), p);
                }
            }
            Err(e) => {
                ck.err(RuleCode::R001Syntax, &file, e.span(), e.message().trim().to_owned());
            }
        }
    }
    if paths.is_empty() {
        let f: Arc<str> = pdir.to_string_lossy().into();
        ck.err(
            RuleCode::R012NoPrograms,
            &f,
            None,
            "no subsidy types: the folder has no `.toml` files",
        );
    }
    match (service, ck.diags.is_empty()) {
        (Some(service), true) => Ok(RuleSet {
            service,
            programs,
            banks,
            files,
        }),
        _ => Err(RulesError::Invalid(ck.diags, sources)),
    }
}

fn service(ck: &mut Checker, file: &Arc<str>, raw: &RawService) -> Service {
    let mut grounds = BTreeMap::new();
    for (g, r) in [
        (Ground::InaccurateData, &raw.grounds.inaccurate_data),
        (Ground::NonCompliance, &raw.grounds.non_compliance),
        (Ground::NoConsent, &raw.grounds.no_consent),
    ] {
        let legal_ref = ck.legal_ref(file, &format!("ground `{}`", g.key()), &r.legal_ref);
        grounds.insert(
            g,
            GroundText {
                text_ru: r.text_ru.clone(),
                text_kk: r.text_kk.clone(),
                legal_ref,
            },
        );
    }
    let mut month_day = |v: &Spanned<String>| {
        let parsed = v.get_ref().split_once('-').and_then(|(m, d)| {
            let (m, d) = (m.parse().ok()?, d.parse().ok()?);
            NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
        });
        parsed.unwrap_or_else(|| {
            ck.err(
                RuleCode::R001Syntax,
                file,
                Some(v.span()),
                format!("window dates are `MM-DD`, found `{}`", v.get_ref()),
            );
            (1, 1)
        })
    };
    let window_from = month_day(&raw.window.from);
    let window_to = month_day(&raw.window.to);
    let criteria = raw.criterion.iter().filter_map(|c| ck.criterion(file, c)).collect();
    Service {
        department_ru: raw.department.name_ru.clone(),
        department_kk: raw.department.name_kk.clone(),
        region_ru: raw.department.region_ru.clone(),
        region_kk: raw.department.region_kk.clone(),
        grounds,
        applicant_kinds: raw
            .applicant_kind
            .iter()
            .map(|k| ApplicantKind {
                codes: k.codes.clone(),
                tax_id: k.tax_id,
                kbe: k.kbe.clone(),
                kbe_joint_farm: k.kbe_joint_farm.clone(),
            })
            .collect(),
        window_from,
        window_to,
        criteria,
    }
}

fn banks(ck: &mut Checker, file: &Arc<str>, text: &str) -> BankDirectory {
    let data: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut banks = Vec::new();
    let mut reader = csv::Reader::from_reader(data.as_bytes());
    for rec in reader.records() {
        match rec {
            Ok(r) if r.len() >= 3 && r[1].len() == 3 && r[1].bytes().all(|b| b.is_ascii_digit()) => {
                banks.push(Bank {
                    bic: r[0].trim().to_owned(),
                    code: r[1].to_owned(),
                    name: r[2].trim().to_owned(),
                });
            }
            Ok(r) => {
                ck.err(
                    RuleCode::R011BankDirectory,
                    file,
                    None,
                    format!(
                        "bad bank row `{}`: expected bic,iban_bank_code (3 digits),name",
                        r.iter().collect::<Vec<_>>().join(",")
                    ),
                );
            }
            Err(e) => {
                ck.err(
                    RuleCode::R011BankDirectory,
                    file,
                    None,
                    format!("cannot read the bank directory: {e}"),
                );
            }
        }
    }
    BankDirectory::new(banks)
}

fn program(ck: &mut Checker, file: &Arc<str>, path: &Path, raw: &RawProgram) -> Option<Program> {
    let code = raw.code.get_ref().clone();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) || stem != code {
        ck.err(
            RuleCode::R010ProgramFile,
            file,
            Some(raw.code.span()),
            format!("subsidy type code `{code}` must be 3 digits and match the file name `{stem}.toml`"),
        );
    }
    let what = format!("subsidy type `{code}`");
    let legal_ref = ck.legal_ref(file, &what, &raw.legal_ref);
    let required: Vec<usize> = raw
        .required
        .iter()
        .filter_map(|f| ck.field(file, SheetKind::Applications, f))
        .collect();
    let required_items: Vec<usize> = raw
        .required_items
        .iter()
        .filter_map(|f| ck.field(file, SheetKind::Items, f))
        .collect();
    let basis = ck.field(file, SheetKind::Items, &raw.amount.basis);
    if let Some(b) = basis {
        let kind = fields::ITEM_FIELDS[b].kind;
        if kind != fields::Kind::Decimal {
            ck.err(
                RuleCode::R014UnknownFieldName,
                file,
                Some(raw.amount.basis.span()),
                format!("amount basis `{}` is not a quantity field", raw.amount.basis.get_ref()),
            )
            .hints
            .push("use `head_count`, `live_weight_kg` or `volume_kg`".into());
        }
    }
    let basis_max = raw
        .amount
        .basis_max
        .as_ref()
        .and_then(|v| ck.decimal(file, "basis-max", v));
    let price_share_max = raw
        .amount
        .price_share_max
        .as_ref()
        .and_then(|v| ck.decimal(file, "price-share-max", v));
    let amount_legal_ref = raw
        .amount
        .legal_ref
        .as_ref()
        .map(|r| ck.legal_ref(file, &format!("{what} amount"), r));

    let mut rates = Vec::new();
    for r in &raw.rate {
        ck.unique_id(file, &r.id);
        let legal = ck.legal_ref(file, &format!("rate `{}`", r.id.get_ref()), &r.legal_ref);
        let from = ck.date(file, "effective-from", &r.effective_from);
        let to = r
            .effective_to
            .as_ref()
            .map(|t| (ck.date(file, "effective-to", t), t.span()));
        if let (Some(from), Some((Some(to), span))) = (from, &to)
            && *to <= from
        {
            ck.err(
                RuleCode::R009EmptyPeriod,
                file,
                Some(span.clone()),
                format!("rate `{}` ends ({to}) before it starts ({from})", r.id.get_ref()),
            )
            .hints
            .push("`effective-to` is exclusive and must be after `effective-from`".into());
        }
        if let Some(from) = from {
            rates.push((
                Rate {
                    id: r.id.get_ref().clone(),
                    from,
                    to: to.and_then(|t| t.0),
                    amount: *r.amount.get_ref(),
                    legal_ref: legal,
                },
                r.effective_from.span(),
            ));
        }
    }
    rates.sort_by_key(|(r, _)| r.from);
    for pair in rates.windows(2) {
        let ((a, _), (b, bspan)) = (&pair[0], &pair[1]);
        match a.to {
            Some(to) if to < b.from => {
                ck.err(
                    RuleCode::R004GapInPeriods,
                    file,
                    Some(bspan.clone()),
                    format!("no rate of {what} is in force from {to} to {}", b.from),
                )
                .hints
                .push(format!(
                    "set `effective-to = {}` on rate `{}`, or add an edition for the gap",
                    b.from, a.id
                ));
            }
            Some(to) if to == b.from => {}
            _ => {
                ck.err(
                    RuleCode::R003OverlappingPeriods,
                    file,
                    Some(bspan.clone()),
                    format!(
                        "rates `{}` and `{}` of {what} are both in force on {}",
                        a.id, b.id, b.from
                    ),
                )
                .hints
                .push(format!("set `effective-to = {}` on rate `{}`", b.from, a.id));
            }
        }
    }
    if rates.is_empty() {
        ck.err(
            RuleCode::R009EmptyPeriod,
            file,
            Some(raw.code.span()),
            format!("{what} has no rate edition"),
        );
    }
    let criteria: Vec<Criterion> = raw.criterion.iter().filter_map(|c| ck.criterion(file, c)).collect();
    Some(Program {
        code,
        name_ru: raw.name_ru.clone(),
        name_kk: raw.name_kk.clone(),
        direction_ru: raw.direction_ru.clone(),
        direction_kk: raw.direction_kk.clone(),
        unit_ru: raw.unit_ru.clone(),
        unit_kk: raw.unit_kk.clone(),
        form: raw.form,
        budget_program: raw.budget_program.clone(),
        legal_ref,
        claim_deadline_months: raw.claim_deadline_months,
        required,
        required_items,
        basis: basis?,
        basis_max,
        price_share_max,
        amount_legal_ref,
        rates: rates.into_iter().map(|(r, _)| r).collect(),
        criteria,
        file: file.clone(),
    })
}
