//! Sample data (filled in below).
pub fn write_sample(_args: &crate::cli::SampleArgs) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
