//! `cargo xtask`: the project's tasks.
//!
//! - `cargo xtask codegen` regenerates the generated crates from `api-spec/`;
//! - `cargo xtask codegen --check` writes nothing and exits 1 if any generated file is
//!   stale, missing or orphaned;
//! - `cargo xtask import [<api-docs.json>]` converts Alibaba's API metadata into spec files in
//!   `api-spec/<service>/imported/` and prints the report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--spec DIR]
       cargo xtask import [<api-docs.json>] [--spec DIR]

  codegen           regenerate the generated crates from api-spec/
    --check         write nothing; exit 1 naming every stale, missing or orphaned file
    --spec DIR      read the spec from DIR instead of api-spec/
  import            convert Alibaba's API metadata into api-spec/<service>/imported/
                    (default metadata: api-spec/cs-2015-12-15/metadata/cs-2015-12-15-api-docs.json;
                    another file is first copied there)
    --spec DIR      write into DIR instead of api-spec/";

/// The metadata `cargo xtask import` reads when given no file, relative to `api-spec/`.
const DEFAULT_METADATA: &str = "cs-2015-12-15/metadata/cs-2015-12-15-api-docs.json";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("import") => import(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_owned)
}

fn codegen(args: &[String]) -> ExitCode {
    let root = repo_root();
    let mut check = false;
    let mut spec = root.join("api-spec");
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => match args.next() {
                Some(dir) => spec = PathBuf::from(dir),
                None => {
                    eprintln!("--spec needs a folder\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            other => {
                eprintln!("unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let services = match acs_codegen::load_model(&spec, &root) {
        Ok(services) => services,
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!(
                "codegen: {} error(s) in the spec; nothing written",
                errors.0.len()
            );
            return ExitCode::from(1);
        }
    };
    if !check {
        let threads = acs_codegen::parallel::threads();
        return match acs_codegen::files::sync(&root, &services, threads) {
            Ok(synced) => {
                println!(
                    "codegen: {} files generated ({} written, {} orphans removed)",
                    synced.generated, synced.written, synced.orphans_removed
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("codegen: {e}");
                ExitCode::from(1)
            }
        };
    }
    let files: Vec<_> = services.iter().flat_map(acs_codegen::emit::emit).collect();
    let dirs: Vec<String> = services.iter().map(|s| s.crate_dir.clone()).collect();
    let drift = match acs_codegen::files::drift(&root, &files, &dirs) {
        Ok(drift) => drift,
        Err(e) => {
            eprintln!("codegen: cannot read the generated files: {e}");
            return ExitCode::from(1);
        }
    };
    if drift.is_clean() {
        println!(
            "codegen --check: {} generated files are up to date",
            files.len()
        );
        return ExitCode::SUCCESS;
    }
    for line in drift.report() {
        eprintln!("{line}");
    }
    eprintln!("codegen --check: generated files differ from the spec; run `cargo xtask codegen`");
    ExitCode::from(1)
}

fn import(args: &[String]) -> ExitCode {
    let root = repo_root();
    let mut spec = root.join("api-spec");
    let mut metadata = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" => match args.next() {
                Some(dir) => spec = PathBuf::from(dir),
                None => {
                    eprintln!("--spec needs a folder\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            other if other.starts_with('-') || metadata.is_some() => {
                eprintln!("unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
            file => metadata = Some(PathBuf::from(file)),
        }
    }
    let metadata = metadata.unwrap_or_else(|| spec.join(DEFAULT_METADATA));
    let outcome = match acs_codegen::import::run(&metadata, &spec) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("import: {e}");
            return ExitCode::from(1);
        }
    };
    print!("{}", outcome.report);
    println!();
    if outcome.metadata_copied {
        println!(
            "import: copied {} into {}/{}",
            metadata.display(),
            outcome.service_dir.display(),
            acs_codegen::import::METADATA_DIR
        );
    }
    for path in &outcome.removed {
        println!("import: removed {}", path.display());
    }
    println!(
        "import: {} files in {}/{} ({} written, {} unchanged, {} removed)",
        outcome.written.len() + outcome.unchanged,
        outcome.service_dir.display(),
        acs_codegen::import::IMPORTED_DIR,
        outcome.written.len(),
        outcome.unchanged,
        outcome.removed.len()
    );
    ExitCode::SUCCESS
}
