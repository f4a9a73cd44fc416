//! Money: integer tiyn (1 tenge = 100 tiyn), never floating point.
//!
//! The declared rounding rule of the whole project lives here: an amount computed from a rate and a
//! quantity is rounded once, to the tiyn, half away from zero ([`Money::from_decimal_rounded`]).
//! Sums of rounded lines are exact, so totals always tie out to the tiyn.

use std::fmt;
use std::ops::{Add, AddAssign};
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount in tiyn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

/// Why a text could not be read as money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("not a number: `{0}`")]
    NotANumber(String),
    #[error("more than two decimal places (tiyn): `{0}`")]
    TooPrecise(String),
    #[error("amount out of range: `{0}`")]
    OutOfRange(String),
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_tiyn(tiyn: i64) -> Self {
        Money(tiyn)
    }

    pub const fn tiyn(self) -> i64 {
        self.0
    }

    /// Whole tenge and the tiyn part, for amounts in words.
    pub fn split(self) -> (i64, i64) {
        (self.0 / 100, (self.0 % 100).abs())
    }

    /// Exact conversion of a decimal that has at most two places.
    pub fn from_decimal_exact(d: Decimal) -> Result<Self, MoneyError> {
        if d.normalize().scale() > 2 {
            return Err(MoneyError::TooPrecise(d.to_string()));
        }
        Self::from_decimal_rounded(d).ok_or_else(|| MoneyError::OutOfRange(d.to_string()))
    }

    /// The project's one rounding rule: to the tiyn, half away from zero.
    pub fn from_decimal_rounded(d: Decimal) -> Option<Self> {
        // The same rule in integers for the usual amounts (every item line of a batch comes
        // here); the decimal path below is the rule's definition and takes everything else.
        let (m, scale) = (d.mantissa(), d.scale());
        if m.unsigned_abs() < 1 << 63 && scale <= 20 {
            let tiyn = if scale <= 2 {
                m * 10_i128.pow(2 - scale)
            } else {
                let q = 10_i128.pow(scale - 2);
                (m.abs() + q / 2) / q * m.signum()
            };
            return i64::try_from(tiyn).ok().map(Money);
        }
        Self::by_decimal_rounding(d)
    }

    fn by_decimal_rounding(d: Decimal) -> Option<Self> {
        let tiyn = d.checked_mul(Decimal::ONE_HUNDRED)?;
        let tiyn = tiyn.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        i64::try_from(tiyn).ok().map(Money)
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// The only place money becomes a float: the value of a spreadsheet cell.
    #[allow(clippy::cast_precision_loss, clippy::float_arithmetic)]
    pub fn to_cell_value(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Display form of Kazakh documents: `1 234 567,89 ₸` (narrow no-break space groups).
    pub fn display_kzt(self) -> String {
        format!("{} ₸", self.display_plain())
    }

    /// `1 234 567,89` without the currency sign.
    pub fn display_plain(self) -> String {
        let (tenge, tiyn) = self.split();
        let digits = tenge.unsigned_abs().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push('\u{202F}');
            }
            grouped.push(ch);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{grouped},{tiyn:02}")
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    /// Reads `150000`, `150000.00`, `150 000,50` (spaces and NBSP as groups, comma or dot decimals).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let d = crate::domain::number::parse_decimal(s).ok_or_else(|| MoneyError::NotANumber(s.to_owned()))?;
        Money::from_decimal_exact(d)
    }
}

impl fmt::Display for Money {
    /// Machine form with a dot and no grouping: `1234567.89`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (tenge, tiyn) = self.split();
        let sign = if self.0 < 0 && tenge == 0 { "-" } else { "" };
        write!(f, "{sign}{tenge}.{tiyn:02}")
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Money in rule files is a string (`"150000.00"`) or an integer of tenge; a float is refused
    /// because `0.1` cannot be represented exactly.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("money as a string such as \"150000.00\" or whole tenge as an integer")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Money, E> {
                v.checked_mul(100).map(Money).ok_or_else(|| E::custom("amount out of range"))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Money, E> {
                Err(E::custom(format!("money written as a float ({v}); write it in quotes, e.g. \"{v:.2}\"")))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_document_forms() {
        assert_eq!("150000".parse::<Money>().unwrap().tiyn(), 15_000_000);
        assert_eq!("150 000,50".parse::<Money>().unwrap().tiyn(), 15_000_050);
        assert_eq!("1\u{a0}234\u{a0}567.89".parse::<Money>().unwrap().tiyn(), 123_456_789);
        assert!(matches!("1.005".parse::<Money>(), Err(MoneyError::TooPrecise(_))));
        assert!(matches!("abc".parse::<Money>(), Err(MoneyError::NotANumber(_))));
    }

    #[test]
    fn rounding_is_half_away_from_zero_to_the_tiyn() {
        let r = |s: &str| Money::from_decimal_rounded(s.parse().unwrap()).unwrap().tiyn();
        assert_eq!(r("0.005"), 1);
        assert_eq!(r("0.0049"), 0);
        assert_eq!(r("24691.335"), 2_469_134);
        assert_eq!(r("-0.005"), -1);
    }

    #[test]
    fn displays_kazakh_document_style() {
        let m = Money::from_tiyn(123_456_789);
        assert_eq!(m.display_kzt(), "1\u{202F}234\u{202F}567,89 ₸");
        assert_eq!(Money::from_tiyn(5).display_plain(), "0,05");
        assert_eq!(Money::from_tiyn(100_000_000).display_plain(), "1\u{202F}000\u{202F}000,00");
        assert_eq!(m.to_string(), "1234567.89");
    }

    proptest::proptest! {
        #[test]
        fn machine_form_round_trips(t in -10_000_000_000_i64..10_000_000_000) {
            let m = Money::from_tiyn(t);
            proptest::prop_assert_eq!(m.to_string().parse::<Money>().unwrap(), m);
        }

        /// The integer rounding is the decimal rounding, ties and out-of-range amounts included.
        #[test]
        fn integer_rounding_is_the_decimal_rule(m in proptest::num::i64::ANY, scale in 0u32..=20, tie in proptest::bool::ANY) {
            // Ties (…5 past the tiyn) are rare among random mantissas: make half of them one.
            let m = if tie && scale > 2 { m / 10 * 10 + 5 * m.signum() } else { m };
            let d = Decimal::from_i128_with_scale(i128::from(m), scale);
            proptest::prop_assert_eq!(Money::from_decimal_rounded(d), Money::by_decimal_rounding(d));
        }
    }
}
