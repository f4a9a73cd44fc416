//! The rule folder's files as text: read from disk once, or given from memory (tests). Compiling
//! reads only from here, and records the SHA-256 of each file it uses, in the order it uses them
//! (the batch's fingerprint).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;

use super::RulesError;

/// The files of a rule folder, by path relative to it (`programs/007.toml`).
#[derive(Debug, Default)]
pub struct RuleFiles {
    root: PathBuf,
    texts: BTreeMap<String, Vec<u8>>,
    /// `(name, sha256)` of the files compiling used, in order.
    used: RefCell<Vec<(String, String)>>,
}

/// The folders whose `*.toml` files are rule files (`tests/` holds the analysts' cases instead).
const FOLDERS: [&str; 3] = ["regions", "services", "programs"];

impl RuleFiles {
    /// Reads `dir`: its own `*.toml` and `*.csv` files and the `*.toml` files of `regions/`, `services/` and
    /// `programs/` (which must exist).
    pub fn read(dir: &Path) -> Result<RuleFiles, RulesError> {
        let io = |e: anyhow::Error| RulesError::Io(e.context("cannot read the rules"));
        let mut texts = BTreeMap::new();
        let list = |d: &Path| -> anyhow::Result<Vec<PathBuf>> {
            let mut paths: Vec<PathBuf> = fs_err::read_dir(d)?.filter_map(Result::ok).map(|e| e.path()).collect();
            paths.sort();
            Ok(paths)
        };
        // Rule files only: the folder's README and other documents are not read.
        let rule_file = |p: &PathBuf| p.is_file() && p.extension().is_some_and(|e| e == "toml" || e == "csv");
        for p in list(dir).map_err(io)?.into_iter().filter(rule_file) {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            texts.insert(name, fs_err::read(&p).map_err(|e| io(e.into()))?);
        }
        for folder in FOLDERS {
            let d = dir.join(folder);
            if !d.is_dir() {
                if folder == "programs" {
                    return Err(RulesError::Io(anyhow::anyhow!("cannot list the subsidy types in `{}`", d.display())));
                }
                continue;
            }
            let paths = list(&d).with_context(|| format!("cannot list `{}`", d.display())).map_err(RulesError::Io)?;
            for p in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                texts.insert(format!("{folder}/{name}"), fs_err::read(&p).map_err(|e| io(e.into()))?);
            }
        }
        Ok(RuleFiles { root: dir.to_owned(), texts, used: RefCell::default() })
    }

    /// Rule files given as `(relative path, text)`, named as if under `root`.
    pub fn from_memory<'a>(root: &str, files: impl IntoIterator<Item = (&'a str, &'a str)>) -> RuleFiles {
        let texts = files.into_iter().map(|(p, t)| (p.to_owned(), t.as_bytes().to_vec())).collect();
        RuleFiles { root: PathBuf::from(root), texts, used: RefCell::default() }
    }

    /// Puts `text` in place of the file at `rel` (tests change one file of a real folder).
    pub fn set(&mut self, rel: &str, text: &str) {
        self.texts.insert(rel.to_owned(), text.as_bytes().to_vec());
    }

    /// The text of the file at `rel`, without recording it as used.
    pub fn text(&self, rel: &str) -> Option<String> {
        self.texts.get(rel).map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// The path a file is shown under in diagnostics (`rules/programs/007.toml`).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// A file's name for diagnostics and its text, recorded as used; `Err` when it is not there.
    pub fn get(&self, rel: &str) -> Result<(Arc<str>, String), RulesError> {
        let path = self.path(rel);
        let bytes = self.texts.get(rel).ok_or_else(|| {
            RulesError::Io(anyhow::anyhow!("cannot read the rules: `{}` does not exist", path.display()))
        })?;
        let name: Arc<str> = path.to_string_lossy().into();
        self.used.borrow_mut().push((name.to_string(), crate::digest::sha256_hex(bytes)));
        Ok((name, String::from_utf8_lossy(bytes).into_owned()))
    }

    /// The `*.toml` files of `folder` (`programs`), as relative paths in name order.
    pub fn toml_in(&self, folder: &str) -> Vec<String> {
        let prefix = format!("{folder}/");
        self.texts
            .keys()
            .filter(|k| k.starts_with(&prefix) && k.ends_with(".toml") && !k[prefix.len()..].contains('/'))
            .cloned()
            .collect()
    }

    /// `(name, sha256)` of every file used so far.
    pub fn used(&self) -> Vec<(String, String)> {
        self.used.borrow().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> RuleFiles {
        RuleFiles::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).unwrap()
    }

    /// Rules compiled from memory: the shipped folder with one file changed, no disk involved.
    #[test]
    fn rules_compile_from_memory_and_name_the_changed_file() {
        let mut rf = shipped();
        assert!(super::super::compile(&rf, None).is_ok());
        rf.set("programs/007.toml", "[type]\ncode = \"007\"\n");
        match super::super::compile(&rf, None) {
            Err(RulesError::Invalid(d, _)) => {
                assert!(!d.is_empty() && d.iter().all(|x| x.file.ends_with("programs/007.toml")), "{d:?}");
            }
            other => panic!("expected problems, got {:?}", other.err().map(|e| format!("{e:?}"))),
        }
        let rf = RuleFiles::from_memory("mem", [("service.toml", "")]);
        assert!(matches!(super::super::compile(&rf, None), Err(RulesError::Io(_))), "a folder without files");
    }
}
