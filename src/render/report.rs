//! `report.html`: the batch at a glance, with bar charts drawn as SVG (no JavaScript), headings in
//! Kazakh and Russian. Figures are computed here; the template only lays them out.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::date::dmy;
use crate::domain::money::Money;
use crate::totals::{DEADLINE_KEYS, Tally, Whole};

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
    /// A draft batch: every page says «ЖОБА / ПРОЕКТ».
    pub draft: bool,
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
    fn all(w: &Whole<'_>) -> Vec<ProgramLine> {
        let mut out = Vec::new();
        for (key, p) in &w.rules.budget {
            let decided = w.totals.by_program.get(key).cloned().unwrap_or_default();
            let entries: Vec<_> = w.queue.entries.iter().filter(|e| &e.program == key).collect();
            if decided.count == 0 && entries.is_empty() {
                continue;
            }
            let paid: Money = entries.iter().map(|e| e.share.pay).sum();
            let available = w.queue.funds.get(key).map(|f| f.available);
            out.push(ProgramLine {
                key: key.clone(),
                name_ru: p.name_ru.clone(),
                name_kk: p.name_kk.clone(),
                applications: decided.count as usize,
                approved: decided.approved as usize,
                approved_amount: decided.approved_amount.display_kzt(),
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
    pub fn new(w: &Whole<'_>) -> Report {
        let t = w.totals;
        let approved_by = |m: &BTreeMap<String, Tally>, name: &dyn Fn(&str) -> String| {
            m.iter()
                .filter(|(_, t)| t.approved > 0)
                .map(|(k, t)| {
                    let v = t.approved_amount;
                    (name(k), tiyn(v), v.display_kzt())
                })
                .collect::<Vec<_>>()
        };
        let type_name = |code: &str| {
            let name = w.rules.programs.get(code).map(|p| p.name_ru.as_str()).unwrap_or_default();
            format!("{code} {name}")
        };
        let count =
            |m: &BTreeMap<String, u64>| m.iter().map(|(k, v)| (k.clone(), *v, v.to_string())).collect::<Vec<_>>();
        Report {
            batch_date: dmy(w.ctx.batch_date),
            draft: w.ctx.draft,
            programs: ProgramLine::all(w),
            department_ru: w.rules.service().department_ru.clone(),
            department_kk: w.rules.service().department_kk.clone(),
            applications: t.applications(),
            approved: t.all.approved as usize,
            refused: t.all.refused as usize,
            claimed: t.all.claimed.display_kzt(),
            approved_amount: t.all.amount.display_kzt(),
            input_errors: t.input_errors,
            input_warnings: t.input_warnings,
            charts: vec![
                Chart::new(
                    "Субсидия түрлері бойынша мақұлданған сома",
                    "Одобренные суммы по видам субсидий",
                    approved_by(&t.by_type, &type_name),
                ),
                Chart::new(
                    "Аудандар бойынша мақұлданған сома",
                    "Одобренные суммы по районам",
                    approved_by(&t.by_district, &|d: &str| d.to_owned()),
                ),
                Chart::new("Бас тарту негіздері", "Отказы по основаниям", count(&t.by_ground)),
                Chart::new("Бас тарту себептері (критерийлер)", "Отказы по критериям и кодам", count(&t.by_reason)),
                Chart::new(
                    "Мерзімдердің сақталуы",
                    "Соблюдение сроков",
                    DEADLINE_KEYS
                        .iter()
                        .zip(t.deadlines)
                        .filter(|(_, v)| *v > 0)
                        .map(|(k, v)| ((*k).to_owned(), v, v.to_string()))
                        .collect(),
                ),
            ],
        }
    }

    pub fn sample() -> Report {
        Report {
            batch_date: "30.04.2025".into(),
            draft: true,
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
