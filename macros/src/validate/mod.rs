//! `#[derive(Validate)]`: parse attributes into [`model`], then expand.

mod expand;
mod model;

use proc_macro2::TokenStream;

/// The derive's token-level entry point.
pub fn expand(input: TokenStream) -> TokenStream {
    let result = syn::parse2(input).and_then(|input| model::Input::parse(&input));
    match result {
        Ok(model) => expand::expand(&model),
        Err(error) => error.to_compile_error(),
    }
}
