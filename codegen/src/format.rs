//! Formatting generated Rust exactly as `cargo fmt` would, so the two never disagree.

use std::io::Write as _;
use std::process::{Command, Stdio};

/// Formats `source` with `rustfmt` (edition 2024, the workspace's settings); returns the
/// input unchanged, with a warning on stderr, when `rustfmt` cannot be run.
pub fn rustfmt(source: &str) -> String {
    match try_rustfmt(source) {
        Ok(formatted) => formatted,
        Err(e) => {
            eprintln!(
                "warning: rustfmt failed ({e}); the generated file keeps prettyplease's layout"
            );
            source.to_owned()
        }
    }
}

fn try_rustfmt(source: &str) -> std::io::Result<String> {
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let mut child = Command::new(rustfmt)
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| std::io::Error::other("no stdin"))?;
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output()?;
    writer
        .join()
        .map_err(|_| std::io::Error::other("writer thread panicked"))??;
    if !output.status.success() {
        return Err(std::io::Error::other(
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ));
    }
    String::from_utf8(output.stdout).map_err(std::io::Error::other)
}
