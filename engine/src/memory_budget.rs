//! A budget of live memory for one rule's evaluation, so that a runaway rule stops with an error
//! naming it instead of taking the machine's memory (a rule that builds 50 million strings
//! reached 1.2 GB before its time limit stopped it).
//!
//! regorus's allocator (mimalloc, made the process's global allocator by regorus's
//! `allocator-memory-limits` feature) counts the process's live bytes, and regorus checks them
//! against one process-wide ceiling while it evaluates. A budget, while held, sets that ceiling
//! to the bytes live when it was taken plus the budget. The ceiling is the whole process's, not
//! one evaluation's: an honest rule running beside a runaway one can be stopped too, which is
//! why evaluation retries a stopped rule alone before reporting it.

use std::sync::Mutex;

/// How many budgets are held, and the ceiling there was before the first: scans can overlap
/// in one process (the language server, tests), and the last budget given back restores it.
static HOLDERS: Mutex<(usize, Option<u64>)> = Mutex::new((0, None));

/// While held, regorus stops an evaluation once the process holds `bytes` more than when the
/// budget was taken (or than an overlapping budget allows, whichever is higher).
pub(crate) struct MemoryBudget(());

impl MemoryBudget {
    pub(crate) fn hold(bytes: u64) -> MemoryBudget {
        let ceiling = live_bytes().saturating_add(bytes);
        let mut holders = HOLDERS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if holders.0 == 0 {
            holders.1 = regorus::global_memory_limit();
        }
        holders.0 += 1;
        let current = regorus::global_memory_limit().filter(|_| holders.0 > 1);
        regorus::set_global_memory_limit(Some(current.map_or(ceiling, |current| current.max(ceiling))));
        MemoryBudget(())
    }
}

impl Drop for MemoryBudget {
    fn drop(&mut self) {
        let mut holders = HOLDERS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        holders.0 = holders.0.saturating_sub(1);
        if holders.0 == 0 {
            regorus::set_global_memory_limit(holders.1);
        }
    }
}

/// The bytes the process holds now, as regorus's allocator counts them.
fn live_bytes() -> u64 {
    crate::profile::heap().0
}
