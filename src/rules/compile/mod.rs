//! Raw rule files -> [`RuleSet`], collecting every problem before giving up. The files come from
//! [`RuleFiles`] (disk or memory); each kind of file is compiled by a module of its own.

mod budget;
mod program;
mod region;
mod service;

use budget::{banks, budget};
use program::program;
use region::region;
use service::{other_service, service};

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use toml::Spanned;

use super::criterion::{self, CriterionError};
use super::raw::{
    Level, RawBudget, RawComplaint, RawCriterion, RawGrounds, RawOtherService, RawPartialOffer, RawProcess, RawProgram,
    RawRegion, RawService, RawServiceHead, RawWindow,
};
use super::schema;
use super::source::RuleFiles;
use super::{
    ApplicantKind, BudgetProgram, BudgetYear, Criterion, FixedReason, GroundText, PartialOffer, Process, Program, Rate,
    Region, RuleSet, RulesError, Service, Signatures, SubjectScope,
};
use crate::catalogue::{self as fields, SheetKind};
use crate::diag::{Diagnostic, RuleCode, SourceMap};
use crate::domain::bank::{Bank, BankDirectory};
use crate::domain::calendar::Calendar;
use crate::domain::ground::Ground;
use crate::domain::money::Money;

/// Collects diagnostics and the ids seen so far.
struct Checker {
    diags: Vec<Diagnostic>,
    /// Values marked `unconfirmed`: listed, never fatal.
    warnings: Vec<Diagnostic>,
    /// The `warnings` that are values marked `unconfirmed` (the rest are akimat rates unset).
    unconfirmed: Vec<Diagnostic>,
    ids: BTreeMap<String, Arc<str>>,
    /// The Kazakh citation of each legal reference (`legal-kk.toml`).
    citations: BTreeMap<String, String>,
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

    /// A file that does not parse, or does not have the shape of its kind: the first problem is
    /// all the parser gives, so say that more may follow.
    fn toml_error(&mut self, file: &Arc<str>, e: &toml::de::Error) {
        self.err(RuleCode::R001Syntax, file, e.span(), e.message().trim().to_owned())
            .hints
            .push("this file's other problems are checked once this one is fixed".into());
    }

    /// An `unconfirmed = "…"` note: a warning that names what rests on an assumption.
    fn unconfirmed(&mut self, file: &Arc<str>, what: &str, note: Option<&Spanned<String>>) {
        if let Some(n) = note {
            let mut d = Diagnostic::new(
                RuleCode::R020Unconfirmed,
                file,
                Some(n.span()),
                format!("{what}: {}", n.get_ref().trim()),
            );
            d.warning = true;
            let d = d.hint("confirm the value from the official text, then remove `unconfirmed`");
            self.unconfirmed.push(d.clone());
            self.warnings.push(d);
        }
    }

    fn unique_id(&mut self, file: &Arc<str>, id: &Spanned<String>) {
        if let Some(first) = self.ids.insert(id.get_ref().clone(), file.clone()) {
            self.err(RuleCode::R002DuplicateId, file, Some(id.span()), format!("id `{}` is used twice", id.get_ref()))
                .hints
                .push(format!("it is first used in `{first}`; ids are cited in registers and must be unique"));
        }
    }

    fn legal_ref(&mut self, file: &Arc<str>, what: &str, r: &Spanned<String>) -> String {
        let span = r.span();
        // A reference the rule file itself says is to be confirmed is a value to confirm.
        if r.get_ref().contains("уточнить") {
            let mut d = Diagnostic::new(
                RuleCode::R020Unconfirmed,
                file,
                Some(r.span()),
                format!("{what}: the legal reference is marked «уточнить»"),
            );
            d.warning = true;
            let d = d.hint("confirm the reference from the official text, then remove «уточнить»");
            self.unconfirmed.push(d.clone());
            self.warnings.push(d);
        }
        if r.get_ref().trim().is_empty() {
            self.err(RuleCode::R008MissingLegalRef, file, Some(r.span()), format!("{what} has an empty `legal-ref`"))
                .hints
                .push("cite the order, appendix and point, e.g. \"Приказ МСХ РК № 108 от 15.03.2019, прил. 2\"".into());
        }
        let r = r.get_ref().trim().to_owned();
        if !r.is_empty() && !self.citations.contains_key(&r) {
            let mut d = Diagnostic::new(
                RuleCode::R020Unconfirmed,
                file,
                Some(span),
                format!("{what}: the legal reference has no Kazakh citation in `{CITATIONS}`"),
            );
            d.warning = true;
            let d = d.hint(format!(
                "the Kazakh half of a notice cites it in Kazakh: add `[[citation]]` with `ru` = this reference and its official Kazakh text as `kk` to `{CITATIONS}`"
            ));
            self.unconfirmed.push(d.clone());
            self.warnings.push(d);
        }
        r
    }

    fn text(&mut self, file: &Arc<str>, what: &str, key: &str, t: &Spanned<String>) -> String {
        if t.get_ref().trim().is_empty() {
            self.err(RuleCode::R013MissingText, file, Some(t.span()), format!("{what} has an empty `{key}`"));
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

    /// An edition's period `[from, to)`; an empty one is reported.
    fn period(
        &mut self,
        file: &Arc<str>,
        kind: &str,
        id: &str,
        from: &Spanned<toml::value::Datetime>,
        to: Option<&Spanned<toml::value::Datetime>>,
    ) -> Option<(NaiveDate, Option<NaiveDate>)> {
        let start = self.date(file, "effective-from", from);
        let end = to.map(|t| (self.date(file, "effective-to", t), t.span()));
        if let (Some(start), Some((Some(end), span))) = (start, &end)
            && *end <= start
        {
            self.err(
                RuleCode::R009EmptyPeriod,
                file,
                Some(span.clone()),
                format!("{kind} `{id}` ends ({end}) before it starts ({start})"),
            )
            .hints
            .push("`effective-to` is exclusive and must be after `effective-from`".into());
        }
        Some((start?, end.and_then(|e| e.0)))
    }

    /// Overlaps and gaps between editions `(id, from, to, span of from)`.
    fn editions(
        &mut self,
        file: &Arc<str>,
        kind: &str,
        what: &str,
        list: &mut [(String, NaiveDate, Option<NaiveDate>, Range<usize>)],
    ) {
        list.sort_by_key(|e| e.1);
        for pair in list.windows(2) {
            let ((a, _, a_to, _), (b, b_from, _, b_span)) = (&pair[0], &pair[1]);
            match a_to {
                Some(to) if to < b_from => {
                    self.err(
                        RuleCode::R004GapInPeriods,
                        file,
                        Some(b_span.clone()),
                        format!("no {kind} of {what} is in force from {to} to {b_from}"),
                    )
                    .hints
                    .push(format!("set `effective-to = {b_from}` on {kind} `{a}`, or add an edition for the gap"));
                }
                Some(to) if to == b_from => {}
                _ => {
                    self.err(
                        RuleCode::R003OverlappingPeriods,
                        file,
                        Some(b_span.clone()),
                        format!("{kind}s `{a}` and `{b}` of {what} are both in force on {b_from}"),
                    )
                    .hints
                    .push(format!("set `effective-to = {b_from}` on {kind} `{a}`"));
                }
            }
        }
    }

    /// A window's `MM-DD` ends.
    fn window(&mut self, file: &Arc<str>, window: &RawWindow) -> super::Window {
        let mut month_day = |v: &Spanned<String>| {
            let parsed = v.get_ref().split_once('-').and_then(|(m, d)| {
                let (m, d) = (m.parse().ok()?, d.parse().ok()?);
                NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
            });
            parsed.unwrap_or_else(|| {
                self.err(
                    RuleCode::R001Syntax,
                    file,
                    Some(v.span()),
                    format!("window dates are `MM-DD`, found `{}`", v.get_ref()),
                );
                (1, 1)
            })
        };
        (month_day(&window.from), month_day(&window.to))
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
        self.unconfirmed(file, &what, raw.unconfirmed.as_ref());
        let from = raw.effective_from.as_ref().and_then(|d| self.date(file, "effective-from", d));
        let to = raw.effective_to.as_ref().and_then(|d| self.date(file, "effective-to", d));
        if let (Some(f), Some(t), Some(e)) = (from, to, &raw.effective_to)
            && t <= f
        {
            self.err(
                RuleCode::R009EmptyPeriod,
                file,
                Some(e.span()),
                format!("{what} ends ({t}) before it starts ({f})"),
            )
            .hints
            .push("`effective-to` is exclusive and must be after `effective-from`".into());
        }
        let (schema, cols, level) = match raw.level {
            Level::Application => (&self.app_schema, schema::application_columns(), "application"),
            Level::Item => (&self.item_schema, schema::item_columns(), "item"),
        };
        let span = Some(raw.require.span());
        match criterion::compile(raw.require.get_ref(), schema) {
            Ok((expr, fields)) => Some(Criterion {
                from,
                to,
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
                self.err(RuleCode::R006UnknownField, file, span, format!("{what} uses unknown {level} field `{name}`"))
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
        SheetKind::Animals => "animal registry",
        SheetKind::Farms => "farm registry",
        SheetKind::Register => "state register",
    }
}

/// Reads and checks every rule file under `dir`.
pub fn load(dir: &Path) -> Result<RuleSet, RulesError> {
    load_for(dir, None)
}

/// Reads and checks every rule file under `dir`, for the department of region `region_key` (the
/// one `service.toml` names when `None`).
pub fn load_for(dir: &Path, region_key: Option<&str>) -> Result<RuleSet, RulesError> {
    compile(&RuleFiles::read(dir)?, region_key)
}

/// Checks the rule files and builds the rule set for region `region_key`.
pub fn compile(rf: &RuleFiles, region_key: Option<&str>) -> Result<RuleSet, RulesError> {
    let mut sources = SourceMap::default();
    let read = |rel: &str, sources: &mut SourceMap| -> Result<(Arc<str>, String), RulesError> {
        let (name, text) = rf.get(rel)?;
        sources.add(name.clone(), text.clone());
        Ok((name, text))
    };
    let mut ck = Checker {
        diags: Vec::new(),
        warnings: Vec::new(),
        unconfirmed: Vec::new(),
        ids: BTreeMap::new(),
        citations: BTreeMap::new(),
        app_schema: schema::to_schema(&schema::application_columns()),
        item_schema: schema::to_schema(&schema::item_columns()),
    };

    // Read first: every legal reference is looked up in it as it is checked.
    if rf.text(CITATIONS).is_some() {
        let (file, text) = read(CITATIONS, &mut sources)?;
        ck.citations = citations(&mut ck, &file, &text);
    }
    let (sfile, stext) = read("service.toml", &mut sources)?;
    let raw_service = match toml::from_str::<RawService>(&stext) {
        Ok(raw) => Some(raw),
        Err(e) => {
            ck.toml_error(&sfile, &e);
            None
        }
    };

    // Every region's department and akimat values; the chosen one's are the services'.
    let mut regions = BTreeMap::new();
    let rdir = rf.path("regions");
    let rpaths = rf.toml_in("regions");
    for rel in &rpaths {
        let (file, text) = read(rel, &mut sources)?;
        match toml::from_str::<RawRegion>(&text) {
            Ok(raw) => {
                let r = region(&mut ck, &file, &rf.path(rel), &raw);
                if let Some(first) = regions.get(&r.key).map(|f: &Region| f.file.clone()) {
                    ck.err(
                        RuleCode::R022Region,
                        &file,
                        Some(raw.region.key.span()),
                        format!("region `{}` is defined twice", r.key),
                    )
                    .hints
                    .push(format!("it is first defined in `{first}`"));
                }
                regions.insert(r.key.clone(), r);
            }
            Err(e) => {
                ck.toml_error(&file, &e);
            }
        }
    }
    let chosen = match (region_key, &raw_service) {
        (Some(k), _) => Some((k.to_owned(), None)),
        (None, Some(raw)) => Some((raw.region.get_ref().trim().to_owned(), Some(raw.region.span()))),
        (None, None) => None,
    };
    if let Some((key, span)) = &chosen
        && !regions.contains_key(key)
    {
        let known = regions.keys().cloned().collect::<Vec<_>>().join(", ");
        let f: Arc<str> = if span.is_some() { sfile.clone() } else { rdir.to_string_lossy().into() };
        ck.err(RuleCode::R022Region, &f, span.clone(), format!("region `{key}` is not defined in regions/"))
            .hints
            .push(if known.is_empty() {
                "add `regions/<key>.toml`".to_owned()
            } else {
                format!("defined regions: {known}")
            });
    }
    let chosen_key = chosen.map(|c| c.0).unwrap_or_default();
    let selected = regions.get(&chosen_key);
    let service = raw_service.as_ref().zip(selected).map(|(raw, reg)| service(&mut ck, &sfile, raw, reg));

    let mut services = BTreeMap::new();
    let main_service = service.as_ref().map(|s| s.key.clone()).unwrap_or_default();
    {
        let paths = rf.toml_in("services");
        for rel in &paths {
            let (file, text) = read(rel, &mut sources)?;
            match (toml::from_str::<RawOtherService>(&text), &service) {
                (Ok(raw), Some(main)) => {
                    let s = other_service(&mut ck, &file, &raw, main);
                    if s.key == main.key || services.contains_key(&s.key) {
                        ck.err(
                            RuleCode::R019Service,
                            &file,
                            Some(raw.service.key.span()),
                            format!("service `{}` is defined twice", s.key),
                        );
                    }
                    services.insert(s.key.clone(), s);
                }
                (Ok(_), None) => {}
                (Err(e), _) => {
                    ck.toml_error(&file, &e);
                }
            }
        }
    }

    let (bfile, btext) = read("banks-kz.csv", &mut sources)?;
    let banks = banks(&mut ck, &bfile, &btext);

    let (cfile, ctext) = read("kz-calendar.csv", &mut sources)?;
    let calendar = match Calendar::parse(&ctext) {
        Ok(c) => Some(c),
        Err(e) => {
            let span = line_span(&ctext, e.line);
            ck.err(
                RuleCode::R016Calendar,
                &cfile,
                span,
                format!("the working-day calendar is not valid: {}", e.message),
            );
            None
        }
    };

    // The chosen region's budget programs; a region without them can be checked and audited.
    let budget_file = selected.and_then(|r| r.budget_file.clone());
    let budget = match budget_file {
        Some(name) => {
            let (gfile, gtext) = read(&name, &mut sources)?;
            match toml::from_str::<RawBudget>(&gtext) {
                Ok(raw) => budget(&mut ck, &gfile, &raw, &banks),
                Err(e) => {
                    ck.toml_error(&gfile, &e);
                    BTreeMap::new()
                }
            }
        }
        None => BTreeMap::new(),
    };

    let pdir = rf.path("programs");
    let paths = rf.toml_in("programs");
    let mut programs = BTreeMap::new();
    for rel in &paths {
        let (file, text) = read(rel, &mut sources)?;
        let path = rf.path(rel);
        match toml::from_str::<RawProgram>(&text) {
            Ok(raw) => {
                if !budget.is_empty() && !budget.contains_key(raw.budget_program.get_ref()) {
                    ck.err(
                        RuleCode::R015UnknownBudgetProgram,
                        &file,
                        Some(raw.budget_program.span()),
                        format!("budget program `{}` is not defined in budget.toml", raw.budget_program.get_ref()),
                    )
                    .hints
                    .push(format!("defined programs: {}", budget.keys().cloned().collect::<Vec<_>>().join(", ")));
                }
                let key = raw.service.as_ref().map_or(main_service.as_str(), |k| k.get_ref().as_str());
                if let Some(k) = &raw.service
                    && !main_service.is_empty()
                    && key != main_service
                    && !services.contains_key(key)
                {
                    let mut known = vec![main_service.clone()];
                    known.extend(services.keys().cloned());
                    ck.err(
                        RuleCode::R019Service,
                        &file,
                        Some(k.span()),
                        format!("service `{key}` is not defined in service.toml or services/"),
                    )
                    .hints
                    .push(format!("defined services: {}", known.join(", ")));
                }
                if let Some(mut p) = program(&mut ck, &file, &path, &raw) {
                    p.service = key.to_owned();
                    programs.insert(p.code.clone(), p);
                }
            }
            Err(e) => {
                ck.toml_error(&file, &e);
            }
        }
    }
    if paths.is_empty() {
        let f: Arc<str> = pdir.to_string_lossy().into();
        ck.err(RuleCode::R012NoPrograms, &f, None, "no subsidy types: the folder has no `.toml` files");
    }
    // An akimat's normative is for a type these rules know.
    for r in regions.values() {
        for code in r.normatives.keys().filter(|c| !programs.contains_key(*c)) {
            ck.err(
                RuleCode::R022Region,
                &r.file,
                None,
                format!("region `{}` sets a normative for unknown subsidy type `{code}`", r.key),
            )
            .hints
            .push("the type needs a file `programs/<code>.toml`".into());
        }
    }
    match (service, calendar, ck.diags.is_empty()) {
        (Some(service), Some(calendar), true) => {
            services.insert(service.key.clone(), service);
            Ok(RuleSet {
                services,
                main_service,
                programs,
                banks,
                budget,
                calendar,
                files: rf.used(),
                warnings: ck.warnings,
                unconfirmed: ck.unconfirmed,
                sources,
                regions,
                region: chosen_key,
                citations_kk: ck.citations,
            })
        }
        // Values to confirm are listed once the errors are fixed: errors first.
        _ => Err(RulesError::Invalid(ck.diags, sources)),
    }
}

/// The byte range of a 1-based line.
fn line_span(text: &str, line: usize) -> Option<Range<usize>> {
    let start: usize = text.lines().take(line.saturating_sub(1)).map(|l| l.len() + 1).sum();
    text.lines().nth(line.checked_sub(1)?).map(|l| start..start + l.len())
}

/// An edition's id, period and the span of its start, for the overlap check.
type Edition = (String, NaiveDate, Option<NaiveDate>, Range<usize>);

/// The file of the Kazakh citations, beside `service.toml`.
pub(super) const CITATIONS: &str = "legal-kk.toml";

/// `legal-kk.toml`: each legal reference of the rule files with its Kazakh citation.
fn citations(ck: &mut Checker, file: &Arc<str>, text: &str) -> BTreeMap<String, String> {
    let raw = match toml::from_str::<super::raw::RawCitations>(text) {
        Ok(raw) => raw,
        Err(e) => {
            ck.toml_error(file, &e);
            return BTreeMap::new();
        }
    };
    let mut out = BTreeMap::new();
    for c in raw.citation {
        let (ru, kk) = (c.ru.get_ref().trim().to_owned(), c.kk.get_ref().trim().to_owned());
        if kk.is_empty() {
            ck.err(RuleCode::R008MissingLegalRef, file, Some(c.kk.span()), "a citation has an empty `kk`".to_owned());
            continue;
        }
        if out.insert(ru.clone(), kk).is_some() {
            ck.err(
                RuleCode::R002DuplicateId,
                file,
                Some(c.ru.span()),
                format!("the citation of «{ru}» is given twice"),
            );
        }
    }
    out
}
