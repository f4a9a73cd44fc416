//! Who applies: the applicant kind, its IIN or BIN and Кбе, and a name safe to hand on.

use super::{Input, Sink};
use crate::catalogue::app;
use crate::domain::taxid::{self, TaxIdKind};
use crate::problem::Code;

fn name(k: TaxIdKind) -> &'static str {
    match k {
        TaxIdKind::Iin => "IIN",
        TaxIdKind::Bin => "BIN",
    }
}

pub(super) fn applicant(i: &Input<'_>, s: &mut Sink<'_>) {
    let r = &i.a.record;
    let service = i.ctx.rules.service();
    let kind = r.text(app::APPLICANT_KIND).map(|k| (k, service.applicant_kind(k)));
    if let Some((k, None)) = kind {
        let codes: Vec<String> = service.applicant_kinds.iter().flat_map(|k| k.codes.clone()).collect();
        s.push(
            Code::V018ApplicantKind,
            i.at(app::APPLICANT_KIND),
            "applicant_kind",
            format!("unknown applicant kind `{k}`; expected one of: {}", codes.join(", ")),
        );
    }
    let kind = kind.and_then(|(_, k)| k);
    let tax_id = r.text(app::TAX_ID);
    if let Some(id) = tax_id {
        let expected = kind.map(|k| k.tax_id).or_else(|| taxid::looks_like(id));
        if let Some(expected) = expected
            && let Err(e) = taxid::check(expected, id)
        {
            let other = if expected == TaxIdKind::Iin { TaxIdKind::Bin } else { TaxIdKind::Iin };
            if kind.is_some() && taxid::check(other, id).is_ok() {
                s.push(
                    Code::V003TaxIdKind,
                    i.at(app::TAX_ID),
                    "tax_id",
                    format!(
                        "`{id}` is a valid {} but the applicant kind `{}` needs an {}",
                        name(other),
                        r.text(app::APPLICANT_KIND).unwrap_or_default(),
                        name(expected)
                    ),
                );
            } else {
                s.push(
                    Code::V002TaxId,
                    i.at(app::TAX_ID),
                    "tax_id",
                    format!("{} `{id}` is not valid: {e}", name(expected)),
                );
            }
        }
    }
    if let (Some(kbe), Some(kind)) = (r.text(app::KBE), kind) {
        let joint = tax_id.is_some_and(taxid::is_joint_farm_bin) && !kind.kbe_joint_farm.is_empty();
        let allowed = if joint { &kind.kbe_joint_farm } else { &kind.kbe };
        let shape = kbe.len() == 2 && matches!(kbe.as_bytes()[0], b'1' | b'2') && kbe.as_bytes()[1] != b'0';
        if !shape || !allowed.iter().any(|k| k == kbe) {
            s.push(
                Code::V006Kbe,
                i.at(app::KBE),
                "kbe",
                format!(
                    "Кбе `{kbe}` does not fit applicant kind `{}`; expected {}",
                    r.text(app::APPLICANT_KIND).unwrap_or_default(),
                    allowed.join(" or ")
                ),
            );
        }
    }
}

/// Names travel to the treasury's import file, which is not protected against formulas (OWASP
/// ASVS 1.2.10): a name that starts like a formula is refused, not rewritten.
pub(super) fn formula_like(i: &Input<'_>, s: &mut Sink<'_>) {
    if let Some(name) = i.a.record.text(app::APPLICANT_NAME)
        && name.starts_with(['=', '+', '-', '@', '\t', '\r'])
    {
        s.push(
            Code::V019FormulaLike,
            i.at(app::APPLICANT_NAME),
            "applicant_name",
            format!("applicant name starts like a spreadsheet formula: `{name}`"),
        );
    }
}
