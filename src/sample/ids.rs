//! Identifiers and cells of the sample: serial numbers that never repeat, valid IINs, BINs and
//! accounts, and the cells people type.

use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::Cell;
use crate::domain::{iban, taxid};

const BANKS: [(&str, &str, u32); 7] = [
    ("HSBKKZKX", "601", 40),
    ("CASPKZKA", "722", 15),
    ("BRKEKZKA", "914", 12),
    ("KCJBKZKX", "856", 12),
    ("IRTYKZKA", "965", 8),
    ("TSESKZKA", "998", 8),
    ("KSNVKZKA", "551", 5),
];

pub(super) const FARM_NAMES: [&str; 24] = [
    "Ақжол",
    "Береке",
    "Нұр",
    "Сарыарқа",
    "Жайлау",
    "Достық",
    "Атамекен",
    "Қайнар",
    "Бірлік",
    "Ырыс",
    "Көктем",
    "Самал",
    "Шалқар",
    "Тұлпар",
    "Байтерек",
    "Алтын дән",
    "Нура-Агро",
    "Ертіс",
    "Караганды-Мал",
    "Токырауын",
    "Жана-Арка",
    "Еламан",
    "Умит",
    "Талдысай",
];

/// Serial numbers so that identifiers never repeat, within a month and across months.
pub(super) struct Registry {
    pub(super) serial: u32,
    pub(super) animals: u32,
    pub(super) esf: u32,
    /// Months since January 2025: keeps application numbers, animals and invoices of different
    /// months apart.
    pub(super) month: u32,
    /// The last animal listed per type, for the duplicate-animal mistake.
    pub(super) last_animal: std::collections::BTreeMap<String, String>,
}

impl Registry {
    pub(super) fn new(month: u32) -> Self {
        Registry {
            serial: month * 500,
            animals: month * 40_000,
            esf: month * 100_000,
            month,
            last_animal: std::collections::BTreeMap::new(),
        }
    }
}

impl Registry {
    fn next(&mut self) -> u32 {
        self.serial += 1;
        self.serial
    }
}

fn with_check(first11: &str) -> Option<String> {
    let mut d = [0u8; 11];
    for (o, c) in d.iter_mut().zip(first11.bytes()) {
        *o = c - b'0';
    }
    taxid::control_digit(&d).map(|c| format!("{first11}{c}"))
}

/// A valid IIN of someone born on `birth`.
pub(super) fn iin(rng: &mut ChaCha8Rng, reg: &mut Registry, birth: NaiveDate, female: bool) -> String {
    loop {
        let century = match (birth.format("%Y").to_string()[..2].as_ref(), female) {
            ("19", false) => 3,
            ("19", true) => 4,
            (_, false) => 5,
            (_, true) => 6,
        };
        let serial = (reg.next() * 7 + rng.random_range(0..7)) % 10_000;
        if let Some(s) = with_check(&format!("{}{century}{serial:04}", birth.format("%y%m%d"))) {
            return s;
        }
    }
}

/// A valid BIN registered in `yymm`; `attribute` 0 for a head office, 3 for a joint farm.
pub(super) fn bin(reg: &mut Registry, yymm: &str, attribute: u8) -> String {
    loop {
        let serial = reg.next() % 100_000;
        if let Some(s) = with_check(&format!("{yymm}4{attribute}{serial:05}")) {
            return s;
        }
    }
}

pub(super) fn bank(rng: &mut ChaCha8Rng) -> (&'static str, &'static str) {
    let w: Vec<((&str, &str), u32)> = BANKS.iter().map(|(b, c, w)| ((*b, *c), *w)).collect();
    *super::pick(rng, &w)
}

pub(super) fn account(rng: &mut ChaCha8Rng, code: &str) -> String {
    let acct: String = (0..13).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect();
    iban::make(code, &acct)
}

/// `12345.5` as people type it: `12\u{a0}345,5`.
pub(super) fn grouped(d: Decimal) -> String {
    crate::domain::number::group_thousands(&d.to_string(), '\u{a0}')
}

pub(super) fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

pub(super) fn dec(d: Decimal) -> Cell {
    #[allow(clippy::cast_precision_loss)]
    Cell::Number(rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap_or(0.0))
}
