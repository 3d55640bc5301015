//! Where `cargo xtask codegen`'s time goes, phase by phase, for one spec folder (such as a
//! synthetic one from `benches/scripts/synthetic_spec.py`):
//!
//! ```text
//! cargo run --release -p acs-benches --bin codegen_phases -- --spec DIR [--rustfmt]
//! ```
//!
//! Prints the time of loading and checking the spec (`load_model`), of emitting every file
//! with formatting turned off (tokens, `prettyplease`), and, with `--rustfmt`, of emitting
//! with `rustfmt` as the xtask does, with the time spent inside the formatter (one `rustfmt`
//! process per file) on its own line. Nothing is written to disk.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use acs_benches::proc_status_kib;

fn main() -> ExitCode {
    let mut spec = None;
    let mut with_rustfmt = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" => spec = args.next().map(PathBuf::from),
            "--rustfmt" => with_rustfmt = true,
            "--bench" => {}
            other => {
                eprintln!("codegen_phases: unknown argument `{other}`");
                return ExitCode::from(2);
            }
        }
    }
    let Some(spec) = spec else {
        eprintln!("usage: codegen_phases --spec DIR [--rustfmt]");
        return ExitCode::from(2);
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the repository root")
        .to_owned();

    let started = Instant::now();
    let services = match acs_codegen::load_model(&spec, &repo) {
        Ok(services) => services,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::FAILURE;
        }
    };
    let load = started.elapsed();
    let operations: usize = services.iter().map(|s| s.operations.len()).sum();

    let started = Instant::now();
    let identity = |source: &str| source.to_owned();
    let files: Vec<_> = services
        .iter()
        .flat_map(|s| acs_codegen::emit::emit(s, &identity))
        .collect();
    let emit = started.elapsed();
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();

    println!(
        "operations {operations}, files {}, {bytes} bytes",
        files.len()
    );
    println!("load_model (parse + resolve): {}", ms(load));
    println!("emit, no formatter (tokens + prettyplease): {}", ms(emit));
    if with_rustfmt {
        let in_rustfmt = Cell::new(Duration::ZERO);
        let timed = |source: &str| {
            let started = Instant::now();
            let formatted = acs_codegen::format::rustfmt(source);
            in_rustfmt.set(in_rustfmt.get() + started.elapsed());
            formatted
        };
        let started = Instant::now();
        let formatted: Vec<_> = services
            .iter()
            .flat_map(|s| acs_codegen::emit::emit(s, &timed))
            .collect();
        let total = started.elapsed();
        println!(
            "emit with rustfmt: {} (of which inside rustfmt: {}, {} files)",
            ms(total),
            ms(in_rustfmt.get()),
            formatted.len()
        );
    }
    println!(
        "peak RSS of this process: {} MiB",
        proc_status_kib("VmHWM").unwrap_or(0) / 1024
    );
    ExitCode::SUCCESS
}

fn ms(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1000.0)
}
