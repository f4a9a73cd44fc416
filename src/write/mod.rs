//! Write: the batch's files, all or nothing. Files are written into a temporary folder beside
//! the output folder and moved into place only when every one of them is complete, so a failed
//! run leaves nothing under the final names.

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
    #[error("`{0}` exists and is not an output folder of subsidy (it has no manifest.json); choose another `--out`")]
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
}

impl Staged {
    /// An empty temporary folder beside `out`; nothing appears under `out` yet.
    pub fn open(out: &Path) -> Result<Staged, WriteError> {
        if out.exists() && !out.join("manifest.json").exists() && fs_err::read_dir(out)?.next().is_some() {
            return Err(WriteError::Foreign(out.to_owned()));
        }
        let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs_err::create_dir_all(parent)?;
        let name = out.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
        // Folders left by runs that were stopped before publishing are never under the final name;
        // clear them so they do not pile up.
        for e in fs_err::read_dir(parent)?.flatten() {
            if e.file_name().to_string_lossy().starts_with(&format!(".{name}.partial-")) {
                let _ = fs_err::remove_dir_all(e.path());
            }
        }
        let tmp = parent.join(format!(".{name}.partial-{}", std::process::id()));
        fs_err::create_dir(&tmp)?;
        Ok(Staged { tmp: Some(tmp), out: out.to_owned() })
    }

    /// Stages nothing: every file is still made and hashed (a dry run).
    pub fn dry() -> Staged {
        Staged { tmp: None, out: PathBuf::new() }
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

    /// Moves the staged folder into place, replacing an earlier output there.
    pub fn publish(self) -> Result<(), WriteError> {
        let Some(tmp) = self.tmp else { return Ok(()) };
        let parent = tmp.parent().unwrap_or(Path::new(".")).to_owned();
        let name = self.out.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if self.out.exists() {
            fs_err::rename(&self.out, &old)?;
        }
        if let Err(e) = fs_err::rename(&tmp, &self.out) {
            if old.exists() {
                let _ = fs_err::rename(&old, &self.out);
            }
            return Err(e.into());
        }
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

/// Removes an earlier output folder: its thousands of notices are unlinked side by side, then
/// what is left (folders) goes at once.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
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
    files.par_iter().try_for_each(fs_err::remove_file)?;
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
        commit(&out, &[("manifest.json", "1"), ("a.txt", "a")]).unwrap();
        commit(&out, &[("manifest.json", "2")]).unwrap();
        assert_eq!(fs_err::read_to_string(out.join("manifest.json")).unwrap(), "2");
        assert!(!out.join("a.txt").exists());
        let names: Vec<_> = fs_err::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["2025-04"], "no temporary folder is left behind");

        let foreign = dir.path().join("docs");
        fs_err::create_dir(&foreign).unwrap();
        fs_err::write(foreign.join("x"), "x").unwrap();
        assert!(matches!(commit(&foreign, &[("manifest.json", "1")]), Err(WriteError::Foreign(_))));
    }
}
