//! The column catalogue of the applications workbook: every field the pipeline reads, the header
//! texts it is known by (Russian, Kazakh, English) and how its cells are read.
//!
//! This is a registry-style file: one entry per column. The field keys are also the names that
//! criteria in `rules/` use, so renaming a key is a rule-file change.

/// Which sheet a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SheetKind {
    Applications,
    Items,
    /// An extract of the animal identification database (ИСЖ).
    Animals,
    /// An extract of the farms' record numbers.
    Farms,
    /// The state subsidy system's register export («Реестр заявок»).
    Register,
}

impl SheetKind {
    /// The sheet names looked for, in order; compared like headers.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            SheetKind::Applications => &["Заявки", "Өтінімдер", "Applications"],
            // Purchases of a processing enterprise are its items.
            SheetKind::Items => &["Позиции", "Позициялар", "Items", "Закуп", "Сатып алу", "Purchases"],
            SheetKind::Animals => &["ИСЖ", "Животные", "Жануарлар", "Animals"],
            SheetKind::Farms => &["Учетные номера", "Хозяйства", "Есептік нөмірлер", "Farms"],
            SheetKind::Register => &["Page 1", "Реестр заявок", "Register"],
        }
    }

    /// The column every row must have; the header row is the one that names it.
    pub fn key(self) -> &'static str {
        match self {
            SheetKind::Applications | SheetKind::Items | SheetKind::Register => "app_no",
            SheetKind::Animals => "animal_id",
            SheetKind::Farms => "record_no",
        }
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            SheetKind::Applications => APPLICATION_FIELDS,
            SheetKind::Items => ITEM_FIELDS,
            SheetKind::Animals => ANIMAL_FIELDS,
            SheetKind::Farms => FARM_FIELDS,
            SheetKind::Register => REGISTER_FIELDS,
        }
    }
}

/// How the cells of a column are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text, whitespace normalised.
    Text,
    /// A code made of digits that must keep leading zeros (application number, IIN/BIN).
    Digits(usize),
    /// A date (Excel date, serial number or `dd.mm.yyyy`).
    Date,
    /// A date and time (`dd.mm.yyyy hh:mm[:ss]`).
    DateTime,
    /// A decimal quantity (`1 234,5`).
    Decimal,
    /// A whole number of heads, colonies or doses (`12`; `1,5` is not a count).
    Count,
    /// Money in tenge with at most two decimals.
    Money,
    /// Yes/no (`Да`/`Нет`, `Иә`/`Жоқ`, `yes`/`no`, `1`/`0`).
    Flag,
}

/// One column of the catalogue.
#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    pub kind: Kind,
    /// Header texts accepted besides the key itself.
    pub aliases: &'static [&'static str],
    /// What the column holds, for documentation and error hints.
    pub doc: &'static str,
}

const fn f(key: &'static str, kind: Kind, aliases: &'static [&'static str], doc: &'static str) -> Field {
    Field { key, kind, aliases, doc }
}

use Kind::{Count, Date, DateTime, Decimal, Digits, Flag, Money, Text};

const APP_NO: &[&str] = &["Номер заявки", "№ заявки", "Өтінім нөмірі", "Application number"];

pub static APPLICATION_FIELDS: &[Field] = &[
    f("app_no", Digits(14), APP_NO, "application number, 14 digits; the first three are the subsidy type"),
    f(
        "submitted_at",
        DateTime,
        &[
            "Дата поступления",
            "Дата подачи",
            "Дата подачи заявки",
            "Өтінім берілген күні",
            "Түскен күні",
            "Submitted at",
        ],
        "date and time the application was signed and submitted",
    ),
    f("region", Text, &["Область", "Облыс", "Region"], "oblast"),
    f("district", Text, &["Район", "Район хозяйства", "Аудан", "District"], "district of the farm"),
    f(
        "type_code",
        Digits(3),
        &["Код вида субсидии", "Код субсидии", "Субсидия түрінің коды", "Subsidy type code"],
        "subsidy type code; when given it must equal the first three digits of the application number",
    ),
    f(
        "type_name",
        Text,
        &["Наименование субсидирования", "Вид субсидии", "Субсидия түрі", "Subsidy type"],
        "subsidy type as named by the state system (informative)",
    ),
    f(
        "applicant_name",
        Text,
        &[
            "Наименование заявителя",
            "Заявитель",
            "ФИО",
            "Наименование товаропроизводителя",
            "Өтініш беруші",
            "Тауар өндірушінің атауы",
            "Applicant",
        ],
        "applicant's full name or legal name",
    ),
    f(
        "applicant_kind",
        Text,
        &["Тип заявителя", "Организационно-правовая форма", "Өтініш беруші түрі", "Applicant kind"],
        "ФЛ, ИП, КХ (identified by IIN) or ЮЛ, ТОО, АО, СПК, ПК, КХ-СП (identified by BIN)",
    ),
    f(
        "tax_id",
        Digits(12),
        &["ИИН/БИН", "БИН/ИИН", "ИИН", "БИН", "ЖСН/БСН", "ЖСН", "БСН", "IIN/BIN"],
        "applicant's IIN or BIN",
    ),
    f(
        "record_no",
        Text,
        &["Учетный номер", "Учетный номер хозяйства", "Есептік нөмір", "Record number"],
        "record (account) number of the farm (Order 7-1/37)",
    ),
    f("iban", Text, &["ИИК", "ИИК (IBAN)", "IBAN", "ЖСК", "Account"], "applicant's account, KZ IBAN of 20 characters"),
    f("bic", Text, &["БИК", "БСК", "BIC"], "BIC of the applicant's bank"),
    f(
        "kbe",
        Digits(2),
        &["Кбе", "КБе", "Код бенефициара", "Бенефициар коды"],
        "beneficiary code: residency and economic sector (19 individuals, 17 private companies)",
    ),
    f(
        "quantity",
        Decimal,
        &["Количество", "Заявленное количество", "Саны", "Quantity"],
        "quantity declared, in the subsidy type's unit (heads, kg)",
    ),
    f(
        "amount_claimed",
        Money,
        &[
            "Сумма",
            "Причитающая сумма",
            "Сумма субсидий",
            "Сумма к выплате",
            "Заявленная сумма",
            "Субсидия сомасы",
            "Amount",
            "Amount claimed",
        ],
        "subsidy amount claimed, tenge",
    ),
    f(
        "herd_size",
        Count,
        &[
            "Поголовье",
            "Маточное поголовье",
            "Фуражное поголовье",
            "Поголовье коров",
            "Мал басы",
            "Аналық мал басы",
            "Herd size",
        ],
        "breeding females (purchases of sires) or forage cows (milk)",
    ),
    f(
        "output_tonnes",
        Decimal,
        &["Фактическое производство, т", "Объем производства, тонн", "Өндіріс көлемі, т", "Output tonnes"],
        "actual annual output in tonnes (chicken-meat tiers)",
    ),
    f(
        "consent",
        Flag,
        &["Согласие на доступ к персональным данным", "Согласие", "Келісім", "Consent"],
        "consent to access restricted personal data",
    ),
    f(
        "eds_signer",
        Digits(12),
        &["ИИН/БИН подписанта", "Подписант ЭЦП", "ЭЦҚ қол қоюшы", "EDS signer"],
        "IIN/BIN in the signing certificate",
    ),
    f(
        "eds_valid_to",
        Date,
        &["Сертификат ЭЦП действителен до", "ЭЦП действителен до", "Срок действия ЭЦП", "EDS valid to"],
        "last day the signing certificate is valid",
    ),
    f(
        "eds_revoked",
        Flag,
        &["Сертификат отозван", "ЭЦП отозвана", "EDS revoked"],
        "whether the signing certificate was revoked",
    ),
    // Processing enterprises (the second service): what is made from the purchases, and when.
    f(
        "product_made",
        Text,
        &["Производимая продукция", "Продукция переработки", "Өндірілетін өнім", "Product made"],
        "product of deep processing made from the purchases (processing enterprises)",
    ),
    f(
        "period_from",
        Date,
        &["Период с", "Начало периода", "Кезең басы", "Period from"],
        "first day of the period the purchases and output belong to (processing enterprises)",
    ),
    f(
        "period_to",
        Date,
        &["Период по", "Конец периода", "Кезең соңы", "Period to"],
        "last day of that period (processing enterprises)",
    ),
    f(
        "produced_kg",
        Decimal,
        &["Произведено, кг", "Объем производства, кг", "Өндірілді, кг", "Produced kg"],
        "product made in the period, kg (processing enterprises)",
    ),
    f(
        "sold_kg",
        Decimal,
        &["Реализовано, кг", "Объем реализации, кг", "Өткізілді, кг", "Sold kg"],
        "product sold in the period, kg (processing enterprises)",
    ),
    // Herds that some types cap or require (Appendix 2: milk per milking female, honey per colony,
    // the sows of a pig farm).
    f(
        "milking_females",
        Count,
        &[
            "Дойные кобылы (верблюдицы) старше 3 лет",
            "Дойное поголовье",
            "Сауын биелер (інгендер)",
            "Сауын мал басы",
            "Milking females",
        ],
        "milking mares or camels older than 3 years registered in ИСЖ (mare and camel milk)",
    ),
    f(
        "colonies",
        Count,
        &["Пчелосемьи", "Количество пчелосемей", "Ара ұялары", "Ара ұяларының саны", "Bee colonies"],
        "bee colonies registered in ИБСПР (honey)",
    ),
    f(
        "sows",
        Count,
        &["Основные свиноматки", "Поголовье основных свиноматок", "Негізгі мегежіндер", "Main sows"],
        "main sows of the pig farm",
    ),
];

pub static ITEM_FIELDS: &[Field] = &[
    f("app_no", Digits(14), APP_NO, "application number the row belongs to"),
    f(
        "animal_id",
        Text,
        &["ИНЖ", "Идентификационный номер животного", "Жануардың сәйкестендіру нөмірі", "Animal ID"],
        "animal identification number in ИСЖ",
    ),
    f(
        "sex_group",
        Text,
        &["Половозрастная группа", "Жыныстық-жас тобы", "Sex-age group"],
        "sex-age group (бычок, тёлка, нетель, бык, ярка, баран …)",
    ),
    f("breed", Text, &["Порода", "Тұқымы", "Breed"], "breed"),
    f("birth_date", Date, &["Дата рождения", "Туған күні", "Birth date"], "animal's birth date"),
    f(
        "isj_reg_date",
        Date,
        &[
            "Дата регистрации в ИСЖ",
            "Дата регистрации в ИСЖ на заявителя",
            "ІСЖ тіркелген күні",
            "ISJ registration date",
        ],
        "date the animal was registered in ИСЖ to the applicant",
    ),
    f(
        "age_months",
        Decimal,
        &["Возраст, мес", "Возраст в месяцах", "Возраст (мес.)", "Жасы, ай", "Age months"],
        "age in months at the transaction",
    ),
    f(
        "live_weight_kg",
        Decimal,
        &["Живой вес, кг", "Живая масса, кг", "Тірі салмағы, кг", "Live weight"],
        "live weight at sale, kg",
    ),
    f(
        "transaction_date",
        Date,
        &["Дата сделки", "Дата покупки", "Дата реализации", "Мәміле күні", "Transaction date"],
        "date of purchase or sale",
    ),
    f("price", Money, &["Цена", "Цена, тенге", "Стоимость", "Бағасы", "Price"], "price per head (purchases), tenge"),
    f("esf_no", Text, &["Номер ЭСФ", "№ ЭСФ", "ЭШФ нөмірі", "ESF number"], "electronic invoice number"),
    f("esf_date", Date, &["Дата ЭСФ", "ЭШФ күні", "ESF date"], "electronic invoice date"),
    f(
        "counterparty_id",
        Digits(12),
        &[
            "ИИН/БИН контрагента",
            "ИИН/БИН продавца",
            "ИИН/БИН покупателя",
            "Контрагент ЖСН/БСН",
            "Counterparty IIN/BIN",
        ],
        "IIN/BIN of the seller (purchases) or buyer (sales)",
    ),
    f(
        "counterparty_name",
        Text,
        &["Наименование контрагента", "Продавец", "Покупатель", "Контрагент", "Counterparty"],
        "seller's or buyer's name",
    ),
    f("country", Text, &["Страна происхождения", "Страна", "Шыққан елі", "Country of origin"], "country of origin"),
    f(
        "volume_kg",
        Decimal,
        &["Объем, кг", "Объём, кг", "Вес, кг", "Көлемі, кг", "Volume kg"],
        "volume sold or delivered, kg",
    ),
    f(
        "head_count",
        Count,
        &["Количество голов", "Кол-во голов", "Бас саны", "Head count"],
        "heads in the row (a delivery of chicks); empty means one animal",
    ),
    f(
        "product",
        Text,
        &["Закупаемая продукция", "Вид сырья", "Сырье", "Сатып алынған өнім", "Product purchased"],
        "agricultural product purchased (processing enterprises: `молоко сырое`)",
    ),
    f("doses", Count, &["Количество доз", "Кол-во доз", "Дозалар саны", "Doses"], "doses of semen bought in the row"),
    f(
        "wool_quality",
        Decimal,
        &["Качество шерсти", "Тонина шерсти (качество)", "Жүн сапасы", "Wool quality"],
        "wool quality (fineness: 64, 60, 58, 50 …) from the laboratory certificate",
    ),
    f(
        "buyer_kind",
        Text,
        &["Вид покупателя", "Тип покупателя", "Сатып алушы түрі", "Buyer kind"],
        "`откормочная площадка`, `мясоперерабатывающее предприятие` or `убойный пункт`",
    ),
    f(
        "buyer_capacity",
        Decimal,
        &["Убойная мощность покупателя", "Убойная мощность, голов", "Сою қуаты", "Buyer capacity"],
        "the buyer's slaughter capacity, heads per day (pigs: per shift)",
    ),
    f(
        "insemination_confirmed",
        Flag,
        &[
            "Осеменение подтверждено в ИБСПР",
            "Осеменение подтверждено",
            "Ұрықтандыру расталды",
            "Insemination confirmed",
        ],
        "ИБСПР confirms the insemination",
    ),
    f(
        "pregnancy_confirmed",
        Flag,
        &["Стельность подтверждена", "Суягность подтверждена", "Буаздық расталды", "Pregnancy confirmed"],
        "ИБСПР confirms the pregnancy",
    ),
    f(
        "pedigree_status",
        Flag,
        &["Племенной статус и бонитировка", "Наличие бонитировки", "Асыл тұқымдық мәртебе", "Pedigree status"],
        "breeding status assigned in ИБСПР by the Republican chamber, and bonitation done",
    ),
];

pub static ANIMAL_FIELDS: &[Field] = &[
    f(
        "animal_id",
        Text,
        &["ИНЖ", "Идентификационный номер животного", "Жануардың сәйкестендіру нөмірі", "Animal ID"],
        "animal identification number",
    ),
    f(
        "owner_id",
        Digits(12),
        &["ИИН/БИН владельца", "Владелец", "Иесінің ЖСН/БСН", "Owner IIN/BIN"],
        "IIN/BIN of the owner the animal is registered to",
    ),
    f("sex", Text, &["Пол", "Жынысы", "Sex"], "`м` (male) or `ж` (female)"),
    f("breed", Text, &["Порода", "Тұқымы", "Breed"], "breed"),
    f("birth_date", Date, &["Дата рождения", "Туған күні", "Birth date"], "birth date"),
    f(
        "reg_date",
        Date,
        &["Дата регистрации на владельца", "Дата регистрации", "Тіркелген күні", "Registration date"],
        "date registered to the owner",
    ),
];

pub static FARM_FIELDS: &[Field] = &[
    f("record_no", Text, &["Учетный номер", "Есептік нөмір", "Record number"], "record (account) number of the farm"),
    f("owner_id", Digits(12), &["ИИН/БИН", "ЖСН/БСН", "IIN/BIN"], "IIN/BIN of the farm's owner"),
    f("name", Text, &["Наименование", "Атауы", "Name"], "the farm's name"),
];

/// The GISS register export («Выгрузка по выданным субсидиям»), header on row 5
/// (`shared/domain/real-data-profile.md`). `Направление водства` is truncated in the export.
pub static REGISTER_FIELDS: &[Field] = &[
    f("app_no", Digits(14), &["Номер заявки"], "application number"),
    f("seq", Text, &["№ п/п"], "row number"),
    f("submitted_at", DateTime, &["Дата поступления"], "date and time received"),
    f("region", Text, &["Область"], "oblast, Russian or Kazakh"),
    f("akimat", Text, &["Акимат"], "the local executive body"),
    f("direction", Text, &["Направление водства", "Направление животноводства", "Направление"], "direction"),
    f("type_name", Text, &["Наименование субсидирования"], "subsidy type as named by the system"),
    f("status", Text, &["Статус заявки"], "Получена, Одобрена, Сформировано поручение, Исполнена, Отклонена, Отозвано"),
    f("normative", Money, &["Норматив"], "normative applied, tenge"),
    f("amount", Money, &["Причитающая сумма"], "amount due, tenge"),
    f("district", Text, &["Район хозяйства"], "district of the farm"),
];

/// Header text in comparable form: lower case, `ё` as `е`, no spaces, dots, colons or asterisks.
pub fn normalize_header(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | ':' | '*' | '_' | '\u{a0}' | '\u{202f}'))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// The field a header text names, if any.
pub fn match_header(sheet: SheetKind, header: &str) -> Option<usize> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    sheet
        .fields()
        .iter()
        .position(|f| normalize_header(f.key) == h || f.aliases.iter().any(|a| normalize_header(a) == h))
}

pub fn position(sheet: SheetKind, key: &str) -> usize {
    sheet
        .fields()
        .iter()
        .position(|f| f.key == key)
        .unwrap_or_else(|| panic!("field `{key}` is not in the {sheet:?} catalogue"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_case_space_and_language_insensitively() {
        let app = SheetKind::Applications;
        assert_eq!(match_header(app, "  ИИН / БИН "), Some(position(app, "tax_id")));
        assert_eq!(match_header(app, "өтінім НӨМІРІ"), Some(position(app, "app_no")));
        assert_eq!(match_header(app, "amount_claimed"), Some(position(app, "amount_claimed")));
        assert_eq!(
            match_header(SheetKind::Items, "Возраст\u{a0}(мес.)"),
            Some(position(SheetKind::Items, "age_months"))
        );
        assert_eq!(match_header(app, "Примечание"), None);
    }

    #[test]
    fn no_alias_is_claimed_by_two_fields() {
        for sheet in
            [SheetKind::Applications, SheetKind::Items, SheetKind::Animals, SheetKind::Farms, SheetKind::Register]
        {
            let mut seen = std::collections::BTreeMap::new();
            for (i, f) in sheet.fields().iter().enumerate() {
                for a in f.aliases.iter().chain([&f.key]) {
                    if let Some(j) = seen.insert(normalize_header(a), i) {
                        assert_eq!(i, j, "alias `{a}` used by two fields");
                    }
                }
            }
        }
    }
}

/// Positions of the application fields in [`APPLICATION_FIELDS`].
pub mod app {
    pub const APP_NO: usize = 0;
    pub const SUBMITTED_AT: usize = 1;
    pub const REGION: usize = 2;
    pub const DISTRICT: usize = 3;
    pub const TYPE_CODE: usize = 4;
    pub const TYPE_NAME: usize = 5;
    pub const APPLICANT_NAME: usize = 6;
    pub const APPLICANT_KIND: usize = 7;
    pub const TAX_ID: usize = 8;
    pub const RECORD_NO: usize = 9;
    pub const IBAN: usize = 10;
    pub const BIC: usize = 11;
    pub const KBE: usize = 12;
    pub const QUANTITY: usize = 13;
    pub const AMOUNT_CLAIMED: usize = 14;
    pub const HERD_SIZE: usize = 15;
    pub const OUTPUT_TONNES: usize = 16;
    pub const CONSENT: usize = 17;
    pub const EDS_SIGNER: usize = 18;
    pub const EDS_VALID_TO: usize = 19;
    pub const EDS_REVOKED: usize = 20;
    pub const PRODUCT_MADE: usize = 21;
    pub const PERIOD_FROM: usize = 22;
    pub const PERIOD_TO: usize = 23;
    pub const PRODUCED_KG: usize = 24;
    pub const SOLD_KG: usize = 25;
    pub const MILKING_FEMALES: usize = 26;
    pub const COLONIES: usize = 27;
    pub const SOWS: usize = 28;
}

/// Positions of the item fields in [`ITEM_FIELDS`].
pub mod item {
    pub const APP_NO: usize = 0;
    pub const ANIMAL_ID: usize = 1;
    pub const SEX_GROUP: usize = 2;
    pub const BREED: usize = 3;
    pub const BIRTH_DATE: usize = 4;
    pub const ISJ_REG_DATE: usize = 5;
    pub const AGE_MONTHS: usize = 6;
    pub const LIVE_WEIGHT_KG: usize = 7;
    pub const TRANSACTION_DATE: usize = 8;
    pub const PRICE: usize = 9;
    pub const ESF_NO: usize = 10;
    pub const ESF_DATE: usize = 11;
    pub const COUNTERPARTY_ID: usize = 12;
    pub const COUNTERPARTY_NAME: usize = 13;
    pub const COUNTRY: usize = 14;
    pub const VOLUME_KG: usize = 15;
    pub const HEAD_COUNT: usize = 16;
    pub const PRODUCT: usize = 17;
    pub const DOSES: usize = 18;
    pub const WOOL_QUALITY: usize = 19;
    pub const BUYER_KIND: usize = 20;
    pub const BUYER_CAPACITY: usize = 21;
    pub const INSEMINATION_CONFIRMED: usize = 22;
    pub const PREGNANCY_CONFIRMED: usize = 23;
    pub const PEDIGREE_STATUS: usize = 24;
}

#[cfg(test)]
mod index_tests {
    use super::*;

    #[test]
    fn index_constants_match_the_catalogue() {
        let a = |i: usize| APPLICATION_FIELDS[i].key;
        let pairs = [
            (app::APP_NO, "app_no"),
            (app::SUBMITTED_AT, "submitted_at"),
            (app::REGION, "region"),
            (app::DISTRICT, "district"),
            (app::TYPE_CODE, "type_code"),
            (app::TYPE_NAME, "type_name"),
            (app::APPLICANT_NAME, "applicant_name"),
            (app::APPLICANT_KIND, "applicant_kind"),
            (app::TAX_ID, "tax_id"),
            (app::RECORD_NO, "record_no"),
            (app::IBAN, "iban"),
            (app::BIC, "bic"),
            (app::KBE, "kbe"),
            (app::QUANTITY, "quantity"),
            (app::AMOUNT_CLAIMED, "amount_claimed"),
            (app::HERD_SIZE, "herd_size"),
            (app::OUTPUT_TONNES, "output_tonnes"),
            (app::CONSENT, "consent"),
            (app::EDS_SIGNER, "eds_signer"),
            (app::EDS_VALID_TO, "eds_valid_to"),
            (app::EDS_REVOKED, "eds_revoked"),
            (app::PRODUCT_MADE, "product_made"),
            (app::PERIOD_FROM, "period_from"),
            (app::PERIOD_TO, "period_to"),
            (app::PRODUCED_KG, "produced_kg"),
            (app::SOLD_KG, "sold_kg"),
            (app::MILKING_FEMALES, "milking_females"),
            (app::COLONIES, "colonies"),
            (app::SOWS, "sows"),
        ];
        assert_eq!(pairs.len(), APPLICATION_FIELDS.len());
        for (i, k) in pairs {
            assert_eq!(a(i), k);
        }
        let it = |i: usize| ITEM_FIELDS[i].key;
        let pairs = [
            (item::APP_NO, "app_no"),
            (item::ANIMAL_ID, "animal_id"),
            (item::SEX_GROUP, "sex_group"),
            (item::BREED, "breed"),
            (item::BIRTH_DATE, "birth_date"),
            (item::ISJ_REG_DATE, "isj_reg_date"),
            (item::AGE_MONTHS, "age_months"),
            (item::LIVE_WEIGHT_KG, "live_weight_kg"),
            (item::TRANSACTION_DATE, "transaction_date"),
            (item::PRICE, "price"),
            (item::ESF_NO, "esf_no"),
            (item::ESF_DATE, "esf_date"),
            (item::COUNTERPARTY_ID, "counterparty_id"),
            (item::COUNTERPARTY_NAME, "counterparty_name"),
            (item::COUNTRY, "country"),
            (item::VOLUME_KG, "volume_kg"),
            (item::HEAD_COUNT, "head_count"),
            (item::PRODUCT, "product"),
            (item::DOSES, "doses"),
            (item::WOOL_QUALITY, "wool_quality"),
            (item::BUYER_KIND, "buyer_kind"),
            (item::BUYER_CAPACITY, "buyer_capacity"),
            (item::INSEMINATION_CONFIRMED, "insemination_confirmed"),
            (item::PREGNANCY_CONFIRMED, "pregnancy_confirmed"),
            (item::PEDIGREE_STATUS, "pedigree_status"),
        ];
        assert_eq!(pairs.len(), ITEM_FIELDS.len());
        for (i, k) in pairs {
            assert_eq!(it(i), k);
        }
    }
}
