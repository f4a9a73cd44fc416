//! Rule evaluation alone: criteria, rate editions, amounts and caps (the decide stage) over
//! generated applications with their items (the national mix of every subsidy type over 2025),
//! without reading or writing any file.
//!
//!     cargo bench --bench rules                 # 1 000 000 applications
//!     cargo bench --bench rules -- 100000       # another count
//!
//! Applications are generated and validated in chunks (a chunk's records take far more memory
//! than the decisions), and only the decide stage is timed: each chunk is decided three times
//! and its median counts. Chunks use different seeds, so no two chunks hold the same people.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use subsidy::decide::{self, Status};
use subsidy::{rules, sample, validate};

// The binary's allocator, so that the figure is the one a run sees.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CHUNK: usize = 50_000;
const REPEATS: usize = 3;

fn main() {
    let total: usize =
        std::env::args().skip(1).find(|a| !a.starts_with('-')).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let rules = rules::load(Path::new("rules")).unwrap_or_else(|e| panic!("rules: {e:?}"));
    // The country's year: every subsidy type, each on the dates it was open, both edition switches.
    let month = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date");
    let batch_date = NaiveDate::from_ymd_opt(2025, 12, 31).expect("date");
    let span = sample::Span { months: 12, mix: sample::Mix::National, all_regions: false };
    let (mut apps, mut items, mut approved) = (0usize, 0usize, 0usize);
    let mut decide_time = Duration::ZERO;
    let mut seed = 7;
    while apps < total {
        let n = CHUNK.min(total - apps);
        let generated: Vec<_> = sample::applications_over(month, span, n, seed, false, 5).collect();
        let (a, i) = sample::tables(&generated);
        drop(generated);
        let batch = validate::validate(&a, &i, &rules, batch_date, &BTreeMap::new());
        drop((a, i));
        let mut times = Vec::new();
        let mut decisions = Vec::new();
        for _ in 0..REPEATS {
            let t = Instant::now();
            let decided = decide::decide(&batch, &rules).expect("criteria evaluate");
            times.push(t.elapsed());
            // Dropping the previous repeat's decisions is not rule evaluation: not timed.
            decisions = decided;
        }
        times.sort();
        decide_time += times[REPEATS / 2];
        apps += batch.applications.len();
        items += batch.applications.iter().map(|a| a.items.len()).sum::<usize>();
        approved += decisions.iter().filter(|d| d.status == Status::Approved).count();
        seed += 1;
    }
    println!(
        "decide: {apps} applications, {items} items ({approved} approved) in {:.2} s ({} threads)",
        decide_time.as_secs_f64(),
        rayon::current_num_threads()
    );
}
