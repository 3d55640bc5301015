//! The command line (`ackctl`): one subcommand per operation, flags for path labels, query
//! and header members and top-level scalar body members.
//!
//! Flag names are the kebab-case of the member's wire name (`ClusterId` → `--cluster-id`,
//! `pageSize` → `--page-size`). A name already taken (by a global flag, or by a member bound
//! earlier: path, then query, then header, then body) is prefixed with the member's binding
//! (`--query-region`, `--body-cluster-id`); if that is taken too, a number is appended. So
//! collisions are settled here, deterministically, and never reach clap.

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Index, docs};
use crate::model::{Binding, Member, Operation, Service, Type};

/// Flags every subcommand has; member flags never take these names. Equal to
/// `acs_runtime::cli::GLOBAL_FLAGS` (a test checks it).
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

/// A member that gets a flag, and the flag's name.
pub struct Flag<'a> {
    pub member: &'a Member,
    pub name: String,
}

impl Flag<'_> {
    /// The clap argument id: unique in the subcommand, whatever the flag is called.
    fn id(&self) -> String {
        format!(
            "{}:{}",
            binding_name(self.member.binding),
            self.member.rust_name.trim_start_matches("r#")
        )
    }
}

fn binding_name(binding: Binding) -> &'static str {
    match binding {
        Binding::Path => "path",
        Binding::Query => "query",
        Binding::Header => "header",
        Binding::Body => "body",
        Binding::Payload => "payload",
    }
}

fn is_scalar(ty: &Type) -> bool {
    matches!(
        ty,
        Type::String
            | Type::Base64
            | Type::Integer
            | Type::Long
            | Type::Float
            | Type::Double
            | Type::Boolean
            | Type::Enum(_)
    )
}

/// The flags of an operation, with collisions settled.
pub fn flags(op: &Operation) -> Vec<Flag<'_>> {
    let mut taken: Vec<String> = GLOBAL_FLAGS.iter().map(|s| (*s).to_owned()).collect();
    let mut out = Vec::new();
    for binding in [
        Binding::Path,
        Binding::Query,
        Binding::Header,
        Binding::Body,
    ] {
        for member in op.input.members.iter().filter(|m| m.binding == binding) {
            if binding == Binding::Body && !is_scalar(&member.ty) {
                continue;
            }
            let base = member.wire_name.to_kebab_case();
            let mut name = base.clone();
            if taken.contains(&name) {
                name = format!("{}-{base}", binding_name(binding));
            }
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{}-{base}-{n}", binding_name(binding));
                n += 1;
            }
            taken.push(name.clone());
            out.push(Flag { member, name });
        }
    }
    out
}

/// `src/cli.rs` of the generated crate up to the functions of each operation: these
/// follow, all [`command_fn`]s, then all [`run_fn`]s, in the order of the operations.
pub fn head(service: &Service, binary: &str) -> TokenStream {
    let about = format!(
        "{} (API {}) from the command line: every operation, validated and signed.",
        service.title, service.version
    );
    let commands = service.operations.iter().map(|op| {
        let function = format_ident!("{}_command", op.module);
        let cfg = super::group_cfg(op);
        quote! {
            #cfg
            {
                command = command.subcommand(#function());
            }
        }
    });
    let arms = service.operations.iter().map(|op| {
        let name = op.name.to_kebab_case();
        let run = format_ident!("run_{}", op.module);
        let cfg = super::group_cfg(op);
        quote!(#cfg #name => #run(context, matches).await,)
    });
    quote! {
        //! The command line: one subcommand per operation.
        #![allow(clippy::too_many_lines)]

        use acs_runtime::cli::clap::{Arg, ArgAction, ArgMatches, Command};
        use acs_runtime::cli::{self, Context, Failure, FlagKind};

        /// Parses the command line, runs the operation and returns the exit code.
        pub fn main() -> std::process::ExitCode {
            cli::main(command(), crate::ENDPOINT_RULES, dispatch)
        }

        /// The whole command tree.
        pub fn command() -> Command {
            let mut command = cli::app(#binary, #about, env!("CARGO_PKG_VERSION"));
            #(#commands)*
            command
        }

        async fn dispatch(context: &Context, name: &str, matches: &ArgMatches) -> Result<(), Failure> {
            match name {
                #(#arms)*
                other => Err(Failure::new(cli::exit::INVALID, format!("unknown command {other:?}"))),
            }
        }
    }
}

/// `<op>_command()`: the subcommand of `op`.
pub(super) fn command_fn(index: &Index, op: &Operation) -> TokenStream {
    let function = format_ident!("{}_command", op.module);
    let name = op.name.to_kebab_case();
    let mut about = super::first_sentence(&op.documentation);
    if op.deprecated.is_some() {
        about = format!("(deprecated) {about}");
    }
    let long_about = docs::operation(op);
    let args = flags(op).into_iter().map(|flag| {
        let id = flag.id();
        let long = &flag.name;
        let value_name = flag.member.wire_name.to_uppercase();
        let mut help = super::first_sentence(&flag.member.documentation);
        if flag.member.binding == Binding::Body {
            help = format!("{help} (body member `{}`; overrides the body)", flag.member.wire_name);
        }
        let values = match &flag.member.ty {
            Type::Boolean => quote!(.value_parser(["true", "false"])),
            Type::Enum(e) => {
                let known: Vec<&str> = index
                    .enums
                    .get(e.as_str())
                    .map(|en| en.values.iter().map(|v| v.value.as_str()).collect())
                    .unwrap_or_default();
                let help_values = format!("{help} One of: {}.", known.join(", "));
                quote!(.long_help(#help_values))
            }
            _ => quote!(),
        };
        let required = flag.member.binding == Binding::Path;
        quote! {
            .arg(Arg::new(#id).long(#long).value_name(#value_name).required(#required).action(ArgAction::Set).help(#help) #values)
        }
    });
    let mut command = quote!(Command::new(#name).about(#about).long_about(#long_about) #(#args)*);
    if op.body == crate::model::BodyKind::Json {
        command = quote!(cli::body_args(#command));
    }
    if op.follow_with.is_some() {
        command = quote!(cli::wait_args(#command));
    }
    if op.pagination.is_some() {
        command = quote!(cli::pages_args(#command));
    }
    let cfg = super::group_cfg(op);
    quote! {
        #cfg
        fn #function() -> Command {
            #command
        }
    }
}

fn flag_kind(ty: &Type) -> TokenStream {
    match ty {
        Type::Integer | Type::Long => quote!(FlagKind::Integer),
        Type::Float | Type::Double => quote!(FlagKind::Number),
        Type::Boolean => quote!(FlagKind::Boolean),
        _ => quote!(FlagKind::Text),
    }
}

/// `run_<op>()`: runs the subcommand of `op`.
pub(super) fn run_fn(index: &Index, op: &Operation) -> TokenStream {
    let function = format_ident!("run_{}", op.module);
    let module = format_ident!("{}", op.module);
    let request = format_ident!("{}", op.input.name);
    let flags = flags(op);
    let body_sets: Vec<TokenStream> = flags
        .iter()
        .filter(|f| f.member.binding == Binding::Body)
        .map(|f| {
            let id = f.id();
            let long = &f.name;
            let wire = &f.member.wire_name;
            let kind = flag_kind(&f.member.ty);
            quote!(cli::set_body_flag(&mut body, matches, #id, #long, #wire, #kind)?;)
        })
        .collect();
    let field_sets: Vec<TokenStream> = flags
        .iter()
        .filter(|f| f.member.binding != Binding::Body)
        .map(|f| {
            let id = f.id();
            let long = &f.name;
            let field = super::field_ident(&f.member.rust_name);
            let bare = f.member.binding == Binding::Path && f.member.required;
            // Lists, maps and objects in a query or header are given as JSON.
            let value = if is_scalar(&f.member.ty) {
                quote!(cli::parse_flag(value, #long)?)
            } else {
                quote!(cli::parse_json_flag(value, #long)?)
            };
            let assign = if bare {
                quote!(request.#field = #value;)
            } else {
                quote!(request.#field = Some(#value);)
            };
            quote! {
                if let Some(value) = matches.get_one::<String>(#id) {
                    #assign
                }
            }
        })
        .collect();
    let mutable = (!body_sets.is_empty()).then(|| quote!(mut));
    let payload = op
        .input
        .members
        .iter()
        .any(|m| m.binding == Binding::Payload);
    let read_body = if payload {
        quote!(let body = cli::read_payload(matches)?;)
    } else if op.body == crate::model::BodyKind::Json {
        quote!(let #mutable body = cli::read_body(matches)?;)
    } else {
        quote!(let #mutable body = serde_json::Map::new();)
    };
    let finish = if let Some(p) = &op.pagination {
        let items = op
            .output
            .members
            .iter()
            .find(|m| m.rust_name == p.items)
            .map_or(p.items.clone(), |m| m.wire_name.clone());
        quote! {
            if matches.get_flag("all-pages") {
                return cli::execute_all_pages(context, request, #items).await;
            }
            cli::execute(context, request, extras).await
        }
    } else if let Some(follow) = &op.follow_with {
        let target = index.operations.get(follow.operation.as_str());
        match target {
            Some(target) => {
                let target_module = format_ident!("{}", target.module);
                let target_request = format_ident!("{}", target.input.name);
                let answer = format_ident!("{}", op.output.name);
                let sets = follow.inputs.iter().map(|(param, source)| {
                    let param = super::field_ident(param);
                    let source = super::field_ident(source);
                    let bare =
                        target.input.members.iter().any(|m| {
                            param == m.rust_name && m.binding == Binding::Path && m.required
                        });
                    if bare {
                        quote!(#param: answer.#source.clone()?,)
                    } else {
                        quote!(#param: Some(answer.#source.clone()?),)
                    }
                });
                let describe_field = follow
                    .inputs
                    .first()
                    .map(|(_, source)| source.clone())
                    .unwrap_or_default();
                let describe_ident = super::field_ident(&describe_field);
                let label = describe_field.replace('_', " ");
                let wait = quote! {
                    if matches.get_flag("wait") {
                        let follow = cli::Follow {
                            request: |answer: &crate::operations::#module::#answer| {
                                Some(crate::operations::#target_module::#target_request {
                                    #(#sets)*
                                    ..Default::default()
                                })
                            },
                            describe: |answer: &crate::operations::#module::#answer| {
                                format!("{} {}", #label, answer.#describe_ident.as_deref().unwrap_or("(none)"))
                            },
                        };
                        return cli::execute_and_wait(context, request, extras, follow, cli::wait_timeout(matches)).await;
                    }
                };
                // The waiter's operation may sit in another feature group.
                let wait = match (&target.group, &op.group) {
                    (Some(target_group), own) if own.as_ref() != Some(target_group) => {
                        let message = format!(
                            "--wait needs the `{target_group}` feature of the generated crate"
                        );
                        quote! {
                            #[cfg(feature = #target_group)]
                            {
                                #wait
                            }
                            #[cfg(not(feature = #target_group))]
                            if matches.get_flag("wait") {
                                return Err(Failure::new(cli::exit::INVALID, #message));
                            }
                        }
                    }
                    _ => wait,
                };
                quote! {
                    #wait
                    cli::execute(context, request, extras).await
                }
            }
            None => quote!(cli::execute(context, request, extras).await),
        }
    } else {
        quote!(cli::execute(context, request, extras).await)
    };
    let uses_matches = !field_sets.is_empty()
        || op.body == crate::model::BodyKind::Json
        || payload
        || op.pagination.is_some()
        || op.follow_with.is_some();
    let matches = if uses_matches {
        quote!(matches)
    } else {
        quote!(_matches)
    };
    let request_mut = (!field_sets.is_empty()).then(|| quote!(mut));
    let cfg = super::group_cfg(op);
    quote! {
        #cfg
        async fn #function(context: &Context, #matches: &ArgMatches) -> Result<(), Failure> {
            #read_body
            #(#body_sets)*
            let (#request_mut request, extras) = cli::parse_request::<crate::operations::#module::#request>(body, context.no_validate())?;
            #(#field_sets)*
            #finish
        }
    }
}
