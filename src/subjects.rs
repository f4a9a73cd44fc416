//! Subsidised subjects: an animal (ИНЖ) or an electronic invoice (ЭСФ) is subsidised at most once
//! under a subsidy type (Appendix 2, «Не субсидируются», p.1) — across batches (the ledger) and
//! inside one batch, where the earlier application in the queue keeps it.
//!
//! The check runs over the whole batch in submission order, while a large batch is read one file
//! at a time: each approved application's subjects are kept as 128-bit keys between the passes,
//! with those an earlier batch subsidised, looked up in the ledger as the file is read
//! ([`Claim`]); the clashes are found on the keys ([`clashes`]), and the refusals are written when
//! the application is read again ([`apply`]), with the subjects' texts. The ledger records the
//! subjects of the applications still approved ([`claimed`]).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDateTime};

use crate::application::Application;
use crate::catalogue::item;
use crate::decide::{Decision, Status};
use crate::history::Subsidised;
use crate::outcome::{ClaimedBy, Fact, Found, SubjectKind};
use crate::rules::{RuleSet, SubjectScope};

/// `(scope, kind, subject)`, borrowed from the application and the rules. Kind is `animal` or
/// `esf`; scope is the subsidy type, or the service's key when the service subsidises a subject
/// once whatever the type ([`SubjectScope`]); a type paid once a year per animal (insemination,
/// selection work) adds the submission's year: `011/2025`.
type SubjectRef<'a> = (Cow<'a, str>, &'static str, &'a str);

/// A subject as XXH3-128 of its scope, kind and text: two different subjects of a million
/// applications' sixteen million share a key with a probability of about 10^-24.
pub(crate) type Key = u128;

fn key((scope, kind, subject): &SubjectRef<'_>) -> Key {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [scope.as_ref(), kind, subject] {
        h.update(part.as_bytes());
        h.update(&[0]);
    }
    h.digest128()
}

/// An application's subjects in item order; an invoice covering several animals counts once, so
/// a subject listed twice is always an animal.
fn subjects_of<'a>(a: &'a Application, rules: &'a RuleSet) -> Vec<SubjectRef<'a>> {
    let service = rules.service_for(&a.type_code);
    let yearly = rules.programs.get(&a.type_code).is_some_and(|p| p.subject_yearly);
    let year = a.submitted_at().map(|t| t.year());
    let scope: Cow<'a, str> = match (service.subject_scope, yearly, year) {
        (SubjectScope::Type, true, Some(y)) => Cow::Owned(format!("{}/{y}", a.type_code)),
        (SubjectScope::Type, ..) => Cow::Borrowed(a.type_code.as_str()),
        (SubjectScope::Service, ..) => Cow::Borrowed(service.key.as_str()),
    };
    let mut out = Vec::new();
    for it in &a.items {
        if let Some(id) = it.text(item::ANIMAL_ID) {
            out.push((scope.clone(), "animal", id));
        }
        if let Some(esf) = it.text(item::ESF_NO) {
            let s = (scope.clone(), "esf", esf);
            // One invoice may cover several animals of the same application.
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// An approved application as the check sees it: its place in the batch, its subjects, and
/// those of them that earlier batches subsidised.
pub(crate) struct Claim {
    pub submitted_at: Option<NaiveDateTime>,
    pub app_no: String,
    /// In the order of [`subjects_of`].
    keys: Box<[Key]>,
    /// `(place in keys, application, batch)`.
    earlier: Vec<(usize, String, String)>,
}

impl Claim {
    /// The claim of approved application `a`, its subjects looked up in the ledger.
    pub(crate) fn new(a: &Application, rules: &RuleSet, subsidised: &Subsidised) -> anyhow::Result<Claim> {
        let subjects = subjects_of(a, rules);
        let mut earlier = Vec::new();
        for (at, (scope, kind, subject)) in subjects.iter().enumerate() {
            if let Some((app_no, batch)) = subsidised.find(scope, kind, subject)? {
                earlier.push((at, app_no, batch));
            }
        }
        Ok(Claim {
            submitted_at: a.submitted_at(),
            app_no: a.app_no.clone(),
            keys: subjects.iter().map(key).collect(),
            earlier,
        })
    }
}

/// Why one subject of an application cannot be subsidised; `at` is its place in the
/// application's subjects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Clash {
    pub at: usize,
    pub with: ClashWith,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ClashWith {
    /// Subsidised by an application of an earlier batch: `(app_no, batch)`.
    Ledger(String, String),
    /// Claimed by an earlier application of this batch.
    Batch(String),
    /// The same animal twice in the application.
    Twice,
}

/// The clashes of every approved application, by its index in `claims` (`None` for applications
/// not approved). Applications go in submission order; one with a clash claims none of its
/// subjects, so a later application may still have them.
pub(crate) fn clashes(claims: &[Option<Claim>]) -> BTreeMap<usize, Vec<Clash>> {
    let mut order: Vec<usize> = (0..claims.len()).filter(|&i| claims[i].is_some()).collect();
    let of = |i: usize| claims[i].as_ref().map(|c| (c.submitted_at, c.app_no.as_str()));
    order.sort_by_key(|&i| of(i));
    let mut claimed: BTreeMap<Key, u32> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for i in order {
        let Some(c) = &claims[i] else { continue };
        let mut seen_here: BTreeSet<Key> = BTreeSet::new();
        let mut found = Vec::new();
        for (at, k) in c.keys.iter().enumerate() {
            let with = if let Some((_, other, batch)) = c.earlier.iter().find(|e| e.0 == at) {
                Some(ClashWith::Ledger(other.clone(), batch.clone()))
            } else if let Some(&other) = claimed.get(k) {
                let other = claims[other as usize].as_ref().map(|o| o.app_no.clone()).unwrap_or_default();
                Some(ClashWith::Batch(other))
            } else if seen_here.contains(k) {
                Some(ClashWith::Twice)
            } else {
                None
            };
            if let Some(with) = with {
                found.push(Clash { at, with });
            }
            seen_here.insert(*k);
        }
        if found.is_empty() {
            let me = u32::try_from(i).unwrap_or(u32::MAX);
            for k in &c.keys {
                claimed.insert(*k, me);
            }
        } else {
            out.insert(i, found);
        }
    }
    out
}

/// Refuses the applications of `apps` (the batch's applications from index `first` on) that
/// [`clashes`] found, naming each subject.
pub(crate) fn apply(
    apps: &[Application],
    decisions: &mut [Decision],
    first: usize,
    clashes: &BTreeMap<usize, Vec<Clash>>,
    rules: &RuleSet,
) {
    for (i, found) in clashes.range(first..first + apps.len()) {
        let (a, d) = (&apps[i - first], &mut decisions[i - first]);
        let subjects = subjects_of(a, rules);
        let facts: Vec<Fact> = found
            .iter()
            .map(|c| {
                let (_, kind, s) = &subjects[c.at];
                let kind = if *kind == "animal" { SubjectKind::Animal } else { SubjectKind::Invoice };
                let with = match &c.with {
                    ClashWith::Ledger(other, batch) => {
                        ClaimedBy::Ledger { app_no: other.clone(), batch: batch.clone() }
                    }
                    ClashWith::Batch(other) => ClaimedBy::Batch { app_no: other.clone() },
                    ClashWith::Twice => ClaimedBy::Twice,
                };
                Fact::new("", None, Found::Subject { kind, id: s.to_string(), with })
            })
            .collect();
        let fixed = &rules.service_for(&a.type_code).duplicate_subject;
        d.refuse(fixed.reason("DUP-SUBJECT", facts));
    }
}

/// The subjects the approved applications claim, for the ledger: `(type, kind, subject, app_no)`.
pub(crate) fn claimed(
    apps: &[Application],
    decisions: &[Decision],
    rules: &RuleSet,
) -> Vec<(String, String, String, String)> {
    let approved = apps.iter().zip(decisions).filter(|(_, d)| d.status == Status::Approved);
    approved
        .flat_map(|(a, _)| {
            subjects_of(a, rules)
                .into_iter()
                .map(|s| (s.0.into_owned(), s.1.to_owned(), s.2.to_owned(), a.app_no.clone()))
        })
        .collect()
}
