//! Raw rule files -> [`RuleSet`], collecting every problem before giving up.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use toml::Spanned;

use super::criterion::{CriterionError, compile};
use super::raw::{
    Level, RawBudget, RawComplaint, RawCriterion, RawGrounds, RawOtherService, RawPartialOffer, RawProcess, RawProgram, RawRegion,
    RawService, RawServiceHead, RawWindow,
};
use super::{
    ApplicantKind, BudgetProgram, BudgetYear, Criterion, FixedReason, GroundText, PartialOffer, Process, Program, Rate, Region,
    RuleSet, RulesError, Service, Signatures, SubjectScope,
};
use super::schema;
use crate::diag::{Diagnostic, RuleCode, SourceMap};
use crate::domain::bank::{Bank, BankDirectory};
use crate::domain::calendar::Calendar;
use crate::domain::ground::Ground;
use crate::domain::money::Money;
use crate::ingest::fields::{self, SheetKind};

/// Collects diagnostics and the ids seen so far.
struct Checker {
    diags: Vec<Diagnostic>,
    /// Values marked `unconfirmed`: listed, never fatal.
    warnings: Vec<Diagnostic>,
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
            self.warnings.push(d.hint("confirm the value from the official text, then remove `unconfirmed`"));
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
        if r.get_ref().trim().is_empty() {
            self.err(RuleCode::R008MissingLegalRef, file, Some(r.span()), format!("{what} has an empty `legal-ref`"))
                .hints
                .push("cite the order, appendix and point, e.g. \"Приказ МСХ РК № 108 от 15.03.2019, прил. 2\"".into());
        }
        r.get_ref().trim().to_owned()
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
        match compile(raw.require.get_ref(), schema) {
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
    let mut sources = SourceMap::default();
    let mut files = Vec::new();
    let mut read = |path: &Path| -> Result<(Arc<str>, String), RulesError> {
        let bytes =
            fs_err::read(path).map_err(|e| RulesError::Io(anyhow::Error::new(e).context("cannot read the rules")))?;
        let name: Arc<str> = path.to_string_lossy().into();
        files.push((name.to_string(), crate::digest::sha256_hex(&bytes)));
        let text = String::from_utf8_lossy(&bytes).into_owned();
        sources.add(name.clone(), text.clone());
        Ok((name, text))
    };
    let mut ck = Checker {
        diags: Vec::new(),
        warnings: Vec::new(),
        ids: BTreeMap::new(),
        app_schema: schema::to_schema(&schema::application_columns()),
        item_schema: schema::to_schema(&schema::item_columns()),
    };

    let (sfile, stext) = read(&dir.join("service.toml"))?;
    let raw_service = match toml::from_str::<RawService>(&stext) {
        Ok(raw) => Some(raw),
        Err(e) => {
            ck.err(RuleCode::R001Syntax, &sfile, e.span(), e.message().trim().to_owned());
            None
        }
    };

    // Every region's department and akimat values; the chosen one's are the services'.
    let mut regions = BTreeMap::new();
    let rdir = dir.join("regions");
    let mut rpaths: Vec<_> = match fs_err::read_dir(&rdir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect(),
        Err(_) => Vec::new(),
    };
    rpaths.sort();
    for path in &rpaths {
        let (file, text) = read(path)?;
        match toml::from_str::<RawRegion>(&text) {
            Ok(raw) => {
                let r = region(&mut ck, &file, path, &raw);
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
                ck.err(RuleCode::R001Syntax, &file, e.span(), e.message().trim().to_owned());
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
    let sdir = dir.join("services");
    if sdir.is_dir() {
        let mut paths: Vec<_> = fs_err::read_dir(&sdir)
            .with_context(|| format!("cannot list the services in `{}`", sdir.display()))
            .map_err(RulesError::Io)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for path in &paths {
            let (file, text) = read(path)?;
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
                    ck.err(RuleCode::R001Syntax, &file, e.span(), e.message().trim().to_owned());
                }
            }
        }
    }

    let (bfile, btext) = read(&dir.join("banks-kz.csv"))?;
    let banks = banks(&mut ck, &bfile, &btext);

    let (cfile, ctext) = read(&dir.join("kz-calendar.csv"))?;
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
            let (gfile, gtext) = read(&dir.join(name))?;
            match toml::from_str::<RawBudget>(&gtext) {
                Ok(raw) => budget(&mut ck, &gfile, &raw, &banks),
                Err(e) => {
                    ck.err(RuleCode::R001Syntax, &gfile, e.span(), e.message().trim().to_owned());
                    BTreeMap::new()
                }
            }
        }
        None => BTreeMap::new(),
    };

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
                if let Some(mut p) = program(&mut ck, &file, path, &raw) {
                    p.service = key.to_owned();
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
                files,
                warnings: ck.warnings,
                sources,
                regions,
                region: chosen_key,
            })
        }
        // Values to confirm are listed once the errors are fixed: errors first.
        _ => Err(RulesError::Invalid(ck.diags, sources)),
    }
}

/// The parts every service file has: what it is, grounds, window, criteria, process timings.
struct Common {
    key: String,
    name_ru: String,
    name_kk: String,
    legal_ref: String,
    approved_notice: String,
    subject_scope: SubjectScope,
    grounds: BTreeMap<Ground, GroundText>,
    window_from: (u32, u32),
    window_to: (u32, u32),
    criteria: Vec<Criterion>,
    processes: Vec<std::sync::Arc<Process>>,
}

fn common(
    ck: &mut Checker,
    file: &Arc<str>,
    head: &RawServiceHead,
    raw_grounds: &RawGrounds,
    window: &RawWindow,
    raw_criteria: &[RawCriterion],
    raw_processes: &[RawProcess],
) -> Common {
    let key = head.key.get_ref().trim().to_owned();
    let legal_ref = ck.legal_ref(file, &format!("service `{key}`"), &head.legal_ref);
    let approved_notice = head.approved_notice.as_ref().map_or("approved".to_owned(), |n| n.get_ref().clone());
    if let Some(n) = &head.approved_notice
        && !matches!(n.get_ref().as_str(), "approved" | "payment")
    {
        ck.err(RuleCode::R019Service, file, Some(n.span()), format!("unknown approval notice `{}`", n.get_ref()))
            .hints
            .push("use `approved` (Appendix 6 review result) or `payment` (notice of payment of subsidies)".into());
    }
    let subject_scope = match head.subject_scope.as_ref().map(|s| s.get_ref().as_str()) {
        None | Some("type") => SubjectScope::Type,
        Some("service") => SubjectScope::Service,
        Some(other) => {
            let span = head.subject_scope.as_ref().map(Spanned::span);
            ck.err(RuleCode::R019Service, file, span, format!("unknown subject scope `{other}`"))
                .hints
                .push("use `type` or `service`".into());
            SubjectScope::Type
        }
    };
    let mut grounds = BTreeMap::new();
    for (g, r) in [
        (Ground::InaccurateData, &raw_grounds.inaccurate_data),
        (Ground::NonCompliance, &raw_grounds.non_compliance),
        (Ground::NoConsent, &raw_grounds.no_consent),
    ] {
        let legal_ref = ck.legal_ref(file, &format!("ground `{}`", g.key()), &r.legal_ref);
        grounds.insert(g, GroundText { text_ru: r.text_ru.clone(), text_kk: r.text_kk.clone(), legal_ref });
    }
    let (window_from, window_to) = ck.window(file, window);
    let criteria = raw_criteria.iter().filter_map(|c| ck.criterion(file, c)).collect();
    let mut processes = Vec::new();
    let mut periods = Vec::new();
    for p in raw_processes {
        ck.unique_id(file, &p.id);
        let legal_ref = ck.legal_ref(file, &format!("process `{}`", p.id.get_ref()), &p.legal_ref);
        if let Some((from, to)) = ck.period(file, "process", p.id.get_ref(), &p.effective_from, p.effective_to.as_ref())
        {
            periods.push((p.id.get_ref().clone(), from, to, p.effective_from.span()));
            processes.push(std::sync::Arc::new(Process {
                id: p.id.get_ref().clone(),
                from,
                to,
                acceptance_days: p.acceptance_days,
                payment_order_days: p.payment_order_days,
                legal_ref,
            }));
        }
    }
    ck.editions(file, "process", &format!("service `{key}`"), &mut periods);
    processes.sort_by_key(|p| p.from);
    Common {
        key,
        name_ru: head.name_ru.clone(),
        name_kk: head.name_kk.clone(),
        legal_ref,
        approved_notice,
        subject_scope,
        grounds,
        window_from,
        window_to,
        criteria,
        processes,
    }
}

fn fixed(ck: &mut Checker, file: &Arc<str>, what: &str, r: &super::raw::RawFixedReason) -> FixedReason {
    FixedReason {
        ground: r.ground,
        legal_ref: ck.legal_ref(file, what, &r.legal_ref),
        message_ru: r.message_ru.clone(),
        message_kk: r.message_kk.clone(),
    }
}

fn partial_offer(ck: &mut Checker, file: &Arc<str>, p: &RawPartialOffer) -> PartialOffer {
    PartialOffer {
        acceptance_days: p.acceptance_days,
        legal_ref: ck.legal_ref(file, "the partial-payment term", &p.legal_ref),
    }
}

fn complaint(ck: &mut Checker, file: &Arc<str>, c: &RawComplaint) -> GroundText {
    let legal_ref = ck.legal_ref(file, "the complaint text", &c.legal_ref);
    GroundText { text_ru: c.text_ru.clone(), text_kk: c.text_kk.clone(), legal_ref }
}

/// A service of `services/`: its own checks and texts, the department's of `main`.
fn other_service(ck: &mut Checker, file: &Arc<str>, raw: &RawOtherService, main: &Service) -> Service {
    let c = common(ck, file, &raw.service, &raw.grounds, &raw.window, &raw.criterion, &raw.process);
    let duplicate_subject = fixed(ck, file, "fixed reason `duplicate-subject`", &raw.fixed_reasons.duplicate_subject);
    Service {
        type_not_in_force: main.type_not_in_force.clone(),
        akimat_not_set: main.akimat_not_set.clone(),
        key: c.key,
        name_ru: c.name_ru,
        name_kk: c.name_kk,
        legal_ref: c.legal_ref,
        approved_notice: c.approved_notice,
        subject_scope: c.subject_scope,
        department_ru: main.department_ru.clone(),
        department_kk: main.department_kk.clone(),
        region_ru: main.region_ru.clone(),
        region_kk: main.region_kk.clone(),
        grounds: c.grounds,
        applicant_kinds: main.applicant_kinds.clone(),
        window_from: c.window_from,
        window_to: c.window_to,
        criteria: c.criteria,
        signatures: main.signatures.clone(),
        complaint: raw.complaint.as_ref().map_or_else(|| main.complaint.clone(), |r| complaint(ck, file, r)),
        partial_offer: raw.partial_offer.as_ref().map_or_else(|| main.partial_offer.clone(), |r| partial_offer(ck, file, r)),
        duplicate_subject,
        registry_mismatch: main.registry_mismatch.clone(),
        processes: c.processes,
    }
}

fn service(ck: &mut Checker, file: &Arc<str>, raw: &RawService, region: &Region) -> Service {
    let c = common(ck, file, &raw.service, &raw.grounds, &raw.window, &raw.criterion, &raw.process);
    let duplicate_subject = fixed(ck, file, "fixed reason `duplicate-subject`", &raw.fixed_reasons.duplicate_subject);
    let registry_mismatch = fixed(ck, file, "fixed reason `registry-mismatch`", &raw.fixed_reasons.registry_mismatch);
    let type_not_in_force = fixed(ck, file, "fixed reason `type-not-in-force`", &raw.fixed_reasons.type_not_in_force);
    let akimat_not_set = fixed(ck, file, "fixed reason `akimat-not-set`", &raw.fixed_reasons.akimat_not_set);
    Service {
        type_not_in_force,
        akimat_not_set,
        key: c.key,
        name_ru: c.name_ru,
        name_kk: c.name_kk,
        legal_ref: c.legal_ref,
        approved_notice: c.approved_notice,
        subject_scope: c.subject_scope,
        signatures: region.signatures.clone(),
        duplicate_subject,
        registry_mismatch,
        complaint: complaint(ck, file, &raw.complaint),
        partial_offer: partial_offer(ck, file, &raw.partial_offer),
        processes: c.processes,
        department_ru: region.department_ru.clone(),
        department_kk: region.department_kk.clone(),
        region_ru: region.name_ru.clone(),
        region_kk: region.name_kk.clone(),
        grounds: c.grounds,
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
        window_from: c.window_from,
        window_to: c.window_to,
        criteria: c.criteria,
    }
}

/// The byte range of a 1-based line.
fn line_span(text: &str, line: usize) -> Option<Range<usize>> {
    let start: usize = text.lines().take(line.saturating_sub(1)).map(|l| l.len() + 1).sum();
    text.lines().nth(line.checked_sub(1)?).map(|l| start..start + l.len())
}

fn budget(
    ck: &mut Checker,
    file: &Arc<str>,
    raw: &RawBudget,
    banks: &BankDirectory,
) -> BTreeMap<String, BudgetProgram> {
    let mut out = BTreeMap::new();
    for p in &raw.program {
        let key = p.key.get_ref().clone();
        let what = format!("budget program `{key}`");
        let legal_ref = ck.legal_ref(file, &what, &p.legal_ref);
        ck.unconfirmed(file, &what, p.unconfirmed.as_ref());
        if crate::domain::taxid::check_bin(p.payer_bin.get_ref()).is_err() {
            ck.err(
                RuleCode::R017PayerDetails,
                file,
                Some(p.payer_bin.span()),
                format!("payer BIN `{}` of {what} is not a valid BIN", p.payer_bin.get_ref()),
            );
        }
        match crate::domain::iban::check(p.payer_iban.get_ref()) {
            Ok(i) if crate::domain::iban::bank_code(&i) == "070" => {}
            _ => {
                ck.err(
                    RuleCode::R017PayerDetails,
                    file,
                    Some(p.payer_iban.span()),
                    format!("payer account `{}` of {what} is not a valid treasury IBAN", p.payer_iban.get_ref()),
                )
                .hints
                .push("a treasury account is a KZ IBAN with bank code 070: `KZcc070…`".into());
            }
        }
        if banks.by_bic(p.payer_bic.get_ref()).is_none_or(|b| b.code != "070") {
            ck.err(
                RuleCode::R017PayerDetails,
                file,
                Some(p.payer_bic.span()),
                format!("payer BIC `{}` of {what} is not the treasury's", p.payer_bic.get_ref()),
            )
            .hints
            .push("the treasury's BIC is KKMFKZ2A".into());
        }
        let knp = p.knp.get_ref();
        if knp.len() != 3 || !knp.bytes().all(|b| b.is_ascii_digit()) {
            ck.err(
                RuleCode::R017PayerDetails,
                file,
                Some(p.knp.span()),
                format!("КНП `{knp}` of {what} must be 3 digits"),
            );
        }
        out.insert(
            key.clone(),
            BudgetProgram {
                key,
                name_ru: p.name_ru.clone(),
                name_kk: p.name_kk.clone(),
                payer_name: p.payer_name.clone(),
                payer_bin: p.payer_bin.get_ref().clone(),
                payer_iban: p.payer_iban.get_ref().clone(),
                payer_bic: p.payer_bic.get_ref().clone(),
                kbk: p.kbk.clone(),
                specifics: p.specifics.clone(),
                knp: knp.clone(),
                purpose_ru: p.purpose_ru.clone(),
                legal_ref,
                years: budget_years(ck, file, &what, &p.year),
            },
        );
    }
    out
}

fn budget_years(
    ck: &mut Checker,
    file: &Arc<str>,
    what: &str,
    raw: &[super::raw::RawBudgetYear],
) -> BTreeMap<i32, BudgetYear> {
    let mut out = BTreeMap::new();
    for y in raw {
        let legal_ref = ck.legal_ref(file, &format!("{what}, year {}", y.year), &y.legal_ref);
        let plan = y.monthly_plan.get_ref();
        let Ok(plan) = <[Money; 12]>::try_from(plan.as_slice()) else {
            ck.err(
                RuleCode::R018BudgetPlan,
                file,
                Some(y.monthly_plan.span()),
                format!("the monthly plan of {what} for {} has {} amounts, not 12", y.year, plan.len()),
            );
            continue;
        };
        let total: Money = plan.iter().copied().sum();
        if total > *y.allocation.get_ref() {
            ck.err(
                RuleCode::R018BudgetPlan,
                file,
                Some(y.monthly_plan.span()),
                format!(
                    "the monthly plan of {what} for {} adds up to {total}, more than the allocation {}",
                    y.year,
                    y.allocation.get_ref()
                ),
            );
        }
        let policy = match y.policy.get_ref().as_str() {
            "fifo" => crate::domain::policy::Policy::Fifo,
            "pro-rata" => {
                crate::domain::policy::Policy::ProRata { exempt_up_to: y.exemption_threshold.unwrap_or(Money::ZERO) }
            }
            other => {
                ck.err(
                    RuleCode::R018BudgetPlan,
                    file,
                    Some(y.policy.span()),
                    format!("allocation policy must be `fifo` or `pro-rata`, found `{other}`"),
                );
                continue;
            }
        };
        if out.insert(y.year, BudgetYear { allocation: *y.allocation.get_ref(), plan, policy, legal_ref }).is_some() {
            ck.err(
                RuleCode::R018BudgetPlan,
                file,
                Some(y.allocation.span()),
                format!("{what} has two entries for {}", y.year),
            );
        }
    }
    out
}

fn banks(ck: &mut Checker, file: &Arc<str>, text: &str) -> BankDirectory {
    let data: String = text.lines().filter(|l| !l.starts_with('#')).map(|l| format!("{l}\n")).collect();
    let mut banks = Vec::new();
    let mut reader = csv::Reader::from_reader(data.as_bytes());
    for rec in reader.records() {
        match rec {
            Ok(r) if r.len() >= 3 && r[1].len() == 3 && r[1].bytes().all(|b| b.is_ascii_digit()) => {
                banks.push(Bank { bic: r[0].trim().to_owned(), code: r[1].to_owned(), name: r[2].trim().to_owned() });
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
                ck.err(RuleCode::R011BankDirectory, file, None, format!("cannot read the bank directory: {e}"));
            }
        }
    }
    BankDirectory::new(banks)
}

fn program(ck: &mut Checker, file: &Arc<str>, path: &Path, raw: &RawProgram) -> Option<Program> {
    let code = raw.code.get_ref().clone();
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
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
    let required: Vec<usize> = raw.required.iter().filter_map(|f| ck.field(file, SheetKind::Applications, f)).collect();
    let required_items: Vec<usize> =
        raw.required_items.iter().filter_map(|f| ck.field(file, SheetKind::Items, f)).collect();
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
            .push("use `head_count`, `live_weight_kg`, `volume_kg` or `doses`".into());
        }
    }
    let basis_max = raw.amount.basis_max.as_ref().and_then(|v| ck.decimal(file, "basis-max", v));
    let price_share_max = raw.amount.price_share_max.as_ref().and_then(|v| ck.decimal(file, "price-share-max", v));
    let raw_per_output = raw.amount.raw_per_output.as_ref().and_then(|v| ck.decimal(file, "raw-per-output", v));
    let amount_legal_ref = raw.amount.legal_ref.as_ref().map(|r| ck.legal_ref(file, &format!("{what} amount"), r));
    ck.unconfirmed(file, &what, raw.unconfirmed.as_ref());
    ck.unconfirmed(file, &format!("{what} amount"), raw.amount.unconfirmed.as_ref());
    let amount = amount_kind(ck, file, &raw.amount);
    let window = raw.window.as_ref().map(|w| ck.window(file, w));
    let subject_yearly = match raw.subject_period.as_ref().map(|p| p.get_ref().as_str()) {
        None => false,
        Some("year") => true,
        Some(other) => {
            let span = raw.subject_period.as_ref().map(Spanned::span);
            ck.err(RuleCode::R019Service, file, span, format!("`subject-period` must be `year`, found `{other}`"))
                .hints
                .push("leave it out when an animal is subsidised once for all time".into());
            false
        }
    };

    let mut rates = Vec::new();
    let mut periods = Vec::new();
    for r in &raw.rate {
        ck.unique_id(file, &r.id);
        let rid = r.id.get_ref().clone();
        let legal = ck.legal_ref(file, &format!("rate `{rid}`"), &r.legal_ref);
        ck.unconfirmed(file, &format!("rate `{rid}`"), r.unconfirmed.as_ref());
        let akimat = rate_source(ck, file, &what, r);
        let tiers = tiers(ck, file, &rid, r, amount.tier_field.is_some());
        if let Some((from, to)) = ck.period(file, "rate", &rid, &r.effective_from, r.effective_to.as_ref()) {
            periods.push((rid.clone(), from, to, r.effective_from.span()));
            let output = r.output.as_ref().and_then(|o| output_field(ck, file, o, raw));
            rates.push(std::sync::Arc::new(Rate {
                id: rid,
                from,
                to,
                amount: r.amount.as_ref().map_or(Money::ZERO, |a| *a.get_ref()),
                tiers,
                akimat_unset: akimat,
                output,
                legal_ref: legal,
            }));
        }
    }
    ck.editions(file, "rate", &what, &mut periods);
    rates.sort_by_key(|r| r.from);
    if rates.is_empty() {
        ck.err(RuleCode::R009EmptyPeriod, file, Some(raw.code.span()), format!("{what} has no rate edition"));
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
        service: String::new(),
        budget_program: raw.budget_program.get_ref().clone(),
        legal_ref,
        claim_deadline_months: raw.claim_deadline_months,
        required,
        required_items,
        basis: basis?,
        basis_max,
        price_share_max,
        raw_per_output,
        price_per_basis: amount.price_per_basis,
        cap_field: amount.cap_field,
        cap_per: amount.cap_per,
        tier_field: amount.tier_field,
        subject_yearly,
        window,
        amount_legal_ref,
        rates,
        criteria,
        file: file.clone(),
    })
}

/// A rate's `output`: a quantity field of the application, usable only with `raw-per-output`.
fn output_field(ck: &mut Checker, file: &Arc<str>, o: &Spanned<String>, raw: &RawProgram) -> Option<usize> {
    let pos = ck.field(file, SheetKind::Applications, o)?;
    if fields::APPLICATION_FIELDS[pos].kind != fields::Kind::Decimal {
        ck.err(
            RuleCode::R014UnknownFieldName,
            file,
            Some(o.span()),
            format!("output `{}` is not a quantity field", o.get_ref()),
        )
        .hints
        .push("use `produced_kg` or `sold_kg`".into());
        return None;
    }
    if raw.amount.raw_per_output.is_none() {
        ck.err(
            RuleCode::R019Service,
            file,
            Some(o.span()),
            format!("rate limits purchases by `{}` but `[amount]` has no `raw-per-output`", o.get_ref()),
        )
        .hints
        .push("add `raw-per-output = \"20\"` (kg purchased per kg made) to `[amount]`".into());
    }
    Some(pos)
}

/// The optional kinds of an amount: price per unit of the basis, a cap by an application field, tiers.
struct AmountKind {
    price_per_basis: bool,
    cap_field: Option<usize>,
    cap_per: Option<Decimal>,
    tier_field: Option<usize>,
}

fn amount_kind(ck: &mut Checker, file: &Arc<str>, raw: &super::raw::RawAmount) -> AmountKind {
    let price_per_basis = match raw.price_per.as_ref().map(|p| p.get_ref().as_str()) {
        None | Some("head") => false,
        Some("basis") => true,
        Some(other) => {
            let span = raw.price_per.as_ref().map(Spanned::span);
            ck.err(RuleCode::R021Amount, file, span, format!("`price-per` must be `head` or `basis`, found `{other}`"))
                .hints
                .push("`basis`: the price column is per unit of the basis (per dose of semen)".into());
            false
        }
    };
    let quantity = |ck: &mut Checker, sheet: SheetKind, f: &Spanned<String>| {
        let pos = ck.field(file, sheet, f)?;
        if sheet.fields()[pos].kind != fields::Kind::Decimal {
            ck.err(RuleCode::R021Amount, file, Some(f.span()), format!("`{}` is not a quantity field", f.get_ref()));
            return None;
        }
        Some(pos)
    };
    let cap_field = raw.cap_field.as_ref().and_then(|f| quantity(ck, SheetKind::Applications, f));
    let cap_per = raw.cap_per.as_ref().and_then(|v| ck.decimal(file, "cap-per", v));
    match (&raw.cap_field, &raw.cap_per) {
        (Some(f), None) => {
            ck.err(RuleCode::R021Amount, file, Some(f.span()), "`cap-field` needs `cap-per`")
                .hints
                .push("add `cap-per = \"750\"`: the most of the basis per unit of the field".into());
        }
        (None, Some(v)) => {
            ck.err(RuleCode::R021Amount, file, Some(v.span()), "`cap-per` needs `cap-field`")
                .hints
                .push("add `cap-field = \"milking_females\"`: the application field it multiplies".into());
        }
        _ => {}
    }
    let tier_field = raw.tier_field.as_ref().and_then(|f| quantity(ck, SheetKind::Items, f));
    AmountKind { price_per_basis, cap_field, cap_per, tier_field }
}

/// Whether a rate's normative is the akimat's and not held here; a rate must have an amount otherwise.
fn rate_source(ck: &mut Checker, file: &Arc<str>, what: &str, r: &super::raw::RawRate) -> bool {
    let id = r.id.get_ref();
    match (r.set_by.as_ref().map(|s| s.get_ref().as_str()), &r.amount) {
        (None, Some(_)) => false,
        (None, None) => {
            ck.err(RuleCode::R021Amount, file, Some(r.id.span()), format!("rate `{id}` has no `amount`")).hints.push(
                "write the normative, `amount = \"150000\"`, or `set-by = \"akimat\"` when the akimat sets it".into(),
            );
            false
        }
        (Some("akimat"), None) => {
            let span = r.set_by.as_ref().map(Spanned::span);
            let mut d = Diagnostic::new(
                RuleCode::R020Unconfirmed,
                file,
                span,
                format!(
                    "rate `{id}` of {what}: the akimat sets the normative and no value is set; applications are refused"
                ),
            );
            d.warning = true;
            ck.warnings.push(d.hint("the region's settings must give the akimat's resolution and value"));
            true
        }
        (Some("akimat"), Some(a)) => {
            ck.err(
                RuleCode::R021Amount,
                file,
                Some(a.span()),
                format!("rate `{id}` has both `amount` and `set-by = \"akimat\"`"),
            )
            .hints
            .push("remove `set-by` when the value is known".into());
            false
        }
        (Some(other), _) => {
            let span = r.set_by.as_ref().map(Spanned::span);
            ck.err(RuleCode::R021Amount, file, span, format!("`set-by` must be `akimat`, found `{other}`"));
            false
        }
    }
}

/// A rate's tiers, highest first; they need the amount's `tier-field` and it needs them.
fn tiers(
    ck: &mut Checker,
    file: &Arc<str>,
    id: &str,
    r: &super::raw::RawRate,
    has_field: bool,
) -> Vec<(Decimal, Money)> {
    let mut out: Vec<(Decimal, Money)> =
        r.tiers.iter().filter_map(|t| Some((ck.decimal(file, "from", &t.from)?, t.amount))).collect();
    if !r.tiers.is_empty() && !has_field {
        ck.err(
            RuleCode::R021Amount,
            file,
            Some(r.id.span()),
            format!("rate `{id}` has tiers but `[amount]` has no `tier-field`"),
        )
        .hints
        .push("add `tier-field = \"wool_quality\"` to `[amount]`".into());
    }
    if r.tiers.is_empty() && has_field && r.set_by.is_none() {
        ck.err(
            RuleCode::R021Amount,
            file,
            Some(r.id.span()),
            format!("rate `{id}` has no `tiers` although `[amount]` has a `tier-field`"),
        )
        .hints
        .push("add `tiers = [{ from = \"60\", amount = \"200\" }]`".into());
    }
    out.sort_by_key(|t| std::cmp::Reverse(t.0));
    out
}

/// An edition's id, period and the span of its start, for the overlap check.
type Edition = (String, NaiveDate, Option<NaiveDate>, Range<usize>);

/// A region's file: its department, signatures, budget file and the akimat's normatives.
fn region(ck: &mut Checker, file: &Arc<str>, path: &Path, raw: &RawRegion) -> Region {
    let key = raw.region.key.get_ref().trim().to_owned();
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if key != stem {
        ck.err(
            RuleCode::R022Region,
            file,
            Some(raw.region.key.span()),
            format!("region key `{key}` must match the file name `{stem}.toml`"),
        );
    }
    let what = format!("region `{key}`");
    let d = &raw.department;
    ck.unconfirmed(file, &format!("{what}, department"), d.unconfirmed.as_ref());
    if let Some(bin) = &d.bin
        && crate::domain::taxid::check_bin(bin.get_ref()).is_err()
    {
        ck.err(
            RuleCode::R022Region,
            file,
            Some(bin.span()),
            format!("department BIN `{}` of {what} is not a valid BIN", bin.get_ref()),
        );
    }
    let mut stems: Vec<String> = [&raw.region.name_ru, &raw.region.name_kk]
        .into_iter()
        .chain(&raw.region.aliases)
        .map(|n| super::region_stem(n))
        .filter(|s| !s.is_empty())
        .collect();
    stems.sort();
    stems.dedup();
    let mut normatives: BTreeMap<String, Vec<Arc<Rate>>> = BTreeMap::new();
    let mut periods: BTreeMap<String, Vec<Edition>> = BTreeMap::new();
    for n in &raw.normative {
        ck.unique_id(file, &n.id);
        let id = n.id.get_ref().clone();
        let legal_ref = ck.legal_ref(file, &format!("normative `{id}`"), &n.legal_ref);
        ck.unconfirmed(file, &format!("normative `{id}` of {what}"), n.unconfirmed.as_ref());
        let code = n.type_code.get_ref().trim().to_owned();
        if let Some((from, to)) = ck.period(file, "normative", &id, &n.effective_from, n.effective_to.as_ref()) {
            periods.entry(code.clone()).or_default().push((id.clone(), from, to, n.effective_from.span()));
            normatives.entry(code).or_default().push(Arc::new(Rate {
                id,
                from,
                to,
                amount: *n.amount.get_ref(),
                tiers: Vec::new(),
                akimat_unset: false,
                output: None,
                legal_ref,
            }));
        }
    }
    for (code, list) in &mut periods {
        // Overlaps only: a gap between two resolutions falls back to the type's own edition.
        list.sort_by_key(|e| e.1);
        for pair in list.windows(2) {
            if pair[0].2.is_none_or(|to| to > pair[1].1) {
                ck.err(
                    RuleCode::R003OverlappingPeriods,
                    file,
                    Some(pair[1].3.clone()),
                    format!(
                        "normatives `{}` and `{}` of type `{code}` in {what} are both in force on {}",
                        pair[0].0, pair[1].0, pair[1].1
                    ),
                );
            }
        }
    }
    for list in normatives.values_mut() {
        list.sort_by_key(|r| r.from);
    }
    let s = &raw.signatures;
    Region {
        key,
        name_ru: raw.region.name_ru.clone(),
        name_kk: raw.region.name_kk.clone(),
        stems,
        department_ru: d.name_ru.clone(),
        department_kk: d.name_kk.clone(),
        bin: d.bin.as_ref().map(|b| b.get_ref().clone()),
        address_ru: d.address_ru.clone(),
        address_kk: d.address_kk.clone(),
        phone: d.phone.clone(),
        email: d.email.clone(),
        signatures: Signatures {
            officer_ru: s.officer_ru.clone(),
            officer_kk: s.officer_kk.clone(),
            officer_name: s.officer_name.clone(),
            head_ru: s.head_ru.clone(),
            head_kk: s.head_kk.clone(),
            head_name: s.head_name.clone(),
            finance_ru: s.finance_ru.clone(),
            finance_kk: s.finance_kk.clone(),
            finance_name: s.finance_name.clone(),
        },
        budget_file: raw.budget.as_ref().map(|b| b.get_ref().clone()),
        normatives,
        file: file.clone(),
    }
}
