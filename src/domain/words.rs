//! Amounts in words (сумма прописью / сома жазбаша) in Russian and Kazakh, following num2words'
//! `lang_RU` and `lang_KZ` (vectors in `shared/domain/identifiers-and-payments.md` §3.6):
//! `1234567.89` -> «один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь тенге,
//! восемьдесят девять тиынов». Takes [`Money`], never a bare integer, so tenge and tiyn cannot be
//! confused.

use super::money::Money;

const RU_HUNDREDS: [&str; 10] =
    ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"];
const RU_TENS: [&str; 10] =
    ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"];
const RU_TEENS: [&str; 10] = [
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
];
const RU_ONES_M: [&str; 10] = ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"];
const RU_ONES_F: [&str; 10] = ["", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"];

/// (one, few, many) forms of each scale, from thousands up; thousands are feminine.
const RU_SCALES: [(&str, &str, &str, bool); 4] = [
    ("тысяча", "тысячи", "тысяч", true),
    ("миллион", "миллиона", "миллионов", false),
    ("миллиард", "миллиарда", "миллиардов", false),
    ("триллион", "триллиона", "триллионов", false),
];

const KK_ONES: [&str; 10] = ["", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"];
const KK_TENS: [&str; 10] = ["", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан"];
const KK_SCALES: [&str; 4] = ["мың", "миллион", "миллиард", "триллион"];

fn plural_ru<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    if (11..=14).contains(&(n % 100)) {
        return many;
    }
    match n % 10 {
        1 => one,
        2..=4 => few,
        _ => many,
    }
}

fn triad_ru(n: u64, feminine: bool, out: &mut Vec<&'static str>) {
    let n = usize::try_from(n).unwrap_or(0);
    out.push(RU_HUNDREDS[n / 100]);
    let r = n % 100;
    if (10..20).contains(&r) {
        out.push(RU_TEENS[r - 10]);
    } else {
        out.push(RU_TENS[r / 10]);
        out.push(if feminine { RU_ONES_F[r % 10] } else { RU_ONES_M[r % 10] });
    }
}

/// Groups of three digits, lowest first.
fn triads(mut n: u64) -> Vec<u64> {
    let mut t = Vec::new();
    while n > 0 {
        t.push(n % 1000);
        n /= 1000;
    }
    t
}

/// A whole number in Russian words, masculine (`один`, `два`).
pub fn number_ru(n: u64, feminine: bool) -> String {
    if n == 0 {
        return "ноль".into();
    }
    let mut words: Vec<&'static str> = Vec::new();
    let groups = triads(n);
    for (scale, &t) in groups.iter().enumerate().rev() {
        if t == 0 {
            continue;
        }
        match scale {
            0 => triad_ru(t, feminine, &mut words),
            s => {
                let (one, few, many, fem) = RU_SCALES[s - 1];
                triad_ru(t, fem, &mut words);
                words.push(plural_ru(t, one, few, many));
            }
        }
    }
    words.into_iter().filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

fn triad_kk(n: u64, out: &mut Vec<&'static str>) {
    let n = usize::try_from(n).unwrap_or(0);
    let (h, r) = (n / 100, n % 100);
    if h > 0 {
        // 100 is «жүз», not «бір жүз» (num2words).
        if h > 1 {
            out.push(KK_ONES[h]);
        }
        out.push("жүз");
    }
    out.push(KK_TENS[r / 10]);
    out.push(KK_ONES[r % 10]);
}

/// A whole number in Kazakh words.
pub fn number_kk(n: u64) -> String {
    if n == 0 {
        return "нөл".into();
    }
    let mut words: Vec<&'static str> = Vec::new();
    let groups = triads(n);
    for (scale, &t) in groups.iter().enumerate().rev() {
        if t == 0 {
            continue;
        }
        triad_kk(t, &mut words);
        if scale > 0 {
            words.push(KK_SCALES[scale - 1]);
        }
    }
    words.into_iter().filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// `один миллион … тенге, восемьдесят девять тиынов`.
pub fn amount_ru(m: Money) -> String {
    let (tenge, tiyn) = m.split();
    let (tenge, tiyn) = (tenge.unsigned_abs(), tiyn.unsigned_abs());
    format!(
        "{} тенге, {} {}",
        number_ru(tenge, false),
        number_ru(tiyn, false),
        plural_ru(tiyn, "тиын", "тиына", "тиынов")
    )
}

/// `бір миллион … теңге, сексен тоғыз тиын`.
pub fn amount_kk(m: Money) -> String {
    let (tenge, tiyn) = m.split();
    format!("{} теңге, {} тиын", number_kk(tenge.unsigned_abs()), number_kk(tiyn.unsigned_abs()))
}

/// The same with a capital first letter, as documents start a line.
pub fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_vectors() {
        let cases = [
            ("1.00", "один тенге, ноль тиынов", "бір теңге, нөл тиын"),
            ("2.00", "два тенге, ноль тиынов", "екі теңге, нөл тиын"),
            ("21.00", "двадцать один тенге, ноль тиынов", "жиырма бір теңге, нөл тиын"),
            ("101.00", "сто один тенге, ноль тиынов", "жүз бір теңге, нөл тиын"),
            ("1000.00", "одна тысяча тенге, ноль тиынов", "бір мың теңге, нөл тиын"),
            ("2000.00", "две тысячи тенге, ноль тиынов", "екі мың теңге, нөл тиын"),
            ("150000.00", "сто пятьдесят тысяч тенге, ноль тиынов", "жүз елу мың теңге, нөл тиын"),
            ("0.01", "ноль тенге, один тиын", "нөл теңге, бір тиын"),
            ("22.02", "двадцать два тенге, два тиына", "жиырма екі теңге, екі тиын"),
            ("45.11", "сорок пять тенге, одиннадцать тиынов", "қырық бес теңге, он бір тиын"),
            ("1001.01", "одна тысяча один тенге, один тиын", "бір мың бір теңге, бір тиын"),
            (
                "1234567.89",
                "один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь тенге, восемьдесят девять тиынов",
                "бір миллион екі жүз отыз төрт мың бес жүз алпыс жеті теңге, сексен тоғыз тиын",
            ),
            (
                "2500000.50",
                "два миллиона пятьсот тысяч тенге, пятьдесят тиынов",
                "екі миллион бес жүз мың теңге, елу тиын",
            ),
            (
                "3001002.04",
                "три миллиона одна тысяча два тенге, четыре тиына",
                "үш миллион бір мың екі теңге, төрт тиын",
            ),
        ];
        for (amount, ru, kk) in cases {
            let m: Money = amount.parse().unwrap();
            assert_eq!(amount_ru(m), ru, "{amount}");
            assert_eq!(amount_kk(m), kk, "{amount}");
        }
    }

    #[test]
    fn scales_and_teens() {
        assert_eq!(number_ru(11_000_000_014, false), "одиннадцать миллиардов четырнадцать");
        assert_eq!(number_ru(112, false), "сто двенадцать");
        assert_eq!(number_kk(100_000), "жүз мың");
        assert_eq!(capitalized("один тенге"), "Один тенге");
    }
}
