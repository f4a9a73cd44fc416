//! What an applicant reads for each field in a notice, in Russian and Kazakh: the names of the
//! application's columns and of the columns criteria derive from them (rules/schema.rs).

/// `(Russian, Kazakh)` label of a field key or derived column, lower-case unless a proper noun
/// or abbreviation, without units in brackets unless the value needs them (`возраст (мес.)`).
pub(crate) fn label(key: &str) -> Option<(&'static str, &'static str)> {
    // `price_tiyn` and every other `<money key>_tiyn` is labelled as its money field.
    let key = key.strip_suffix("_tiyn").unwrap_or(key);
    Some(match key {
        // The application (APPLICATION_FIELDS).
        "app_no" => ("номер заявки", "өтінім нөмірі"),
        "submitted_at" => ("дата и время подачи заявки", "өтінім берілген күні мен уақыты"),
        "region" => ("область", "облыс"),
        "district" => ("район", "аудан"),
        "type_code" => ("код вида субсидии", "субсидия түрінің коды"),
        "type_name" => ("наименование вида субсидии", "субсидия түрінің атауы"),
        "applicant_name" => ("заявитель", "өтініш беруші"),
        "applicant_kind" => ("тип заявителя", "өтініш беруші түрі"),
        "tax_id" => ("ИИН/БИН", "ЖСН/БСН"),
        "record_no" => ("учётный номер хозяйства", "шаруашылықтың есептік нөмірі"),
        "iban" => ("ИИК", "ЖСК"),
        "bic" => ("БИК", "БСК"),
        "kbe" => ("Кбе", "Кбе"),
        "quantity" => ("заявленное количество", "мәлімделген саны"),
        "amount_claimed" => ("заявленная сумма субсидий", "мәлімделген субсидия сомасы"),
        "herd_size" => ("поголовье в хозяйстве", "шаруашылықтағы мал басы"),
        "output_tonnes" => ("фактический объём производства (т)", "нақты өндіріс көлемі (т)"),
        "consent" => ("согласие на доступ к персональным данным", "дербес деректерге қол жеткізуге келісім"),
        "eds_signer" => ("ИИН/БИН владельца ЭЦП", "ЭЦҚ иесінің ЖСН/БСН"),
        "eds_valid_to" => ("срок действия ЭЦП", "ЭЦҚ қолданылу мерзімі"),
        "eds_revoked" => ("сертификат ЭЦП отозван", "ЭЦҚ тіркеу куәлігі кері қайтарып алынған"),
        "product_made" => ("производимая продукция", "өндірілетін өнім"),
        "period_from" => ("начало периода", "кезең басы"),
        "period_to" => ("конец периода", "кезең соңы"),
        "produced_kg" => ("объём производства за период (кг)", "кезеңдегі өндіріс көлемі (кг)"),
        "sold_kg" => ("объём реализации за период (кг)", "кезеңдегі өткізу көлемі (кг)"),
        "milking_females" => ("дойное поголовье", "сауын мал басы"),
        "colonies" => ("количество пчелосемей", "ара ұяларының саны"),
        "sows" => ("поголовье основных свиноматок", "негізгі мегежіндер саны"),

        // The items (ITEM_FIELDS).
        "animal_id" => ("ИНЖ", "ЖБН"),
        "sex_group" => ("половозрастная группа", "жыныстық-жас тобы"),
        "breed" => ("порода", "тұқымы"),
        "birth_date" => ("дата рождения", "туған күні"),
        "isj_reg_date" => ("дата регистрации в ИСЖ", "бірдейлендіру дерекқорында тіркелген күні"),
        "age_months" => ("возраст животного (мес.)", "жануардың жасы (ай)"),
        "live_weight_kg" => ("живой вес (кг)", "тірі салмағы (кг)"),
        "transaction_date" => ("дата сделки", "мәміле күні"),
        "price" => ("цена приобретения", "сатып алу бағасы"),
        "esf_no" => ("номер ЭСФ", "ЭШФ нөмірі"),
        "esf_date" => ("дата ЭСФ", "ЭШФ күні"),
        "counterparty_id" => ("ИИН/БИН контрагента", "контрагенттің ЖСН/БСН"),
        "counterparty_name" => ("наименование контрагента", "контрагенттің атауы"),
        "country" => ("страна происхождения", "шыққан елі"),
        "volume_kg" => ("объём продукции (кг)", "өнім көлемі (кг)"),
        "head_count" => ("количество голов", "бас саны"),
        "product" => ("закупаемая продукция", "сатып алынатын өнім"),
        "doses" => ("количество доз семени", "ұрық дозаларының саны"),
        "wool_quality" => ("качество шерсти", "жүн сапасы"),
        "buyer_kind" => ("вид покупателя", "сатып алушы түрі"),
        "buyer_capacity" => ("убойная мощность покупателя", "сатып алушының сою қуаты"),
        "insemination_confirmed" => ("осеменение подтверждено", "ұрықтандыру расталған"),
        "pregnancy_confirmed" => ("стельность подтверждена", "буаздық расталған"),
        "pedigree_status" => ("племенной статус и бонитировка", "асыл тұқымдық мәртебе және бонитировка"),

        // Derived columns (rules/schema.rs).
        "submitted_date" => ("дата подачи заявки", "өтінім берілген күні"),
        "window_from" => ("начало срока приёма заявок", "өтінімдерді қабылдау мерзімінің басы"),
        "window_to" => ("окончание срока приёма заявок", "өтінімдерді қабылдау мерзімінің соңы"),
        "item_count" => ("количество позиций в заявке", "өтінімдегі позициялар саны"),
        "head_total" => ("общее количество голов", "жалпы бас саны"),
        "tax_id_kind" => ("тип идентификационного номера", "сәйкестендіру нөмірінің түрі"),
        "applicant_tax_id" => ("ИИН/БИН заявителя", "өтініш берушінің ЖСН/БСН"),
        "claim_deadline" => ("последний день подачи заявки", "өтінім берудің соңғы күні"),
        "transaction_month" => ("месяц сделки", "мәміле айы"),

        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::catalogue::{APPLICATION_FIELDS, ITEM_FIELDS};
    use crate::rules::schema::{application_columns, item_columns};

    use super::label;

    /// Every field key of the two sheets and every column criteria can read.
    fn keys() -> Vec<String> {
        let fields = APPLICATION_FIELDS.iter().chain(ITEM_FIELDS).map(|f| f.key.to_owned());
        let columns = application_columns().into_iter().chain(item_columns()).map(|c| c.0);
        fields.chain(columns).collect()
    }

    #[test]
    fn every_field_and_derived_column_has_a_label() {
        let missing: Vec<String> = keys().into_iter().filter(|k| label(k).is_none()).collect();
        assert!(missing.is_empty(), "no label for: {missing:?}");
    }

    #[test]
    fn labels_are_short_cyrillic_and_trimmed() {
        for key in keys() {
            let (ru, kk) = label(&key).unwrap();
            for text in [ru, kk] {
                assert!(!text.chars().any(|c| c.is_ascii_alphabetic()), "`{key}`: Latin letters in «{text}»");
                assert!(!text.is_empty() && text.trim() == text, "`{key}`: «{text}» is empty or padded");
                assert!(text.split_whitespace().count() <= 6, "`{key}`: «{text}» is longer than 6 words");
            }
        }
    }

    #[test]
    fn money_columns_read_as_their_field() {
        assert_eq!(label("price_tiyn"), label("price"));
        assert_eq!(label("amount_claimed_tiyn"), label("amount_claimed"));
        assert_eq!(label("age_months"), Some(("возраст животного (мес.)", "жануардың жасы (ай)")));
        assert_eq!(label("no_such_column"), None);
    }
}
