//! PDF notices, typeset in-process by Typst from `templates/notice.typ` and the notice's own HTML
//! (read back by [`super::markup`]), as PDF/A-2b with the one typeface built into the binary.

use std::sync::LazyLock;

use serde::Serialize;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::{Page, PagedDocument};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::markup::{self, Node};

/// The typeface: every Kazakh letter and the tenge sign (see `fonts/README.md`).
const FONTS: [&[u8]; 2] =
    [include_bytes!("../../fonts/DejaVuSerif.ttf"), include_bytes!("../../fonts/DejaVuSerif-Bold.ttf")];

/// What every notice shares: the library, the fonts and the template, made once.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONTS.iter().filter_map(|f| Font::new(Bytes::new(*f), 0)).collect();
    Shared {
        library: LazyHash::new(Library::builder().build()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// File ids go into a global table that is never emptied: the two files of every notice have
/// the same ids.
static MAIN: LazyLock<FileId> = LazyLock::new(|| id("/notice.typ"));
static DATA: LazyLock<FileId> = LazyLock::new(|| id("/notice.json"));

fn id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a fixed, valid path")).intern()
}

/// The template of the PDF notices, checked once when templates load.
#[derive(Debug, Clone)]
pub struct Typesetter {
    source: Source,
    /// Where the template was read from, for its problems.
    path: String,
}

/// What the template receives: `data` in `notice.typ`.
#[derive(Serialize)]
struct Data<'a> {
    title: &'a str,
    author: &'a str,
    draft: bool,
    body: Vec<Node>,
}

/// One notice being typeset: the shared parts and its own data.
struct Notice<'a> {
    source: &'a Source,
    data: Bytes,
    today: Datetime,
}

impl World for Notice<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }
    fn main(&self) -> FileId {
        *MAIN
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN { Ok(self.source.clone()) } else { Err(FileError::AccessDenied) }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *DATA { Ok(self.data.clone()) } else { Err(FileError::AccessDenied) }
    }
    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// A notice laid out: its pages, kept for the batch's one PDF.
#[derive(Debug, Clone)]
pub struct Typeset {
    pub pdf: Vec<u8>,
    pub pages: Vec<Page>,
}

impl Typesetter {
    /// The template as read from `path`; its problems show when [`Typesetter::check`] typesets a sample.
    pub fn new(path: &str, text: String) -> Typesetter {
        Typesetter { source: Source::new(*MAIN, text), path: path.to_owned() }
    }

    /// Typesets a notice from its HTML: the title and author go into the PDF's metadata, the
    /// date is the batch's (PDF/A needs one; nothing reads the clock).
    pub fn typeset(
        &self,
        html: &str,
        title: &str,
        author: &str,
        draft: bool,
        date: chrono::NaiveDate,
    ) -> Result<Typeset, String> {
        let doc = self.layout(html, title, author, draft, date)?;
        let pdf = export(&doc, date)?;
        Ok(Typeset { pdf, pages: doc.pages().to_vec() })
    }

    fn layout(
        &self,
        html: &str,
        title: &str,
        author: &str,
        draft: bool,
        date: chrono::NaiveDate,
    ) -> Result<PagedDocument, String> {
        let data = Data { title, author, draft, body: markup::body(html) };
        let json = serde_json::to_vec(&data).map_err(|e| e.to_string())?;
        let world = Notice { source: &self.source, data: Bytes::new(json), today: datetime(date) };
        typst::compile::<PagedDocument>(&world).output.map_err(|errors| self.describe(&errors))
    }

    /// Typesets a sample notice: a template that cannot make one stops the run before the batch.
    pub fn check(&self, html: &str) -> Result<(), String> {
        let date = chrono::NaiveDate::from_ymd_opt(2025, 4, 30).unwrap_or_default();
        self.typeset(html, "sample", "sample", true, date).map(|_| ())
    }

    /// Errors with the template's line, like a rule file's.
    fn describe(&self, errors: &[SourceDiagnostic]) -> String {
        errors
            .iter()
            .filter(|e| e.severity == Severity::Error)
            .map(|e| {
                let line = typst::WorldExt::range(
                    &Notice {
                        source: &self.source,
                        data: Bytes::new(Vec::new()),
                        today: datetime(chrono::NaiveDate::MIN),
                    },
                    e.span,
                )
                .and_then(|r| self.source.lines().byte_to_line(r.start));
                match line {
                    Some(l) => format!("{}:{}: {}", self.path, l + 1, e.message),
                    None => format!("{}: {}", self.path, e.message),
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn datetime(d: chrono::NaiveDate) -> Datetime {
    use chrono::Datelike;
    let (m, day) = (u8::try_from(d.month()).unwrap_or(1), u8::try_from(d.day()).unwrap_or(1));
    Datetime::from_ymd_hms(d.year(), m, day, 0, 0, 0).unwrap_or(Datetime::from_ymd(2000, 1, 1).expect("a valid date"))
}

fn export(doc: &PagedDocument, date: chrono::NaiveDate) -> Result<Vec<u8>, String> {
    let standards = PdfStandards::new(&[PdfStandard::A_2b]).map_err(|e| e.message().to_string())?;
    let options = PdfOptions {
        // The same inputs give the same bytes: the identifier and the date come from the batch.
        ident: typst::foundations::Smart::Custom(format!("subsidy-{date}")),
        timestamp: Some(Timestamp::new_utc(datetime(date))),
        standards,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(doc, &options)
        .map_err(|errors| errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
}

/// The batch's notices in one PDF for printing, in the order given: the pages already laid out.
pub fn bundle(pages: Vec<Page>, title: &str, date: chrono::NaiveDate) -> Result<Vec<u8>, String> {
    let info = typst::model::DocumentInfo { title: Some(title.into()), ..Default::default() };
    export(&PagedDocument::new(pages.into_iter().collect(), info), date)
}

/// Typst memoises across compilations; a long batch lets it forget between chunks.
pub fn forget() {
    typst::comemo::evict(0);
}

#[cfg(test)]
mod tests {
    use crate::render::Templates;
    use crate::render::notice::{Notice, NoticeReason};

    fn templates() -> Templates {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        Templates::load(&dir, true).map_err(|_| "the shipped templates load").unwrap()
    }

    fn date() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2025, 4, 30).unwrap()
    }

    /// A refusal on three grounds, each with the longest texts the shipped rules give, stays
    /// within two pages per language.
    #[test]
    fn a_refusal_with_three_reasons_stays_within_two_pages_per_language() {
        let t = templates();
        let reason = |i: usize| {
            NoticeReason {
            id: format!("007-CRIT-{i}"),
            ground_ru: "несоответствие услугополучателя и (или) представленных материалов, объектов, данных и сведений, необходимых для оказания государственной услуги, требованиям, установленным нормативными правовыми актами".into(),
            ground_kk: "көрсетілетін қызметті алушының және (немесе) мемлекеттік қызметті көрсету үшін қажетті ұсынылған материалдардың, объектілердің, деректер мен мәліметтердің нормативтік құқықтық актілерде белгіленген талаптарға сәйкес келмеуі".into(),
            message_ru: "наличие регистрации приобретенного поголовья в ИБСПР и ИСЖ на момент подачи заявки; возраст маточного поголовья от 18 до 36 месяцев".into(),
            message_kk: "өтінім берілген кезде сатып алынған мал басының ИБСПР мен жануарларды бірдейлендіру жүйесінде тіркелуі; аналық мал басының жасы 18-ден 36 айға дейін".into(),
            legal_ref: "приложение 2 к Правилам субсидирования (приказ МСХ РК от 15.03.2019 № 108 в ред. приказа № 189), «Мясное и мясо-молочное скотоводство», строка 2, критерий 3: наличие регистрации приобретенного поголовья в ИБСПР и ИСЖ на момент подачи заявки".into(),
            legal_ref_kk: "Субсидиялау қағидаларына 2-қосымша (ҚР Ауыл шаруашылығы министрінің 2019 жылғы 15 наурыздағы № 108 бұйрығы, № 189 бұйрығының редакциясында), «Етті және етті-сүтті мал шаруашылығы», 2-жол, 3-өлшемшарт: өтінім берілген кезде сатып алынған мал басының ИБСПР мен жануарларды бірдейлендіру жүйесінде (ИСЖ) тіркелуі".into(),
            found_ru: (1..=12).map(|k| format!("позиция {k}: возраст животного (мес.) — 4{k}")).collect::<Vec<_>>().join("; "),
            found_kk: (1..=12).map(|k| format!("{k}-позиция: жануардың жасы (ай) — 4{k}")).collect::<Vec<_>>().join("; "),
        }
        };
        let n = Notice { reasons: (1..=3).map(reason).collect(), outcome: "refused".into(), ..Notice::sample() };
        let html = t.render("notices/refused.html.tera", &n).unwrap();
        let typeset = t.typesetter.as_ref().unwrap().typeset(&html, "00700100000001", "ГУ", true, date()).unwrap();
        assert!((2..=4).contains(&typeset.pages.len()), "{} pages", typeset.pages.len());
        assert!(typeset.pdf.starts_with(b"%PDF-"));
    }

    /// The same notice gives the same bytes: nothing of the clock or the machine goes in.
    #[test]
    fn a_notice_typesets_to_the_same_bytes_every_time() {
        let t = templates();
        let html = t.render("notices/approved.html.tera", &Notice::sample()).unwrap();
        let ts = t.typesetter.as_ref().unwrap();
        let a = ts.typeset(&html, "x", "y", false, date()).unwrap();
        let b = ts.typeset(&html, "x", "y", false, date()).unwrap();
        assert_eq!(a.pdf, b.pdf);
        // PDF/A-2b says so in its metadata.
        let text = String::from_utf8_lossy(&a.pdf);
        assert!(text.contains("pdfaid:part") || text.contains("pdfaid"), "no PDF/A identification");
    }

    /// A template problem names its line.
    #[test]
    fn a_broken_template_names_its_line() {
        let ts = super::Typesetter::new(
            "templates/notice.typ",
            "#let data = json(\"/notice.json\")\n\n#data.nothing\n".into(),
        );
        let e = ts.check("<body><p>x</p></body>").unwrap_err();
        assert!(e.starts_with("templates/notice.typ:3: "), "{e}");
    }
}
