//! `subsidy explain`: the whole story of one application in plain language — its subsidy type,
//! the rate edition and why it was chosen, every criterion with the values it saw, the input
//! problems, the caps and arithmetic of the amount, and the budget decision. Russian by default,
//! Kazakh on request; the facts (values, legal references) are the same.

use std::fmt::Write as _;

use crate::application::Application;
use crate::batch::BatchResult;
use crate::catalogue::{self as fields, app, item};
use crate::decide::{Decision, Trace};
use crate::domain::date::{dmy, dmy_hms};
use crate::domain::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Lang {
    Ru,
    Kk,
}

struct Words {
    application: &'static str,
    submitted: &'static str,
    applicant: &'static str,
    kind: &'static str,
    rate: &'static str,
    in_force: &'static str,
    chosen: &'static str,
    no_rate: &'static str,
    criteria: &'static str,
    met: &'static str,
    not_met: &'static str,
    unknown: &'static str,
    problems: &'static str,
    amount: &'static str,
    cap: &'static str,
    output_cap: &'static str,
    total: &'static str,
    claimed: &'static str,
    approved: &'static str,
    budget: &'static str,
    queue: &'static str,
    paid_now: &'static str,
    offer: &'static str,
    decision: &'static str,
    reasons: &'static str,
    legal: &'static str,
    funds: &'static str,
}

const RU: Words = Words {
    application: "Заявка",
    submitted: "подана",
    applicant: "Заявитель",
    kind: "Вид субсидии",
    rate: "Норматив",
    in_force: "действует",
    chosen: "выбран по дате подачи",
    no_rate: "ни одна редакция норматива не действует на дату подачи",
    criteria: "Критерии",
    met: "выполнен",
    not_met: "НЕ выполнен",
    unknown: "не проверен (нет данных)",
    problems: "Проверка данных заявки",
    amount: "Расчёт суммы",
    cap: "ограничено 50 % цены",
    output_cap: "закуп ограничен сырьём, нужным на выпуск",
    total: "Итого по нормативу",
    claimed: "заявлено",
    approved: "одобрено",
    budget: "Бюджет",
    queue: "место в очереди",
    paid_now: "к выплате в пакете",
    offer: "предложена частичная выплата",
    decision: "Решение",
    reasons: "Причины отказа",
    legal: "основание",
    funds: "план месяца / выплачено ранее в месяце / доступно",
};

const KK: Words = Words {
    application: "Өтінім",
    submitted: "берілген",
    applicant: "Өтініш беруші",
    kind: "Субсидия түрі",
    rate: "Норматив",
    in_force: "қолданылады",
    chosen: "өтінім берілген күні бойынша таңдалды",
    no_rate: "өтінім берілген күні нормативтің ешбір редакциясы қолданылмайды",
    criteria: "Өлшемшарттар",
    met: "орындалды",
    not_met: "ОРЫНДАЛМАДЫ",
    unknown: "тексерілмеді (деректер жоқ)",
    problems: "Өтінім деректерін тексеру",
    amount: "Соманы есептеу",
    cap: "бағаның 50 %-ымен шектелді",
    output_cap: "сатып алу өнім шығаруға қажетті шикізатпен шектелді",
    total: "Норматив бойынша барлығы",
    claimed: "өтінілген",
    approved: "мақұлданған",
    budget: "Бюджет",
    queue: "кезектегі орны",
    paid_now: "пакетте төленеді",
    offer: "ішінара төлем ұсынылды",
    decision: "Шешім",
    reasons: "Бас тарту себептері",
    legal: "негіз",
    funds: "айлық жоспар / айда бұрын төленді / қолжетімді",
};

fn mask(id: &str) -> String {
    if id.len() == 12 { format!("{}******{}", &id[..4], &id[10..]) } else { id.to_owned() }
}

/// The story of application `a` decided as `d` in batch `b`, with its criteria `traces`.
pub(crate) fn story(b: &BatchResult<'_>, a: &Application, d: &Decision, traces: &[Trace], lang: Lang) -> String {
    let w = if lang == Lang::Kk { &KK } else { &RU };
    let r = &a.record;
    let program = b.rules.programs.get(&a.type_code);
    let mut s = String::new();
    let submitted = a.submitted_at();
    let _ = writeln!(
        s,
        "{} {} ({}), {} {}",
        w.application,
        a.app_no,
        b.app_location(a),
        w.submitted,
        submitted.map(dmy_hms).unwrap_or_else(|| "—".into())
    );
    let _ = writeln!(
        s,
        "{}: {} ({})",
        w.applicant,
        Some(a.applicant_name()).filter(|n| !n.is_empty()).unwrap_or("—"),
        mask(Some(a.tax_id()).filter(|t| !t.is_empty()).unwrap_or("—"))
    );
    if let Some(p) = program {
        let name = if lang == Lang::Kk { &p.name_kk } else { &p.name_ru };
        let _ = writeln!(s, "{}: {} — {} ({})", w.kind, p.code, name, p.legal_ref);
    }
    match (&d.rate, program) {
        (Some(rate), Some(p)) => {
            let to = rate
                .to
                .map_or_else(|| "…".to_owned(), |t| (t - chrono::Duration::days(1)).format("%d.%m.%Y").to_string());
            let unit = if lang == Lang::Kk { &p.unit_kk } else { &p.unit_ru };
            let _ = writeln!(
                s,
                "{}: {} — {} / {unit}; {} {}–{}, {} {}.\n  {}: {}",
                w.rate,
                rate.id,
                rate.amount.display_kzt(),
                w.in_force,
                rate.from.format("%d.%m.%Y"),
                to,
                w.chosen,
                submitted.map(|t| dmy(t.date())).unwrap_or_default(),
                w.legal,
                rate.legal_ref
            );
        }
        _ => {
            let _ = writeln!(s, "{}: {}", w.rate, w.no_rate);
        }
    }
    let _ = writeln!(s, "\n{}:", w.criteria);
    for t in traces {
        let message = if lang == Lang::Kk { &t.message_kk } else { &t.message_ru };
        let worst = crate::decide::all_of(t.rows.iter().map(|x| x.2));
        let verdict = match worst {
            Some(true) => w.met,
            Some(false) => w.not_met,
            None => w.unknown,
        };
        if worst == Some(true) {
            let _ = writeln!(s, "  [{verdict}] {} — {}", t.id, t.text);
        } else {
            let _ = writeln!(s, "  [{verdict}] {} — {}: {message}", t.id, t.text);
        }
        for (at, values, result) in &t.rows {
            let mark = match result {
                Some(true) => "✓",
                Some(false) => "✗",
                None => "?",
            };
            let _ = writeln!(s, "      {mark} {at}: {values}");
        }
        let _ = writeln!(s, "      {}: {}", w.legal, t.legal_ref);
    }
    let problems: Vec<_> = b.validated.problems.iter().filter(|p| p.app_no.as_deref() == Some(&a.app_no)).collect();
    if !problems.is_empty() {
        let _ = writeln!(s, "\n{}:", w.problems);
        for p in problems {
            let _ = writeln!(s, "  {} {} — {}: {}", p.code.id(), p.code.name(), p.location.reference(), p.message);
        }
    }
    if let (Some(rate), Some(p)) = (&d.rate, program) {
        let _ = writeln!(s, "\n{}:", w.amount);
        if let (Some(f), Some(k)) = (rate.output, p.raw_per_output) {
            let key = fields::APPLICATION_FIELDS[f].key;
            let output = r.decimal(f).unwrap_or_default();
            let _ = writeln!(
                s,
                "  {}: {key} {} × {} = {}",
                w.output_cap,
                output.normalize(),
                k.normalize(),
                (output * k).normalize()
            );
        }
        for (it, line) in a.items.iter().zip(&d.items) {
            let what = fields::ITEM_FIELDS[p.basis].key;
            let mut text = format!(
                "  {}: {what} {} × {} = {}",
                b.item_location(a, it.row),
                line.basis.normalize(),
                rate.amount.display_kzt(),
                Money::from_decimal_rounded(rate.amount.to_decimal() * line.basis).unwrap_or_default().display_kzt()
            );
            if line.capped_by_price {
                let _ = write!(
                    text,
                    "; {} ({} {}) → {}",
                    w.cap,
                    it.money(item::PRICE).unwrap_or_default().display_kzt(),
                    it.text(item::ANIMAL_ID).unwrap_or(""),
                    line.amount.display_kzt()
                );
            }
            let _ = writeln!(s, "{text}");
        }
        if let Some(c) = d.computed {
            let _ = writeln!(
                s,
                "  {}: {}; {}: {}; {}: {}",
                w.total,
                c.display_kzt(),
                w.claimed,
                r.money(app::AMOUNT_CLAIMED).map(Money::display_kzt).unwrap_or_else(|| "—".into()),
                w.approved,
                d.amount.display_kzt()
            );
        }
    }
    if let Some(e) = b.queue.entry(&a.app_no) {
        let _ = writeln!(
            s,
            "\n{}: {}, {} {}, {}: {}",
            w.budget,
            e.program,
            w.queue,
            e.position,
            w.paid_now,
            e.share.pay.display_kzt()
        );
        if e.share.offer > Money::ZERO {
            let _ = writeln!(s, "  {}: {}", w.offer, e.share.offer.display_kzt());
        }
        if let Some(f) = b.queue.funds.get(&e.program) {
            let _ = writeln!(
                s,
                "  {}: {} / {} / {}",
                w.funds,
                f.plan.display_kzt(),
                f.paid_month.display_kzt(),
                f.available.display_kzt()
            );
        }
    }
    let _ = writeln!(s, "\n{}: {}", w.decision, b.outcome(a, d).ru());
    if !d.reasons.is_empty() {
        let _ = writeln!(s, "{}:", w.reasons);
        for x in &d.reasons {
            let m = if lang == Lang::Kk { &x.message_kk } else { &x.message_ru };
            let _ = writeln!(s, "  [{}] {m} — {}\n      {}: {}", x.id, x.detail(), w.legal, x.legal_ref);
        }
    }
    s
}
