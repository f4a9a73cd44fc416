//! Reasons and notes worded for the applicant, wholly in Kazakh or wholly in Russian: the item's
//! number and the field's name instead of cell references and column keys, dates as
//! `dd.mm.yyyy`, amounts as `1 234,00 ₸`. The register words the same data for staff
//! ([`crate::outcome::Reason::detail`]).

use crate::domain::date::dmy;
use crate::domain::money::Money;
use crate::domain::number::group_thousands;
use crate::ingest::labels::label;
use crate::outcome::{ClaimedBy, Fact, Found, Reason, Shown};
use crate::problem_words::applicant_text;

/// The language of a document's half.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Kk,
    Ru,
}

impl Lang {
    fn pick<'a>(self, ru: &'a str, kk: &'a str) -> &'a str {
        match self {
            Lang::Ru => ru,
            Lang::Kk => kk,
        }
    }
}

/// What the rule requires, as the applicant reads it: an input check's own words (the ground
/// alone would repeat the heading), else the rule file's message.
pub fn requirement(r: &Reason, lang: Lang) -> String {
    match r.facts.first().map(|f| &f.what) {
        Some(Found::Input { code, .. }) => {
            let (ru, kk) = applicant_text(*code);
            lang.pick(ru, kk).to_owned()
        }
        _ => lang.pick(&r.message_ru, &r.message_kk).to_owned(),
    }
}

/// What was found, fact by fact, joined: `позиция 3: возраст (мес.) — 30; и ещё 2 позиции`.
pub fn found(r: &Reason, lang: Lang) -> String {
    r.facts.iter().filter_map(|f| fact(f, lang)).collect::<Vec<_>>().join("; ")
}

fn item(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!("позиция {n}"),
        Lang::Kk => format!("{n}-позиция"),
    }
}

fn field_name(key: &str, lang: Lang) -> String {
    label(key)
        .map_or_else(|| lang.pick("поле заявки", "өтінім жолы").to_owned(), |(ru, kk)| lang.pick(ru, kk).to_owned())
}

fn fact(f: &Fact, lang: Lang) -> Option<String> {
    let at = f.item.map(|n| item(n, lang));
    let text = match &f.what {
        Found::Input { field, .. } => {
            let field = field.map(|k| match lang {
                Lang::Ru => format!("поле «{}»", field_name(k, lang)),
                Lang::Kk => format!("«{}» жолы", field_name(k, lang)),
            });
            match (at, field) {
                (Some(at), Some(field)) => format!("{at}, {field}"),
                (Some(at), None) => at,
                (None, Some(field)) => field,
                (None, None) => return None,
            }
        }
        Found::Values(values) => {
            let shown: Vec<String> =
                values.iter().map(|(k, v)| format!("{} — {}", field_name(k, lang), value(k, v, lang))).collect();
            match at {
                Some(at) => format!("{at}: {}", shown.join(", ")),
                None => shown.join(", "),
            }
        }
        Found::More(n) => match lang {
            Lang::Ru => format!("и ещё позиций: {n}"),
            Lang::Kk => format!("тағы {n} позиция"),
        },
        Found::TypeNotInForce { code, first, last, submitted } => {
            let (f, l, s) = (first.map(dmy), last.map(dmy), dmy(*submitted));
            match (lang, f, l) {
                (Lang::Ru, Some(f), Some(l)) => {
                    format!("вид субсидии {code} действовал с {f} по {l}; заявка подана {s}")
                }
                (Lang::Ru, Some(f), None) => format!("вид субсидии {code} действует с {f}; заявка подана {s}"),
                (Lang::Kk, Some(f), Some(l)) => {
                    format!("{code} субсидия түрі {f} бастап {l} дейін қолданылды; өтінім {s} берілді")
                }
                (Lang::Kk, Some(f), None) => format!("{code} субсидия түрі {f} бастап қолданылады; өтінім {s} берілді"),
                (Lang::Ru, None, _) => format!("заявка подана {s}"),
                (Lang::Kk, None, _) => format!("өтінім {s} берілді"),
            }
        }
        Found::AkimatNotSet { code, on, .. } => match lang {
            Lang::Ru => format!("норматив вида субсидии {code} на {} не установлен", dmy(*on)),
            Lang::Kk => format!("{code} субсидия түрінің {} күнгі нормативі белгіленбеген", dmy(*on)),
        },
        Found::Subject { kind, id, with } => {
            let what = lang.pick(kind.ru(), kind.kk());
            match (lang, with) {
                (Lang::Ru, ClaimedBy::Ledger { app_no, .. }) => {
                    format!("{what} {id} уже просубсидирован(а) по заявке {app_no}")
                }
                (Lang::Ru, ClaimedBy::Batch { app_no }) => {
                    format!("{what} {id} указан(а) также в заявке {app_no}, поданной раньше")
                }
                (Lang::Ru, ClaimedBy::Twice) => format!("{what} {id} указан(а) в заявке дважды"),
                (Lang::Kk, ClaimedBy::Ledger { app_no, .. }) => {
                    format!("{what} {id} бұрын {app_no} өтінімі бойынша субсидияланған")
                }
                (Lang::Kk, ClaimedBy::Batch { app_no }) => {
                    format!("{what} {id} ертерек берілген {app_no} өтініміне де енгізілген")
                }
                (Lang::Kk, ClaimedBy::Twice) => format!("{what} {id} өтінімде екі рет көрсетілген"),
            }
        }
        Found::Registry { animal, found } => {
            let what: Vec<String> = found.iter().map(|m| if lang == Lang::Ru { m.ru() } else { m.kk() }).collect();
            format!("{} {animal}: {}", lang.pick("ИНЖ", "ЖБН"), what.join(", "))
        }
        Found::Record { record_no, owner } => match (lang, owner) {
            (Lang::Ru, None) => format!("учётный номер {record_no} не найден в реестре хозяйств"),
            (Lang::Ru, Some(o)) => format!("учётный номер {record_no} зарегистрирован не на заявителя, а на {o}"),
            (Lang::Kk, None) => format!("{record_no} есептік нөмірі шаруашылықтар тізілімінде табылмады"),
            (Lang::Kk, Some(o)) => format!("{record_no} есептік нөмірі өтініш берушіге емес, {o} атына тіркелген"),
        },
    };
    Some(text)
}

/// A value as the applicant reads it: `30`, `12,5`, `15.04.2025`, `150 000,00 ₸`, `не указано`.
fn value(key: &str, v: &Shown, lang: Lang) -> String {
    match v {
        Shown::Empty => lang.pick("не указано", "көрсетілмеген").to_owned(),
        Shown::Text(t) if key == "tax_id_kind" => {
            lang.pick(if t == "bin" { "БИН" } else { "ИИН" }, if t == "bin" { "БСН" } else { "ЖСН" }).to_owned()
        }
        Shown::Text(t) => format!("«{t}»"),
        Shown::Date(d) => dmy(*d),
        Shown::Flag(b) => lang.pick(if *b { "да" } else { "нет" }, if *b { "иә" } else { "жоқ" }).to_owned(),
        Shown::Number(n) if key.ends_with("_tiyn") => {
            n.parse::<i64>().map_or_else(|_| n.clone(), |t| Money::from_tiyn(t).display_kzt())
        }
        // Grouped like amounts, so a quantity never breaks across lines.
        Shown::Number(n) => n
            .parse::<rust_decimal::Decimal>()
            .map_or_else(|_| n.clone(), |d| group_thousands(&d.normalize().to_string(), '\u{202f}')),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ground::Ground;
    use crate::problem::Code;

    fn reason(facts: Vec<Fact>) -> Reason {
        Reason {
            id: "BULL-AGE".into(),
            ground: Ground::NonCompliance,
            legal_ref: String::new(),
            message_ru: "возраст быка вне пределов".into(),
            message_kk: "бұқаның жасы шектен тыс".into(),
            facts,
            rule: Some("age_months BETWEEN 8 AND 26".into()),
        }
    }

    #[test]
    fn a_criterion_names_the_item_and_the_field_not_the_cell_or_the_key() {
        let r = reason(vec![
            Fact::new("Позиции!G12", Some(3), Found::Values(vec![("age_months".into(), Shown::Number("30".into()))])),
            Fact::new("", None, Found::More(2)),
        ]);
        assert_eq!(r.detail(), "Позиции!G12: age_months = 30; ещё 2 (age_months BETWEEN 8 AND 26)");
        for lang in [Lang::Ru, Lang::Kk] {
            let text = found(&r, lang);
            assert!(!text.contains("age_months") && !text.contains("Позиции!") && text.contains("30"), "{text}");
            assert!(!text.chars().any(|c| c.is_ascii_alphabetic()), "{text}");
        }
        assert!(found(&r, Lang::Ru).starts_with("позиция 3: "));
        assert!(found(&r, Lang::Kk).starts_with("3-позиция: "));
    }

    #[test]
    fn an_input_check_says_what_was_wrong_in_words() {
        let input = Found::Input {
            code: Code::V002TaxId,
            field: Some("tax_id"),
            message: "control digit is 8, expected 7".into(),
        };
        let r = Reason { facts: vec![Fact::new("Заявки!C7", None, input)], rule: None, ..reason(Vec::new()) };
        assert_eq!(r.detail(), "Заявки!C7: control digit is 8, expected 7");
        for lang in [Lang::Ru, Lang::Kk] {
            let text = format!("{} {}", requirement(&r, lang), found(&r, lang));
            assert!(!text.chars().any(|c| c.is_ascii_alphabetic()), "{text}");
        }
    }

    #[test]
    fn values_read_as_people_write_them() {
        assert_eq!(value("price_tiyn", &Shown::Number("12345600".into()), Lang::Ru), "123\u{202f}456,00 ₸");
        assert_eq!(value("weight_kg", &Shown::Number("1250.5".into()), Lang::Kk), "1\u{202f}250,5");
        assert_eq!(
            value("birth_date", &Shown::Date(chrono::NaiveDate::from_ymd_opt(2024, 3, 5).unwrap()), Lang::Ru),
            "05.03.2024"
        );
        assert_eq!(value("sex", &Shown::Empty, Lang::Kk), "көрсетілмеген");
    }
}
