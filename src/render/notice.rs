//! What a notice says: the context each notice template receives. Its fields are the variables
//! templates may use (listed in `templates/README.md`).

use serde::Serialize;

use crate::application::Application;
use crate::batch::BatchResult;
use crate::catalogue::app;
use crate::decide::Decision;
use crate::domain::date::dmy;
use crate::domain::money::Money;
use crate::domain::words;
use crate::outcome::Outcome;
use crate::queue::QueueEntry;
use crate::render::Templates;
use crate::render::wording::{self, Lang};
use crate::rules::RuleSet;
use crate::write::{Staged, Written};
use rayon::prelude::*;

/// One reason of a refusal.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeReason {
    pub id: String,
    pub ground_ru: String,
    pub ground_kk: String,
    pub message_ru: String,
    pub message_kk: String,
    pub legal_ref: String,
    /// The same reference as a Kazakh letter cites it (`rules/legal-kk.toml`).
    pub legal_ref_kk: String,
    /// What was found, item by item, in each language (no cells, no column keys).
    pub found_ru: String,
    pub found_kk: String,
}

/// The variables of `notices/approved`, `refused`, `waiting` and `later`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Notice {
    pub app_no: String,
    pub status_ru: String,
    pub status_kk: String,
    pub department_ru: String,
    pub department_kk: String,
    pub region_ru: String,
    pub region_kk: String,
    pub district: String,
    /// The district in the Kazakh half (`districts` of the region's file).
    pub district_kk: String,
    pub applicant_name: String,
    pub tax_id: String,
    pub type_code: String,
    pub type_name_ru: String,
    pub type_name_kk: String,
    pub submitted_date: String,
    pub submitted_time: String,
    pub issued_date: String,
    pub amount: String,
    pub amount_words_ru: String,
    pub amount_words_kk: String,
    pub quantity: String,
    pub unit_ru: String,
    pub unit_kk: String,
    pub rate: String,
    pub rate_legal_ref: String,
    pub rate_legal_ref_kk: String,
    pub reasons: Vec<NoticeReason>,
    pub notes_ru: String,
    pub notes_kk: String,
    pub complaint_ru: String,
    pub complaint_kk: String,
    pub officer_ru: String,
    pub officer_kk: String,
    pub officer_name: String,
    pub officer_phone: String,
    /// Who signs the letter (the head of the department) and the department's address block.
    pub signer_ru: String,
    pub signer_kk: String,
    pub signer_name: String,
    pub department_address_ru: String,
    pub department_address_kk: String,
    pub department_phone: String,
    pub department_email: String,
    /// Place on the waiting list after this batch (waiting notices, partial offers), as
    /// `subsidy ledger waiting` shows it.
    pub queue_position: u32,
    /// The outcome's key: `paid`, `waiting`, `partial-offer`, `paid-in-part`, `not-queued`, `refused`…
    pub outcome: String,
    /// Paid in this batch, with its words.
    pub paid_now: String,
    pub paid_now_words_ru: String,
    pub paid_now_words_kk: String,
    /// A partial payment offered (p.24-1), what would remain, and the last day to accept.
    pub offered: String,
    pub offered_words_ru: String,
    pub offered_words_kk: String,
    pub remaining: String,
    pub accept_by: String,
    pub offer_legal_ref: String,
    pub offer_legal_ref_kk: String,
    /// The date of the batch that approved it, for an application of an earlier batch.
    pub approved_on: String,
    /// A draft batch: every page says «ЖОБА / ПРОЕКТ».
    pub draft: bool,
    /// The outgoing number, a sequence per year kept in the ledger; empty without a ledger.
    pub outgoing_no: String,
    /// The service the application belongs to.
    pub service_name_ru: String,
    pub service_name_kk: String,
    pub service_legal_ref: String,
    pub service_legal_ref_kk: String,
    pub record_no: String,
    pub iban: String,
    pub bic: String,
    /// Processing enterprises: the period `01.03.2025 – 31.03.2025`, the product made and the
    /// volumes, in kg as documents write them (`5 010,5`).
    pub period: String,
    pub product_made: String,
    /// The product made as the type names it in each language (the application's words when
    /// the type names none).
    pub product_ru: String,
    pub product_kk: String,
    pub produced_kg: String,
    pub sold_kg: String,
    /// Rows of the purchases sheet and their volume.
    pub purchases: usize,
    pub purchased_kg: String,
    /// The volume the amount was computed on (after limits).
    pub counted_kg: String,
}

/// A line of the index page.
#[derive(Debug, Clone, Serialize)]
pub struct IndexLine {
    pub app_no: String,
    pub file: String,
    pub applicant_name: String,
    pub status_ru: String,
    pub status_kk: String,
    pub amount: String,
}

/// The variables of `notices/index`.
#[derive(Debug, Clone, Serialize)]
pub struct Index {
    pub batch_date: String,
    /// A draft batch: every page says «ЖОБА / ПРОЕКТ».
    pub draft: bool,
    pub department_ru: String,
    pub department_kk: String,
    pub notices: Vec<IndexLine>,
}

/// The file name of a notice: the application number with anything but letters, digits and `-`
/// replaced, so applicant data can never name a path.
pub fn file_name(app_no: &str) -> String {
    format!("{}.html", stem(app_no))
}

/// The file name of a notice's PDF, beside its HTML.
pub fn pdf_name(app_no: &str) -> String {
    format!("{}.pdf", stem(app_no))
}

fn stem(app_no: &str) -> String {
    app_no.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).take(40).collect()
}

/// A notice's files: its HTML, and its PDF with the pages for the batch's one PDF.
fn put_notice(
    html: &str,
    n: &Notice,
    templates: &Templates,
    ctx: &crate::context::BatchContext,
    staged: &Staged,
) -> Result<(Vec<Written>, Option<crate::render::Pages>), String> {
    let what = |e: &dyn std::fmt::Display| format!("cannot write the notice of `{}`: {e}", n.app_no);
    let mut files =
        vec![staged.put(&format!("notices/{}", file_name(&n.app_no)), html.as_bytes()).map_err(|e| what(&e))?];
    if !ctx.pdf {
        return Ok((files, None));
    }
    let Some(typeset) = templates.pdf(html, &n.app_no, &n.department_ru, ctx) else { return Ok((files, None)) };
    let (pdf, pages) = typeset.map_err(|e| format!("cannot typeset the notice of `{}`: {e}", n.app_no))?;
    files.push(staged.put(&format!("notices/{}", pdf_name(&n.app_no)), &pdf).map_err(|e| what(&e))?);
    Ok((files, Some(pages)))
}

/// What the notices of a batch gave: their files, their lines of the index, their pages.
#[derive(Debug, Default)]
pub struct Made {
    pub files: Vec<Written>,
    pub lines: Vec<IndexLine>,
    pub pages: Vec<crate::render::Pages>,
    /// More notices than one PDF for printing holds ([`BUNDLE_MAX`]): their pages are not kept.
    pub no_bundle: bool,
}

/// The most notices `notices.pdf` holds: a month has a few hundred; a batch of tens of
/// thousands is nobody's print job, and keeping its pages would cost gigabytes.
pub const BUNDLE_MAX: usize = 5_000;

impl Made {
    pub fn extend(&mut self, other: Made) {
        self.files.extend(other.files);
        self.lines.extend(other.lines);
        self.pages.extend(other.pages);
        self.no_bundle |= other.no_bundle;
        if self.no_bundle || self.pages.len() > BUNDLE_MAX {
            self.pages = Vec::new();
            self.no_bundle = true;
        }
    }
}

impl Notice {
    pub fn new(a: &Application, d: &Decision, rules: &RuleSet, batch_date: chrono::NaiveDate) -> Notice {
        let r = &a.record;
        let s = rules.service_for(&a.type_code);
        let program = rules.programs.get(&a.type_code);
        let submitted = a.submitted_at();
        // Grouped like amounts: `1 500`, `12,5`.
        let quantity = r.decimal(app::QUANTITY).map(crate::domain::number::display_decimal).unwrap_or_default();
        let remarks = d.remarks();
        let notes = |f: fn(&crate::outcome::Note) -> String| remarks.iter().map(f).collect::<Vec<_>>().join("; ");
        let kg = |d: Option<rust_decimal::Decimal>| d.map(crate::domain::number::display_decimal).unwrap_or_default();
        let date = |f: usize| r.date(f).map(dmy);
        let period = match (date(app::PERIOD_FROM), date(app::PERIOD_TO)) {
            (Some(f), Some(t)) => format!("{f} – {t}"),
            _ => String::new(),
        };
        let basis = program.map_or(crate::catalogue::item::VOLUME_KG, |p| p.basis);
        let purchased: rust_decimal::Decimal = a.items.iter().filter_map(|i| i.decimal(basis)).sum();
        let counted: rust_decimal::Decimal = d.items.iter().map(|i| i.basis).sum();
        let rate_legal_ref = d.rate.as_ref().map(|x| x.legal_ref.clone()).unwrap_or_default();
        Notice {
            record_no: a.record_no().to_owned(),
            iban: a.iban().to_owned(),
            bic: a.bic().to_owned(),
            period,
            product_made: r.text(app::PRODUCT_MADE).unwrap_or_default().to_owned(),
            product_ru: program
                .and_then(|p| p.product_ru.clone())
                .unwrap_or_else(|| r.text(app::PRODUCT_MADE).unwrap_or_default().to_owned()),
            product_kk: program
                .and_then(|p| p.product_kk.clone())
                .unwrap_or_else(|| r.text(app::PRODUCT_MADE).unwrap_or_default().to_owned()),
            produced_kg: kg(r.decimal(app::PRODUCED_KG)),
            sold_kg: kg(r.decimal(app::SOLD_KG)),
            purchases: a.items.len(),
            purchased_kg: kg(Some(purchased)),
            counted_kg: kg(Some(counted)),
            app_no: a.app_no.clone(),
            status_ru: d.status.ru().into(),
            status_kk: d.status.kk().into(),
            region_ru: a.region().map_or_else(|| s.region_ru.clone(), str::to_owned),
            district: a.district().to_owned(),
            district_kk: rules.region().district_kk(a.district()).to_owned(),
            applicant_name: a.applicant_name().to_owned(),
            tax_id: a.tax_id().to_owned(),
            type_code: a.type_code.clone(),
            type_name_ru: program.map(|p| p.name_ru.clone()).unwrap_or_default(),
            type_name_kk: program.map(|p| p.name_kk.clone()).unwrap_or_default(),
            submitted_date: submitted.map(|t| dmy(t.date())).unwrap_or_default(),
            submitted_time: submitted.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
            issued_date: dmy(batch_date),
            amount: d.amount.display_kzt(),
            amount_words_ru: words::amount_ru(d.amount),
            amount_words_kk: words::amount_kk(d.amount),
            quantity,
            unit_ru: program.map(|p| p.unit_ru.clone()).unwrap_or_default(),
            unit_kk: program.map(|p| p.unit_kk.clone()).unwrap_or_default(),
            rate: d.rate.as_ref().map(|x| x.amount.display_kzt()).unwrap_or_default(),
            rate_legal_ref_kk: rules.kk(&rate_legal_ref).to_owned(),
            rate_legal_ref,
            reasons: d
                .reasons
                .iter()
                .map(|x| NoticeReason {
                    id: x.id.clone(),
                    ground_ru: s.grounds[&x.ground].text_ru.clone(),
                    ground_kk: s.grounds[&x.ground].text_kk.clone(),
                    message_ru: wording::requirement(x, Lang::Ru),
                    message_kk: wording::requirement(x, Lang::Kk),
                    legal_ref: x.legal_ref.clone(),
                    legal_ref_kk: rules.kk(&x.legal_ref).to_owned(),
                    found_ru: wording::found(x, Lang::Ru),
                    found_kk: wording::found(x, Lang::Kk),
                })
                .collect(),
            notes_ru: notes(crate::outcome::Note::ru),
            notes_kk: notes(crate::outcome::Note::kk),
            queue_position: 0,
            outcome: String::new(),
            paid_now: String::new(),
            paid_now_words_ru: String::new(),
            paid_now_words_kk: String::new(),
            offered: String::new(),
            offered_words_ru: String::new(),
            offered_words_kk: String::new(),
            remaining: String::new(),
            accept_by: String::new(),
            approved_on: String::new(),
            draft: false,
            outgoing_no: String::new(),
            ..Notice::letter(s, rules)
        }
    }

    /// What every notice of a service says the same: the department's letter head and foot,
    /// the complaint text, and the service's legal references in both languages.
    fn letter(s: &crate::rules::Service, rules: &RuleSet) -> Notice {
        let r = rules.region();
        let g = &s.signatures;
        Notice {
            department_ru: s.department_ru.clone(),
            department_kk: s.department_kk.clone(),
            department_address_ru: r.address_ru.clone(),
            department_address_kk: r.address_kk.clone(),
            department_phone: r.phone.clone(),
            department_email: r.email.clone(),
            region_ru: s.region_ru.clone(),
            region_kk: s.region_kk.clone(),
            complaint_ru: s.complaint.text_ru.clone(),
            complaint_kk: s.complaint.text_kk.clone(),
            officer_ru: g.officer_ru.clone(),
            officer_kk: g.officer_kk.clone(),
            officer_name: g.officer_name.clone(),
            officer_phone: g.officer_phone.clone(),
            signer_ru: g.head_ru.clone(),
            signer_kk: g.head_kk.clone(),
            signer_name: g.head_name.clone(),
            service_name_ru: s.name_ru.clone(),
            service_name_kk: s.name_kk.clone(),
            service_legal_ref: s.legal_ref.clone(),
            service_legal_ref_kk: rules.kk(&s.legal_ref).to_owned(),
            offer_legal_ref: s.partial_offer.legal_ref.clone(),
            offer_legal_ref_kk: rules.kk(&s.partial_offer.legal_ref).to_owned(),
            ..Notice::default()
        }
    }

    /// The notice of an application an earlier batch approved, whose outcome this batch changed:
    /// what the ledger kept of it (its payment line) and what the queue gave it now.
    pub fn for_carried(e: &QueueEntry, rules: &RuleSet, batch_date: chrono::NaiveDate) -> Notice {
        let l = &e.line;
        let s = rules.service_for(&l.type_code);
        let program = rules.programs.get(&l.type_code);
        let batch = e.carried_from.clone().unwrap_or_default();
        Notice {
            app_no: l.app_no.clone(),
            district: String::new(),
            applicant_name: l.recipient.clone(),
            tax_id: l.tax_id.clone(),
            type_code: l.type_code.clone(),
            type_name_ru: program.map(|p| p.name_ru.clone()).unwrap_or_default(),
            type_name_kk: program.map(|p| p.name_kk.clone()).unwrap_or_default(),
            submitted_date: dmy(e.submitted_at.date()),
            submitted_time: e.submitted_at.format("%H:%M").to_string(),
            issued_date: dmy(batch_date),
            amount: e.remaining.display_kzt(),
            amount_words_ru: words::amount_ru(e.remaining),
            amount_words_kk: words::amount_kk(e.remaining),
            iban: l.iban.clone(),
            bic: l.bic.clone(),
            approved_on: chrono::NaiveDate::parse_from_str(&batch, "%Y-%m-%d").map_or(batch, dmy),
            // What the ledger does not keep of the application (quantity, rate, notes) is not printed.
            ..Notice::letter(s, rules)
        }
        .with_outcome(&e.outcome)
    }

    /// What the allocation gave: the status and the money of the outcome.
    pub fn with_outcome(mut self, o: &Outcome) -> Notice {
        self.outcome = o.key().to_owned();
        self.status_ru = o.ru().to_owned();
        self.status_kk = o.kk().to_owned();
        self.queue_position = o.place().map_or(0, |p| u32::try_from(p).unwrap_or(u32::MAX));
        let paid = o.paid();
        if paid > Money::ZERO {
            self.paid_now = paid.display_kzt();
            self.paid_now_words_ru = words::amount_ru(paid);
            self.paid_now_words_kk = words::amount_kk(paid);
        }
        match o {
            Outcome::PartialOffer { offered, remaining, accept_by, .. } => {
                self.offered = offered.display_kzt();
                self.offered_words_ru = words::amount_ru(*offered);
                self.offered_words_kk = words::amount_kk(*offered);
                self.remaining = remaining.checked_sub(*offered).unwrap_or(*remaining).display_kzt();
                self.accept_by = accept_by.map(dmy).unwrap_or_default();
            }
            Outcome::PaidInPart { remaining, .. } | Outcome::Waiting { remaining, .. } => {
                self.remaining = remaining.display_kzt();
            }
            _ => {}
        }
        self
    }

    /// The template for an outcome: payments use the service's own notice.
    pub fn template(outcome: &Outcome, service: &crate::rules::Service) -> String {
        match outcome {
            Outcome::Refused => "notices/refused.html.tera".to_owned(),
            Outcome::Waiting { .. } | Outcome::PartialOffer { .. } => "notices/waiting.html.tera".to_owned(),
            _ => format!("notices/{}.html.tera", service.approved_notice),
        }
    }

    /// A filled-in notice for checking templates before a batch runs.
    pub fn sample() -> Notice {
        let reason = NoticeReason {
            id: "007-AGE".into(),
            ground_ru: "несоответствие".into(),
            ground_kk: "сәйкес келмеуі".into(),
            message_ru: "возраст вне пределов".into(),
            message_kk: "жасы шегінен тыс".into(),
            legal_ref: "приложение 2".into(),
            legal_ref_kk: "2-қосымша".into(),
            found_ru: "позиция 12: возраст животного (мес.) — 30".into(),
            found_kk: "12-позиция: жануардың жасы (ай) — 30".into(),
        };
        let t = |s: &str| s.to_owned();
        Notice {
            app_no: t("00700100000001"),
            status_ru: t("Одобрена"),
            status_kk: t("Мақұлданды"),
            department_ru: t("ГУ"),
            department_kk: t("ММ"),
            region_ru: t("Карагандинская область"),
            region_kk: t("Қарағанды облысы"),
            district: t("Шетский район"),
            district_kk: t("Шет ауданы"),
            applicant_name: t("КХ «Ақжол»"),
            tax_id: t("871008401427"),
            type_code: t("007"),
            type_name_ru: t("вид"),
            type_name_kk: t("түрі"),
            submitted_date: t("15.04.2025"),
            submitted_time: t("10:00"),
            issued_date: t("30.04.2025"),
            amount: t("150 000,00 ₸"),
            amount_words_ru: t("сто пятьдесят тысяч тенге, ноль тиынов"),
            amount_words_kk: t("жүз елу мың теңге, нөл тиын"),
            quantity: t("1"),
            unit_ru: t("голова"),
            unit_kk: t("бас"),
            rate: t("150 000,00 ₸"),
            rate_legal_ref: t("приложение 1"),
            rate_legal_ref_kk: t("1-қосымша"),
            reasons: vec![reason],
            notes_ru: t("примечание"),
            notes_kk: t("ескертпе"),
            complaint_ru: t("жалоба"),
            complaint_kk: t("шағым"),
            officer_ru: t("исполнитель"),
            officer_kk: t("орындаушы"),
            officer_name: t("А. Б. Орындаушы"),
            officer_phone: t("+7 7212 00-00-00"),
            signer_ru: t("Руководитель"),
            signer_kk: t("Басшы"),
            signer_name: t("В. Г. Басшы"),
            department_address_ru: t("г. Караганда"),
            department_address_kk: t("Қарағанды қ."),
            department_phone: t("+7 7212 00-00-00"),
            department_email: t("info@example.kz"),
            queue_position: 1,
            service_name_ru: t("Субсидирование"),
            service_name_kk: t("Субсидиялау"),
            service_legal_ref: t("приказ"),
            service_legal_ref_kk: t("бұйрық"),
            record_no: t("3512-00001"),
            iban: t("KZ476010131000179714"),
            bic: t("HSBKKZKX"),
            period: t("01.03.2025 – 31.03.2025"),
            product_made: t("масло сливочное"),
            product_ru: t("сливочное масло"),
            product_kk: t("сары май"),
            produced_kg: t("12 500"),
            sold_kg: t("11 000"),
            purchases: 3,
            purchased_kg: t("250 000"),
            counted_kg: t("242 000"),
            outcome: t("partial-offer"),
            paid_now: t("150 000,00 ₸"),
            paid_now_words_ru: t("сто пятьдесят тысяч тенге, ноль тиынов"),
            paid_now_words_kk: t("жүз елу мың теңге, нөл тиын"),
            offered: t("50 000,00 ₸"),
            offered_words_ru: t("пятьдесят тысяч тенге, ноль тиынов"),
            offered_words_kk: t("елу мың теңге, нөл тиын"),
            remaining: t("100 000,00 ₸"),
            accept_by: t("05.05.2025"),
            offer_legal_ref: t("пункт 24-1"),
            offer_legal_ref_kk: t("24-1-тармақ"),
            approved_on: t("30.04.2025"),
            draft: true,
            outgoing_no: t("2025/128"),
        }
    }
}

impl Index {
    pub fn sample() -> Index {
        let n = Notice::sample();
        Index {
            batch_date: n.issued_date.clone(),
            draft: true,
            department_ru: n.department_ru.clone(),
            department_kk: n.department_kk.clone(),
            notices: vec![IndexLine {
                file: file_name(&n.app_no),
                app_no: n.app_no,
                applicant_name: n.applicant_name,
                status_ru: n.status_ru,
                status_kk: n.status_kk,
                amount: n.amount,
            }],
        }
    }
}

/// Outgoing numbers: the year's sequence after the last one the ledger kept, given to the
/// batch's notices in the order they are written; none without a ledger.
#[derive(Debug)]
pub struct Letters {
    year: i32,
    next: Option<u32>,
    /// `(app_no, seq)` given so far, for the ledger.
    pub given: Vec<(String, u32)>,
}

impl Letters {
    pub fn new(year: i32, last: Option<u32>) -> Letters {
        Letters { year, next: last.map(|l| l + 1), given: Vec::new() }
    }

    /// The next number, `2025/128`, or nothing without a ledger.
    fn next(&mut self, app_no: &str) -> String {
        let Some(seq) = self.next else { return String::new() };
        self.next = Some(seq + 1);
        self.given.push((app_no.to_owned(), seq));
        format!("{}/{seq}", self.year)
    }
}

/// The notices of the waiting list's applications of earlier batches whose outcome this batch
/// changed: paid, paid in part, or offered a partial payment. Every applicant hears of each change.
pub fn render_carried(
    queue: &crate::queue::Queue,
    ctx: &crate::context::BatchContext,
    rules: &RuleSet,
    templates: &Templates,
    staged: &Staged,
    letters: &mut Letters,
) -> anyhow::Result<Made> {
    let mut made = Made::default();
    for e in queue.entries.iter().filter(|e| e.carried_from.is_some()) {
        if matches!(e.outcome, Outcome::Waiting { .. } | Outcome::NotQueued) {
            continue;
        }
        let n = Notice {
            draft: ctx.draft,
            outgoing_no: letters.next(&e.app_no),
            ..Notice::for_carried(e, rules, ctx.batch_date)
        };
        let html = templates
            .render("notices/later.html.tera", &n)
            .map_err(|err| anyhow::anyhow!("cannot render the notice of `{}`: {err}", e.app_no))?;
        let (files, pages) = put_notice(&html, &n, templates, ctx, staged).map_err(anyhow::Error::msg)?;
        made.files.extend(files);
        made.pages.extend(pages);
        made.lines.push(IndexLine {
            file: file_name(&e.app_no),
            app_no: n.app_no,
            applicant_name: n.applicant_name,
            status_ru: n.status_ru,
            status_kk: n.status_kk,
            amount: n.paid_now,
        });
    }
    Ok(made)
}

/// One notice per application of a part, rendered in parallel and put into `staged` as soon as
/// it is made; returns them in application order with their lines of the index.
pub fn render_part(
    b: &BatchResult<'_>,
    templates: &Templates,
    staged: &Staged,
    letters: &mut Letters,
) -> anyhow::Result<Made> {
    // A row not decided here gets no notice: the batch that decided it, or the other region's
    // department, sends one.
    let apps: Vec<(&Application, &crate::decide::Decision)> =
        b.applications().zip(&b.decisions).filter(|(a, _)| a.not_here.is_none()).collect();
    let numbers: Vec<String> = apps.iter().map(|(a, _)| letters.next(&a.app_no)).collect();
    let mut made = Made::default();
    // In chunks: the typesetter forgets what it memoised between them, and no parallel iterator
    // nests deep enough to overflow a thread's stack.
    for (apps, numbers) in apps.chunks(CHUNK).zip(numbers.chunks(CHUNK)) {
        made.extend(render_chunk(b, apps, numbers, templates, staged)?);
        templates.forget();
    }
    Ok(made)
}

/// A notice's files, its pages for the batch's PDF, and its line of the index.
type OneNotice = (Vec<Written>, Option<crate::render::Pages>, IndexLine);

/// Notices typeset between two forgettings of the typesetter: at 32 a month's run was 1.14× faster
/// than at 256 and peaked at 254 MiB rather than 400 (fewer fresh pages for the memo cache).
const CHUNK: usize = 32;

fn render_chunk(
    b: &BatchResult<'_>,
    apps: &[(&Application, &crate::decide::Decision)],
    numbers: &[String],
    templates: &Templates,
    staged: &Staged,
) -> anyhow::Result<Made> {
    let rendered: Vec<Result<OneNotice, String>> = apps
        .par_iter()
        .zip(numbers.par_iter())
        .map(|((a, d), no)| {
            let outcome = b.outcome(a, d);
            let n = Notice {
                draft: b.ctx.draft,
                outgoing_no: no.clone(),
                ..Notice::new(a, d, b.rules, b.ctx.batch_date).with_outcome(&outcome)
            };
            let template = Notice::template(&outcome, b.rules.service_for(&a.type_code));
            let html = templates
                .render(&template, &n)
                .map_err(|e| format!("cannot render the notice of `{}`: {e}", a.app_no))?;
            let (files, pages) = put_notice(&html, &n, templates, b.ctx, staged)?;
            let line = IndexLine {
                file: file_name(&a.app_no),
                app_no: n.app_no,
                applicant_name: n.applicant_name,
                status_ru: n.status_ru,
                status_kk: n.status_kk,
                amount: n.amount,
            };
            Ok((files, pages, line))
        })
        .collect();
    let mut made = Made::default();
    for r in rendered {
        let (f, p, l) = r.map_err(anyhow::Error::msg)?;
        made.files.extend(f);
        made.pages.extend(p);
        made.lines.push(l);
    }
    Ok(made)
}

/// The index of every notice of the batch, and the batch's notices in one PDF for printing.
pub fn render_index(
    made: Made,
    ctx: &crate::context::BatchContext,
    rules: &crate::rules::RuleSet,
    templates: &Templates,
    staged: &Staged,
) -> anyhow::Result<Vec<Written>> {
    let mut files = Vec::new();
    if ctx.pdf && !made.no_bundle && !made.pages.is_empty() {
        let title = format!("{} {}", rules.service().department_ru, dmy(ctx.batch_date));
        if let Some(pdf) = templates.bundle(made.pages, &title, ctx) {
            let pdf = pdf.map_err(|e| anyhow::anyhow!("cannot typeset notices/notices.pdf: {e}"))?;
            files.push(staged.put("notices/notices.pdf", &pdf)?);
        }
    }
    let lines = made.lines;
    let index = Index {
        batch_date: dmy(ctx.batch_date),
        draft: ctx.draft,
        department_ru: rules.service().department_ru.clone(),
        department_kk: rules.service().department_kk.clone(),
        notices: lines,
    };
    let html = templates
        .render("notices/index.html.tera", &index)
        .map_err(|e| anyhow::anyhow!("cannot render the notice index: {e}"))?;
    files.push(staged.put("notices/index.html", html.as_bytes())?);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A batch too large to print as one PDF keeps no pages, whatever order its parts come in.
    #[test]
    fn a_batch_over_the_bundle_limit_keeps_no_pages() {
        let part = |n: usize| Made { pages: (0..n).map(|_| Default::default()).collect(), ..Made::default() };
        let mut made = part(BUNDLE_MAX - 1);
        made.extend(part(1));
        assert!(!made.no_bundle && made.pages.len() == BUNDLE_MAX);
        made.extend(part(1));
        assert!(made.no_bundle && made.pages.is_empty());
        made.extend(part(3));
        assert!(made.no_bundle && made.pages.is_empty());
    }

    #[test]
    fn file_names_never_escape_the_folder() {
        assert_eq!(file_name("00700100000001"), "00700100000001.html");
        assert_eq!(file_name("../../etc/passwd"), "______etc_passwd.html");
    }
}
