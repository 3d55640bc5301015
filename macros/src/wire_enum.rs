//! `#[derive(WireEnum)]`: an enum of documented wire values plus `Unknown(String)`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident, LitStr};

use crate::attr::Errors;

struct Model {
    ident: Ident,
    known: Vec<(Ident, LitStr)>,
    unknown: Ident,
}

pub fn expand(input: TokenStream) -> TokenStream {
    match syn::parse2(input).and_then(|input| parse(&input)) {
        Ok(model) => emit(&model),
        Err(error) => error.to_compile_error(),
    }
}

fn parse(input: &DeriveInput) -> syn::Result<Model> {
    let syn::Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(
            input.ident.span(),
            "`WireEnum` can only be derived for enums",
        ));
    };
    let mut errors = Errors::default();
    let mut known: Vec<(Ident, LitStr)> = Vec::new();
    let mut unknown = None;
    let count = data.variants.len();
    for (index, variant) in data.variants.iter().enumerate() {
        match &variant.fields {
            syn::Fields::Unit => {
                let wire = variant
                    .attrs
                    .iter()
                    .find(|a| a.path().is_ident("wire"))
                    .ok_or_else(|| syn::Error::new(variant.ident.span(), "a documented value needs `#[wire(\"value\")]`"))
                    .and_then(|a| a.parse_args::<LitStr>());
                match wire {
                    Ok(wire) => {
                        if known.iter().any(|(_, w)| w.value() == wire.value()) {
                            errors.push(syn::Error::new(wire.span(), format!("duplicate wire value {:?}", wire.value())));
                        }
                        known.push((variant.ident.clone(), wire));
                    }
                    Err(e) => errors.push(e),
                }
            }
            syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 && index + 1 == count => {
                unknown = Some(variant.ident.clone());
            }
            other => errors.push(syn::Error::new(
                other.span(),
                "variants are unit variants with `#[wire(\"value\")]`, then one last `Unknown(String)`",
            )),
        }
    }
    let Some(unknown) = unknown else {
        errors.push(syn::Error::new(
            input.ident.span(),
            "the last variant must be `Unknown(String)`, which keeps values the service adds later",
        ));
        return errors.finish(Model {
            ident: input.ident.clone(),
            known,
            unknown: input.ident.clone(),
        });
    };
    errors.finish(Model {
        ident: input.ident.clone(),
        known,
        unknown,
    })
}

fn emit(model: &Model) -> TokenStream {
    let Model {
        ident,
        known,
        unknown,
    } = model;
    let variants: Vec<_> = known.iter().map(|(v, _)| v).collect();
    let wires: Vec<_> = known.iter().map(|(_, w)| w).collect();
    quote! {
        #[automatically_derived]
        impl #ident {
            /// Every value the spec documents, in its order.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as the service spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::#unknown(value) => value,
                }
            }

            /// Whether the value is one the spec documents.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::#unknown(_))
            }
        }

        #[automatically_derived]
        impl ::core::convert::From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
                    other => Self::#unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        #[automatically_derived]
        impl ::core::convert::From<::std::string::String> for #ident {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #(#wires => Self::#variants,)*
                    _ => Self::#unknown(value),
                }
            }
        }

        #[automatically_derived]
        impl ::core::str::FromStr for #ident {
            type Err = ::core::convert::Infallible;
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from(value))
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[automatically_derived]
        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #[automatically_derived]
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        #[automatically_derived]
        impl ::acs_runtime::validate::ConditionValue for #ident {
            fn equals_str(&self, literal: &str) -> bool {
                self.as_str() == literal
            }
        }

        #[automatically_derived]
        impl ::acs_runtime::validate::Validate for #ident {
            fn validate_at(
                &self,
                path: &::acs_runtime::validate::FieldPath<'_>,
                out: &mut ::std::vec::Vec<::acs_runtime::validate::Violation>,
            ) {
                if let Self::#unknown(value) = self {
                    ::acs_runtime::validate::check::allowed_text(
                        ::core::option::Option::Some(value),
                        Self::VALUES,
                        "",
                        ::acs_runtime::validate::check::Site::here(path),
                        out,
                    );
                }
            }
        }
    }
}
