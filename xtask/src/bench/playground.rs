//! The Playground: attribute edit → snippet and preview, and its bytes on the wire (issue 6).

use super::{Ctx, Row};
use crate::util::Result;

/// This section's rows.
pub fn measure(_ctx: &Ctx) -> Result<Vec<Row>> {
    Ok(Vec::new())
}
