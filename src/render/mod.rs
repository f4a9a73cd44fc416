//! Render: decisions -> notices (tera templates kept in `templates/`, editable without
//! recompiling). Templates are loaded and rendered once against a sample context before the
//! batch runs, so a misspelt variable stops the run with its template named, like a rule problem.
//! HTML is autoescaped: applicant text can never become markup.

#[cfg(feature = "pdf")]
pub mod markup;
pub mod notice;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod report;
pub mod wording;

use std::path::Path;
use std::sync::Arc;

use crate::diag::{Diagnostic, RuleCode};

/// Templates every batch needs.
pub const REQUIRED: [&str; 7] = [
    "notices/approved.html.tera",
    "notices/later.html.tera",
    "notices/payment.html.tera",
    "notices/refused.html.tera",
    "notices/waiting.html.tera",
    "notices/index.html.tera",
    "report.html.tera",
];

/// The template of the PDF notices, beside the HTML ones.
pub const PDF_TEMPLATE: &str = "notice.typ";

/// A notice's pages as laid out for its PDF, kept for the batch's one PDF.
#[cfg(feature = "pdf")]
pub type Pages = Vec<typst_layout::Page>;
/// Without the `pdf` feature there are no pages.
#[cfg(not(feature = "pdf"))]
pub type Pages = ();

/// Loaded, checked templates.
#[derive(Debug)]
pub struct Templates {
    tera: tera::Tera,
    #[cfg(feature = "pdf")]
    typesetter: Option<pdf::Typesetter>,
    /// The payment lists' layout (`payment-list.toml`).
    pub layout: crate::write::layout::Layout,
    /// `(path, sha256)` of every template file, for the manifest.
    pub files: Vec<(String, String)>,
}

/// Why templates could not be used.
#[derive(Debug)]
pub enum TemplatesError {
    Io(anyhow::Error),
    Invalid(Vec<Diagnostic>, crate::diag::SourceMap),
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for e in fs_err::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "tera") {
            out.push(p);
        }
    }
    Ok(())
}

/// The message of a tera error with its causes (they hold the line and column).
fn chain(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s.replace('\n', " ")
}

impl Templates {
    /// Reads every `*.tera` file under `dir` and renders each required template with a sample
    /// context; with `pdf`, also typesets a sample with `notice.typ` (a run without PDFs does not
    /// pay for that).
    pub fn load(dir: &Path, pdf: bool) -> Result<Templates, TemplatesError> {
        let mut paths = Vec::new();
        walk(dir, &mut paths).map_err(|e| {
            TemplatesError::Io(
                anyhow::Error::new(e).context(format!("cannot read the templates in `{}`", dir.display())),
            )
        })?;
        paths.sort();
        let mut raw = Vec::new();
        let mut files = Vec::new();
        for p in &paths {
            let text = fs_err::read_to_string(p).map_err(|e| TemplatesError::Io(e.into()))?;
            let name = p.strip_prefix(dir).unwrap_or(p).to_string_lossy().replace('\\', "/");
            files.push((p.to_string_lossy().into_owned(), crate::digest::sha256_hex(text.as_bytes())));
            raw.push((name, text));
        }
        let dir_name: Arc<str> = dir.to_string_lossy().into();
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html.tera", ".html"]);
        if let Err(e) = tera.add_raw_templates(raw) {
            return Err(TemplatesError::Invalid(
                vec![Diagnostic::new(RuleCode::T001TemplateSyntax, &dir_name, None, chain(&e))],
                crate::diag::SourceMap::default(),
            ));
        }
        let mut diags = Vec::new();
        // The payment list's layout, checked with the templates; its problems name their lines.
        let mut sources = crate::diag::SourceMap::default();
        let layout_path = dir.join(crate::write::layout::FILE);
        let layout = match fs_err::read_to_string(&layout_path) {
            Ok(text) => {
                files.push((layout_path.to_string_lossy().into_owned(), crate::digest::sha256_hex(text.as_bytes())));
                let file: Arc<str> = layout_path.to_string_lossy().into();
                match crate::write::layout::parse(&file, &text) {
                    Ok(l) => Some(l),
                    Err((d, s)) => {
                        diags.extend(d);
                        sources.merge(s);
                        None
                    }
                }
            }
            Err(_) => {
                diags.push(Diagnostic::new(
                    RuleCode::T003MissingTemplate,
                    &dir_name,
                    None,
                    format!("`{}` (the payment lists' layout) is missing", crate::write::layout::FILE),
                ));
                None
            }
        };
        let names: Vec<String> = tera.get_template_names().map(str::to_owned).collect();
        for required in REQUIRED {
            if !names.iter().any(|n| n == required) {
                diags.push(Diagnostic::new(
                    RuleCode::T003MissingTemplate,
                    &dir_name,
                    None,
                    format!("template `{required}` is missing"),
                ));
            }
        }
        #[cfg(feature = "pdf")]
        let typesetter = {
            let path = dir.join(PDF_TEMPLATE);
            match fs_err::read_to_string(&path) {
                Ok(text) => {
                    files.push((path.to_string_lossy().into_owned(), crate::digest::sha256_hex(text.as_bytes())));
                    Some(pdf::Typesetter::new(&path.to_string_lossy(), text))
                }
                Err(_) => {
                    diags.push(Diagnostic::new(
                        RuleCode::T003MissingTemplate,
                        &dir_name,
                        None,
                        format!("template `{PDF_TEMPLATE}` (the PDF notices) is missing"),
                    ));
                    None
                }
            }
        };
        let t = Templates {
            tera,
            files,
            layout: layout.unwrap_or_else(crate::write::layout::Layout::empty),
            #[cfg(feature = "pdf")]
            typesetter,
        };
        let samples = [
            ("notices/approved.html.tera", tera::Context::from_serialize(notice::Notice::sample())),
            ("notices/payment.html.tera", tera::Context::from_serialize(notice::Notice::sample())),
            ("notices/refused.html.tera", tera::Context::from_serialize(notice::Notice::sample())),
            ("notices/waiting.html.tera", tera::Context::from_serialize(notice::Notice::sample())),
            ("notices/later.html.tera", tera::Context::from_serialize(notice::Notice::sample())),
            ("notices/index.html.tera", tera::Context::from_serialize(notice::Index::sample())),
            ("report.html.tera", tera::Context::from_serialize(report::Report::sample())),
        ];
        for (name, ctx) in samples {
            if !names.iter().any(|n| n == name) {
                continue;
            }
            let file: Arc<str> = format!("{}/{name}", dir.display()).into();
            match ctx.map_err(|e| chain(&e)).and_then(|c| t.tera.render(name, &c).map_err(|e| chain(&e))) {
                Ok(_) => {}
                Err(m) => diags.push(
                    Diagnostic::new(RuleCode::T002TemplateRender, &file, None, m)
                        .hint("templates may use only the variables listed in templates/README.md"),
                ),
            }
        }
        #[cfg(not(feature = "pdf"))]
        let _ = pdf;
        #[cfg(feature = "pdf")]
        if let (Some(ts), true, true) = (&t.typesetter, diags.is_empty(), pdf) {
            // The PDF template typesets a sample refusal, the notice with the most in it.
            let sample = t.render("notices/refused.html.tera", &notice::Notice::sample());
            if let Err(m) = sample.and_then(|html| ts.check(&html)) {
                let file: Arc<str> = dir.join(PDF_TEMPLATE).to_string_lossy().into();
                diags.push(Diagnostic::new(RuleCode::T002TemplateRender, &file, None, m));
            }
        }
        if diags.is_empty() { Ok(t) } else { Err(TemplatesError::Invalid(diags, sources)) }
    }

    /// A notice's PDF from its HTML, and its pages; `None` in a build without PDF.
    pub fn pdf(
        &self,
        html: &str,
        title: &str,
        author: &str,
        ctx: &crate::context::BatchContext,
    ) -> Option<Result<(Vec<u8>, Pages), String>> {
        #[cfg(feature = "pdf")]
        {
            let ts = self.typesetter.as_ref()?;
            Some(ts.typeset(html, title, author, ctx.draft, ctx.batch_date).map(|t| (t.pdf, t.pages)))
        }
        #[cfg(not(feature = "pdf"))]
        {
            let _ = (html, title, author, ctx);
            None
        }
    }

    /// The batch's notices in one PDF, from their pages in order; `None` in a build without PDF.
    pub fn bundle(
        &self,
        pages: Vec<Pages>,
        title: &str,
        ctx: &crate::context::BatchContext,
    ) -> Option<Result<Vec<u8>, String>> {
        #[cfg(feature = "pdf")]
        {
            self.typesetter.as_ref()?;
            Some(pdf::bundle(pages.into_iter().flatten().collect(), title, ctx.batch_date))
        }
        #[cfg(not(feature = "pdf"))]
        {
            let _ = (pages, title, ctx);
            None
        }
    }

    /// Lets the typesetter forget what it memoised; called between chunks of a long batch.
    pub fn forget(&self) {
        #[cfg(feature = "pdf")]
        pdf::forget();
    }

    pub fn render(&self, name: &str, ctx: &impl serde::Serialize) -> Result<String, String> {
        let c = tera::Context::from_serialize(ctx).map_err(|e| chain(&e))?;
        self.tera.render(name, &c).map_err(|e| chain(&e))
    }
}
