//! `#[derive(Poll)]`: how a waiter judges an answer.
//!
//! `#[poll(state = "state", success("success"), failure("fail"), failure_detail = "error",
//! progress = "current_stage")]`, paths being fields or dot paths of `Option` fields.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{DeriveInput, Ident, LitStr};

use crate::attr::{field_chain, for_each_nested, string_value, unknown};

struct Model {
    ident: Ident,
    state: Vec<Ident>,
    success: Vec<LitStr>,
    failure: Vec<LitStr>,
    failure_detail: Option<Vec<Ident>>,
    progress: Option<Vec<Ident>>,
}

pub fn expand(input: TokenStream) -> TokenStream {
    match syn::parse2(input).and_then(|input| parse(&input)) {
        Ok(model) => emit(&model),
        Err(error) => error.to_compile_error(),
    }
}

fn strings(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Vec<LitStr>> {
    let content;
    syn::parenthesized!(content in meta.input);
    Ok(content
        .parse_terminated(<LitStr as syn::parse::Parse>::parse, syn::Token![,])?
        .into_iter()
        .collect())
}

fn parse(input: &DeriveInput) -> syn::Result<Model> {
    let (mut state, mut success, mut failure, mut failure_detail, mut progress) =
        (None, Vec::new(), Vec::new(), None, None);
    for_each_nested(&input.attrs, "poll", |meta| {
        if meta.path.is_ident("state") {
            state = Some(field_chain(&string_value(&meta)?)?);
        } else if meta.path.is_ident("success") {
            success = strings(&meta)?;
        } else if meta.path.is_ident("failure") {
            failure = strings(&meta)?;
        } else if meta.path.is_ident("failure_detail") {
            failure_detail = Some(field_chain(&string_value(&meta)?)?);
        } else if meta.path.is_ident("progress") {
            progress = Some(field_chain(&string_value(&meta)?)?);
        } else {
            return Err(unknown(
                &meta,
                "poll key",
                "state, success, failure, failure_detail, progress",
            ));
        }
        Ok(())
    })?;
    let state = state.ok_or_else(|| {
        syn::Error::new(
            input.ident.span(),
            "`Poll` needs `#[poll(state = \"…\", success(…), failure(…))]`",
        )
    })?;
    if success.is_empty() || failure.is_empty() {
        return Err(syn::Error::new(
            input.ident.span(),
            "`Poll` needs at least one `success` and one `failure` value",
        ));
    }
    Ok(Model {
        ident: input.ident.clone(),
        state,
        success,
        failure,
        failure_detail,
        progress,
    })
}

/// `Option<&T>` of the value at a field chain of `Option` fields.
fn access(chain: &[Ident]) -> TokenStream {
    match chain {
        [first, rest @ ..] => {
            let steps = rest
                .iter()
                .map(|field| quote!(.and_then(|v| v.#field.as_ref())));
            quote!(self.#first.as_ref() #(#steps)*)
        }
        [] => quote!(::core::option::Option::<&()>::None),
    }
}

fn emit(model: &Model) -> TokenStream {
    let Model {
        ident,
        state,
        success,
        failure,
        failure_detail,
        progress,
    } = model;
    let state = access(state);
    let detail = match failure_detail {
        Some(chain) => {
            let value = access(chain);
            quote!(#value.map(::acs_runtime::waiter::describe))
        }
        None => quote!(::core::option::Option::None),
    };
    let progress = match progress {
        Some(chain) => {
            let value = access(chain);
            quote!(#value.map(::acs_runtime::waiter::describe))
        }
        None => quote!(::core::option::Option::None),
    };
    quote! {
        #[automatically_derived]
        impl ::acs_runtime::waiter::Poll for #ident {
            fn poll_state(&self) -> ::acs_runtime::waiter::PollState {
                let state = #state.map(::std::string::ToString::to_string);
                match state.as_deref() {
                    #(::core::option::Option::Some(#success))|* => ::acs_runtime::waiter::PollState::Success,
                    #(::core::option::Option::Some(#failure))|* => {
                        let detail: ::core::option::Option<::std::string::String> = #detail;
                        ::acs_runtime::waiter::PollState::Failure(detail.unwrap_or_else(|| ::std::format!("state {:?}", state.as_deref().unwrap_or_default())))
                    }
                    _ => ::acs_runtime::waiter::PollState::Pending,
                }
            }

            fn progress(&self) -> ::core::option::Option<::std::string::String> {
                #progress
            }
        }
    }
}
