//! `decide` does not depend on the order of the applications in the input.

use proptest::prelude::*;
use subsidy::context::BatchContext;
use subsidy::pipeline::{Job, decide_batch};

fn rules() -> subsidy::rules::RuleSet {
    match subsidy::rules::load(&crate::common::root().join("rules")) {
        Ok(r) => r,
        Err(_) => panic!("shipped rules load"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]
    #[test]
    fn decisions_are_the_same_in_any_order(seed in any::<u64>()) {
        let rules = rules();
        let date = chrono::NaiveDate::from_ymd_opt(2025, 4, 30).unwrap();
        let ctx = BatchContext { batch_date: date, created_at: date.and_hms_opt(0, 0, 0).unwrap(), draft: false, pdf: false };
        let job = Job::decide_only(crate::common::root().join("tests/golden/karaganda-small/input/applications.xlsx"), None);
        let b = decide_batch(&job, &rules, &ctx, &subsidy::ledger::History::default()).unwrap();
        let mut shuffled = subsidy::validate::Validated {
            applications: b.validated.applications.clone(),
            problems: b.validated.problems.clone(),
            sources: b.validated.sources.clone(),
            name_files: false,
        };
        // A deterministic permutation from the seed.
        let n = shuffled.applications.len();
        let mut state = seed | 1;
        for i in (1..n).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.applications.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let again = subsidy::decide::decide(&shuffled, &rules).unwrap();
        for (a, d) in shuffled.applications.iter().zip(&again) {
            let i = b.validated.applications.iter().position(|x| x.app_no == a.app_no).unwrap();
            prop_assert_eq!(d, &b.decisions[i], "application {}", a.app_no);
        }
    }
}
