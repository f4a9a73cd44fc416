//! `subsidy test`: rule test cases kept beside the rules (`rules/tests/*.toml`), so that an
//! analyst can pin down what a rule change must do without writing Rust. A case is an
//! application, its items and a date, and what must come out; it runs through the same
//! validation and decision stages as a batch, starting from a valid baseline applicant so that a
//! case states only what it is about.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use serde::Deserialize;
use toml::Spanned;

use crate::catalogue::{SheetKind, item};
use crate::decide::{self, Status};
use crate::diag::{Diagnostic, RuleCode, SourceMap};
use crate::domain::date::{dmy, dmy_hms};
use crate::domain::money::Money;
use crate::ingest::cell::CellValue;
use crate::ingest::{RawRow, RawTable};
use crate::rules::RuleSet;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    /// Values every case of the file starts from, before its own (a processing plant instead of
    /// a peasant farm, say).
    #[serde(default)]
    defaults: RawDefaults,
    case: Vec<Spanned<RawCase>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    #[serde(default)]
    application: BTreeMap<String, toml::Value>,
    #[serde(default)]
    item: BTreeMap<String, toml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCase {
    name: String,
    #[serde(rename = "type")]
    type_code: String,
    submitted: toml::value::Datetime,
    batch_date: Option<toml::value::Datetime>,
    #[serde(default)]
    application: BTreeMap<String, toml::Value>,
    #[serde(default)]
    items: Vec<BTreeMap<String, toml::Value>>,
    expect: RawExpect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpect {
    status: String,
    amount: Option<Money>,
    rate: Option<String>,
    failed: Option<Vec<String>>,
    /// Text that every legal basis the notice cites in its Kazakh half holds (`legal-kk.toml`):
    /// the rate's when approved, each reason's when refused.
    #[serde(rename = "cites-kk")]
    cites_kk: Option<String>,
    /// The product made as the Kazakh half names it (processing types: `product-kk`).
    #[serde(rename = "product-kk")]
    product_kk: Option<String>,
}

/// The outcome of running every case.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub passed: usize,
    /// `file:line: name` and what differed.
    pub failures: Vec<String>,
}

fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn datetime(v: &toml::value::Datetime) -> Option<NaiveDateTime> {
    let d = v.date?;
    let date = NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))?;
    let t = v.time.map_or(Some(chrono::NaiveTime::MIN), |t| {
        chrono::NaiveTime::from_hms_opt(u32::from(t.hour), u32::from(t.minute), u32::from(t.second.unwrap_or(0)))
    })?;
    Some(date.and_time(t))
}

/// One table of text cells in catalogue order.
fn table(kind: SheetKind, file: &Arc<str>, rows: Vec<BTreeMap<&'static str, String>>) -> RawTable {
    let fields = kind.fields();
    let n = fields.len();
    RawTable {
        kind,
        file: file.clone(),
        sheet: None,
        columns: (0..n).map(|i| Some(u16::try_from(i).unwrap_or(0))).collect(),
        headers: fields.iter().map(|f| Some(f.key.to_owned())).collect(),
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(r, mut values)| RawRow {
                row: u32::try_from(r + 2).unwrap_or(0),
                cells: fields.iter().map(|f| values.remove(f.key).map_or(CellValue::Empty, CellValue::Text)).collect(),
            })
            .collect(),
        problems: Vec::new(),
    }
}

fn key_of(kind: SheetKind, k: &str) -> Option<&'static str> {
    kind.fields().iter().find(|f| f.key == k).map(|f| f.key)
}

/// Runs one case; `Err` says what differed.
fn run_case(c: &RawCase, defaults: &RawDefaults, n: usize, file: &Arc<str>, rules: &RuleSet) -> Result<(), String> {
    let submitted = datetime(&c.submitted).ok_or("`submitted` must be a date and time such as 2025-04-15T10:00:00")?;
    let batch_date = c.batch_date.as_ref().and_then(datetime).map_or(submitted.date(), |d| d.date());
    let program =
        rules.programs.get(&c.type_code).ok_or_else(|| format!("type `{}` is not in the rules", c.type_code))?;
    let app_no = format!("{}00100{:06}", c.type_code, n);
    let deal = submitted.date() - chrono::Duration::days(30);
    let fmt = |d: NaiveDate| dmy(d);
    let mut items = Vec::new();
    let mut basis_total = rust_decimal::Decimal::ZERO;
    for (k, over) in c.items.iter().enumerate() {
        let mut v: BTreeMap<&'static str, String> = BTreeMap::new();
        v.insert("app_no", app_no.clone());
        let over: BTreeMap<&String, &toml::Value> = defaults.item.iter().chain(over).collect();
        let get = |key: &str| over.get(&key.to_owned()).map(|v| value_text(v));
        let deal = get("transaction_date").and_then(|t| NaiveDate::parse_from_str(&t, "%d.%m.%Y").ok()).unwrap_or(deal);
        for (key, val) in [
            ("animal_id", format!("KZ-CASE-{n}-{k}")),
            ("breed", "ангусская".to_owned()),
            ("transaction_date", fmt(deal)),
            ("isj_reg_date", fmt(deal + chrono::Duration::days(1))),
            ("price", "1000000".to_owned()),
            ("esf_no", format!("ESF-CASE-{n}-{k}")),
            ("esf_date", fmt(deal)),
            ("counterparty_id", "940140000385".to_owned()),
            ("counterparty_name", "ТОО «Продавец»".to_owned()),
            ("country", "Казахстан".to_owned()),
        ] {
            v.insert(key_of(SheetKind::Items, key).expect("catalogue key"), val);
        }
        if let Some(age) = get("age_months").and_then(|a| a.parse::<u32>().ok()) {
            let born = deal.checked_sub_months(Months::new(age)).unwrap_or(deal) - chrono::Duration::days(5);
            v.insert("birth_date", fmt(born));
        }
        for (key, val) in &over {
            let key = key_of(SheetKind::Items, key).ok_or_else(|| format!("item field `{key}` does not exist"))?;
            v.insert(key, value_text(val));
        }
        let basis = match item::HEAD_COUNT == program.basis {
            true => v
                .get("head_count")
                .and_then(|h| crate::domain::number::parse_decimal(h))
                .unwrap_or(rust_decimal::Decimal::ONE),
            false => v
                .get(crate::catalogue::ITEM_FIELDS[program.basis].key)
                .and_then(|h| crate::domain::number::parse_decimal(h))
                .unwrap_or_default(),
        };
        basis_total += basis;
        items.push(v);
    }
    let period_start =
        submitted.date().with_day(1).and_then(|d| d.checked_sub_months(Months::new(1))).unwrap_or(submitted.date());
    let mut a: BTreeMap<&'static str, String> = BTreeMap::new();
    for (key, val) in [
        ("app_no", app_no.clone()),
        ("submitted_at", dmy_hms(submitted)),
        ("region", "Карагандинская область".to_owned()),
        ("district", "Шетский район".to_owned()),
        ("applicant_name", "КХ «Тест»".to_owned()),
        ("applicant_kind", "КХ".to_owned()),
        ("tax_id", "871008401427".to_owned()),
        ("record_no", "3512-00001".to_owned()),
        ("iban", "KZ476010131000179714".to_owned()),
        ("bic", "HSBKKZKX".to_owned()),
        ("kbe", "19".to_owned()),
        ("quantity", basis_total.normalize().to_string()),
        ("amount_claimed", "999999999".to_owned()),
        ("consent", "Да".to_owned()),
        ("eds_valid_to", "31.12.2030".to_owned()),
        ("eds_revoked", "Нет".to_owned()),
        // The month before the submission: the period a processing plant claims for.
        ("period_from", fmt(period_start)),
        ("period_to", fmt(submitted.date().with_day(1).map_or(submitted.date(), |d| d - chrono::Duration::days(1)))),
    ] {
        a.insert(key_of(SheetKind::Applications, key).expect("catalogue key"), val);
    }
    for (key, val) in defaults.application.iter().chain(&c.application) {
        let key =
            key_of(SheetKind::Applications, key).ok_or_else(|| format!("application field `{key}` does not exist"))?;
        a.insert(key, value_text(val));
    }
    if !a.contains_key("eds_signer") {
        let signer = a.get("tax_id").cloned().unwrap_or_default();
        a.insert("eds_signer", signer);
    }
    let apps = table(SheetKind::Applications, file, vec![a]);
    let items = table(SheetKind::Items, file, items);
    let validated = crate::validate::validate(&apps, &items, rules, batch_date, &BTreeMap::new());
    let d = decide::decide(&validated, rules).map_err(|e| e.to_string())?.into_iter().next().ok_or("no decision")?;
    let got_status = match d.status {
        Status::Approved => "approved",
        Status::Refused => "refused",
    };
    let mut got_failed: Vec<String> = d.reasons.iter().map(|r| r.id.clone()).collect();
    got_failed.sort();
    got_failed.dedup();
    let mut diffs = Vec::new();
    if c.expect.status != got_status {
        diffs.push(format!("status: expected {}, got {got_status}", c.expect.status));
    }
    if let Some(want) = c.expect.amount
        && want != d.amount
    {
        diffs.push(format!("amount: expected {want}, got {}", d.amount));
    }
    if let Some(want) = &c.expect.rate {
        let got = d.rate.as_ref().map_or("none", |r| r.id.as_str());
        if want != got {
            diffs.push(format!("rate: expected {want}, got {got}"));
        }
    }
    let mut want_failed = c.expect.failed.clone().unwrap_or_default();
    want_failed.sort();
    if (c.expect.failed.is_some() || c.expect.status == "approved") && want_failed != got_failed {
        diffs.push(format!("failed: expected [{}], got [{}]", want_failed.join(", "), got_failed.join(", ")));
    }
    if let Some(want) = &c.expect.cites_kk {
        let cited: Vec<&str> = match d.status {
            Status::Approved => d.rate.iter().map(|r| rules.kk(&r.legal_ref)).collect(),
            Status::Refused => d.reasons.iter().map(|r| rules.kk(&r.legal_ref)).collect(),
        };
        if cited.is_empty() || cited.iter().any(|c| !c.contains(want.as_str())) {
            diffs.push(format!("cites-kk: expected every citation to hold «{want}», got «{}»", cited.join("» | «")));
        }
    }
    if let Some(want) = &c.expect.product_kk {
        let got = rules.programs.get(&c.type_code).and_then(|p| p.product_kk.as_deref()).unwrap_or("none");
        if want != got {
            diffs.push(format!("product-kk: expected {want}, got {got}"));
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        let why: Vec<String> = d.reasons.iter().map(|r| format!("{}: {}", r.id, r.detail())).collect();
        if !why.is_empty() {
            diffs.push(format!("reasons: {}", why.join(" | ")));
        }
        Err(diffs.join("\n    "))
    }
}

/// Runs every `*.toml` file in `dir`. Files that do not parse are diagnostics (nothing runs).
pub(crate) fn run(dir: &Path, rules: &RuleSet) -> Result<Outcome, (Vec<Diagnostic>, SourceMap)> {
    let mut paths: Vec<_> = fs_err::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect()
        })
        .unwrap_or_default();
    paths.sort();
    let mut sources = SourceMap::default();
    let mut diags = Vec::new();
    let mut files = Vec::new();
    for p in &paths {
        let name: Arc<str> = p.to_string_lossy().into();
        let text = fs_err::read_to_string(p).unwrap_or_default();
        sources.add(name.clone(), text.clone());
        match toml::from_str::<RawFile>(&text) {
            Ok(f) => files.push((name, f)),
            Err(e) => diags.push(Diagnostic::new(RuleCode::R001Syntax, &name, e.span(), e.message().trim().to_owned())),
        }
    }
    if !diags.is_empty() {
        return Err((diags, sources));
    }
    let mut out = Outcome::default();
    let mut n = 0;
    for (file, f) in &files {
        for c in &f.case {
            n += 1;
            let line = sources.line_col(file, c.span().start).map_or(0, |p| p.0);
            match run_case(c.get_ref(), &f.defaults, n, file, rules) {
                Ok(()) => out.passed += 1,
                Err(why) => out.failures.push(format!("{file}:{line}: {}\n    {why}", c.get_ref().name)),
            }
        }
    }
    Ok(out)
}
