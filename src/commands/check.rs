//! `subsidy check`: every problem of the rules and templates, and the values still to confirm.

use std::io::Write as _;

use super::{fail, report};
use crate::exit::ExitStatus;
use crate::rules::RulesError;

pub(super) fn check(args: &crate::cli::CheckArgs) -> ExitStatus {
    use crate::cli::DiagnosticFormat as F;
    let format = if args.short { F::Short } else { args.format };
    let mut diags = Vec::new();
    let mut sources;
    let rules = match crate::rules::load_for(&args.rules.rules, args.rules.region.as_deref()) {
        Ok(r) => {
            diags.extend(r.warnings.iter().cloned());
            sources = r.sources.clone();
            Some(r)
        }
        Err(RulesError::Io(e)) => {
            return fail(&e.context(format!("cannot load the rules from `{}`", args.rules.rules.display())));
        }
        Err(RulesError::Invalid(d, s)) => {
            diags.extend(d);
            sources = s;
            None
        }
    };
    let templates = match crate::render::Templates::load(&args.templates.templates, true) {
        Ok(t) => Some(t),
        Err(crate::render::TemplatesError::Io(e)) => return fail(&e),
        Err(crate::render::TemplatesError::Invalid(d, s)) => {
            diags.extend(d);
            sources.merge(s);
            None
        }
    };
    if format == F::Json {
        let list: Vec<serde_json::Value> = diags.iter().map(|d| sources.to_json(d)).collect();
        let _ = writeln!(std::io::stdout(), "{}", serde_json::to_string_pretty(&list).unwrap_or_default());
        return if diags.iter().all(|d| d.warning) { ExitStatus::Success } else { ExitStatus::BadRules };
    }
    if diags.iter().any(|d| !d.warning) {
        return report(&diags, &sources, format == F::Short, "rules and templates");
    }
    let mut err = std::io::stderr().lock();
    for d in &diags {
        let text = if format == F::Short { sources.render_short(d) + "\n" } else { sources.render(d) };
        let _ = write!(err, "{text}");
    }
    drop(err);
    if !diags.is_empty() {
        let n = diags.len();
        let _ = writeln!(
            std::io::stderr(),
            "warning: {n} value{} of the rules rest{} on an assumption (R020 above); confirm them",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" }
        );
    }
    if let (Some(r), Some(t)) = (rules, templates) {
        let _ = writeln!(
            std::io::stderr(),
            "rules are valid: {} subsidy types in {} services ({}), {} banks; {} templates",
            r.programs.len(),
            r.services.len(),
            r.services.keys().cloned().collect::<Vec<_>>().join(", "),
            r.banks.len(),
            t.files.len()
        );
    }
    ExitStatus::Success
}
