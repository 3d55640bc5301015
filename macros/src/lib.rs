//! Derives for the code that `acs-codegen` generates from the API spec.
//!
//! Generated types stay declarative (fields with attributes); the repetitive code lives here,
//! written and tested once:
//!
//! - [`Validate`](derive@Validate): constraint attributes and cross-field rules become a
//!   `validate_at` that reports every violation with the member's path;
//! - [`Operation`](derive@Operation): method, path template and member bindings become the
//!   `acs_runtime::Operation` implementation that builds the HTTP request;
//! - [`Builder`](derive@Builder): a builder that collects every problem before it builds;
//! - [`WireEnum`](derive@WireEnum): an enum of documented values that keeps values it does
//!   not know;
//! - [`WireDeserialize`](derive@WireDeserialize): serde's `Deserialize` for a structure,
//!   through one generic walk in the runtime instead of a visitor per structure.
//!
//! Each derive parses its attributes into a small internal model first and expands from that
//! model; misuse is a compile error pointing at the offending attribute or field. The
//! expansion functions take and return `proc_macro2::TokenStream` so they can be tested and
//! snapshotted without a compiler.

mod attr;
mod builder;
mod operation;
mod poll;
mod ty;
mod validate;
mod wire_deserialize;
mod wire_enum;

use proc_macro::TokenStream;

/// Derives `acs_runtime::Validate` from `#[validate(...)]` attributes.
///
/// Field attributes: `required`, `range(min = .., max = ..)`, `length(min = .., max = ..)`,
/// `pattern(regex = "..", describe = "..")`, `one_of(..)`, `items(min = .., max = ..)`,
/// `character_classes(min = .., special = "..")`, `base64`, `nested`, `each(..)` (the
/// same constraints, applied to every item of a list), `default = ..` (the value the service
/// assumes when the member is unset; rule conditions see it).
///
/// Struct attributes: `required_if(members(a, b), when(x = "v", y = true))`,
/// `exactly_one_of(a, b)`, `at_least_one_of(..)`, `at_most_one_of(..)`,
/// `allowed_values_if(member = a, one_of(1, 2), when(x = "v"))`.
#[proc_macro_derive(Validate, attributes(validate))]
pub fn derive_validate(input: TokenStream) -> TokenStream {
    validate::expand(input.into()).into()
}

/// Derives `acs_runtime::Operation` from `#[operation(...)]` attributes.
///
/// Struct attribute: `#[operation(action = "..", version = "..", method = "POST",
/// path = "/api/v2/clusters/{ClusterId}", idempotent = false, body = "json",
/// output = Type)]`. Field attributes: `path = "Label"`, `query = "name"`,
/// `header = "name"`; other fields go in the JSON body.
#[proc_macro_derive(Operation, attributes(operation))]
pub fn derive_operation(input: TokenStream) -> TokenStream {
    operation::expand(input.into()).into()
}

/// Derives a builder, `{Type}Builder`, with one setter per field and a `build` that reports
/// every violation at once.
///
/// Field attribute: `#[builder(base64)]` adds a `{field}_from_bytes` setter that encodes raw
/// bytes as standard base64.
///
/// The builder carries a handle `H` (`()` by default, with `build` and `build_unvalidated`).
/// When the struct is also an operation's request (it carries `#[operation(...)]`), a builder
/// holding an `acs_runtime::client::Call` also gets `send`, `prepare` and `skip_validation`;
/// generated clients hand out such builders, one per operation.
#[proc_macro_derive(Builder, attributes(builder))]
pub fn derive_builder(input: TokenStream) -> TokenStream {
    builder::expand(input.into()).into()
}

/// Derives wire-name conversions, serde, `Display`, rule conditions and validation for an
/// enum of documented values with a final `Unknown(String)` variant that keeps any other
/// value. Variant attribute: `#[wire("PrePaid")]`.
#[proc_macro_derive(WireEnum, attributes(wire))]
pub fn derive_wire_enum(input: TokenStream) -> TokenStream {
    wire_enum::expand(input.into()).into()
}

/// Derives `serde::Deserialize` for a struct with named fields, through
/// `acs_runtime::wire::deserialize_struct`: the struct gets its table of wire names and one
/// `match` that reads member *i* (`acs_runtime::wire::WireStruct`), and the map is walked by
/// one generic function for every structure instead of serde's field enum and visitors per
/// structure. The struct must implement `Default`: absent members keep its value.
///
/// It reads the `#[serde(...)]` attributes `Serialize` reads. Struct attributes: `default`
/// (absent members keep their default; without it, a member is required unless it is an
/// `Option` or has `default`), `transparent` (the input is the value of the one member that
/// is not skipped). Field attributes: `rename = "wire"`, `default`, `skip` or
/// `skip_deserializing` (never read; left at its default), `with = "module"` (read by
/// `module::deserialize`), `deserialize_with = "function"`; `skip_serializing`,
/// `skip_serializing_if` and `serialize_with` are for `Serialize` and ignored. Any other
/// attribute is a compile error.
///
/// As serde's derive: unknown keys are skipped (`IgnoredAny`), a repeated member is an
/// error ("duplicate field"), and so is an absent required member ("missing field"); a
/// sequence is read as the members in order. One difference: an absent required member with
/// `with` or `deserialize_with` is given to its function to read from nothing (for
/// `string_encoded`, `None`), where serde's derive reports it missing.
#[proc_macro_derive(WireDeserialize, attributes(serde))]
pub fn derive_wire_deserialize(input: TokenStream) -> TokenStream {
    wire_deserialize::expand(input.into()).into()
}

/// Derives `acs_runtime::waiter::Poll` for an answer type, from
/// `#[poll(state = "state", success("success"), failure("fail"), failure_detail = "error",
/// progress = "current_stage")]` (fields or dot paths through `Option` fields).
#[proc_macro_derive(Poll, attributes(poll))]
pub fn derive_poll(input: TokenStream) -> TokenStream {
    poll::expand(input.into()).into()
}

#[cfg(test)]
mod tests;
