//! Allocate: approved amounts x the money available -> what is paid now and what waits.
//!
//! Two policies, chosen per budget program and year in `rules/budget.toml`:
//! - FIFO (the Kazakh rule, p.21 and p.24 of the Rules): the queue is ordered by submission
//!   date and time; each application is paid in full while the money lasts. The first one that
//!   does not fit is offered what is left (p.24-1) and everything after it waits, so the queue
//!   order is never broken.
//! - Pro-rata (for comparison): applications up to an exemption threshold are paid in full in
//!   queue order, the rest share what remains in proportion to their amounts, to the tiyn, by the
//!   largest-remainder method, so the shares add up exactly.
//!
//! Pure: no ledger, no files; the pipeline supplies the queue and the money available.

use crate::domain::money::Money;

pub(crate) use crate::domain::policy::Policy;

/// What one queued application gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Share {
    /// Paid in this batch.
    pub pay: Money,
    /// Offered as a partial payment (FIFO, p.24-1), paid once the producer accepts.
    pub offer: Money,
}

/// Allocates `available` over `amounts`, which are in queue order.
pub(crate) fn allocate(amounts: &[Money], available: Money, policy: Policy) -> Vec<Share> {
    let mut out = vec![Share::default(); amounts.len()];
    let mut left = available.max(Money::ZERO);
    match policy {
        Policy::Fifo => {
            for (i, &a) in amounts.iter().enumerate() {
                if a <= left {
                    out[i].pay = a;
                    left = left.checked_sub(a).unwrap_or(Money::ZERO);
                } else {
                    if left > Money::ZERO {
                        out[i].offer = left;
                    }
                    break;
                }
            }
        }
        Policy::ProRata { exempt_up_to } => {
            let mut rest = Vec::new();
            for (i, &a) in amounts.iter().enumerate() {
                if a <= exempt_up_to && a <= left {
                    out[i].pay = a;
                    left = left.checked_sub(a).unwrap_or(Money::ZERO);
                } else {
                    rest.push(i);
                }
            }
            let total: i128 = rest.iter().map(|&i| i128::from(amounts[i].tiyn())).sum();
            if total <= i128::from(left.tiyn()) {
                for &i in &rest {
                    out[i].pay = amounts[i];
                }
            } else if total > 0 {
                let pool = i128::from(left.tiyn());
                let mut given: i128 = 0;
                let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(rest.len());
                for &i in &rest {
                    let exact = pool * i128::from(amounts[i].tiyn());
                    let floor = exact / total;
                    given += floor;
                    out[i].pay = Money::from_tiyn(i64::try_from(floor).unwrap_or(0));
                    remainders.push((exact % total, i));
                }
                // Largest remainders first; ties go to the earlier application in the queue.
                remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                for &(_, i) in remainders.iter().take(usize::try_from(pool - given).unwrap_or(0)) {
                    out[i].pay += Money::from_tiyn(1);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn m(t: i64) -> Money {
        Money::from_tiyn(t)
    }

    #[test]
    fn fifo_pays_in_order_and_offers_the_rest_to_the_next() {
        let s = allocate(&[m(100), m(50), m(80), m(10)], m(180), Policy::Fifo);
        assert_eq!(
            s.iter().map(|x| (x.pay.tiyn(), x.offer.tiyn())).collect::<Vec<_>>(),
            [(100, 0), (50, 0), (0, 30), (0, 0)]
        );
    }

    #[test]
    fn pro_rata_shares_add_up_exactly() {
        let s = allocate(&[m(5), m(100), m(200)], m(105), Policy::ProRata { exempt_up_to: m(10) });
        assert_eq!(s.iter().map(|x| x.pay.tiyn()).collect::<Vec<_>>(), [5, 33, 67], "66.67 has the larger remainder");
        let s = allocate(&[m(1), m(1), m(1)], m(2), Policy::ProRata { exempt_up_to: m(0) });
        assert_eq!(s.iter().map(|x| x.pay.tiyn()).collect::<Vec<_>>(), [1, 1, 0], "ties go to the earlier");
    }

    proptest! {
        #[test]
        fn never_more_than_available_nor_claimed(
            amounts in proptest::collection::vec(1i64..10_000_000_000, 0..60),
            available in 0i64..100_000_000_000,
            exempt in 0i64..1_000_000,
            fifo in any::<bool>(),
        ) {
            let amounts: Vec<Money> = amounts.into_iter().map(m).collect();
            let policy = if fifo { Policy::Fifo } else { Policy::ProRata { exempt_up_to: m(exempt) } };
            let shares = allocate(&amounts, m(available), policy);
            let paid: i64 = shares.iter().map(|s| s.pay.tiyn() + s.offer.tiyn()).sum();
            prop_assert!(paid <= available);
            for (s, a) in shares.iter().zip(&amounts) {
                prop_assert!(s.pay <= *a && s.pay >= Money::ZERO);
                prop_assert!(s.pay.tiyn() + s.offer.tiyn() <= a.tiyn());
            }
            let total: i64 = amounts.iter().map(|a| a.tiyn()).sum();
            if fifo {
                // Paid in full is a prefix of the queue: nobody is paid after someone who waits.
                let first_unpaid = shares.iter().zip(&amounts).position(|(s, a)| s.pay != *a).unwrap_or(amounts.len());
                prop_assert!(shares[first_unpaid..].iter().all(|s| s.pay == Money::ZERO));
                prop_assert!(shares.iter().filter(|s| s.offer > Money::ZERO).count() <= 1);
            } else {
                // Pro-rata uses every tiyn it may.
                let pay: i64 = shares.iter().map(|s| s.pay.tiyn()).sum();
                let exempt_total: i64 = amounts.iter().filter(|a| a.tiyn() <= exempt).map(|a| a.tiyn()).sum();
                if exempt_total <= available {
                    prop_assert_eq!(pay, total.min(available));
                }
            }
        }
    }
}
