//! A subsidy type's file: names, criteria, rate editions and the closed set of amount kinds.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn program(ck: &mut Checker, file: &Arc<str>, path: &Path, raw: &RawProgram) -> Option<Program> {
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
        if !matches!(kind, fields::Kind::Decimal | fields::Kind::Count) {
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
            ck.err(
                RuleCode::R025SubjectPeriod,
                file,
                span,
                format!("`subject-period` must be `year`, found `{other}`"),
            )
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
        product_ru: raw.product_ru.clone(),
        product_kk: raw.product_kk.clone(),
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
pub(super) fn output_field(ck: &mut Checker, file: &Arc<str>, o: &Spanned<String>, raw: &RawProgram) -> Option<usize> {
    let pos = ck.field(file, SheetKind::Applications, o)?;
    if !matches!(fields::APPLICATION_FIELDS[pos].kind, fields::Kind::Decimal | fields::Kind::Count) {
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
            RuleCode::R021Amount,
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
pub(super) struct AmountKind {
    price_per_basis: bool,
    cap_field: Option<usize>,
    cap_per: Option<Decimal>,
    tier_field: Option<usize>,
}

pub(super) fn amount_kind(ck: &mut Checker, file: &Arc<str>, raw: &crate::rules::raw::RawAmount) -> AmountKind {
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
        if !matches!(sheet.fields()[pos].kind, fields::Kind::Decimal | fields::Kind::Count) {
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
pub(super) fn rate_source(ck: &mut Checker, file: &Arc<str>, what: &str, r: &crate::rules::raw::RawRate) -> bool {
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
pub(super) fn tiers(
    ck: &mut Checker,
    file: &Arc<str>,
    id: &str,
    r: &crate::rules::raw::RawRate,
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
