//! IIN (individuals) and BIN (legal entities): 12 digits sharing one two-pass mod-11 control digit
//! (Government Decree No. 406 of 22.05.2007; vectors in `shared/domain/identifiers-and-payments.md` §1).

use chrono::NaiveDate;

/// Which kind of number an applicant must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaxIdKind {
    Iin,
    Bin,
}

/// What is wrong with a 12-digit identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxIdError {
    #[error("expected 12 digits, found `{0}`")]
    Shape(String),
    #[error("no valid number has these first 11 digits (both control passes give 10)")]
    NeverValid,
    #[error("control digit is {found}, expected {expected}")]
    Checksum { found: u8, expected: u8 },
    #[error("IIN century digit (7th) must be 1-6, found {0}")]
    Century(u8),
    #[error("IIN birth date `{0}` is not a real date")]
    BirthDate(String),
    #[error("BIN registration month must be 01-12, found {0:02}")]
    Month(u8),
    #[error("BIN type digit (5th) must be 4, 5 or 6, found {0}")]
    EntityType(u8),
    #[error("BIN attribute digit (6th) must be 0-3, found {0}")]
    Attribute(u8),
}

const W1: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const W2: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The control digit for 11 digits, or `None` when both passes give 10 (such numbers are never issued).
pub fn control_digit(d: &[u8; 11]) -> Option<u8> {
    let pass = |w: &[u32; 11]| d.iter().zip(w).map(|(&x, &w)| u32::from(x) * w).sum::<u32>() % 11;
    let r = match pass(&W1) {
        10 => pass(&W2),
        r => r,
    };
    u8::try_from(r).ok().filter(|&r| r < 10)
}

fn digits(s: &str) -> Result<[u8; 12], TaxIdError> {
    let b = s.as_bytes();
    if b.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
        return Err(TaxIdError::Shape(s.to_owned()));
    }
    let mut d = [0u8; 12];
    for (o, c) in d.iter_mut().zip(b) {
        *o = c - b'0';
    }
    Ok(d)
}

fn checksum(d: &[u8; 12]) -> Result<(), TaxIdError> {
    let mut first = [0u8; 11];
    first.copy_from_slice(&d[..11]);
    let expected = control_digit(&first).ok_or(TaxIdError::NeverValid)?;
    if expected == d[11] { Ok(()) } else { Err(TaxIdError::Checksum { found: d[11], expected }) }
}

/// Checks an IIN: shape, control digit, century digit and a real birth date. Returns the birth date.
pub fn check_iin(s: &str) -> Result<NaiveDate, TaxIdError> {
    let d = digits(s)?;
    checksum(&d)?;
    let century = match d[6] {
        1 | 2 => 1800,
        3 | 4 => 1900,
        5 | 6 => 2000,
        c => return Err(TaxIdError::Century(c)),
    };
    let two = |i: usize| u32::from(d[i]) * 10 + u32::from(d[i + 1]);
    let year = century + i32::try_from(two(0)).unwrap_or(0);
    NaiveDate::from_ymd_opt(year, two(2), two(4)).ok_or_else(|| TaxIdError::BirthDate(s[..6].to_owned()))
}

/// Checks a BIN: shape, control digit, registration month, type and attribute digits.
pub fn check_bin(s: &str) -> Result<(), TaxIdError> {
    let d = digits(s)?;
    checksum(&d)?;
    let month = d[2] * 10 + d[3];
    if !(1..=12).contains(&month) {
        return Err(TaxIdError::Month(month));
    }
    if !(4..=6).contains(&d[4]) {
        return Err(TaxIdError::EntityType(d[4]));
    }
    if d[5] > 3 {
        return Err(TaxIdError::Attribute(d[5]));
    }
    Ok(())
}

/// Which kind a well-formed number looks like: the 5th digit is a day's tens digit (0-3) in an IIN
/// and the entity type (4-6) in a BIN.
pub fn looks_like(s: &str) -> Option<TaxIdKind> {
    match s.as_bytes().get(4)? {
        b'0'..=b'3' => Some(TaxIdKind::Iin),
        b'4'..=b'6' => Some(TaxIdKind::Bin),
        _ => None,
    }
}

/// A BIN of a peasant farm in joint entrepreneurship (6th digit 3): its Кбе is that of households.
pub fn is_joint_farm_bin(s: &str) -> bool {
    s.as_bytes().get(5) == Some(&b'3')
}

pub fn check(kind: TaxIdKind, s: &str) -> Result<(), TaxIdError> {
    match kind {
        TaxIdKind::Iin => check_iin(s).map(|_| ()),
        TaxIdKind::Bin => check_bin(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_iin_vectors() {
        for v in [
            "871008401427",
            "760212350620",
            "800416300257",
            "680503450037",
            "800416100254",
            "680503250034",
            "791028302728",
            "061211600012",
        ] {
            assert!(check_iin(v).is_ok(), "{v}");
        }
        assert_eq!(check_iin("061211600012").unwrap(), NaiveDate::from_ymd_opt(2006, 12, 11).unwrap());
        assert_eq!(check_iin("800416100254").unwrap().format("%Y").to_string(), "1880");
    }

    #[test]
    fn iin_that_needs_the_second_pass() {
        let d = [0, 6, 1, 2, 1, 1, 6, 0, 0, 0, 1];
        let first: u32 = d.iter().zip(W1).map(|(&x, w)| u32::from(x) * w).sum::<u32>() % 11;
        assert_eq!(first, 10);
        assert_eq!(control_digit(&d), Some(2));
    }

    #[test]
    fn published_bin_vectors() {
        for v in [
            "940140000385",
            "950341000052",
            "961141000023",
            "070941024691",
            "990140004654",
            "171140900016",
            "090840000906",
            "011140001654",
            "960240007379",
            "021140001873",
        ] {
            assert_eq!(check_bin(v), Ok(()), "{v}");
        }
    }

    #[test]
    fn invalid_vectors() {
        assert_eq!(check_iin("821214240092"), Err(TaxIdError::NeverValid));
        assert_eq!(check_iin("871008401428"), Err(TaxIdError::Checksum { found: 8, expected: 7 }));
        assert!(matches!(check_bin("949940000385"), Err(TaxIdError::Checksum { .. })));
        assert!(matches!(check_bin("123456789012"), Err(TaxIdError::Checksum { found: 2, expected: 3 })));
        // 000000000000 passes the checksum; only the structure checks catch it.
        assert_eq!(check_iin("000000000000"), Err(TaxIdError::Century(0)));
        assert_eq!(check_bin("000000000000"), Err(TaxIdError::Month(0)));
        assert!(matches!(check_iin("87100840142"), Err(TaxIdError::Shape(_))));
        assert!(matches!(check_iin("８71008401427"), Err(TaxIdError::Shape(_))));
    }

    #[test]
    fn bin_component_checks_after_checksum() {
        // 940190000385 and 940149000385 are the python-stdnum "invalid component" vectors.
        assert!(check_bin("940190000385").is_err());
        assert!(check_bin("940149000385").is_err());
    }

    #[test]
    fn kind_from_fifth_digit() {
        assert_eq!(looks_like("871008401427"), Some(TaxIdKind::Iin));
        assert_eq!(looks_like("940140000385"), Some(TaxIdKind::Bin));
    }
}
