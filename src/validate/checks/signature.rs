//! The electronic signature and the consent that come with the application.

use super::{Input, Sink};
use crate::catalogue::app;
use crate::problem::Code;

pub(super) fn signature(i: &Input<'_>, s: &mut Sink<'_>) {
    let r = &i.a.record;
    if let (Some(signer), Some(id)) = (r.text(app::EDS_SIGNER), r.text(app::TAX_ID))
        && signer != id
    {
        s.push(
            Code::V009EdsSigner,
            i.at(app::EDS_SIGNER),
            "eds_signer",
            format!("the application is signed by `{signer}`, not by the applicant `{id}`"),
        );
    }
    if let (Some(valid_to), Some(sub)) = (r.date(app::EDS_VALID_TO), r.date(app::SUBMITTED_AT))
        && valid_to < sub
    {
        s.push(
            Code::V010EdsExpired,
            i.at(app::EDS_VALID_TO),
            "eds_valid_to",
            format!(
                "the signing certificate expired on {} before signing on {}",
                valid_to.format("%d.%m.%Y"),
                sub.format("%d.%m.%Y")
            ),
        );
    }
    if r.flag(app::EDS_REVOKED) == Some(true) {
        s.push(Code::V011EdsRevoked, i.at(app::EDS_REVOKED), "eds_revoked", "the signing certificate was revoked");
    }
}

pub(super) fn consent(i: &Input<'_>, s: &mut Sink<'_>) {
    if i.a.record.flag(app::CONSENT) == Some(false) {
        s.push(Code::V012NoConsent, i.at(app::CONSENT), "consent", "no consent to access restricted personal data");
    }
}
