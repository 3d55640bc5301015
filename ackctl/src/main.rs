//! `ackctl`: every operation of `api-spec/` from a shell. The command tree is generated
//! (`generated/src/cli.rs`); run `ackctl --help`.

fn main() -> std::process::ExitCode {
    acs_cs20151215::cli::main()
}
