//! The whole authorize → token exchange under load (filled in once the provider's forms exist).

use super::Row;
use crate::util::Result;

/// Measures authorize → token round trips per second and their latency.
pub fn measure(_provider: &str, _seconds: u64) -> Result<Vec<Row>> {
    Ok(Vec::new())
}
