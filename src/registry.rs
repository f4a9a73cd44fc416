//! Registries: optional extracts of the animal identification database (ИСЖ) and of farm record
//! numbers. Items are joined to the animal extract by ИНЖ (polars, many-to-one: an extract with an
//! animal twice is refused); an application whose animal is missing, registered to someone else,
//! or differs in sex, breed, birth or registration date is refused as a data mismatch (Appendix 2,
//! «Не субсидируются», p.7). A record number must exist and belong to the applicant.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use polars::prelude::*;

use crate::application::{Application, Record};
use crate::catalogue::{SheetKind, item};
use crate::decide::{Decision, Status};
use crate::ingest::{self, RawTable};
use crate::outcome::{Fact, Found, Mismatch};
use crate::rules::RuleSet;

/// The extracts given for a batch.
#[derive(Debug, Default)]
pub(crate) struct Registries {
    /// ИНЖ -> (owner, sex, breed, birth, registration date), as a frame.
    animals: Option<DataFrame>,
    /// Record number -> owner IIN/BIN.
    farms: Option<BTreeMap<String, String>>,
    /// `(path, sha256)` of the extracts, for the manifest.
    pub files: Vec<(String, String)>,
}

fn records(t: &RawTable) -> Vec<Record> {
    t.read_records().0
}

fn text(r: &Record, i: usize) -> Option<String> {
    r.text(i).map(|s| s.trim().to_lowercase())
}

fn days(d: Option<NaiveDate>) -> Option<i32> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    d.and_then(|d| i32::try_from((d - epoch).num_days()).ok())
}

impl Registries {
    pub(crate) fn load(animals: Option<&Path>, farms: Option<&Path>) -> anyhow::Result<Registries> {
        let mut r = Registries::default();
        if let Some(p) = animals {
            let t = ingest::read(p, SheetKind::Animals)?;
            let recs = records(&t);
            let mut seen = BTreeMap::new();
            for rec in &recs {
                if let Some(id) = rec.text(0)
                    && let Some(prev) = seen.insert(id.to_owned(), rec.row)
                {
                    bail!(
                        "animal registry `{}`: ИНЖ `{id}` appears twice ({} and {})",
                        p.display(),
                        t.source().row_ref(prev),
                        t.source().row_ref(rec.row)
                    );
                }
            }
            let col = |name: &str, f: &dyn Fn(&Record) -> Option<String>| {
                Column::new(name.into(), recs.iter().map(f).collect::<Vec<_>>())
            };
            let date = |name: &str, i: usize| {
                Column::new(name.into(), recs.iter().map(|x| days(x.date(i))).collect::<Vec<_>>()).cast(&DataType::Date)
            };
            let df = DataFrame::new_infer_height(vec![
                col("animal_id", &|x| x.text(0).map(str::to_owned)),
                col("reg_owner", &|x| x.text(1).map(str::to_owned)),
                col("reg_sex", &|x| text(x, 2)),
                col("reg_breed", &|x| text(x, 3)),
                date("reg_birth", 4)?,
                date("reg_date", 5)?,
            ])?;
            r.animals = Some(df);
            r.files.push((p.display().to_string(), hash(p)?));
        }
        if let Some(p) = farms {
            let t = ingest::read(p, SheetKind::Farms)?;
            let map = records(&t)
                .iter()
                .filter_map(|x| Some((x.text(0)?.to_owned(), x.text(1).unwrap_or_default().to_owned())))
                .collect();
            r.farms = Some(map);
            r.files.push((p.display().to_string(), hash(p)?));
        }
        Ok(r)
    }
}

fn hash(p: &Path) -> anyhow::Result<String> {
    Ok(crate::digest::sha256_hex(&fs_err::read(p).with_context(|| format!("cannot read `{}`", p.display()))?))
}

/// `м` or `ж` for a sex-age group.
fn sex_of(group: &str) -> Option<&'static str> {
    match group.trim().to_lowercase().as_str() {
        "бык" | "бычок" | "баран" | "жеребец" | "хряк" => Some("м"),
        "тёлка" | "телка" | "нетель" | "корова" | "ярка" | "овца" | "кобыла" | "свиноматка" => {
            Some("ж")
        }
        _ => None,
    }
}

/// Refuses approved applications whose data do not match the registries.
pub(crate) fn check(
    apps: &[Application],
    decisions: &mut [Decision],
    reg: &Registries,
    rules: &RuleSet,
) -> anyhow::Result<()> {
    let mut found: BTreeMap<usize, Vec<Fact>> = BTreeMap::new();
    if let Some(farms) = &reg.farms {
        for (i, a) in apps.iter().enumerate().filter(|(i, _)| decisions[*i].status == Status::Approved) {
            let (no, id) = (a.record_no(), a.tax_id());
            if no.is_empty() || id.is_empty() {
                continue;
            }
            match farms.get(no) {
                None => found.entry(i).or_default().push(Fact::new(
                    "",
                    None,
                    Found::Record { record_no: no.to_string(), owner: None },
                )),
                Some(owner) if owner != id => found.entry(i).or_default().push(Fact::new(
                    "",
                    None,
                    Found::Record { record_no: no.to_string(), owner: Some(owner.to_string()) },
                )),
                Some(_) => {}
            }
        }
    }
    if let Some(animals) = &reg.animals {
        // One row per animal of an approved application, with what the application says.
        let mut rows: Vec<(usize, String)> = Vec::new();
        let (mut ids, mut owner, mut sex, mut breed, mut birth, mut regd) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        for (i, a) in apps.iter().enumerate().filter(|(i, _)| decisions[*i].status == Status::Approved) {
            for it in &a.items {
                let Some(id) = it.text(item::ANIMAL_ID) else { continue };
                rows.push((i, id.to_owned()));
                ids.push(id.to_owned());
                owner.push(Some(a.tax_id()).filter(|t| !t.is_empty()).map(str::to_owned));
                sex.push(it.text(item::SEX_GROUP).and_then(sex_of).map(str::to_owned));
                breed.push(text(it, item::BREED));
                birth.push(days(it.date(item::BIRTH_DATE)));
                regd.push(days(it.date(item::ISJ_REG_DATE)));
            }
        }
        if !rows.is_empty() {
            let left = DataFrame::new_infer_height(vec![
                Column::new("animal_id".into(), ids),
                Column::new("owner".into(), owner),
                Column::new("sex".into(), sex),
                Column::new("breed".into(), breed),
                Column::new("birth".into(), birth).cast(&DataType::Date)?,
                Column::new("regd".into(), regd).cast(&DataType::Date)?,
            ])?;
            let joined = left
                .lazy()
                .left_join(animals.clone().lazy(), col("animal_id"), col("animal_id"))
                .with_columns([
                    col("reg_owner").is_null().alias("missing"),
                    col("owner").neq(col("reg_owner")).fill_null(lit(false)).alias("bad_owner"),
                    col("sex").neq(col("reg_sex")).fill_null(lit(false)).alias("bad_sex"),
                    col("breed").neq(col("reg_breed")).fill_null(lit(false)).alias("bad_breed"),
                    col("birth").neq(col("reg_birth")).fill_null(lit(false)).alias("bad_birth"),
                    col("regd").neq(col("reg_date")).fill_null(lit(false)).alias("bad_regd"),
                ])
                .collect()?;
            let flag = |name: &str| -> PolarsResult<Vec<bool>> {
                Ok(joined.column(name)?.bool()?.iter().map(|b| b.unwrap_or(false)).collect())
            };
            let strs = |name: &str| -> PolarsResult<Vec<Option<String>>> {
                Ok(joined.column(name)?.str()?.iter().map(|s| s.map(str::to_owned)).collect())
            };
            let (missing, bad_owner, bad_sex, bad_breed, bad_birth, bad_regd) = (
                flag("missing")?,
                flag("bad_owner")?,
                flag("bad_sex")?,
                flag("bad_breed")?,
                flag("bad_birth")?,
                flag("bad_regd")?,
            );
            let (reg_owner, reg_breed) = (strs("reg_owner")?, strs("reg_breed")?);
            for (k, (i, id)) in rows.iter().enumerate() {
                let mut what = Vec::new();
                let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_owned());
                if missing[k] {
                    what.push(Mismatch::NotRegistered);
                } else {
                    if bad_owner[k] {
                        what.push(Mismatch::Owner { registered_to: dash(&reg_owner[k]) });
                    }
                    if bad_sex[k] {
                        what.push(Mismatch::Sex);
                    }
                    if bad_breed[k] {
                        what.push(Mismatch::Breed { registered: dash(&reg_breed[k]) });
                    }
                    if bad_birth[k] {
                        what.push(Mismatch::BirthDate);
                    }
                    if bad_regd[k] {
                        what.push(Mismatch::RegistrationDate);
                    }
                }
                if !what.is_empty() {
                    let found_here = Found::Registry { animal: id.to_string(), found: what };
                    found.entry(*i).or_default().push(Fact::new("", None, found_here));
                }
            }
        }
    }
    for (i, details) in found {
        decisions[i].refuse(rules.service().registry_mismatch.reason("REGISTRY-MISMATCH", details));
    }
    Ok(())
}
