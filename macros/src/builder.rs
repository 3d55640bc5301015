//! `#[derive(Builder)]`: `{Type}Builder` with a setter per field and a `build` that reports
//! every violation at once.
//!
//! The builder carries a handle `H` (`()` for a plain builder). A client gives its fluent
//! calls a handle of its own, so one set of setters serves both `X::builder()...build()` and
//! `client.x()...send()`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{DeriveInput, Ident, LitStr, Type};

use crate::attr::{Errors, doc_lines, for_each_nested, unknown};
use crate::ty::{option_inner, vec_item};

struct Field {
    ident: Ident,
    docs: Vec<LitStr>,
    ty: Type,
    base64: bool,
}

pub fn expand(input: TokenStream) -> TokenStream {
    match syn::parse2(input).and_then(|input| parse(&input)) {
        Ok((ident, fields, kind)) => emit(&ident, &fields, kind),
        Err(error) => error.to_compile_error(),
    }
}

/// What the struct is, which decides what a builder holding a client call can do.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A nested structure: build only.
    Plain,
    /// An operation's request (`#[operation(...)]`): send and prepare too.
    Operation,
    /// A paginated operation's request (`#[operation(..., paginate(...))]`): walk pages too.
    PaginatedOperation,
}

/// The parsed input: the struct, its fields, and its kind.
type Parsed = (Ident, Vec<Field>, Kind);

/// Whether `#[operation(...)]` has a top-level `paginate(...)`.
fn declares_pagination(attr: &syn::Attribute) -> bool {
    let syn::Meta::List(list) = &attr.meta else {
        return false;
    };
    let mut tokens = list.tokens.clone().into_iter().peekable();
    let mut at_key = true;
    while let Some(token) = tokens.next() {
        match &token {
            proc_macro2::TokenTree::Ident(ident) if at_key && ident == "paginate" => {
                if matches!(tokens.peek(), Some(proc_macro2::TokenTree::Group(_))) {
                    return true;
                }
            }
            proc_macro2::TokenTree::Punct(p) if p.as_char() == ',' => {
                at_key = true;
                continue;
            }
            _ => {}
        }
        at_key = false;
    }
    false
}

fn parse(input: &DeriveInput) -> syn::Result<Parsed> {
    let syn::Data::Struct(syn::DataStruct {
        fields: syn::Fields::Named(named),
        ..
    }) = &input.data
    else {
        return Err(syn::Error::new(
            input.ident.span(),
            "`Builder` can only be derived for structs with named fields",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.ident.span(),
            "`Builder` does not support generic structs",
        ));
    }
    let mut errors = Errors::default();
    let mut fields = Vec::new();
    for field in &named.named {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let mut base64 = false;
        let parsed = for_each_nested(&field.attrs, "builder", |meta| {
            if meta.path.is_ident("base64") {
                base64 = true;
                Ok(())
            } else {
                Err(unknown(&meta, "builder key", "base64"))
            }
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
        fields.push(Field {
            ident,
            docs: doc_lines(&field.attrs),
            ty: field.ty.clone(),
            base64,
        });
    }
    let operation = input.attrs.iter().find(|a| a.path().is_ident("operation"));
    let kind = match operation {
        None => Kind::Plain,
        Some(attr) if declares_pagination(attr) => Kind::PaginatedOperation,
        Some(_) => Kind::Operation,
    };
    errors.finish((input.ident.clone(), fields, kind))
}

fn emit(ident: &Ident, fields: &[Field], kind: Kind) -> TokenStream {
    let sending = (kind != Kind::Plain).then(|| sending(ident));
    let paging = (kind == Kind::PaginatedOperation).then(|| paging(ident));
    let builder = format_ident!("{ident}Builder");
    let builder_doc = format!(
        "A builder for [`{ident}`]: set members, then [`build`]({builder}::build), which reports every violation at once."
    );
    let setters = fields.iter().map(setter);
    quote! {
        #[doc = #builder_doc]
        #[derive(Clone, Debug, Default)]
        #[must_use]
        pub struct #builder<H = ()> {
            inner: #ident,
            handle: H,
        }

        #[automatically_derived]
        impl #ident {
            /// Starts a builder with every member unset.
            pub fn builder() -> #builder {
                #builder::default()
            }
        }

        #[automatically_derived]
        impl<H> #builder<H> {
            #(#setters)*

            /// The request as built so far.
            pub fn as_request(&self) -> &#ident {
                &self.inner
            }

            /// Splits the builder into the request and its handle.
            pub fn into_parts(self) -> (#ident, H) {
                (self.inner, self.handle)
            }

            /// A builder of `request` that carries `handle`.
            pub fn from_parts(request: #ident, handle: H) -> Self {
                Self { inner: request, handle }
            }
        }

        #[automatically_derived]
        impl #builder {
            /// Checks every documented rule and returns the request, or every violation.
            pub fn build(self) -> ::core::result::Result<#ident, ::acs_runtime::ValidationErrors> {
                ::acs_runtime::validate::Validate::validate(&self.inner)?;
                ::core::result::Result::Ok(self.inner)
            }

            /// Returns the request without checking the documented rules, for when the
            /// service has relaxed a rule that the spec still records.
            pub fn build_unvalidated(self) -> #ident {
                self.inner
            }
        }

        #[automatically_derived]
        impl ::core::convert::From<#builder> for #ident {
            /// The request without checks; the enclosing request checks it when it is built
            /// or sent.
            fn from(builder: #builder) -> Self {
                builder.inner
            }
        }

        #sending
        #paging
    }
}

/// `paginate` and `paginate_all` for a paginated operation's builder.
fn paging(ident: &Ident) -> TokenStream {
    let builder = format_ident!("{ident}Builder");
    quote! {
        #[automatically_derived]
        impl #builder<::acs_runtime::client::Call> {
            /// Every item of every page, fetched page by page as the stream is read. Starts at
            /// the request's page number (1 if unset); the first error ends the stream.
            pub fn paginate(
                self,
            ) -> ::acs_runtime::paginate::Items<<#ident as ::acs_runtime::paginate::Paginate>::Item> {
                let (request, call) = self.into_parts();
                call.paginate(request)
            }

            /// Every item of every page, collected.
            pub async fn paginate_all(
                self,
            ) -> ::core::result::Result<
                ::std::vec::Vec<<#ident as ::acs_runtime::paginate::Paginate>::Item>,
                ::acs_runtime::client::Error,
            > {
                let (request, call) = self.into_parts();
                call.paginate_all(request).await
            }
        }
    }
}

/// `send`, `prepare` and `skip_validation` for a request builder that carries a client call.
fn sending(ident: &Ident) -> TokenStream {
    let builder = format_ident!("{ident}Builder");
    quote! {
        #[automatically_derived]
        impl #builder<::acs_runtime::client::Call> {
            /// Sends this request without checking the documented rules, for when the service
            /// has relaxed a rule that the spec still records. Path labels must still be set.
            pub fn skip_validation(mut self) -> Self {
                self.handle = self.handle.skip_validation();
                self
            }

            /// Validates the request (unless skipped), signs it and sends it, retrying only
            /// when that cannot apply it twice; returns the typed response and request id.
            pub async fn send(
                self,
            ) -> ::core::result::Result<
                ::acs_runtime::client::Response<<#ident as ::acs_runtime::operation::Operation>::Output>,
                ::acs_runtime::client::Error,
            > {
                self.handle.send(&self.inner).await
            }

            /// The signed HTTP request exactly as the first attempt would send it, without
            /// sending it.
            pub async fn prepare(
                self,
            ) -> ::core::result::Result<::acs_runtime::signing::HttpRequest, ::acs_runtime::client::Error> {
                self.handle.prepare(&self.inner).await
            }
        }
    }
}

fn setter(field: &Field) -> TokenStream {
    let Field {
        ident,
        docs,
        ty,
        base64,
    } = field;
    let name = ident.to_string();
    let name = name.trim_start_matches("r#");
    let set_ident = format_ident!("set_{name}");
    let Some(inner) = option_inner(ty) else {
        return quote! {
            #(#[doc = #docs])*
            pub fn #ident(mut self, value: impl ::core::convert::Into<#ty>) -> Self {
                self.inner.#ident = value.into();
                self
            }
        };
    };
    let main = if let Some(item) = vec_item(ty) {
        quote! {
            #(#[doc = #docs])*
            pub fn #ident(mut self, items: impl ::core::iter::IntoIterator<Item = impl ::core::convert::Into<#item>>) -> Self {
                self.inner.#ident = ::core::option::Option::Some(items.into_iter().map(::core::convert::Into::into).collect());
                self
            }
        }
    } else {
        quote! {
            #(#[doc = #docs])*
            pub fn #ident(mut self, value: impl ::core::convert::Into<#inner>) -> Self {
                self.inner.#ident = ::core::option::Option::Some(value.into());
                self
            }
        }
    };
    let set_doc = format!("Sets or clears [`{name}`](Self::{name}).");
    let from_bytes = base64.then(|| {
        let from_bytes_ident = format_ident!("{name}_from_bytes");
        let doc = format!("Sets [`{name}`](Self::{name}) to the standard base64 encoding of `raw` (for example a script's bytes).");
        quote! {
            #[doc = #doc]
            pub fn #from_bytes_ident(mut self, raw: impl ::core::convert::AsRef<[u8]>) -> Self {
                self.inner.#ident = ::core::option::Option::Some(::acs_runtime::encoding::base64_encode(raw.as_ref()).into());
                self
            }
        }
    });
    quote! {
        #main
        #[doc = #set_doc]
        pub fn #set_ident(mut self, value: ::core::option::Option<#inner>) -> Self {
            self.inner.#ident = value;
            self
        }
        #from_bytes
    }
}
