//! Subsidised subjects: an animal (ИНЖ) or an electronic invoice (ЭСФ) is subsidised at most once
//! under a subsidy type (Appendix 2, «Не субсидируются», p.1) — across batches (the ledger) and
//! inside one batch, where the earlier application in the queue keeps it.

use std::collections::{BTreeMap, BTreeSet};

use crate::application::Application;
use crate::decide::{Decision, Status};
use crate::ingest::fields::{app, item};
use crate::ledger::History;
use crate::rules::{RuleSet, SubjectScope};

/// `(scope, kind, subject)`, borrowed from the application and the rules. Kind is `animal` or
/// `esf`; scope is the subsidy type, or the service's key when the service subsidises a subject
/// once whatever the type ([`SubjectScope`]).
type SubjectRef<'a> = (&'a str, &'static str, &'a str);

fn subjects_of<'a>(a: &'a Application, rules: &'a RuleSet) -> Vec<SubjectRef<'a>> {
    let service = rules.service_for(&a.type_code);
    let scope = match service.subject_scope {
        SubjectScope::Type => a.type_code.as_str(),
        SubjectScope::Service => service.key.as_str(),
    };
    let mut out = Vec::new();
    for it in &a.items {
        if let Some(id) = it.text(item::ANIMAL_ID) {
            out.push((scope, "animal", id));
        }
        if let Some(esf) = it.text(item::ESF_NO) {
            let s = (scope, "esf", esf);
            // One invoice may cover several animals of the same application.
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// Refuses approved applications whose animals or invoices were already subsidised; returns
/// the subjects the remaining approved applications claim, as `(type, kind, subject, app_no)`.
pub fn check(
    apps: &[Application],
    decisions: &mut [Decision],
    history: &History,
    rules: &RuleSet,
) -> Vec<(String, String, String, String)> {
    let mut order: Vec<usize> = (0..apps.len()).filter(|&i| decisions[i].status == Status::Approved).collect();
    order.sort_by(|&x, &y| {
        (apps[x].record.datetime(app::SUBMITTED_AT), &apps[x].app_no)
            .cmp(&(apps[y].record.datetime(app::SUBMITTED_AT), &apps[y].app_no))
    });
    // Looked up once per animal of the batch: borrowed rather than copied.
    let earlier: BTreeMap<SubjectRef<'_>, (&str, &str)> = history
        .subjects
        .iter()
        .filter_map(|((t, k, s), (app_no, batch))| {
            let kind = match k.as_str() {
                "animal" => "animal",
                "esf" => "esf",
                _ => return None,
            };
            Some(((t.as_str(), kind, s.as_str()), (app_no.as_str(), batch.as_str())))
        })
        .collect();
    let mut claimed: BTreeMap<SubjectRef<'_>, &str> = BTreeMap::new();
    let mut out = Vec::new();
    for i in order {
        let a = &apps[i];
        let mut seen_here: BTreeSet<SubjectRef<'_>> = BTreeSet::new();
        let mut clashes = Vec::new();
        let subjects = subjects_of(a, rules);
        for s in &subjects {
            let what = if s.1 == "animal" { "ИНЖ" } else { "ЭСФ" };
            if let Some((other, batch)) = earlier.get(s) {
                clashes.push(format!("{what} {} уже просубсидирован(а) по заявке {other} (пакет {batch})", s.2));
            } else if let Some(other) = claimed.get(s) {
                clashes.push(format!("{what} {} указан(а) в заявке {other} этого пакета", s.2));
            } else if s.1 == "animal" && seen_here.contains(s) {
                clashes.push(format!("{what} {} указан дважды", s.2));
            }
            seen_here.insert(*s);
        }
        if clashes.is_empty() {
            for s in subjects {
                claimed.insert(s, &a.app_no);
                out.push((s.0.to_owned(), s.1.to_owned(), s.2.to_owned(), a.app_no.clone()));
            }
        } else {
            let fixed = &rules.service_for(&a.type_code).duplicate_subject;
            decisions[i].refuse(fixed.reason("DUP-SUBJECT", clashes.join("; ")));
        }
    }
    out
}
