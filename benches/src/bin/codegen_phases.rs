//! Where `cargo xtask codegen`'s time goes, phase by phase, for one spec folder (such as a
//! synthetic one from `benches/scripts/synthetic_spec.py`):
//!
//! ```text
//! cargo run --release -p acs-benches --bin codegen_phases -- --spec DIR
//! ```
//!
//! Prints the time of loading and checking the spec (`load_model`), and of emitting every
//! file (tokens, `syn` parse, `prettyplease`) on one thread and on every core, as the xtask
//! does. Nothing is written to disk.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use acs_benches::proc_status_kib;

fn main() -> ExitCode {
    let mut spec = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" => spec = args.next().map(PathBuf::from),
            "--bench" => {}
            other => {
                eprintln!("codegen_phases: unknown argument `{other}`");
                return ExitCode::from(2);
            }
        }
    }
    let Some(spec) = spec else {
        eprintln!("usage: codegen_phases --spec DIR");
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
    let one: Vec<_> = services
        .iter()
        .flat_map(|s| acs_codegen::emit::emit_on(s, 1))
        .collect();
    let emit_one = started.elapsed();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let started = Instant::now();
    let files: Vec<_> = services.iter().flat_map(acs_codegen::emit::emit).collect();
    let emit_all = started.elapsed();
    assert_eq!(one, files, "the output depends on the number of threads");
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();

    println!(
        "operations {operations}, files {}, {bytes} bytes",
        files.len()
    );
    println!("load_model (parse + resolve): {}", ms(load));
    println!(
        "emit on 1 thread (tokens + syn + prettyplease): {}",
        ms(emit_one)
    );
    println!("emit on {threads} threads: {}", ms(emit_all));
    println!(
        "peak RSS of this process: {} MiB",
        proc_status_kib("VmHWM").unwrap_or(0) / 1024
    );
    ExitCode::SUCCESS
}

fn ms(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1000.0)
}
