//! The crate's modules form layers: a module names only modules of lower layers, and no file of
//! the crate imports one that imports it back. Read from the `crate::` and `super::` paths of
//! every source file (test modules aside), so a new dependency that breaks the order fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules by layer, lowest first (README.md «Development» explains them).
const LAYERS: &[&[&str]] = &[
    // Domain values, digests, the batch's dates and exit codes: no knowledge of stages.
    &["domain", "digest", "context", "exit", "failpoint"],
    // The catalogue of input fields: what each column holds and its header names.
    &["catalogue"],
    // Records, problems, rule diagnostics, outcomes, the ledger's history as data, allocation.
    &["application", "problem", "diag", "history", "allocate"],
    // What became of an application, as data; the applicant's words for input problems.
    &["outcome", "problem_words"],
    // Reading spreadsheets and CSV into records.
    &["ingest"],
    // The rule model.
    &["rules"],
    &["validate"],
    &["decide"],
    // Checks after deciding that refuse decisions: the registries, subjects claimed twice.
    &["registry", "subjects"],
    // The budget queue: computes each application's outcome once.
    &["queue"],
    &["batch"],
    &["totals"],
    // Adapters that write: workbooks, the ledger; the sample generator.
    &["write", "ledger", "sample"],
    &["render", "explain", "compare", "audit", "casebook"],
    &["pipeline"],
    // The command line's arguments, then one module per command.
    &["cli"],
    &["commands"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// `src/write/payments.rs` -> `write::payments`; `src/write/mod.rs` -> `write`.
fn module_path(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs_err::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments and without its test module.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod ") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The paths that follow `prefix` (`crate::` or `super::`), groups `{a::b, c}` expanded one level.
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(std::mem::take(&mut item));
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            out.push(item);
        } else {
            out.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect());
        }
    }
    out.into_iter()
        .map(|p| p.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect::<String>())
        .map(|p| p.trim_end_matches(':').to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The longest module of `modules` that `path` starts with.
fn resolve<'m>(path: &str, modules: &'m BTreeSet<String>) -> Option<&'m String> {
    let segs: Vec<&str> = path.split("::").collect();
    (1..=segs.len()).rev().find_map(|n| modules.get(&segs[..n].join("::")))
}

/// File-level imports: module -> modules it names.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut list = Vec::new();
    files(&src, &mut list);
    let texts: BTreeMap<String, String> = list
        .iter()
        .map(|f| (module_path(&src, f), code(&fs_err::read_to_string(f).unwrap())))
        .filter(|(m, _)| m != "lib" && m != "main")
        .collect();
    let modules: BTreeSet<String> = texts.keys().cloned().collect();
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, text) in &texts {
        let parent = m.rsplit_once("::").map_or("", |(p, _)| p);
        let named = paths_after(text, "crate::")
            .into_iter()
            .chain(
                paths_after(text, "super::")
                    .into_iter()
                    .map(|p| if parent.is_empty() { p } else { format!("{parent}::{p}") }),
            )
            .filter_map(|p| resolve(&p, &modules).cloned());
        let deps = g.entry(m.clone()).or_default();
        // A module's own parents hold its declaration, not a dependency of it.
        deps.extend(named.filter(|t| t != m && !m.starts_with(&format!("{t}::"))));
    }
    g
}

fn top(m: &str) -> &str {
    m.split("::").next().unwrap()
}

#[test]
fn every_module_names_only_lower_layers() {
    let g = graph();
    let mut wrong = Vec::new();
    for (m, deps) in &g {
        let Some(own) = layer_of(top(m)) else {
            wrong.push(format!("{m}: module `{}` has no layer in tests/suite/layers.rs", top(m)));
            continue;
        };
        for d in deps.iter().filter(|d| top(d) != top(m)) {
            match layer_of(top(d)) {
                Some(l) if l < own => {}
                _ => wrong.push(format!("{m} names {d}, which is not in a lower layer")),
            }
        }
    }
    assert!(wrong.is_empty(), "layer order broken:\n{}", wrong.join("\n"));
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    let g = graph();
    // Tarjan's strongly connected components over the files.
    struct T<'g> {
        g: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        cycles: Vec<Vec<&'g str>>,
    }
    impl<'g> T<'g> {
        fn visit(&mut self, v: &'g str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            for w in self.g.get(v).into_iter().flatten() {
                if !self.index.contains_key(w.as_str()) {
                    self.visit(w);
                    let l = self.low[w.as_str()].min(self.low[v]);
                    self.low.insert(v, l);
                } else if self.stack.contains(&w.as_str()) {
                    let l = self.index[w.as_str()].min(self.low[v]);
                    self.low.insert(v, l);
                }
            }
            if self.low[v] == self.index[v] {
                let at = self.stack.iter().position(|x| *x == v).unwrap();
                let c = self.stack.split_off(at);
                if c.len() > 1 {
                    self.cycles.push(c);
                }
            }
        }
    }
    let mut t = T { g: &g, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), cycles: Vec::new() };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            t.visit(v);
        }
    }
    assert!(t.cycles.is_empty(), "import cycles: {:?}", t.cycles);
}

#[test]
fn the_reader_sees_imports_of_every_form() {
    let text = "use crate::{a::b, c::{d, e}};\nlet x = crate::f::g(1); // crate::h\nuse super::i;";
    let c = code(text);
    assert_eq!(paths_after(&c, "crate::"), ["a::b", "c", "f::g"]);
    assert_eq!(paths_after(&c, "super::"), ["i"]);
    let m: BTreeSet<String> = ["a", "a::b", "c"].map(str::to_owned).into();
    assert_eq!(resolve("a::b::X", &m).map(String::as_str), Some("a::b"));
    assert_eq!(resolve("c::d", &m).map(String::as_str), Some("c"));
}
