//! A region file: the department, its signers, its budget file and the akimat's normatives.

#[allow(clippy::wildcard_imports)]
use super::*;

/// A region's file: its department, signatures, budget file and the akimat's normatives.
pub(super) fn region(ck: &mut Checker, file: &Arc<str>, path: &Path, raw: &RawRegion) -> Region {
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
    letter(ck, file, &what, raw);
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
        .map(|n| crate::rules::region_stem(n))
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
            officer_phone: s.officer_phone.clone(),
            head_ru: s.head_ru.clone(),
            head_kk: s.head_kk.clone(),
            head_name: s.head_name.clone(),
            finance_ru: s.finance_ru.clone(),
            finance_kk: s.finance_kk.clone(),
            finance_name: s.finance_name.clone(),
        },
        districts_kk: raw.districts.iter().map(|(ru, kk)| (ru.trim().to_owned(), kk.trim().to_owned())).collect(),
        budget_file: raw.budget.as_ref().map(|b| b.get_ref().clone()),
        normatives,
        file: file.clone(),
    }
}

/// A notice is a letter: without its department's address and phone, its signer's name and its
/// executor's name and phone it is not one yet, so the region's values are still to be given.
fn letter(ck: &mut Checker, file: &Arc<str>, what: &str, raw: &RawRegion) {
    let (d, s) = (&raw.department, &raw.signatures);
    let missing: Vec<&str> = [
        ("department.address-ru", &d.address_ru),
        ("department.address-kk", &d.address_kk),
        ("department.phone", &d.phone),
        ("signatures.head-name", &s.head_name),
        ("signatures.officer-name", &s.officer_name),
        ("signatures.officer-phone", &s.officer_phone),
    ]
    .into_iter()
    .filter(|(_, v)| v.trim().is_empty())
    .map(|(k, _)| k)
    .collect();
    if !missing.is_empty() {
        let note = format!("the notices' letter has no {}", missing.join(", "));
        ck.unconfirmed(file, &format!("{what}, letter"), Some(&Spanned::new(raw.region.key.span(), note)));
    }
}
