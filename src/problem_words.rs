//! What an applicant reads for each input problem, in Russian and Kazakh: what was wrong, in
//! words, without cell references, field keys or English. The register for staff keeps the
//! technical message; the notice adds the field's name and the item's number itself.

use crate::problem::Code;

/// `(Russian, Kazakh)`: a full sentence without a final full stop, e.g. for V002
/// `("ИИН/БИН указан с ошибкой: …", "ЖСН/БСН қатемен көрсетілген: …")`.
///
/// A text starts with a lower-case letter unless its first word is an abbreviation (ИИН/БИН, ИИК,
/// БИК), as the rule messages of the notices do, so it can follow «Поле «…»: » or a refusal
/// ground; to stand alone it needs only its first letter capitalised (which is safe for
/// abbreviations, while lower-casing them is not).
///
/// The texts say what is wrong, never where: one text serves the applicant's own field and an
/// item's field alike (V002 is raised for the seller's ИИН/БИН too). I002, I007 and I008 are not
/// refusals of the applicant's data, and I003, I005 and I006 belong to no application or concern
/// the whole file, but each still has a text.
pub(crate) fn applicant_text(code: Code) -> (&'static str, &'static str) {
    match code {
        Code::I001UnreadableCell => (
            "значение указано в неверном формате, поэтому его не удалось прочитать",
            "мән дұрыс емес форматта көрсетілгендіктен, оны оқу мүмкін болмады",
        ),
        Code::I002RestoredValue => (
            "значение указано без нулей в начале; недостающие нули восстановлены автоматически, просим проверить правильность значения",
            "мән басындағы нөлдерсіз көрсетілген; жетіспейтін нөлдер автоматты түрде қалпына келтірілді, мәннің дұрыстығын тексеруіңізді сұраймыз",
        ),
        Code::I003MissingColumn => (
            "в представленных данных отсутствуют сведения, обязательные для рассмотрения заявки",
            "ұсынылған деректерде өтінімді қарау үшін міндетті мәліметтер жоқ",
        ),
        Code::I004DuplicateApplication => (
            "заявка с этим номером представлена повторно; рассматривается только первая запись, повторная оставлена без рассмотрения",
            "осы нөмірмен өтінім қайта ұсынылған; тек бірінші жазба қаралады, қайталанған жазба қараусыз қалдырылды",
        ),
        Code::I005OrphanItem => (
            "сведения о животном или продукции относятся к заявке, которой нет среди представленных заявок",
            "жануар немесе өнім туралы мәліметтер ұсынылған өтінімдердің арасында жоқ өтінімге жатады",
        ),
        Code::I006NoApplicationNumber => (
            "номер заявки не указан или указан неверно (номер состоит из 14 цифр), поэтому сведения не могут быть рассмотрены",
            "өтінім нөмірі көрсетілмеген немесе қате көрсетілген (нөмір 14 цифрдан тұрады), сондықтан мәліметтерді қарау мүмкін емес",
        ),
        Code::I007AlreadyDecided => (
            "решение по заявке уже было принято ранее; повторно заявка не рассматривается",
            "өтінім бойынша шешім бұрын қабылданған; өтінім қайта қаралмайды",
        ),
        Code::I008OtherRegion => (
            "заявка относится к другому региону и рассматривается местным исполнительным органом этого региона",
            "өтінім басқа өңірге жатады және оны сол өңірдің жергілікті атқарушы органы қарайды",
        ),
        Code::V001MissingValue => ("обязательные сведения не указаны", "міндетті мәліметтер көрсетілмеген"),
        Code::V002TaxId => (
            "ИИН/БИН указан с ошибкой: номер не соответствует установленной структуре или не прошёл проверку контрольного разряда",
            "ЖСН/БСН қатемен көрсетілген: нөмір белгіленген құрылымға сәйкес келмейді немесе бақылау разрядын тексеруден өтпеді",
        ),
        Code::V003TaxIdKind => (
            "указан БИН вместо ИИН или ИИН вместо БИН: вид номера не соответствует категории заявителя",
            "ЖСН орнына БСН немесе БСН орнына ЖСН көрсетілген: нөмірдің түрі өтініш берушінің санатына сәйкес келмейді",
        ),
        Code::V004Iban => (
            "ИИК указан с ошибкой: номер счёта не соответствует установленному формату из 20 знаков или не прошёл проверку контрольных цифр",
            "ЖСК қатемен көрсетілген: шот нөмірі 20 таңбадан тұратын белгіленген форматқа сәйкес келмейді немесе бақылау цифрларын тексеруден өтпеді",
        ),
        Code::V005Bic => (
            "БИК указан с ошибкой или не соответствует банку, в котором открыт счёт (ИИК)",
            "БСК қатемен көрсетілген немесе шот (ЖСК) ашылған банкке сәйкес келмейді",
        ),
        Code::V006Kbe => (
            "код бенефициара (Кбе) указан с ошибкой или не соответствует категории заявителя",
            "бенефициар коды (Кбе) қатемен көрсетілген немесе өтініш берушінің санатына сәйкес келмейді",
        ),
        Code::V007DateOrder => (
            "указанная дата не согласуется с другими датами заявки (например, дата рождения животного позже даты сделки или дата сделки позже даты подачи заявки)",
            "көрсетілген күн өтінімдегі басқа күндерге сәйкес келмейді (мысалы, жануардың туған күні мәміле жасалған күннен кейін немесе мәміле жасалған күн өтінім берілген күннен кейін көрсетілген)",
        ),
        Code::V008NotPositive => (
            "значение должно быть больше нуля, однако указан ноль или отрицательное число",
            "мән нөлден үлкен болуы тиіс, алайда нөл немесе теріс сан көрсетілген",
        ),
        Code::V009EdsSigner => (
            "заявка подписана электронной цифровой подписью (ЭЦП) не заявителя, а другого лица",
            "өтінімге өтініш беруші емес, басқа тұлға электрондық цифрлық қолтаңбамен (ЭЦҚ) қол қойған",
        ),
        Code::V010EdsExpired => (
            "срок действия регистрационного свидетельства ЭЦП, которой подписана заявка, истёк до даты подписания",
            "өтінімге қол қойылған ЭЦҚ тіркеу куәлігінің қолданылу мерзімі қол қойылған күнге дейін аяқталған",
        ),
        Code::V011EdsRevoked => (
            "регистрационное свидетельство ЭЦП, которой подписана заявка, отозвано",
            "өтінімге қол қойылған ЭЦҚ тіркеу куәлігі кері қайтарып алынған",
        ),
        Code::V012NoConsent => (
            "не дано согласие на сбор и обработку персональных данных",
            "дербес деректерді жинауға және өңдеуге келісім берілмеген",
        ),
        Code::V013UnknownType => (
            "код вида субсидий в номере заявки не соответствует ни одному виду субсидий, по которым принимаются заявки",
            "өтінім нөміріндегі субсидиялар түрінің коды өтінімдер қабылданатын субсидиялар түрлерінің ешқайсысына сәйкес келмейді",
        ),
        Code::V014TypeMismatch => (
            "код вида субсидий не совпадает с видом субсидий, указанным в номере заявки",
            "субсидиялар түрінің коды өтінім нөмірінде көрсетілген субсидиялар түріне сәйкес келмейді",
        ),
        Code::V015NoItems => (
            "в заявке отсутствуют сведения о животных или продукции, на которые запрашивается субсидия",
            "өтінімде субсидия сұралатын жануарлар немесе өнім туралы мәліметтер жоқ",
        ),
        Code::V016QuantityMismatch => (
            "количество, указанное в заявке, не совпадает с общим количеством (объёмом) по сведениям о животных или продукции",
            "өтінімде көрсетілген сан жануарлар немесе өнім туралы мәліметтердегі жалпы санға (көлемге) сәйкес келмейді",
        ),
        Code::V017AgeMismatch => (
            "возраст животного в месяцах не соответствует дате его рождения и дате сделки",
            "жануардың айлармен көрсетілген жасы оның туған күні мен мәміле жасалған күніне сәйкес келмейді",
        ),
        Code::V018ApplicantKind => (
            "категория заявителя указана неверно или не предусмотрена для данного вида субсидий",
            "өтініш берушінің санаты қате көрсетілген немесе субсидиялардың осы түрі үшін көзделмеген",
        ),
        Code::V019FormulaLike => (
            "значение начинается со знака «=», «+», «-» или «@», как формула электронной таблицы; такое значение не принимается",
            "мән электрондық кестедегі формула сияқты «=», «+», «-» немесе «@» белгісінен басталады; мұндай мән қабылданбайды",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Code; 27] = [
        Code::I001UnreadableCell,
        Code::I002RestoredValue,
        Code::I003MissingColumn,
        Code::I004DuplicateApplication,
        Code::I005OrphanItem,
        Code::I006NoApplicationNumber,
        Code::I007AlreadyDecided,
        Code::I008OtherRegion,
        Code::V001MissingValue,
        Code::V002TaxId,
        Code::V003TaxIdKind,
        Code::V004Iban,
        Code::V005Bic,
        Code::V006Kbe,
        Code::V007DateOrder,
        Code::V008NotPositive,
        Code::V009EdsSigner,
        Code::V010EdsExpired,
        Code::V011EdsRevoked,
        Code::V012NoConsent,
        Code::V013UnknownType,
        Code::V014TypeMismatch,
        Code::V015NoItems,
        Code::V016QuantityMismatch,
        Code::V017AgeMismatch,
        Code::V018ApplicantKind,
        Code::V019FormulaLike,
    ];

    /// Stops compiling when a code is added to [`Code`] and not to [`ALL`].
    fn listed(code: Code) -> bool {
        match code {
            Code::I001UnreadableCell
            | Code::I002RestoredValue
            | Code::I003MissingColumn
            | Code::I004DuplicateApplication
            | Code::I005OrphanItem
            | Code::I006NoApplicationNumber
            | Code::I007AlreadyDecided
            | Code::I008OtherRegion
            | Code::V001MissingValue
            | Code::V002TaxId
            | Code::V003TaxIdKind
            | Code::V004Iban
            | Code::V005Bic
            | Code::V006Kbe
            | Code::V007DateOrder
            | Code::V008NotPositive
            | Code::V009EdsSigner
            | Code::V010EdsExpired
            | Code::V011EdsRevoked
            | Code::V012NoConsent
            | Code::V013UnknownType
            | Code::V014TypeMismatch
            | Code::V015NoItems
            | Code::V016QuantityMismatch
            | Code::V017AgeMismatch
            | Code::V018ApplicantKind
            | Code::V019FormulaLike => ALL.contains(&code),
        }
    }

    #[test]
    fn every_code_is_listed_once() {
        for code in ALL {
            assert!(listed(code), "{} is not in ALL", code.id());
        }
        let mut ids: Vec<&str> = ALL.iter().map(|c| c.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len(), "a code is listed twice");
    }

    #[test]
    fn texts_are_plain_words_for_the_applicant() {
        for code in ALL {
            let (ru, kk) = applicant_text(code);
            for (lang, text) in [("ru", ru), ("kk", kk)] {
                let id = code.id();
                assert!(!text.is_empty(), "{id} {lang}: empty");
                assert_eq!(text, text.trim(), "{id} {lang}: spaces at an end");
                assert!(!text.ends_with('.'), "{id} {lang}: ends with a full stop: {text}");
                assert!(!text.contains("  "), "{id} {lang}: double space: {text}");
                assert!(!text.chars().any(|c| c.is_ascii_alphabetic()), "{id} {lang}: Latin letter in «{text}»");
                assert!(!text.contains('`'), "{id} {lang}: backtick in «{text}»");
            }
            assert_ne!(ru, kk, "{}: the Kazakh text is the Russian one", code.id());
        }
    }

    #[test]
    fn kazakh_texts_are_written_in_kazakh() {
        const KAZAKH: &[char] = &['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і'];
        for code in ALL {
            let (ru, kk) = applicant_text(code);
            assert!(kk.contains(KAZAKH), "{}: no Kazakh letter in «{kk}»", code.id());
            assert!(!ru.contains(KAZAKH), "{}: Kazakh letter in the Russian «{ru}»", code.id());
        }
    }
}
