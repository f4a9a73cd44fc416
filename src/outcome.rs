//! What became of an application, as data every output words in its own language: the decision's
//! status and reasons, and after allocation its one outcome.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::application::NotHere;
use crate::domain::date::dmy;
use crate::domain::ground::Ground;
use crate::domain::money::Money;
use crate::domain::number::display_decimal;
use crate::problem::Code;

/// The register's statuses (the state system's terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Status {
    /// «Одобрена»
    Approved,
    /// «Отклонена»
    Refused,
}

impl Status {
    pub fn ru(self) -> &'static str {
        match self {
            Status::Approved => "Одобрена",
            Status::Refused => "Отклонена",
        }
    }

    pub fn kk(self) -> &'static str {
        match self {
            Status::Approved => "Мақұлданды",
            Status::Refused => "Қабылданбады",
        }
    }
}

/// Why an application is refused: a failed criterion or an input problem, with what was found
/// where. Outputs word it: the register for staff with cells and values as read
/// ([`Reason::detail`]), the notice for the applicant in Kazakh and in Russian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// Criterion id (`BULL-AGE`) or input-problem code (`V002`).
    pub id: String,
    pub ground: Ground,
    pub legal_ref: String,
    /// What the rule requires, from the rule file.
    pub message_ru: String,
    pub message_kk: String,
    /// What was found, row by row.
    pub facts: Vec<Fact>,
    /// The criterion as the rule file writes it (`age_months BETWEEN 8 AND 26`), for staff.
    pub rule: Option<String>,
}

impl Reason {
    /// For staff: where and with which values, `Позиции!G12: age_months = 30 (age_months BETWEEN 8 AND 26)`.
    pub fn detail(&self) -> String {
        let facts: Vec<String> = self.facts.iter().map(Fact::detail).collect();
        match &self.rule {
            Some(rule) => format!("{} ({rule})", facts.join("; ")),
            None => facts.join("; "),
        }
    }
}

/// One thing a reason found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// Where, as staff read it: `Позиции!G12`, `items.csv:7`; empty when nowhere in particular.
    pub at: String,
    /// The item's number within its application (1-based) for a fact about an item.
    pub item: Option<usize>,
    pub what: Found,
}

impl Fact {
    pub fn new(at: impl Into<String>, item: Option<usize>, what: Found) -> Fact {
        Fact { at: at.into(), item, what }
    }

    fn detail(&self) -> String {
        let text = self.what.detail();
        if self.at.is_empty() { text } else { format!("{}: {text}", self.at) }
    }
}

/// What was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// An input check failed: its code, the field, and the technical message for staff.
    Input { code: Code, field: Option<&'static str>, message: String },
    /// The values a criterion read, by column (`age_months`, `price_tiyn` …).
    Values(Vec<(String, Shown)>),
    /// Further rows that did not pass, not listed.
    More(usize),
    /// No edition of the type was in force on the submission date; `span` is the first and last
    /// day any edition was.
    TypeNotInForce { code: String, first: Option<NaiveDate>, last: Option<NaiveDate>, submitted: NaiveDate },
    /// The akimat has not set the type's normative in force on `on`.
    AkimatNotSet { code: String, on: NaiveDate, rate: String },
    /// An animal (`animal`) or invoice (`esf`) claimed before or twice.
    Subject { kind: SubjectKind, id: String, with: ClaimedBy },
    /// The animal registry disagrees with the application about an animal.
    Registry { animal: String, found: Vec<Mismatch> },
    /// The farm registry does not hold the record number, or holds it for someone else.
    Record { record_no: String, owner: Option<String> },
}

impl Found {
    fn detail(&self) -> String {
        match self {
            Found::Input { message, .. } => message.clone(),
            Found::Values(values) => staff_values(values),
            Found::More(n) => format!("ещё {n}"),
            Found::TypeNotInForce { code, first, last, submitted } => {
                let span = match (first, last) {
                    (Some(f), Some(l)) => format!("с {} по {}", dmy(*f), dmy(*l)),
                    (Some(f), None) => format!("с {}", dmy(*f)),
                    _ => String::new(),
                };
                format!("вид субсидии {code} действует {span}; заявка подана {}", dmy(*submitted))
            }
            Found::AkimatNotSet { code, on, rate } => {
                format!("норматив вида субсидии {code} на {} не установлен ({rate})", dmy(*on))
            }
            Found::Subject { kind, id, with } => {
                let what = kind.ru();
                match with {
                    ClaimedBy::Ledger { app_no, batch } => {
                        format!("{what} {id} уже просубсидирован(а) по заявке {app_no} (пакет {batch})")
                    }
                    ClaimedBy::Batch { app_no } => format!("{what} {id} указан(а) в заявке {app_no} этого пакета"),
                    ClaimedBy::Twice => format!("{what} {id} указан дважды"),
                }
            }
            Found::Registry { animal, found } => {
                let what: Vec<String> = found.iter().map(Mismatch::ru).collect();
                format!("ИНЖ {animal}: {}", what.join(", "))
            }
            Found::Record { record_no, owner: None } => format!("учетный номер {record_no} не найден в реестре"),
            Found::Record { record_no, owner: Some(o) } => {
                format!("учетный номер {record_no} принадлежит {o}, не заявителю")
            }
        }
    }
}

/// Values as staff read them: `age_months = 30, sex = 'F'`.
pub(crate) fn staff_values(values: &[(String, Shown)]) -> String {
    values.iter().map(|(k, v)| format!("{k} = {}", v.staff())).collect::<Vec<_>>().join(", ")
}

/// A value a criterion read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    Empty,
    Text(String),
    /// A number as the criterion saw it (`30`, `12.5`); money columns hold tiyn.
    Number(String),
    Date(NaiveDate),
    Flag(bool),
}

impl Shown {
    /// As staff read it in the register: `'text'`, `30`, `2025-04-15`, `пусто`.
    pub fn staff(&self) -> String {
        match self {
            Shown::Empty => "пусто".into(),
            Shown::Text(t) => format!("'{t}'"),
            Shown::Number(n) => n.clone(),
            Shown::Date(d) => d.to_string(),
            Shown::Flag(b) => b.to_string(),
        }
    }
}

/// What kind of subject is subsidised once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    Animal,
    Invoice,
}

impl SubjectKind {
    pub fn ru(self) -> &'static str {
        match self {
            SubjectKind::Animal => "ИНЖ",
            SubjectKind::Invoice => "ЭСФ",
        }
    }

    pub fn kk(self) -> &'static str {
        match self {
            SubjectKind::Animal => "ЖБН",
            SubjectKind::Invoice => "ЭШФ",
        }
    }
}

/// Which other claim holds a subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimedBy {
    /// An application of an earlier batch, subsidised.
    Ledger { app_no: String, batch: String },
    /// An earlier application of this batch.
    Batch { app_no: String },
    /// The same application lists it twice.
    Twice,
}

/// How the animal registry disagrees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    NotRegistered,
    Owner { registered_to: String },
    Sex,
    Breed { registered: String },
    BirthDate,
    RegistrationDate,
}

impl Mismatch {
    pub fn ru(&self) -> String {
        match self {
            Mismatch::NotRegistered => "нет в ИСЖ".into(),
            Mismatch::Owner { registered_to } => format!("в ИСЖ зарегистрирован на {registered_to}"),
            Mismatch::Sex => "пол".into(),
            Mismatch::Breed { registered } => format!("порода (в ИСЖ: {registered})"),
            Mismatch::BirthDate => "дата рождения".into(),
            Mismatch::RegistrationDate => "дата регистрации".into(),
        }
    }

    pub fn kk(&self) -> String {
        match self {
            Mismatch::NotRegistered => "ЖСБЖ-да жоқ".into(),
            Mismatch::Owner { registered_to } => format!("ЖСБЖ-да {registered_to} атына тіркелген"),
            Mismatch::Sex => "жынысы".into(),
            Mismatch::Breed { registered } => format!("тұқымы (ЖСБЖ-да: {registered})"),
            Mismatch::BirthDate => "туған күні".into(),
            Mismatch::RegistrationDate => "тіркелген күні".into(),
        }
    }
}

/// A remark on a decision that does not refuse it: a closed set, each worded by the outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// The amount does not fit in the money type.
    Overflow,
    /// Less was claimed than the rules give: the claim is approved.
    ClaimedLess { claimed: Money, computed: Money },
    /// More was claimed than the rules give: the rules' amount is approved.
    ClaimedMore { claimed: Money, computed: Money },
    /// Limited to 50 % of the purchase price.
    PriceCap,
    /// The quantity counted up to the norm per head of the herd.
    CappedPerHead { counted: Decimal },
    /// The raw material counted up to what the output needs, in kg.
    CappedByOutput { counted_kg: Decimal },
}

impl Note {
    pub fn ru(&self) -> String {
        match self {
            Note::Overflow => "сумма вне допустимого диапазона".into(),
            Note::ClaimedLess { claimed, computed } => format!(
                "заявлено {} меньше расчётной суммы {}: одобрено заявленное",
                claimed.display_kzt(),
                computed.display_kzt()
            ),
            Note::ClaimedMore { claimed, computed } => format!(
                "заявлено {} больше расчётной суммы {}: одобрено по нормативу",
                claimed.display_kzt(),
                computed.display_kzt()
            ),
            Note::PriceCap => "сумма ограничена 50 % стоимости приобретения".into(),
            Note::CappedPerHead { counted } => {
                format!("количество учтено в пределах нормы на единицу поголовья: {}", display_decimal(*counted))
            }
            Note::CappedByOutput { counted_kg } => {
                format!("закуп учтён в пределах сырья, нужного на выпуск: {} кг", display_decimal(*counted_kg))
            }
        }
    }

    pub fn kk(&self) -> String {
        match self {
            Note::Overflow => "сома рұқсат етілген шектен тыс".into(),
            Note::ClaimedLess { claimed, computed } => format!(
                "мәлімделген сома {} есептік сомадан ({}) аз: мәлімделген сома мақұлданды",
                claimed.display_kzt(),
                computed.display_kzt()
            ),
            Note::ClaimedMore { claimed, computed } => format!(
                "мәлімделген сома {} есептік сомадан ({}) көп: норматив бойынша мақұлданды",
                claimed.display_kzt(),
                computed.display_kzt()
            ),
            Note::PriceCap => "сома сатып алу құнының 50 %-ымен шектелді".into(),
            Note::CappedPerHead { counted } => {
                format!("саны мал басының бірлігіне шаққандағы норма шегінде ескерілді: {}", display_decimal(*counted))
            }
            Note::CappedByOutput { counted_kg } => {
                format!(
                    "сатып алу өнім шығаруға қажетті шикізат шегінде ескерілді: {} кг",
                    display_decimal(*counted_kg)
                )
            }
        }
    }
}

/// What became of an application in a batch once the budget was allocated. The queue computes it
/// once ([`crate::queue::build`]); the register, the notices, the report and the ledger read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Refused; the decision holds the reasons.
    Refused,
    /// Approved and paid in full in this batch: its payment order is formed.
    Paid { amount: Money },
    /// Approved in an earlier batch and paid in full from the waiting list in this one.
    PaidFromQueue { batch: String, amount: Money },
    /// Paid in part (a pro-rata budget program); the rest waits at `place`.
    PaidInPart { amount: Money, remaining: Money, place: usize },
    /// Offered what is left of the month's money (p.24-1 of the Rules): paid once the producer
    /// accepts by `accept_by` (unknown when the working-day calendar does not reach it); it keeps
    /// its place on the waiting list for the whole amount meanwhile.
    PartialOffer { offered: Money, remaining: Money, accept_by: Option<NaiveDate>, place: usize },
    /// Approved, waiting for money: `place` on its budget program's waiting list after this batch,
    /// as `subsidy ledger waiting` shows it.
    Waiting { remaining: Money, place: usize },
    /// Approved, but its type has no budget program with money lines, so it could not be queued.
    NotQueued,
    /// Not decided in this batch: an earlier batch decided it, or another region's department.
    NotDecided(NotHere),
}

impl Outcome {
    /// Its key in the ledger and in JSON.
    pub fn key(&self) -> &'static str {
        match self {
            Outcome::Refused => "refused",
            Outcome::Paid { .. } => "paid",
            Outcome::PaidFromQueue { .. } => "paid-from-queue",
            Outcome::PaidInPart { .. } => "paid-in-part",
            Outcome::PartialOffer { .. } => "partial-offer",
            Outcome::Waiting { .. } => "waiting",
            Outcome::NotQueued => "not-queued",
            Outcome::NotDecided(_) => "not-decided",
        }
    }

    /// The status in the state system's terms, in Russian.
    pub fn ru(&self) -> &'static str {
        match self {
            Outcome::Refused => "Отклонена",
            Outcome::Paid { .. } => "Сформировано поручение",
            Outcome::PaidFromQueue { .. } => "Сформировано поручение (из листа ожидания)",
            Outcome::PaidInPart { .. } => "Выплачена частично (остаток в листе ожидания)",
            Outcome::PartialOffer { .. } => "Одобрена (предложена частичная выплата)",
            Outcome::Waiting { .. } => "Одобрена (лист ожидания)",
            Outcome::NotQueued => "Одобрена (не поставлена в очередь)",
            Outcome::NotDecided(NotHere::DecidedIn(_)) => "Не рассматривается (решена ранее)",
            Outcome::NotDecided(NotHere::OtherRegion(_)) => "Не рассматривается (другой регион)",
        }
    }

    /// [`Outcome::ru`] of the outcome whose [`Outcome::key`] is `key`.
    pub fn ru_of_key(key: &str) -> Option<&'static str> {
        let m = Money::ZERO;
        [
            Outcome::Refused,
            Outcome::Paid { amount: m },
            Outcome::PaidFromQueue { batch: String::new(), amount: m },
            Outcome::PaidInPart { amount: m, remaining: m, place: 0 },
            Outcome::PartialOffer { offered: m, remaining: m, accept_by: None, place: 0 },
            Outcome::Waiting { remaining: m, place: 0 },
            Outcome::NotQueued,
            Outcome::NotDecided(NotHere::DecidedIn(String::new())),
        ]
        .iter()
        .find(|o| o.key() == key)
        .map(Outcome::ru)
    }

    /// The same in Kazakh.
    pub fn kk(&self) -> &'static str {
        match self {
            Outcome::Refused => "Қабылданбады",
            Outcome::Paid { .. } => "Төлем тапсырмасы қалыптастырылды",
            Outcome::PaidFromQueue { .. } => "Төлем тапсырмасы қалыптастырылды (күту парағынан)",
            Outcome::PaidInPart { .. } => "Ішінара төленді (қалдығы күту парағында)",
            Outcome::PartialOffer { .. } => "Мақұлданды (ішінара төлем ұсынылды)",
            Outcome::Waiting { .. } => "Мақұлданды (күту парағы)",
            Outcome::NotQueued => "Мақұлданды (кезекке қойылмады)",
            Outcome::NotDecided(NotHere::DecidedIn(_)) => "Қаралмайды (бұрын шешілген)",
            Outcome::NotDecided(NotHere::OtherRegion(_)) => "Қаралмайды (басқа өңір)",
        }
    }

    /// Paid in this batch.
    pub fn paid(&self) -> Money {
        match self {
            Outcome::Paid { amount } | Outcome::PaidFromQueue { amount, .. } | Outcome::PaidInPart { amount, .. } => {
                *amount
            }
            _ => Money::ZERO,
        }
    }

    /// Place on the waiting list after this batch, when it waits.
    pub fn place(&self) -> Option<usize> {
        match self {
            Outcome::PaidInPart { place, .. }
            | Outcome::PartialOffer { place, .. }
            | Outcome::Waiting { place, .. } => Some(*place),
            _ => None,
        }
    }
}
