//! The three grounds for refusing the service (p.9 of Appendix 4 to the Rules, Order No. 108).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ground {
    /// 1) недостоверность документов и (или) данных (сведений), содержащихся в них.
    InaccurateData,
    /// 2) несоответствие услугополучателя и (или) представленных данных требованиям Правил.
    NonCompliance,
    /// 3) отсутствие согласия на доступ к персональным данным ограниченного доступа.
    NoConsent,
}

impl Ground {
    pub const ALL: [Ground; 3] = [Ground::InaccurateData, Ground::NonCompliance, Ground::NoConsent];

    /// The key used in rule files (`ground = "non-compliance"`).
    pub fn key(self) -> &'static str {
        match self {
            Ground::InaccurateData => "inaccurate-data",
            Ground::NonCompliance => "non-compliance",
            Ground::NoConsent => "no-consent",
        }
    }
}
