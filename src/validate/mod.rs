//! Validate: raw rows -> applications, and input problems with their cells.
//!
//! A row that fails a check is kept: its problems carry the refusal ground (p.9 of Appendix 4)
//! and the application goes on to `decide`, which refuses it citing them. Only rows without a
//! usable application number cannot become applications; they stay in the problem list.

mod checks;
mod read;

use rayon::prelude::*;
use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::application::{Application, NotHere};
use crate::catalogue::{app, item};
use crate::domain::ground::Ground;
use crate::ingest::RawTable;
use crate::problem::{Code, Location, Problem, Severity, Source};
use crate::rules::RuleSet;

pub use checks::{CHECKS, Check};

/// The batch after validation: every application, and every problem found on the way.
#[derive(Debug, Default)]
pub struct Validated {
    pub applications: Vec<Application>,
    pub problems: Vec<Problem>,
    /// The applications and items tables of each input file; [`Application::source`] indexes it.
    pub sources: Vec<(Source, Source)>,
    /// Cell references name their file: the batch has several files, read one at a time.
    pub name_files: bool,
}

impl Validated {
    /// The row an application came from: `Заявки!7`, or `[processing.xlsx]Заявки!7` when the
    /// batch has several files (Excel's own notation).
    pub fn app_ref(&self, a: &Application) -> String {
        self.reference(a.source, |s| &s.0, a.record.row)
    }

    /// The number (1-based) of the application's item that `at` lies in, if it is in one.
    pub fn item_number(&self, a: &Application, at: &crate::problem::Location) -> Option<usize> {
        use crate::problem::Location as L;
        let (_, items) = self.sources.get(a.source)?;
        let (file, sheet, row) = match at {
            L::Cell { file, sheet, row, .. } | L::Row { file, sheet, row } => (file, Some(sheet), *row),
            L::Line { file, line, .. } => (file, None, *line),
            L::File { .. } => return None,
        };
        let same = *file == items.file && sheet.map(|s| &**s) == items.sheet.as_deref();
        if !same {
            return None;
        }
        a.items.iter().position(|it| it.row == row).map(|i| i + 1)
    }

    /// The row of one of an application's items.
    pub fn item_ref(&self, a: &Application, row: u32) -> String {
        self.reference(a.source, |s| &s.1, row)
    }

    fn reference(&self, source: usize, pick: impl Fn(&(Source, Source)) -> &Source, row: u32) -> String {
        let Some(src) = self.sources.get(source).map(pick) else { return row.to_string() };
        let r = src.row_ref(row);
        if (self.name_files || self.sources.len() > 1) && src.sheet.is_some() {
            let name = std::path::Path::new(&*src.file).file_name().map(|n| n.to_string_lossy().into_owned());
            format!("[{}]{r}", name.unwrap_or_default())
        } else {
            r
        }
    }

    /// Parts read one by one, as one batch: the application numbers are unique across them
    /// already ([`Admission`]).
    pub fn concat(parts: Vec<Validated>) -> Validated {
        let mut out = Validated::default();
        for part in parts {
            let base = out.sources.len();
            out.name_files |= part.name_files;
            out.problems.extend(part.problems);
            out.applications.extend(part.applications.into_iter().map(|mut a| {
                a.source += base;
                a
            }));
            out.sources.extend(part.sources);
        }
        out
    }
}

/// The files of a batch are read one at a time, twice when the batch is large. An application
/// number found in an earlier file is an input problem (`I004`) in the later one, whose
/// application is left out; the first file holding each number is remembered, so a file read
/// again is admitted the same way.
#[derive(Debug, Default)]
pub struct Admission {
    first: BTreeMap<String, usize>,
    files: Vec<String>,
}

impl Admission {
    /// Admits file number `k` (0-based, in the order given).
    pub fn admit(&mut self, k: usize, mut part: Validated) -> Validated {
        let file = part.sources[0].0.clone();
        if self.files.len() <= k {
            self.files.resize(k + 1, String::new());
            self.files[k] = file.file.to_string();
        }
        let mut left_out = std::collections::BTreeSet::new();
        for a in part.applications.iter().filter(|a| !a.intake) {
            let first = *self.first.entry(a.app_no.clone()).or_insert(k);
            if first != k {
                left_out.insert(a.app_no.clone());
            }
        }
        if left_out.is_empty() {
            return part;
        }
        // A left-out application is refused for the repeat alone, under its number and place: its
        // own problems would otherwise refuse the one that is used.
        part.problems.retain(|p| p.app_no.as_deref().is_none_or(|n| !left_out.contains(n)));
        for a in &mut part.applications {
            if a.intake || !left_out.contains(&a.app_no) {
                continue;
            }
            let first = &self.files[self.first[&a.app_no]];
            let key = format!("{} ({})", a.app_no, place(&file, a.record.row));
            part.problems.push(
                Problem::error(
                    Code::I004DuplicateApplication,
                    file.row_location(a.record.row),
                    format!(
                        "application `{}` is also in `{first}`; the one there is decided, this one is refused",
                        a.app_no
                    ),
                )
                .app(Some(&key))
                .field("app_no")
                .ground(Ground::InaccurateData),
            );
            a.app_no = key;
            a.intake = true;
            a.items.clear();
        }
        part
    }
}

/// Reads every row of both tables and checks each application.
/// `decided` maps application numbers decided in earlier batches to their batch: those are not
/// decided again.
pub fn validate(
    apps: &RawTable,
    items: &RawTable,
    rules: &RuleSet,
    batch_date: NaiveDate,
    decided: &BTreeMap<String, String>,
) -> Validated {
    let mut problems: Vec<Problem> = apps.problems.iter().chain(&items.problems).cloned().collect();
    let mut applications: Vec<Application> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();

    for (rec, mut read_problems, written) in read::read_records(apps) {
        // A row whose number cannot be read, or repeats one before it, is still a row of the
        // register: refused for that, under its number as written and its place.
        let intake = match read::application_number(apps, &rec) {
            Err(p) => Some((p, written.clone())),
            Ok(app_no) => index.get(&app_no).map(|&first| {
                let first_at = apps.row_location(applications[first].record.row).reference();
                let p = Problem::error(
                    Code::I004DuplicateApplication,
                    apps.location(rec.row, app::APP_NO),
                    format!(
                        "application `{app_no}` appears again; the row at {first_at} is decided, this one is refused"
                    ),
                )
                .field("app_no");
                (p, app_no)
            }),
        };
        if let Some((p, written)) = intake {
            let number = if written.is_empty() { "без номера" } else { written.as_str() };
            let key = format!("{number} ({})", place(&apps.source(), rec.row));
            for q in &mut read_problems {
                q.app_no = Some(key.clone());
            }
            problems.extend(read_problems);
            problems.push(p.app(Some(&key)).ground(Ground::InaccurateData));
            let type_code =
                written.get(..3).filter(|t| t.bytes().all(|b| b.is_ascii_digit())).unwrap_or_default().to_owned();
            applications.push(Application {
                app_no: key,
                type_code,
                source: 0,
                record: rec,
                items: Vec::new(),
                intake: true,
                not_here: None,
            });
            continue;
        }
        problems.extend(read_problems);
        let app_no = read::application_number(apps, &rec).unwrap_or_default();
        // Decided by an earlier batch, or another department's: a register row, not decided here.
        let not_here = if let Some(batch) = decided.get(&app_no) {
            problems.push(
                Problem::warning(
                    Code::I007AlreadyDecided,
                    apps.location(rec.row, app::APP_NO),
                    format!("application `{app_no}` was decided in batch {batch}; it is not decided again (see `subsidy ledger history`)"),
                )
                .app(Some(&app_no))
                .field("app_no"),
            );
            Some(NotHere::DecidedIn(batch.clone()))
        } else if let Some(other) =
            rec.text(app::REGION).and_then(|n| rules.region_named(n)).filter(|r| r.key != rules.region)
        {
            problems.push(
                Problem::warning(
                    Code::I008OtherRegion,
                    apps.location(rec.row, app::REGION),
                    format!(
                        "application `{app_no}` is of {} («{}»), not of {}; it is not decided here",
                        other.name_ru,
                        rec.text(app::REGION).unwrap_or_default(),
                        rules.region().name_ru
                    ),
                )
                .app(Some(&app_no))
                .field("region"),
            );
            Some(NotHere::OtherRegion(other.name_ru.clone()))
        } else {
            None
        };
        index.insert(app_no.clone(), applications.len());
        let type_code = app_no[..3].to_owned();
        applications.push(Application {
            app_no,
            type_code,
            source: 0,
            record: rec,
            items: Vec::new(),
            intake: false,
            not_here,
        });
    }
    for (rec, read_problems, _) in read::read_records(items) {
        problems.extend(read_problems);
        let app_no = match read::application_number(items, &rec) {
            Ok(n) => n,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        match index.get(&app_no) {
            Some(&i) => applications[i].items.push(rec),
            None => problems.push(
                Problem::error(
                    Code::I005OrphanItem,
                    items.location(rec.row, item::APP_NO),
                    format!("item row belongs to application `{app_no}`, which is not in the applications sheet"),
                )
                .app(Some(&app_no))
                .field("app_no"),
            ),
        }
    }
    read::missing_columns((apps, items, rules), &applications, &mut problems);
    let ctx = checks::Ctx { apps, items, rules, batch_date };
    let mut unreadable: BTreeMap<String, Vec<(u32, &'static str)>> = BTreeMap::new();
    for p in problems.iter().filter(|p| p.code == Code::I001UnreadableCell) {
        if let (Some(app_no), Some(field)) = (&p.app_no, p.field) {
            unreadable.entry(app_no.clone()).or_default().push((row_of(&p.location), field));
        }
    }
    let checked: Vec<Vec<Problem>> = applications
        .par_iter()
        .map(|a| {
            let mut found = Vec::new();
            if a.decided_here() {
                ctx.check(a, unreadable.get(&a.app_no).map_or(&[][..], Vec::as_slice), &mut found);
            }
            found
        })
        .collect();
    problems.extend(checked.into_iter().flatten());
    Validated { applications, problems, sources: vec![(apps.source(), items.source())], name_files: false }
}

/// Where a row is, by the file's name without its folders: `apps.xlsx, Заявки!18`, `a.csv:7`.
fn place(src: &Source, row: u32) -> String {
    let path: &str = &src.file;
    let name = std::path::Path::new(path).file_name().and_then(|n| n.to_str()).unwrap_or(path);
    match &src.sheet {
        Some(sheet) => format!("{name}, {sheet}!{}", row + 1),
        None => format!("{name}:{row}"),
    }
}

fn row_of(l: &Location) -> u32 {
    match l {
        Location::Cell { row, .. } | Location::Row { row, .. } => *row,
        Location::Line { line, .. } => *line,
        Location::File { .. } => u32::MAX,
    }
}

/// Whether a problem refuses its application.
pub fn refuses(p: &Problem) -> bool {
    p.severity == Severity::Error && p.ground.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::Record;
    use crate::domain::ground::Ground;

    #[test]
    fn merging_files_refuses_a_repeated_application_for_the_repeat_alone() {
        let part = |file: &str, problem: Option<Code>| {
            let source = Source { file: file.into(), sheet: Some("Заявки".into()) };
            let app = Application {
                app_no: "00700100000001".into(),
                type_code: "007".into(),
                source: 0,
                record: Record { row: 4, values: Vec::new() },
                items: Vec::new(),
                intake: false,
                not_here: None,
            };
            let problems = problem
                .map(|c| {
                    Problem::error(c, source.row_location(4), "bad")
                        .app(Some(&app.app_no))
                        .ground(Ground::InaccurateData)
                })
                .into_iter()
                .collect();
            Validated { applications: vec![app], problems, sources: vec![(source.clone(), source)], name_files: false }
        };
        let admit = |adm: &mut Admission| {
            vec![adm.admit(0, part("a.xlsx", None)), adm.admit(1, part("b.xlsx", Some(Code::V002TaxId)))]
        };
        let mut adm = Admission::default();
        let merged = Validated::concat(admit(&mut adm));
        // A file read again (the second pass of a large batch) is admitted the same way.
        let again = Validated::concat(admit(&mut adm));
        assert_eq!(again.problems, merged.problems);
        assert_eq!(again.applications, merged.applications);
        // Both rows are in the batch: b.xlsx's is refused for the repeat, under its number and place.
        assert_eq!(merged.applications.len(), 2);
        assert_eq!(merged.applications[0].source, 0);
        assert!(!merged.applications[0].intake && merged.applications[1].intake);
        assert_eq!(merged.applications[1].app_no, "00700100000001 (b.xlsx, Заявки!5)", "named by its file and row");
        let codes: Vec<Code> = merged.problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, [Code::I004DuplicateApplication], "b.xlsx's V002 must not refuse a.xlsx's application");
        assert_eq!(merged.problems[0].app_no.as_deref(), Some("00700100000001 (b.xlsx, Заявки!5)"));
        assert!(merged.problems[0].message.contains("is also in `a.xlsx`"));
        assert_eq!(merged.app_ref(&merged.applications[0]), "[a.xlsx]Заявки!5");
    }
}
