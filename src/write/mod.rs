//! Write: the batch's files, all or nothing. Files are written into a temporary folder beside
//! the output folder and moved into place only when every one of them is complete, so a failed
//! run leaves nothing under the final names.

pub mod layout;
pub mod manifest;
pub mod payments;
pub mod register;
pub mod sheet;

use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub use manifest::manifest;

/// A finished output file.
pub struct Output {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(
        "`{0}` exists and is not an output folder of subsidy (it holds no manifest.json that subsidy wrote); choose another `--out`"
    )]
    Foreign(PathBuf),
    #[error("cannot build `{name}`: {message}")]
    Build { name: String, message: String },
}

/// A file put into the staging folder: its name there and its SHA-256, for the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub name: String,
    pub sha256: String,
}

/// Outputs written in full into a temporary folder beside their final place, as they are made:
/// a national batch's notices never have to sit in memory together.
#[derive(Debug)]
pub struct Staged {
    /// `None` for a dry run: files are made and hashed, and nothing is written.
    tmp: Option<std::path::PathBuf>,
    out: std::path::PathBuf,
    /// What was found and put right from an earlier run stopped while publishing.
    pub recovered: Vec<String>,
}

/// Whether `dir` holds an output of this tool: a `manifest.json` that subsidy wrote.
pub fn is_output(dir: &Path) -> bool {
    let Ok(bytes) = fs_err::read(dir.join("manifest.json")) else { return false };
    let Ok(m) = serde_json::from_slice::<serde_json::Value>(&bytes) else { return false };
    m["tool"] == "subsidy" && m["batch_date"].is_string() && m["outputs"].is_array()
}

impl Staged {
    /// An empty temporary folder beside `out`; nothing appears under `out` yet.
    pub fn open(out: &Path) -> Result<Staged, WriteError> {
        let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs_err::create_dir_all(parent)?;
        let name = out.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
        let recovered = recover(parent, &name, out)?;
        if out.exists() && fs_err::read_dir(out)?.next().is_some() && !is_output(out) {
            return Err(WriteError::Foreign(out.to_owned()));
        }
        // Folders left by runs that were stopped before publishing are never under the final name;
        // clear them so they do not pile up.
        for e in fs_err::read_dir(parent)?.flatten() {
            if e.file_name().to_string_lossy().starts_with(&format!(".{name}.partial-")) {
                let _ = fs_err::remove_dir_all(e.path());
            }
        }
        let tmp = parent.join(format!(".{name}.partial-{}", std::process::id()));
        fs_err::create_dir(&tmp)?;
        Ok(Staged { tmp: Some(tmp), out: out.to_owned(), recovered })
    }

    /// The staging folder, where workbooks keep their temporary files too (not the system's
    /// temporary folder, which may be small or full).
    pub fn dir(&self) -> Option<&Path> {
        self.tmp.as_deref()
    }

    /// Stages nothing: every file is still made and hashed (a dry run).
    pub fn dry() -> Staged {
        Staged { tmp: None, out: PathBuf::new(), recovered: Vec::new() }
    }

    /// Writes one file. Notices are put from several threads at once, so that the file system's
    /// latency overlaps; no fsync per file: what protects a stopped run is that nothing is
    /// renamed into place before everything is written and the ledger has committed.
    pub fn put(&self, name: &str, bytes: &[u8]) -> Result<Written, WriteError> {
        if let Some(path) = self.path_of(name)? {
            fs_err::write(path, bytes)?;
        }
        Ok(Written { name: name.to_owned(), sha256: manifest::sha256_hex(bytes) })
    }

    /// Saves a workbook straight into the folder (a national register need not be held twice).
    pub fn put_workbook(&self, name: &str, wb: &mut rust_xlsxwriter::Workbook) -> Result<Written, WriteError> {
        let build = |e: rust_xlsxwriter::XlsxError| WriteError::Build { name: name.to_owned(), message: e.to_string() };
        let Some(path) = self.path_of(name)? else {
            return self.put(name, &wb.save_to_buffer().map_err(build)?);
        };
        wb.save(&path).map_err(build)?;
        Ok(Written { name: name.to_owned(), sha256: manifest::sha256_file(&path)? })
    }

    fn path_of(&self, name: &str) -> Result<Option<PathBuf>, WriteError> {
        let Some(tmp) = &self.tmp else { return Ok(None) };
        let path = tmp.join(name);
        if let Some(dir) = path.parent().filter(|d| d != tmp) {
            fs_err::create_dir_all(dir)?;
        }
        Ok(Some(path))
    }

    /// Moves the staged folder into place, replacing an earlier output there: the earlier one is
    /// moved aside, the new one renamed into place, then the earlier one deleted. A run stopped
    /// between those steps is put right by the next one ([`recover`]).
    pub fn publish(self) -> Result<(), WriteError> {
        let Some(tmp) = self.tmp else { return Ok(()) };
        let parent = tmp.parent().unwrap_or(Path::new(".")).to_owned();
        let name = self.out.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if self.out.exists() {
            fs_err::rename(&self.out, &old)?;
            crate::failpoint::failpoint("publish-moved-aside");
        }
        if let Err(e) = fs_err::rename(&tmp, &self.out) {
            if old.exists() {
                let _ = fs_err::rename(&old, &self.out);
            }
            return Err(e.into());
        }
        crate::failpoint::failpoint("publish-in-place");
        if old.exists() {
            remove_tree(&old)?;
        }
        Ok(())
    }

    /// Removes the staged folder (the run was stopped before publishing).
    pub fn discard(self) {
        if let Some(tmp) = &self.tmp {
            let _ = fs_err::remove_dir_all(tmp);
        }
    }
}

/// Puts right what a run stopped while publishing left beside `out`: an earlier output moved aside
/// (`.<name>.old-<pid>`) goes back when nothing took its place, and is deleted when the new output
/// is in place. Says what it did.
fn recover(parent: &Path, name: &str, out: &Path) -> Result<Vec<String>, WriteError> {
    let mut notes = Vec::new();
    let mut aside: Vec<PathBuf> = fs_err::read_dir(parent)?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&format!(".{name}.old-")))
        .map(|e| e.path())
        .collect();
    aside.sort();
    for old in aside {
        // A folder being deleted lost its manifest first, so it is never put back half-deleted.
        if !out.exists() && is_output(&old) {
            fs_err::rename(&old, out)?;
            notes.push(format!(
                "a run stopped while publishing had moved the previous output aside to `{}`; it is back in `{}`",
                old.display(),
                out.display()
            ));
        } else {
            remove_tree(&old)?;
            notes.push(format!(
                "removed `{}`, an earlier output a stopped run had not finished deleting",
                old.display()
            ));
        }
    }
    Ok(notes)
}

/// Removes an earlier output folder: its manifest first (so a folder half-deleted is never taken
/// for an output), then its thousands of notices side by side, then what is left (folders).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let manifest = dir.join("manifest.json");
    if manifest.exists() {
        fs_err::remove_file(&manifest)?;
    }
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in fs_err::read_dir(&d)? {
            let e = e?;
            if e.file_type()?.is_dir() {
                stack.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    let (first, rest) = files.split_at(files.len() / 2);
    first.par_iter().try_for_each(fs_err::remove_file)?;
    crate::failpoint::failpoint("publish-deleting");
    rest.par_iter().try_for_each(fs_err::remove_file)?;
    fs_err::remove_dir_all(dir)
}

/// Writes one file atomically: a temporary file beside it, then a rename.
pub fn stage_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs_err::create_dir_all(dir)?;
    let name = path.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.partial-{}", std::process::id()));
    fs_err::write(&tmp, bytes)?;
    fs_err::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_an_earlier_output_and_refuses_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("2025-04");
        let commit = |out: &Path, files: &[(&str, &str)]| -> Result<(), WriteError> {
            let staged = Staged::open(out)?;
            for (name, text) in files {
                staged.put(name, text.as_bytes())?;
            }
            staged.publish()
        };
        let ours = |n: u32| format!(r#"{{"tool": "subsidy", "batch_date": "2025-04-30", "outputs": [], "n": {n}}}"#);
        commit(&out, &[("manifest.json", &ours(1)), ("a.txt", "a")]).unwrap();
        commit(&out, &[("manifest.json", &ours(2))]).unwrap();
        assert_eq!(fs_err::read_to_string(out.join("manifest.json")).unwrap(), ours(2));
        assert!(!out.join("a.txt").exists());
        let names: Vec<_> = fs_err::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["2025-04"], "no temporary folder is left behind");

        let foreign = dir.path().join("docs");
        fs_err::create_dir(&foreign).unwrap();
        fs_err::write(foreign.join("x"), "x").unwrap();
        assert!(matches!(commit(&foreign, &[("manifest.json", "1")]), Err(WriteError::Foreign(_))));
        // A web project's manifest.json is not ours: the folder is left alone.
        let web = dir.path().join("site");
        fs_err::create_dir(&web).unwrap();
        fs_err::write(web.join("manifest.json"), r#"{"name": "app", "icons": []}"#).unwrap();
        assert!(matches!(commit(&web, &[("manifest.json", &ours(1))]), Err(WriteError::Foreign(_))));
        assert!(web.join("manifest.json").exists());
    }

    #[test]
    fn an_output_moved_aside_comes_back_and_a_half_deleted_one_goes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("2025-04");
        let ours = r#"{"tool": "subsidy", "batch_date": "2025-04-30", "outputs": []}"#;
        // Stopped between the renames: the previous output is aside, nothing in place.
        let aside = dir.path().join(".2025-04.old-99");
        fs_err::create_dir(&aside).unwrap();
        fs_err::write(aside.join("manifest.json"), ours).unwrap();
        let s = Staged::open(&out).unwrap();
        assert!(out.join("manifest.json").exists() && !aside.exists(), "put back");
        assert_eq!(s.recovered.len(), 1, "{:?}", s.recovered);
        s.discard();
        // Stopped while deleting: the new output is in place, the old one lost its manifest.
        fs_err::create_dir(&aside).unwrap();
        fs_err::write(aside.join("a.html"), "x").unwrap();
        let s = Staged::open(&out).unwrap();
        assert!(!aside.exists() && out.join("manifest.json").exists());
        assert!(s.recovered[0].contains("not finished deleting"), "{:?}", s.recovered);
        s.discard();
    }
}
