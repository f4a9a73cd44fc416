//! How a budget program shares its money (see `crate::allocate`).

use super::money::Money;

/// The allocation policy of a budget program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Fifo,
    ProRata { exempt_up_to: Money },
}
