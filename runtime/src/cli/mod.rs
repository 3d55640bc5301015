//! Support for command-line tools generated from the spec, such as `ackctl` (feature `cli`).
//!
//! The generator emits the command tree (one subcommand per operation, one flag per path
//! label, query member and top-level scalar body member) and a small dispatch function per
//! operation; everything else is here, written once: global flags, credentials and client
//! set-up, reading the body, turning JSON into a typed request (unknown keys are errors unless
//! validation is skipped), `--dry-run`, output, waiting, pagination and exit codes.

mod body;
mod output;
mod run;

use std::process::ExitCode;

pub use body::{Extras, FlagKind, parse_request, read_body, read_payload, set_body_flag};
pub use clap;
pub use output::{Failure, exit};
pub use run::{
    Context, Follow, execute, execute_all_pages, execute_and_wait, parse_flag, parse_json_flag,
};

use clap::{Arg, ArgAction, ArgMatches, Command};

/// The global flags, which every subcommand accepts before or after its name. Member flags
/// never take these names: the generator prefixes a colliding member flag with its binding.
pub const GLOBAL_FLAGS: &[&str] = &[
    "region",
    "endpoint",
    "vpc",
    "profile",
    "signature",
    "timeout",
    "dry-run",
    "show-secrets",
    "no-validate",
    "verbose",
    "version",
    "help",
    "body",
    "body-file",
    "wait",
    "wait-timeout",
    "all-pages",
];

/// The top-level command with the global flags and the `completions` subcommand.
pub fn app(name: &'static str, about: &'static str, version: &'static str) -> Command {
    let flag = |id: &'static str, help: &'static str| {
        Arg::new(id)
            .long(id)
            .help(help)
            .global(true)
            .action(ArgAction::SetTrue)
    };
    let value = |id: &'static str, name: &'static str, help: &'static str| {
        Arg::new(id)
            .long(id)
            .value_name(name)
            .help(help)
            .global(true)
            .action(ArgAction::Set)
    };
    Command::new(name)
        .about(about)
        .version(version)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(value(
            "region",
            "REGION",
            "Region id, such as cn-hangzhou (default: ALIBABA_CLOUD_REGION_ID)",
        ))
        .arg(value(
            "endpoint",
            "URL",
            "Explicit endpoint, such as cs.cn-hangzhou.aliyuncs.com or http://127.0.0.1:8080",
        ))
        .arg(flag("vpc", "Use the region's VPC endpoint"))
        .arg(value(
            "profile",
            "NAME",
            "Credentials profile of ~/.aliyun/config.json or credentials.ini",
        ))
        .arg(
            value(
                "signature",
                "SCHEME",
                "Signature scheme: v3 (ACS3-HMAC-SHA256, default) or v1 (ROA HMAC-SHA1)",
            )
            .value_parser(["v1", "v3"]),
        )
        .arg(
            value(
                "timeout",
                "SECONDS",
                "Total time limit of a call, retries included (default 60)",
            )
            .value_parser(clap::value_parser!(u64).range(1..)),
        )
        .arg(flag(
            "dry-run",
            "Print the signed request as JSON and send nothing",
        ))
        .arg(flag(
            "show-secrets",
            "With --dry-run, print secrets instead of ******",
        ))
        .arg(flag(
            "no-validate",
            "Skip the documented rules and send unknown body keys unchanged",
        ))
        .arg(flag(
            "verbose",
            "Log each attempt on stderr (also RUST_LOG=debug)",
        ))
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
}

/// `--wait` and `--wait-timeout`, for an operation whose work a waiter follows.
pub fn wait_args(command: Command) -> Command {
    command
        .arg(
            Arg::new("wait")
                .long("wait")
                .action(ArgAction::SetTrue)
                .help("Wait until the started work finishes; print its final state"),
        )
        .arg(
            Arg::new("wait-timeout")
                .long("wait-timeout")
                .value_name("SECONDS")
                .default_value("1800")
                .value_parser(clap::value_parser!(u64).range(1..))
                .help("With --wait, stop waiting after this long (exit 6); the work goes on"),
        )
}

/// `--all-pages`, for a paginated operation.
pub fn pages_args(command: Command) -> Command {
    command.arg(
        Arg::new("all-pages")
            .long("all-pages")
            .action(ArgAction::SetTrue)
            .help("Fetch every page; print all items as one JSON object"),
    )
}

/// The `--wait-timeout` value.
pub fn wait_timeout(matches: &ArgMatches) -> std::time::Duration {
    std::time::Duration::from_secs(
        matches
            .try_get_one::<u64>("wait-timeout")
            .ok()
            .flatten()
            .copied()
            .unwrap_or(1800),
    )
}

/// The `--body`/`--body-file` flags of an operation with a body.
pub fn body_args(command: Command) -> Command {
    command
        .arg(
            Arg::new("body")
                .long("body")
                .value_name("JSON")
                .help("The request body as JSON, in the service's wire names")
                .conflicts_with("body-file"),
        )
        .arg(
            Arg::new("body-file")
                .long("body-file")
                .value_name("FILE")
                .help("Read the body from FILE, or from standard input with -"),
        )
}

/// Parses the command line, runs the chosen subcommand with `dispatch`, prints errors and
/// returns the exit code.
pub fn main<F>(
    mut command: Command,
    rules: crate::endpoint::EndpointRules<'static>,
    dispatch: F,
) -> ExitCode
where
    F: AsyncFnOnce(&Context, &str, &ArgMatches) -> Result<(), Failure>,
{
    let matches = match command.try_get_matches_from_mut(std::env::args_os()) {
        Ok(matches) => matches,
        Err(error) => {
            let code = if error.use_stderr() {
                exit::INVALID
            } else {
                exit::OK
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    if let Some(("completions", sub)) = matches.subcommand() {
        if let Some(shell) = sub.get_one::<clap_complete::Shell>("shell") {
            let name = command.get_name().to_owned();
            clap_complete::generate(*shell, &mut command, name, &mut std::io::stdout());
        }
        return ExitCode::SUCCESS;
    }
    output::init_logging(matches.get_flag("verbose"));
    let Some((name, sub)) = matches.subcommand() else {
        return ExitCode::from(exit::INVALID);
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            return Failure::new(
                exit::INVALID,
                format!("cannot start the async runtime: {e}"),
            )
            .report();
        }
    };
    let result = runtime.block_on(async {
        let context = Context::from_matches(&matches, rules)?;
        dispatch(&context, name, sub).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
