//! The `subsidy` binary: everything is in the library; this only maps the outcome to an exit code.

// A national batch makes tens of millions of small allocations (cells, texts, records) on two
// threads; glibc's allocator spent about a sixth of the run in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    subsidy::run().into()
}
