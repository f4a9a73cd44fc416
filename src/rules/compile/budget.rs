//! The department's budget programs (payer details, plans, policy) and the bank directory.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn budget(
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

pub(super) fn budget_years(
    ck: &mut Checker,
    file: &Arc<str>,
    what: &str,
    raw: &[crate::rules::raw::RawBudgetYear],
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

pub(super) fn banks(ck: &mut Checker, file: &Arc<str>, text: &str) -> BankDirectory {
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
