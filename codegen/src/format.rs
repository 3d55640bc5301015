//! The layout of generated Rust: `prettyplease`, and nothing else.
//!
//! `prettyplease` is a library pinned by `Cargo.lock`, so the same spec gives the same bytes
//! on every machine, whether or not a `rustfmt` is installed, and formatting costs no
//! process per file. `cargo fmt` leaves the generated modules alone: the generated crate
//! root declares each of them `#[rustfmt::skip]` (see `emit::lib_rs`), and the crate root
//! itself is laid out as `rustfmt` would lay it out (`cargo fmt --check` in CI holds it to
//! that).

use proc_macro2::TokenStream;

use crate::emit::GENERATED_MARKER;

/// The first lines of a generated Rust file: the `@generated` marker, naming `source`.
pub fn header(source: &str) -> String {
    format!("// {GENERATED_MARKER} from {source}. Do not edit.\n\n")
}

/// `tokens` (a file, or items of one) laid out by `prettyplease`. Tokens that do not parse
/// (a generator bug) are kept visible behind a `compile_error!` instead of panicking.
pub fn unparse(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(e) => format!(
            "compile_error!({:?});\n{tokens}\n",
            format!("generator produced invalid Rust: {e}")
        ),
    }
}
