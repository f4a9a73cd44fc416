//! Render: decisions -> notices (tera templates kept in `templates/`, editable without
//! recompiling). Templates are loaded and rendered once against a sample context before the
//! batch runs, so a misspelt variable stops the run with its template named, like a rule problem.
//! HTML is autoescaped: applicant text can never become markup.

pub mod notice;
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

/// Loaded, checked templates.
#[derive(Debug)]
pub struct Templates {
    tera: tera::Tera,
    /// `(path, sha256)` of every template file, for the manifest.
    pub files: Vec<(String, String)>,
}

/// Why templates could not be used.
#[derive(Debug)]
pub enum TemplatesError {
    Io(anyhow::Error),
    Invalid(Vec<Diagnostic>),
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
    /// Reads every `*.tera` file under `dir` and renders each required template with a sample context.
    pub fn load(dir: &Path) -> Result<Templates, TemplatesError> {
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
            return Err(TemplatesError::Invalid(vec![Diagnostic::new(
                RuleCode::T001TemplateSyntax,
                &dir_name,
                None,
                chain(&e),
            )]));
        }
        let mut diags = Vec::new();
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
        let t = Templates { tera, files };
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
        if diags.is_empty() { Ok(t) } else { Err(TemplatesError::Invalid(diags)) }
    }

    pub fn render(&self, name: &str, ctx: &impl serde::Serialize) -> Result<String, String> {
        let c = tera::Context::from_serialize(ctx).map_err(|e| chain(&e))?;
        self.tera.render(name, &c).map_err(|e| chain(&e))
    }
}
