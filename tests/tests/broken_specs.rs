//! The generator's diagnostics on broken specs.
//!
//! Every folder of `tests/broken-specs/` is a spec root holding a small copy of the real spec
//! with one defect (see its README). Each must be rejected — never accepted, never a panic —
//! with diagnostics that name a file of the case, a JSON pointer and a 1-based line:column;
//! the rendered errors are snapshotted. Folders starting with `_` are controls that must load.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use acs_codegen::{Diagnostic, SpecErrors, model};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the repository")
        .to_owned()
}

fn corpus() -> PathBuf {
    repo_root().join("tests").join("broken-specs")
}

/// Every folder of the corpus, sorted by name: `(name, path)`.
fn folders() -> Vec<(String, PathBuf)> {
    let dir = corpus();
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("readable corpus entry").path())
        .filter(|path| path.is_dir())
        .map(|path| {
            (
                path.file_name()
                    .expect("a folder name")
                    .to_string_lossy()
                    .into_owned(),
                path,
            )
        })
        .collect();
    out.sort();
    out
}

/// The broken cases: every folder not starting with `_`.
fn cases() -> Vec<(String, PathBuf)> {
    let cases: Vec<_> = folders()
        .into_iter()
        .filter(|(name, _)| !name.starts_with('_'))
        .collect();
    assert!(
        !cases.is_empty(),
        "no case folders under {}",
        corpus().display()
    );
    cases
}

/// Runs the loader, turning a panic into `Err` with its message.
fn load(spec_root: &Path) -> Result<Result<Vec<model::Service>, SpecErrors>, String> {
    let root = repo_root();
    panic::catch_unwind(AssertUnwindSafe(|| {
        acs_codegen::load_model(spec_root, &root)
    }))
    .map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "(non-string panic payload)".to_owned())
    })
}

/// The Display of `errors`, with each file shown relative to the corpus as `<corpus>/...`
/// (also where a message quotes a path).
fn render(errors: &SpecErrors) -> String {
    let corpus = corpus();
    let prefix = corpus.display().to_string();
    let relative = errors
        .0
        .iter()
        .map(|d| {
            let file = match d.file.strip_prefix(&corpus) {
                Ok(rel) => {
                    let parts: Vec<String> = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    PathBuf::from(format!("<corpus>/{}", parts.join("/")))
                }
                Err(_) => d.file.clone(),
            };
            Diagnostic {
                file,
                message: d.message.replace(&prefix, "<corpus>"),
                ..d.clone()
            }
        })
        .collect();
    SpecErrors(relative).to_string()
}

/// What is wrong with one diagnostic of case `dir`, if anything.
fn check_diagnostic(d: &Diagnostic, dir: &Path) -> Option<String> {
    let mut problems = Vec::new();
    if !d.file.starts_with(dir) {
        problems.push(format!(
            "file {} is outside the case folder",
            d.file.display()
        ));
    }
    if d.line < 1 || d.column < 1 {
        problems.push(format!(
            "line:column {}:{} is not 1-based",
            d.line, d.column
        ));
    }
    if !(d.pointer.is_empty() || d.pointer.starts_with('/')) {
        problems.push(format!("pointer {:?} is not a JSON pointer", d.pointer));
    }
    if d.message.trim().is_empty() {
        problems.push("empty message".to_owned());
    }
    (!problems.is_empty()).then(|| format!("{d}: {}", problems.join("; ")))
}

/// Checks one case; `Err` says why it fails.
fn check_case(name: &str, dir: &Path) -> Result<(), String> {
    let errors = match load(dir) {
        Err(message) => return Err(format!("the generator panicked: {message}")),
        Ok(Ok(services)) => {
            let names: Vec<&str> = services.iter().map(|s| s.product.as_str()).collect();
            return Err(format!(
                "the broken spec was accepted (services: {names:?})"
            ));
        }
        Ok(Err(errors)) => errors,
    };
    if errors.0.is_empty() {
        return Err("load_model returned Err with no diagnostics".to_owned());
    }
    let bad: Vec<String> = errors
        .0
        .iter()
        .filter_map(|d| check_diagnostic(d, dir))
        .collect();
    if !bad.is_empty() {
        return Err(format!("malformed diagnostics:\n{}", bad.join("\n")));
    }
    match load(dir) {
        Ok(Err(again)) if again == errors => {}
        _ => return Err("a second load gave different diagnostics".to_owned()),
    }
    let text = render(&errors);
    panic::catch_unwind(AssertUnwindSafe(|| insta::assert_snapshot!(name, text)))
        .map_err(|_| "the snapshot differs (diff above)".to_owned())
}

#[test]
fn every_broken_spec_is_rejected_with_located_diagnostics() {
    let failures: Vec<String> = cases()
        .iter()
        .filter_map(|(name, dir)| {
            check_case(name, dir)
                .err()
                .map(|why| format!("{name}: {why}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} broken-spec case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_snapshot_belongs_to_a_case() {
    let names: Vec<String> = cases().into_iter().map(|(name, _)| name).collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("snapshots");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let orphans: Vec<String> = entries
        .map(|e| {
            e.expect("readable snapshot entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter_map(|file| {
            file.strip_prefix("broken_specs__")?
                .strip_suffix(".snap")
                .map(str::to_owned)
        })
        .filter(|case| !names.contains(case))
        .collect();
    assert!(
        orphans.is_empty(),
        "snapshots without a case folder (delete them): {orphans:?}"
    );
}

#[test]
fn control_folders_load() {
    let controls: Vec<_> = folders()
        .into_iter()
        .filter(|(name, _)| name.starts_with('_'))
        .collect();
    assert!(
        !controls.is_empty(),
        "expected the `_valid-base` control folder"
    );
    for (name, dir) in controls {
        match load(&dir) {
            Err(message) => panic!("{name}: the generator panicked: {message}"),
            Ok(Err(errors)) => panic!("{name}: the control spec must load:\n{}", render(&errors)),
            Ok(Ok(services)) => assert!(!services.is_empty(), "{name}: no service loaded"),
        }
    }
}

#[test]
fn the_real_spec_loads() {
    let root = repo_root();
    let services = acs_codegen::load_model(&root.join("api-spec"), &root)
        .unwrap_or_else(|errors| panic!("api-spec/ must load:\n{errors}"));
    assert_eq!(services.len(), 1, "one service in api-spec/");
    assert!(
        services[0]
            .operations
            .iter()
            .any(|op| op.name == "ScaleOutCluster"),
        "ScaleOutCluster is loaded from api-spec/"
    );
}
