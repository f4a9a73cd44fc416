//! A service file: what the service is, its grounds, window, criteria, process timings, fixed
//! reasons, complaint text and partial-payment term.

#[allow(clippy::wildcard_imports)]
use super::*;

/// The parts every service file has: what it is, grounds, window, criteria, process timings.
pub(super) struct Common {
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

pub(super) fn common(
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
        ck.err(
            RuleCode::R023ApprovedNotice,
            file,
            Some(n.span()),
            format!("unknown approval notice `{}`", n.get_ref()),
        )
        .hints
        .push("use `approved` (Appendix 6 review result) or `payment` (notice of payment of subsidies)".into());
    }
    let subject_scope = match head.subject_scope.as_ref().map(|s| s.get_ref().as_str()) {
        None | Some("type") => SubjectScope::Type,
        Some("service") => SubjectScope::Service,
        Some(other) => {
            let span = head.subject_scope.as_ref().map(Spanned::span);
            ck.err(RuleCode::R024SubjectScope, file, span, format!("unknown subject scope `{other}`"))
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

pub(super) fn fixed(
    ck: &mut Checker,
    file: &Arc<str>,
    what: &str,
    r: &crate::rules::raw::RawFixedReason,
) -> FixedReason {
    FixedReason {
        ground: r.ground,
        legal_ref: ck.legal_ref(file, what, &r.legal_ref),
        message_ru: r.message_ru.clone(),
        message_kk: r.message_kk.clone(),
    }
}

pub(super) fn partial_offer(ck: &mut Checker, file: &Arc<str>, p: &RawPartialOffer) -> PartialOffer {
    PartialOffer {
        acceptance_days: p.acceptance_days,
        legal_ref: ck.legal_ref(file, "the partial-payment term", &p.legal_ref),
    }
}

pub(super) fn complaint(ck: &mut Checker, file: &Arc<str>, c: &RawComplaint) -> GroundText {
    let legal_ref = ck.legal_ref(file, "the complaint text", &c.legal_ref);
    GroundText { text_ru: c.text_ru.clone(), text_kk: c.text_kk.clone(), legal_ref }
}

/// A service of `services/`: its own checks and texts, the department's of `main`.
pub(super) fn other_service(ck: &mut Checker, file: &Arc<str>, raw: &RawOtherService, main: &Service) -> Service {
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
        partial_offer: raw
            .partial_offer
            .as_ref()
            .map_or_else(|| main.partial_offer.clone(), |r| partial_offer(ck, file, r)),
        duplicate_subject,
        registry_mismatch: main.registry_mismatch.clone(),
        processes: c.processes,
    }
}

pub(super) fn service(ck: &mut Checker, file: &Arc<str>, raw: &RawService, region: &Region) -> Service {
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
