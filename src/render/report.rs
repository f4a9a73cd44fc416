//! `report.html`: the batch at a glance, with bar charts drawn as SVG (no JavaScript), headings in
//! Kazakh and Russian. Figures are computed here; the template only lays them out.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::decide::Status;
use crate::domain::date::dmy;
use crate::domain::money::Money;
use crate::ingest::fields::app;
use crate::pipeline::BatchResult;
use crate::problem::Severity;

/// Width of the longest bar, in SVG units.
const BAR_MAX: u64 = 360;
const ROW: u32 = 22;

/// One bar of a chart.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// Shortened to fit beside the bar; `full` keeps the whole text.
    pub label: String,
    pub full: String,
    /// The figure shown beside the bar.
    pub value: String,
    pub width: u64,
    pub y: u32,
}

/// A horizontal bar chart.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub title_kk: String,
    pub title_ru: String,
    pub height: u32,
    pub bars: Vec<Bar>,
}

impl Chart {
    /// Bars for `(label, measure, shown value)`, longest first, scaled to the largest measure.
    fn new(title_kk: &str, title_ru: &str, mut rows: Vec<(String, u64, String)>) -> Chart {
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
        let bars: Vec<Bar> = rows
            .into_iter()
            .enumerate()
            .map(|(i, (full, m, value))| Bar {
                label: short(&full),
                full,
                value,
                width: (m * BAR_MAX).div_ceil(max),
                y: u32::try_from(i).unwrap_or(0) * ROW,
            })
            .collect();
        Chart {
            title_kk: title_kk.into(),
            title_ru: title_ru.into(),
            height: u32::try_from(bars.len()).unwrap_or(0) * ROW + 4,
            bars,
        }
    }
}

/// The variables of `report.html.tera`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub batch_date: String,
    /// One line per budget program: the services stay apart.
    pub programs: Vec<ProgramLine>,
    pub department_ru: String,
    pub department_kk: String,
    pub applications: usize,
    pub approved: usize,
    pub refused: usize,
    pub claimed: String,
    pub approved_amount: String,
    pub input_errors: usize,
    pub input_warnings: usize,
    pub charts: Vec<Chart>,
}

fn tiyn(m: Money) -> u64 {
    u64::try_from(m.tiyn()).unwrap_or(0)
}

/// A budget program's part of the batch and of its money.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramLine {
    pub key: String,
    pub name_ru: String,
    pub name_kk: String,
    pub applications: usize,
    pub approved: usize,
    pub approved_amount: String,
    pub paid_now: String,
    pub payments: usize,
    pub waiting: usize,
    /// Available for the month before this batch, and left after it.
    pub available: String,
    pub left: String,
}

impl ProgramLine {
    fn all(b: &BatchResult<'_>) -> Vec<ProgramLine> {
        let mut out = Vec::new();
        for (key, p) in &b.rules.budget {
            let of_program = |a: &crate::application::Application| {
                b.rules.programs.get(&a.type_code).is_some_and(|t| &t.budget_program == key)
            };
            let decided: Vec<_> = b.applications().zip(&b.decisions).filter(|(a, _)| of_program(a)).collect();
            let entries: Vec<_> = b.queue.entries.iter().filter(|e| &e.program == key).collect();
            if decided.is_empty() && entries.is_empty() {
                continue;
            }
            let paid: Money = entries.iter().map(|e| e.share.pay).sum();
            let available = b.queue.funds.get(key).map(|f| f.available);
            out.push(ProgramLine {
                key: key.clone(),
                name_ru: p.name_ru.clone(),
                name_kk: p.name_kk.clone(),
                applications: decided.len(),
                approved: decided.iter().filter(|(_, d)| d.status == Status::Approved).count(),
                approved_amount: decided.iter().map(|(_, d)| d.amount).sum::<Money>().display_kzt(),
                paid_now: paid.display_kzt(),
                payments: entries.iter().filter(|e| e.share.pay > Money::ZERO).count(),
                waiting: entries.iter().filter(|e| e.share.pay < e.remaining).count(),
                available: available.map(Money::display_kzt).unwrap_or_default(),
                left: available.and_then(|a| a.checked_sub(paid)).map(Money::display_kzt).unwrap_or_default(),
            });
        }
        out
    }
}

impl Report {
    pub fn new(b: &BatchResult<'_>) -> Report {
        let mut by_type: BTreeMap<String, Money> = BTreeMap::new();
        let mut by_district: BTreeMap<String, Money> = BTreeMap::new();
        let mut by_ground: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_reason: BTreeMap<String, u64> = BTreeMap::new();
        let mut deadlines: BTreeMap<&str, u64> = BTreeMap::new();
        let mut claimed = Money::ZERO;
        for (a, d) in b.applications().zip(&b.decisions) {
            claimed += a.record.money(app::AMOUNT_CLAIMED).unwrap_or_default();
            if d.status == Status::Approved {
                let name = b.rules.programs.get(&a.type_code).map(|p| p.name_ru.as_str()).unwrap_or_default();
                *by_type.entry(format!("{} {name}", a.type_code)).or_default() += d.amount;
                *by_district.entry(a.record.text(app::DISTRICT).unwrap_or("—").to_owned()).or_default() += d.amount;
            }
            let mut grounds: Vec<_> = d.reasons.iter().map(|r| r.ground).collect();
            grounds.dedup();
            for g in grounds {
                *by_ground.entry(b.rules.service().grounds[&g].text_ru.clone()).or_default() += 1;
            }
            for r in &d.reasons {
                *by_reason.entry(r.id.clone()).or_default() += 1;
            }
            let key = match d.deadlines.as_ref().and_then(|x| x.overdue(d.status, b.ctx.batch_date)) {
                Some(false) => "в срок / мерзімінде",
                Some(true) => "просрочено / мерзімі өткен",
                None => "неизвестно / белгісіз",
            };
            *deadlines.entry(key).or_default() += 1;
        }
        let money =
            |m: BTreeMap<String, Money>| m.into_iter().map(|(k, v)| (k, tiyn(v), v.display_kzt())).collect::<Vec<_>>();
        let count = |m: BTreeMap<String, u64>| m.into_iter().map(|(k, v)| (k, v, v.to_string())).collect::<Vec<_>>();
        let approved = b.decisions.iter().filter(|d| d.status == Status::Approved).count();
        let errors = b.validated.problems.iter().filter(|p| p.severity == Severity::Error).count();
        Report {
            batch_date: dmy(b.ctx.batch_date),
            programs: ProgramLine::all(b),
            department_ru: b.rules.service().department_ru.clone(),
            department_kk: b.rules.service().department_kk.clone(),
            applications: b.decisions.len(),
            approved,
            refused: b.decisions.len() - approved,
            claimed: claimed.display_kzt(),
            approved_amount: b.decisions.iter().map(|d| d.amount).sum::<Money>().display_kzt(),
            input_errors: errors,
            input_warnings: b.validated.problems.len() - errors,
            charts: vec![
                Chart::new(
                    "Субсидия түрлері бойынша мақұлданған сома",
                    "Одобренные суммы по видам субсидий",
                    money(by_type),
                ),
                Chart::new("Аудандар бойынша мақұлданған сома", "Одобренные суммы по районам", money(by_district)),
                Chart::new("Бас тарту негіздері", "Отказы по основаниям", count(by_ground)),
                Chart::new("Бас тарту себептері (критерийлер)", "Отказы по критериям и кодам", count(by_reason)),
                Chart::new(
                    "Мерзімдердің сақталуы",
                    "Соблюдение сроков",
                    deadlines.into_iter().map(|(k, v)| (k.to_owned(), v, v.to_string())).collect(),
                ),
            ],
        }
    }

    pub fn sample() -> Report {
        Report {
            batch_date: "30.04.2025".into(),
            programs: vec![ProgramLine {
                key: "livestock".into(),
                name_ru: "Субсидирование".into(),
                name_kk: "Субсидиялау".into(),
                applications: 2,
                approved: 1,
                approved_amount: "150 000,00 ₸".into(),
                paid_now: "150 000,00 ₸".into(),
                payments: 1,
                waiting: 0,
                available: "300 000 000,00 ₸".into(),
                left: "299 850 000,00 ₸".into(),
            }],
            department_ru: "ГУ".into(),
            department_kk: "ММ".into(),
            applications: 2,
            approved: 1,
            refused: 1,
            claimed: "300 000,00 ₸".into(),
            approved_amount: "150 000,00 ₸".into(),
            input_errors: 1,
            input_warnings: 0,
            charts: vec![Chart::new("К", "Р", vec![("007".into(), 1, "150 000,00 ₸".into())])],
        }
    }
}

/// A label cut to what fits left of the bars.
fn short(name: &str) -> String {
    const FITS: usize = 36;
    let mut s: String = name.chars().take(FITS).collect();
    if name.chars().count() > FITS {
        s.push('…');
    }
    s
}
