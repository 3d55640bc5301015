//! The generator: `api-spec/*.json` → checked model → Rust tokens → files laid out by
//! `prettyplease`.
//!
//! ```text
//! load (serde, errors with file, JSON pointer, line:column)
//!   → resolve (names, references, path labels, constraints, rules)
//!   → model (the only input of emission)
//!   → emit (tokens per kind of output, one job per file on every core) → prettyplease
//!   → files (each written as soon as it is emitted: `files::sync`)
//! ```
//! Each stage is a pure function of the previous one; the same spec gives the same bytes.

pub mod diagnostic;
pub mod emit;
pub mod files;
pub mod format;
pub mod import;
pub mod load;
pub mod locate;
pub mod model;
pub mod parallel;
pub mod resolve;
pub mod spec;

use std::path::Path;

pub use diagnostic::{Diagnostic, SpecErrors};
pub use emit::GeneratedFile;

/// Loads and checks every service under `spec_root`.
pub fn load_model(spec_root: &Path, repo_root: &Path) -> Result<Vec<model::Service>, SpecErrors> {
    let sources = load::load_all(spec_root)?;
    let mut services = Vec::new();
    let mut errors = Vec::new();
    for source in &sources {
        match resolve::resolve(source, repo_root) {
            Ok(service) => services.push(service),
            Err(SpecErrors(mut more)) => errors.append(&mut more),
        }
    }
    if errors.is_empty() {
        Ok(services)
    } else {
        Err(SpecErrors(errors))
    }
}

/// Every generated file for the spec under `spec_root`, laid out by `prettyplease`.
pub fn generate(spec_root: &Path, repo_root: &Path) -> Result<Vec<GeneratedFile>, SpecErrors> {
    let services = load_model(spec_root, repo_root)?;
    Ok(services.iter().flat_map(emit::emit).collect())
}
