//! The `subsidy` binary: everything is in the library; this only maps the outcome to an exit code.

fn main() -> std::process::ExitCode {
    subsidy::run().into()
}
