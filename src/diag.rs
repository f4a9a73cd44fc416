//! Diagnostics of rule files: collected, never printed by the code that finds them, rendered
//! rustc-style (`error[R003 overlapping-periods]: …`, `--> rules/programs/007.toml:12:5`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

/// Stable codes of rule-file problems; a code never changes meaning and is never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RuleCode {
    R001Syntax,
    R002DuplicateId,
    R003OverlappingPeriods,
    R004GapInPeriods,
    R005CriterionSyntax,
    R006UnknownField,
    R007NotBoolean,
    R008MissingLegalRef,
    R009EmptyPeriod,
    R010ProgramFile,
    R011BankDirectory,
    R012NoPrograms,
    R013MissingText,
    R014UnknownFieldName,
    R015UnknownBudgetProgram,
    R016Calendar,
    R017PayerDetails,
    R018BudgetPlan,
    R019Service,
    R020Unconfirmed,
    R021Amount,
    R022Region,
    R023ApprovedNotice,
    R024SubjectScope,
    R025SubjectPeriod,
    T001TemplateSyntax,
    T002TemplateRender,
    T003MissingTemplate,
    T004PaymentLayout,
}

impl RuleCode {
    pub fn id(self) -> &'static str {
        self.parts().0
    }

    pub fn name(self) -> &'static str {
        self.parts().1
    }

    fn parts(self) -> (&'static str, &'static str) {
        use RuleCode::*;
        match self {
            R001Syntax => ("R001", "invalid-toml"),
            R002DuplicateId => ("R002", "duplicate-id"),
            R003OverlappingPeriods => ("R003", "overlapping-periods"),
            R004GapInPeriods => ("R004", "gap-in-periods"),
            R005CriterionSyntax => ("R005", "criterion-syntax"),
            R006UnknownField => ("R006", "unknown-field"),
            R007NotBoolean => ("R007", "not-boolean"),
            R008MissingLegalRef => ("R008", "missing-legal-ref"),
            R009EmptyPeriod => ("R009", "empty-period"),
            R010ProgramFile => ("R010", "program-file"),
            R011BankDirectory => ("R011", "bank-directory"),
            R012NoPrograms => ("R012", "no-programs"),
            R013MissingText => ("R013", "missing-text"),
            R014UnknownFieldName => ("R014", "unknown-field-name"),
            R015UnknownBudgetProgram => ("R015", "unknown-budget-program"),
            R016Calendar => ("R016", "calendar"),
            R017PayerDetails => ("R017", "payer-details"),
            R018BudgetPlan => ("R018", "budget-plan"),
            R019Service => ("R019", "service"),
            R020Unconfirmed => ("R020", "unconfirmed"),
            R021Amount => ("R021", "amount"),
            R022Region => ("R022", "region"),
            R023ApprovedNotice => ("R023", "approved-notice"),
            R024SubjectScope => ("R024", "subject-scope"),
            R025SubjectPeriod => ("R025", "subject-period"),
            T001TemplateSyntax => ("T001", "template-syntax"),
            T002TemplateRender => ("T002", "template-render"),
            T003MissingTemplate => ("T003", "missing-template"),
            T004PaymentLayout => ("T004", "payment-layout"),
        }
    }
}

/// One problem in a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: RuleCode,
    pub message: String,
    pub file: Arc<str>,
    /// Byte range in the file, when known.
    pub span: Option<Range<usize>>,
    pub hints: Vec<String>,
    /// A warning does not stop a run: a value still to be confirmed.
    pub warning: bool,
}

impl Diagnostic {
    pub fn new(code: RuleCode, file: &Arc<str>, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic { code, message: message.into(), file: file.clone(), span, hints: Vec::new(), warning: false }
    }

    pub fn severity(&self) -> &'static str {
        if self.warning { "warning" } else { "error" }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

/// The text of every rule file, to turn byte spans into lines and columns.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: BTreeMap<Arc<str>, String>,
}

impl SourceMap {
    pub fn add(&mut self, file: Arc<str>, text: String) {
        self.files.insert(file, text);
    }

    /// The files of another map too (the templates' beside the rules').
    pub fn merge(&mut self, other: SourceMap) {
        self.files.extend(other.files);
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: &str, offset: usize) -> Option<(usize, usize)> {
        let text = self.files.get(file)?;
        let offset = offset.min(text.len());
        let before = text.get(..offset)?;
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((line, col))
    }

    fn line_text(&self, file: &str, line: usize) -> Option<&str> {
        self.files.get(file)?.lines().nth(line - 1)
    }

    /// Renders a diagnostic the way rustc does.
    pub fn render(&self, d: &Diagnostic) -> String {
        let mut out = format!("{}[{} {}]: {}\n", d.severity(), d.code.id(), d.code.name(), d.message);
        let pos = d.span.as_ref().and_then(|s| self.line_col(&d.file, s.start).map(|lc| (s, lc)));
        match pos {
            Some((span, (line, col))) => {
                let _ = writeln!(out, "  --> {}:{line}:{col}", d.file);
                if let Some(text) = self.line_text(&d.file, line) {
                    let width = line.to_string().len();
                    let len = self.files[&d.file]
                        .get(span.clone())
                        .map_or(1, |s| s.lines().next().map_or(1, |l| l.chars().count().max(1)));
                    let _ = writeln!(out, "{:width$} |", "");
                    let _ = writeln!(out, "{line} | {text}");
                    let _ = writeln!(out, "{:width$} | {}{}", "", " ".repeat(col - 1), "^".repeat(len));
                }
            }
            None => {
                let _ = writeln!(out, "  --> {}", d.file);
            }
        }
        for h in &d.hints {
            let _ = writeln!(out, "  = hint: {h}");
        }
        out
    }

    /// The diagnostic as JSON: code, name, message, file, line, column (1-based) and hints.
    pub fn to_json(&self, d: &Diagnostic) -> serde_json::Value {
        let pos = d.span.as_ref().and_then(|s| self.line_col(&d.file, s.start));
        serde_json::json!({
            "code": d.code.id(),
            "name": d.code.name(),
            "severity": d.severity(),
            "message": d.message,
            "file": d.file.as_ref(),
            "line": pos.map(|p| p.0),
            "column": pos.map(|p| p.1),
            "hints": d.hints,
        })
    }

    /// `file:line:col: error[CODE name]: message`, one line.
    pub fn render_short(&self, d: &Diagnostic) -> String {
        let at = d
            .span
            .as_ref()
            .and_then(|s| self.line_col(&d.file, s.start))
            .map_or_else(|| d.file.to_string(), |(l, c)| format!("{}:{l}:{c}", d.file));
        format!("{at}: {}[{} {}]: {}", d.severity(), d.code.id(), d.code.name(), d.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_line_column_and_caret() {
        let mut sm = SourceMap::default();
        let file: Arc<str> = "rules/x.toml".into();
        sm.add(file.clone(), "a = 1\nrequire = \"agee > 3\"\n".into());
        let d = Diagnostic::new(RuleCode::R006UnknownField, &file, Some(16..26), "unknown field `agee`")
            .hint("known fields: age_months");
        let r = sm.render(&d);
        assert!(r.starts_with("error[R006 unknown-field]: unknown field `agee`\n  --> rules/x.toml:2:11\n"), "{r}");
        assert!(r.contains("2 | require = \"agee > 3\"\n  |           ^^^^^^^^^^\n"), "{r}");
        assert!(r.ends_with("  = hint: known fields: age_months\n"));
        assert_eq!(sm.render_short(&d), "rules/x.toml:2:11: error[R006 unknown-field]: unknown field `agee`");
    }
}
