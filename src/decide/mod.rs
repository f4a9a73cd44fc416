//! Decide: applications x rules -> one decision per application, with every reason.
//!
//! Criteria run columnar over all applications of a subsidy type at once (polars); the money of
//! each application is then computed in parallel (rayon, order-preserving), so the result does
//! not depend on the number of threads. Nothing here reads the clock or the file system.

mod amount;
mod frame;

use std::collections::BTreeMap;

use polars::prelude::*;
use rayon::prelude::*;

pub use crate::rules::{Window, schema};
pub use amount::{ItemAmount, Quantities, compute};

pub use crate::outcome::{Fact, Found, Note, Reason, Shown, Status};

use chrono::NaiveDate;

use crate::application::Application;
use crate::domain::calendar::NotCovered;
use crate::domain::ground::Ground;
use crate::domain::money::Money;
use crate::problem::Problem;
use crate::rules::{Criterion, Level, Process, Program, Rate, RuleSet};
use crate::validate::{Validated, refuses};

/// Applications per frame: enough to keep polars' per-frame work small, few enough that a batch
/// of one type still spreads over the threads.
const PIECE: usize = 8192;

/// Failing item rows listed in a reason; the rest are counted.
const MAX_ROWS_SHOWN: usize = 5;

/// Due dates of the service's steps, in working days from the submission (rule data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadlines {
    /// The process edition used, with its legal reference (shared with the rules, not copied).
    pub process: std::sync::Arc<Process>,
    /// Review and acceptance (approval or refusal) due.
    pub acceptance: Result<NaiveDate, NotCovered>,
    /// Payment orders due (approved applications).
    pub payment_order: Result<NaiveDate, NotCovered>,
}

impl Deadlines {
    /// Whether the batch date is past the step that this decision completes.
    pub fn overdue(&self, status: Status, batch_date: NaiveDate) -> Option<bool> {
        let due = match status {
            Status::Approved => self.payment_order.as_ref().ok()?,
            Status::Refused => self.acceptance.as_ref().ok()?,
        };
        Some(batch_date > *due)
    }
}

/// The outcome for one application.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub status: Status,
    /// Amount approved (zero when refused).
    pub amount: Money,
    /// Amount the rules give, before limiting to the claim.
    pub computed: Option<Money>,
    pub rate: Option<std::sync::Arc<Rate>>,
    pub reasons: Vec<Reason>,
    /// Remarks that do not refuse: the claim differed from the rules' amount, caps applied.
    pub notes: Vec<Note>,
    pub items: Vec<ItemAmount>,
    /// `None` when the submission date is unknown or no process edition covers it.
    pub deadlines: Option<Deadlines>,
}

impl Decision {
    /// Refuses a decision after the fact (a duplicate subject, a registry mismatch): it keeps its
    /// other reasons and loses its amount.
    pub fn refuse(&mut self, reason: Reason) {
        self.reasons.push(reason);
        self.status = Status::Refused;
        self.amount = Money::ZERO;
    }

    /// Remarks shown with the decision: the stored notes, and the price cap when it limited an
    /// approved amount (derived here, so a later refusal cannot leave it behind).
    pub fn remarks(&self) -> Vec<Note> {
        let mut out = self.notes.clone();
        let approved = self.status == Status::Approved;
        let counted = || self.items.iter().map(|i| i.basis).sum();
        if approved && self.items.iter().any(|i| i.capped_by_price) {
            out.push(Note::PriceCap);
        }
        if approved && self.items.iter().any(|i| i.capped_by_total) {
            out.push(Note::CappedPerHead { counted: counted() });
        }
        if approved && self.items.iter().any(|i| i.capped_by_output) {
            out.push(Note::CappedByOutput { counted_kg: counted() });
        }
        out
    }
}

/// The columns a set of criteria reads: the frames build only these.
fn needed(criteria: &[&Criterion]) -> frame::Needed {
    criteria.iter().flat_map(|c| c.fields.iter().cloned()).collect()
}

/// A row a criterion did not pass (false, or unknown: `None`), with the values it read.
struct Listed {
    row: usize,
    result: Option<bool>,
    /// The values read, by column.
    values: Vec<(String, Shown)>,
}

/// Results of criteria over the rows of one frame. Rows that passed are not listed: in a batch
/// nearly all rows pass every criterion.
struct Evaluated<'a> {
    criteria: Vec<&'a Criterion>,
    /// Per criterion, in `criteria` order, the rows listed, in row order.
    shown: Vec<Vec<Listed>>,
}

impl Evaluated<'_> {
    /// Criterion `c` in `row`: its result and the values it read (empty when it passed).
    fn at(&self, c: usize, row: usize) -> (Option<bool>, &[(String, Shown)]) {
        let v = &self.shown[c];
        v.binary_search_by_key(&row, |s| s.row).map_or((Some(true), &[]), |i| (v[i].result, v[i].values.as_slice()))
    }

    /// The rows of `rows` that criterion `c` did not pass.
    fn within(&self, c: usize, rows: std::ops::Range<usize>) -> &[Listed] {
        let v = &self.shown[c];
        &v[v.partition_point(|s| s.row < rows.start)..v.partition_point(|s| s.row < rows.end)]
    }
}

/// Rows of a criterion's result that are not `true`, with their result: by bitmaps, as a batch
/// has millions of rows and few of them fail.
fn not_passed(result: &BooleanChunked) -> Vec<(usize, Option<bool>)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for arr in result.downcast_iter() {
        let (values, validity) = (arr.values(), arr.validity());
        let passed = validity.map_or_else(|| values.clone(), |v| v & values);
        for row in (!&passed).true_idx_iter() {
            let known = validity.is_none_or(|v| v.get_bit(row));
            out.push((offset + row, known.then_some(false)));
        }
        offset += arr.len();
    }
    out
}

/// Evaluates `criteria` over `df`. Every row is listed with the values it read when `all` is
/// set (explaining one application), else only rows that did not pass.
fn evaluate<'a>(df: &DataFrame, criteria: Vec<&'a Criterion>, all: bool) -> PolarsResult<Evaluated<'a>> {
    let mut exprs: Vec<Expr> = Vec::new();
    for (i, c) in criteria.iter().enumerate() {
        exprs.push(c.expr.clone().alias(format!("c{i}")));
    }
    let out = if exprs.is_empty() { DataFrame::empty() } else { df.clone().lazy().select(exprs).collect()? };
    let mut shown = Vec::with_capacity(criteria.len());
    for (i, c) in criteria.iter().enumerate() {
        let result = out.column(&format!("c{i}"))?.bool()?;
        let rows = if all { result.iter().enumerate().collect() } else { not_passed(result) };
        let cols: Vec<&Column> = c.fields.iter().map(|f| df.column(f)).collect::<PolarsResult<_>>()?;
        let listed = rows
            .into_iter()
            .map(|(row, result)| {
                let values = cols
                    .iter()
                    .map(|col| (col.name().to_string(), show(col.get(row).unwrap_or(AnyValue::Null))))
                    .collect();
                Listed { row, result, values }
            })
            .collect();
        shown.push(listed);
    }
    Ok(Evaluated { criteria, shown })
}

fn show(v: AnyValue<'_>) -> Shown {
    match v {
        AnyValue::Null => Shown::Empty,
        AnyValue::String(s) => Shown::Text(s.to_owned()),
        AnyValue::StringOwned(s) => Shown::Text(s.to_string()),
        AnyValue::Float64(f) => Shown::Number(format!("{f}")),
        AnyValue::Boolean(b) => Shown::Flag(b),
        AnyValue::Date(days) => {
            chrono::NaiveDate::from_epoch_days(days).map_or_else(|| Shown::Number(days.to_string()), Shown::Date)
        }
        other => Shown::Number(other.to_string()),
    }
}

/// A criterion over several rows: false if any row fails, unknown if any row lacks a value,
/// true otherwise.
pub fn all_of(results: impl IntoIterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for r in results {
        match r {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    if unknown { None } else { Some(true) }
}

/// One criterion as it applied to one application: for each row it read (the application, or
/// each item), where, the values it saw and its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    pub id: String,
    pub text: String,
    pub legal_ref: String,
    pub message_ru: String,
    pub message_kk: String,
    pub rows: Vec<(String, String, Option<bool>)>,
}

/// Every criterion of an application's type evaluated for it alone, with the values it saw.
pub fn trace(a: &Application, batch: &Validated, rules: &RuleSet) -> PolarsResult<Vec<Trace>> {
    let Some(program) = rules.programs.get(&a.type_code) else { return Ok(Vec::new()) };
    let apps = [a];
    let service = rules.service_for(&a.type_code);
    let submitted = a.submitted_on();
    let mut out = Vec::new();
    for level in [Level::Application, Level::Item] {
        let criteria: Vec<&Criterion> = service
            .criteria
            .iter()
            .chain(&program.criteria)
            .filter(|c| c.level == level && submitted.is_none_or(|d| c.in_force(d)))
            .collect();
        let needed = needed(&criteria);
        let df = match level {
            Level::Application => frame::applications(&apps, rules, program.window_in(service), &needed),
            Level::Item => frame::items(&apps, program, &needed).0,
        };
        let e = evaluate(&df, criteria, true)?;
        for (ci, c) in e.criteria.iter().enumerate() {
            let rows = (0..df.height())
                .map(|r| {
                    let at = match level {
                        Level::Application => batch.app_ref(a),
                        Level::Item => batch.item_ref(a, a.items[r].row),
                    };
                    let (result, values) = e.at(ci, r);
                    (at, crate::outcome::staff_values(values), result)
                })
                .collect();
            out.push(Trace {
                id: c.id.clone(),
                text: c.text.clone(),
                legal_ref: c.legal_ref.clone(),
                message_ru: c.message_ru.clone(),
                message_kk: c.message_kk.clone(),
                rows,
            });
        }
    }
    Ok(out)
}

/// Per application of one type: criterion results (app and item level) ready to assemble.
struct TypeResults<'a> {
    program: &'a Program,
    apps: Evaluated<'a>,
    items: Evaluated<'a>,
    /// For each application (in the type's order), the range of its rows in the item frame.
    item_rows: Vec<std::ops::Range<usize>>,
    /// Per item row.
    quantities: Vec<Quantities>,
}

/// Decides every application of a validated batch; decisions are in application order.
pub fn decide(batch: &Validated, rules: &RuleSet) -> PolarsResult<Vec<Decision>> {
    let mut by_type: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    // A row refused as it was read is refused for that alone, and one not decided here is not
    // decided: no criterion runs on either.
    for (i, a) in batch.applications.iter().enumerate().filter(|(_, a)| a.decided_here()) {
        by_type.entry(a.type_code.as_str()).or_default().push(i);
    }
    // Types are independent, and so are applications within a type: frames of a bounded number
    // of applications are built and evaluated side by side, however the batch's types are mixed.
    let pieces: Vec<(&str, &[usize])> =
        by_type.iter().flat_map(|(code, idx)| idx.chunks(PIECE).map(move |p| (*code, p))).collect();
    let evaluated = in_polars_pool(|| evaluate_pieces(batch, rules, &pieces))?;
    // (type results, position of the application within its type) per application.
    let mut place: Vec<Option<(usize, usize)>> = vec![None; batch.applications.len()];
    let mut types: Vec<TypeResults<'_>> = Vec::new();
    for ((_, idx), t) in pieces.iter().zip(evaluated) {
        let Some(t) = t else { continue };
        for (pos, &i) in idx.iter().enumerate() {
            place[i] = Some((types.len(), pos));
        }
        types.push(t);
    }
    let mut problems: BTreeMap<&str, Vec<&Problem>> = BTreeMap::new();
    for p in &batch.problems {
        if let Some(a) = &p.app_no {
            problems.entry(a.as_str()).or_default().push(p);
        }
    }
    let decisions = batch
        .applications
        .par_iter()
        .zip(place.par_iter())
        .map(|(a, place)| {
            let probs = problems.get(a.app_no.as_str()).map_or(&[][..], Vec::as_slice);
            let t = place.map(|(t, pos)| (&types[t], pos));
            decide_one(a, probs, t, rules, batch)
        })
        .collect();
    Ok(decisions)
}

/// Runs `op` in polars' thread pool, where the criteria are evaluated: called from another pool,
/// each evaluation is handed across and waited for, which cost a fifth of the stage on two cores.
/// A smaller pool the caller chose (`--threads`) is kept.
fn in_polars_pool<R: Send>(op: impl FnOnce() -> R + Send) -> R {
    let polars = &polars_core::runtime::THREAD_POOL;
    if polars.current_num_threads() <= rayon::current_num_threads() { polars.install(op) } else { op() }
}

/// Frames of each piece built and its criteria evaluated; `None` for a type without a program.
fn evaluate_pieces<'a>(
    batch: &'a Validated,
    rules: &'a RuleSet,
    pieces: &[(&str, &[usize])],
) -> PolarsResult<Vec<Option<TypeResults<'a>>>> {
    pieces
        .par_iter()
        .map(|(code, idx)| -> PolarsResult<Option<TypeResults<'_>>> {
            let Some(program) = rules.programs.get(*code) else {
                return Ok(None);
            };
            let apps: Vec<&Application> = idx.iter().map(|&i| &batch.applications[i]).collect();
            let service = rules.service_for(code);
            let level = |l: Level| -> Vec<&Criterion> {
                service.criteria.iter().chain(&program.criteria).filter(|c| c.level == l).collect()
            };
            let (app_criteria, item_criteria) = (level(Level::Application), level(Level::Item));
            let (app_eval, (item_eval, quantities)) = rayon::join(
                || {
                    let df = frame::applications(&apps, rules, program.window_in(service), &needed(&app_criteria));
                    evaluate(&df, app_criteria, false)
                },
                || {
                    let (df, quantities) = frame::items(&apps, program, &needed(&item_criteria));
                    (evaluate(&df, item_criteria, false), quantities)
                },
            );
            let mut start = 0;
            let item_rows = apps
                .iter()
                .map(|a| {
                    let r = start..start + a.items.len();
                    start = r.end;
                    r
                })
                .collect();
            Ok(Some(TypeResults { program, apps: app_eval?, items: item_eval?, item_rows, quantities }))
        })
        .collect()
}

/// Due dates from the submission date, by the process edition in force then.
fn deadlines(a: &Application, rules: &RuleSet) -> Option<Deadlines> {
    let submitted = a.submitted_on()?;
    let p = rules.service_for(&a.type_code).process_on(submitted)?;
    let acceptance = rules.calendar.add_working_days(submitted, p.acceptance_days);
    let payment_order = acceptance.clone().and_then(|d| rules.calendar.add_working_days(d, p.payment_order_days));
    Some(Deadlines { process: p.clone(), acceptance, payment_order })
}

fn decide_one(
    a: &Application,
    problems: &[&Problem],
    t: Option<(&TypeResults<'_>, usize)>,
    rules: &RuleSet,
    batch: &Validated,
) -> Decision {
    let service = rules.service_for(&a.type_code);
    let mut reasons: Vec<Reason> = problems
        .iter()
        .filter(|p| refuses(p))
        .map(|p| {
            let ground = p.ground.unwrap_or(Ground::InaccurateData);
            let g = &service.grounds[&ground];
            let found = Found::Input { code: p.code, field: p.field, message: p.message.clone() };
            Reason {
                id: p.code.id().to_owned(),
                ground,
                legal_ref: g.legal_ref.clone(),
                message_ru: g.text_ru.clone(),
                message_kk: g.text_kk.clone(),
                facts: vec![Fact::new(p.location.reference(), batch.item_number(a, &p.location), found)],
                rule: None,
            }
        })
        .collect();
    let mut decision = Decision {
        status: Status::Refused,
        amount: Money::ZERO,
        computed: None,
        rate: None,
        reasons: Vec::new(),
        notes: Vec::new(),
        items: Vec::new(),
        deadlines: deadlines(a, rules),
    };
    let Some((t, pos)) = t else {
        decision.reasons = reasons;
        return decision;
    };
    let had_problems = !reasons.is_empty();
    let fail = |c: &Criterion, facts: Vec<Fact>, reasons: &mut Vec<Reason>| {
        reasons.push(Reason {
            id: c.id.clone(),
            ground: c.ground,
            legal_ref: c.legal_ref.clone(),
            message_ru: c.message_ru.clone(),
            message_kk: c.message_kk.clone(),
            facts,
            rule: Some(c.text.clone()),
        });
    };
    // An unknown result (a value missing) refuses unless a problem already says why.
    let fails = |r: Option<bool>| r == Some(false) || (r.is_none() && !had_problems);
    let submitted = a.submitted_on();
    // A criterion an order added or removed is checked only on the dates it is in force.
    let in_force = |c: &Criterion| submitted.is_none_or(|d| c.in_force(d));
    for (ci, c) in t.apps.criteria.iter().enumerate() {
        let (r, values) = t.apps.at(ci, pos);
        if fails(r) && in_force(c) {
            fail(c, vec![Fact::new(batch.app_ref(a), None, Found::Values(values.to_vec()))], &mut reasons);
        }
    }
    let rows = t.item_rows[pos].clone();
    for (ci, c) in t.items.criteria.iter().enumerate() {
        if !in_force(c) {
            continue;
        }
        let mut failed = Vec::new();
        for s in t.items.within(ci, rows.clone()).iter().filter(|s| fails(s.result)) {
            let i = s.row - rows.start;
            let at = batch.item_ref(a, a.items[i].row);
            failed.push(Fact::new(at, Some(i + 1), Found::Values(s.values.clone())));
        }
        if !failed.is_empty() {
            let more = failed.len().saturating_sub(MAX_ROWS_SHOWN);
            failed.truncate(MAX_ROWS_SHOWN);
            if more > 0 {
                failed.push(Fact::new("", None, Found::More(more)));
            }
            fail(c, failed, &mut reasons);
        }
    }
    let rate = submitted.and_then(|d| rules.rate_on(t.program, rules.region(), d));
    match (rate, submitted) {
        (None, Some(submitted)) => {
            let (first, last) = (t.program.rates.first(), t.program.rates.last());
            let found = Found::TypeNotInForce {
                code: t.program.code.clone(),
                first: first.map(|r| r.from),
                last: last.and_then(|r| r.to).map(|l| l.pred_opt().unwrap_or(l)),
                submitted,
            };
            reasons.push(service.type_not_in_force.reason("TYPE-NOT-IN-FORCE", vec![Fact::new("", None, found)]));
        }
        (Some(r), Some(on)) if r.akimat_unset => {
            let found = Found::AkimatNotSet { code: t.program.code.clone(), on, rate: r.id.clone() };
            reasons.push(service.akimat_not_set.reason("AKIMAT-NOT-SET", vec![Fact::new("", None, found)]));
        }
        _ => {}
    }
    let rate = rate.filter(|r| !r.akimat_unset);
    decision.rate = rate.cloned();
    if let Some(rate) = rate {
        let (items, computed) = compute(t.program, rate, &a.record, &t.quantities[t.item_rows[pos].clone()]);
        decision.items = items;
        decision.computed = computed;
        if computed.is_none() {
            decision.notes.push(Note::Overflow);
        }
    }
    decision.reasons = reasons;
    if decision.reasons.is_empty()
        && let Some(computed) = decision.computed
    {
        decision.status = Status::Approved;
        decision.amount = computed;
        if let Some(claimed) = a.amount_claimed() {
            if claimed < computed {
                decision.amount = claimed;
                decision.notes.push(Note::ClaimedLess { claimed, computed });
            } else if claimed > computed {
                decision.notes.push(Note::ClaimedMore { claimed, computed });
            }
        }
    }
    decision
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows a criterion did not pass are those not `true`, unknown ones included, across
    /// chunks and whether or not the result has nulls.
    #[test]
    fn rows_not_passed_are_the_false_and_unknown_ones() {
        let results: [&[Option<bool>]; 4] = [
            &[Some(true), Some(false), None, Some(true), Some(false)],
            &[Some(true); 70],
            &[Some(false), Some(true), Some(false)],
            &[],
        ];
        for r in results {
            let want: Vec<(usize, Option<bool>)> =
                r.iter().copied().enumerate().filter(|(_, v)| *v != Some(true)).collect();
            let ca = BooleanChunked::new("c".into(), r);
            assert_eq!(not_passed(&ca), want);
            // The same in two chunks.
            let mut two = BooleanChunked::new("c".into(), r);
            two.append(&BooleanChunked::new("c".into(), r)).unwrap();
            assert!(two.chunks().len() == 2 || r.is_empty());
            let doubled: Vec<(usize, Option<bool>)> =
                want.iter().copied().chain(want.iter().map(|&(i, v)| (i + r.len(), v))).collect();
            assert_eq!(not_passed(&two), doubled);
        }
    }

    #[test]
    fn a_criterion_lists_a_row_it_did_not_pass_with_the_values_it_read() {
        let df = df!("age_months" => [Some(10.0), Some(30.0), None]).unwrap();
        let text = "age_months BETWEEN 8 AND 26";
        let (expr, fields) =
            crate::rules::criterion::compile(text, &schema::to_schema(&schema::item_columns())).unwrap();
        let c = Criterion {
            id: "BULL-AGE".into(),
            level: Level::Item,
            text: text.into(),
            expr,
            fields,
            ground: Ground::NonCompliance,
            legal_ref: String::new(),
            message_ru: String::new(),
            message_kk: String::new(),
            from: None,
            to: None,
        };
        let e = evaluate(&df, vec![&c], false).unwrap();
        let staff = |r| {
            let (result, values) = e.at(0, r);
            (result, crate::outcome::staff_values(values))
        };
        assert_eq!(staff(0), (Some(true), String::new()));
        assert_eq!(staff(1), (Some(false), "age_months = 30".to_owned()));
        assert_eq!(staff(2), (None, "age_months = пусто".to_owned()));
        assert_eq!(e.within(0, 1..3).len(), 2);
        assert_eq!(e.within(0, 0..1).len(), 0);
    }
}
