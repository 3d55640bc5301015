//! `#[derive(WireDeserialize)]`: `serde::Deserialize` for a generated structure, through the
//! runtime's one generic walk (`acs_runtime::wire::deserialize_struct`).
//!
//! A structure expands to its table of wire names and one `match` that reads member *i*
//! (`acs_runtime::wire::WireStruct`), and a `Deserialize` that calls the runtime; a
//! `#[serde(transparent)]` structure to a `Deserialize` that reads its one member directly.
//! The `#[serde(...)]` attributes are the ones `Serialize` reads too; the derive understands
//! the subset the generator writes and rejects the others.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::ext::IdentExt as _;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident, LitStr, Path};

use crate::attr::{Errors, string_value};

const CONTAINER_KEYS: &str = "default, transparent";
const FIELD_KEYS: &str = "rename, default, skip, skip_deserializing, with, deserialize_with, \
                          skip_serializing, skip_serializing_if, serialize_with";

struct Model {
    ident: Ident,
    /// `#[serde(transparent)]`: the input is the value of the one member that is read.
    transparent: bool,
    /// `#[serde(default)]` on the structure: every absent member keeps its default.
    default: bool,
    members: Vec<Member>,
}

struct Member {
    ident: Ident,
    /// The wire name: `rename`, else the field's name.
    wire: LitStr,
    /// `skip` or `skip_deserializing`: never read, left at its default.
    skip: bool,
    /// `default` on the field.
    default: bool,
    /// How the value is read: `Deserialize`, `with = "m"` (`m::deserialize`) or
    /// `deserialize_with = "f"`.
    read: Option<Path>,
}

pub fn expand(input: TokenStream) -> TokenStream {
    match syn::parse2(input).and_then(|input| parse(&input)) {
        Ok(model) => emit(&model),
        Err(error) => error.to_compile_error(),
    }
}

/// The error for a `#[serde(...)]` key the derive does not understand.
fn unsupported(meta: &ParseNestedMeta<'_>, place: &str, expected: &str) -> syn::Error {
    let key = meta.path.to_token_stream().to_string().replace(' ', "");
    meta.error(format!(
        "`WireDeserialize` does not support `#[serde({key})]` on a {place}; supported: {expected}"
    ))
}

/// Parses `key = "path"` into the path.
fn path_value(meta: &ParseNestedMeta<'_>) -> syn::Result<Path> {
    let lit = string_value(meta)?;
    lit.parse::<Path>()
        .map_err(|_| syn::Error::new(lit.span(), "expected a path, such as \"module::function\""))
}

/// Rejects `key = ...` where only a bare `key` is supported.
fn bare(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!(
            "`WireDeserialize` supports only a bare `{key}` (the type's `Default`)"
        )));
    }
    Ok(())
}

fn parse(input: &DeriveInput) -> syn::Result<Model> {
    let fields = match &input.data {
        syn::Data::Struct(data) => match &data.fields {
            syn::Fields::Named(fields) => &fields.named,
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "`WireDeserialize` can only be derived for structs with named fields",
                ));
            }
        },
        syn::Data::Enum(data) => {
            return Err(syn::Error::new(
                data.enum_token.span(),
                "`WireDeserialize` can only be derived for structs with named fields \
                 (enums of wire values derive `WireEnum`)",
            ));
        }
        syn::Data::Union(data) => {
            return Err(syn::Error::new(
                data.union_token.span(),
                "`WireDeserialize` can only be derived for structs with named fields",
            ));
        }
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.generics.span(),
            "`WireDeserialize` does not support generic structs",
        ));
    }
    let mut errors = Errors::default();
    let (mut transparent, mut default) = (None, false);
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("transparent") {
                transparent = Some(meta.path.span());
            } else if meta.path.is_ident("default") {
                bare(&meta, "default")?;
                default = true;
            } else {
                return Err(unsupported(&meta, "structure", CONTAINER_KEYS));
            }
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
    }
    let mut members: Vec<Member> = Vec::new();
    for field in fields {
        let ident = field.ident.clone().expect("named field");
        let mut member = Member {
            wire: LitStr::new(&ident.unraw().to_string(), ident.span()),
            ident,
            skip: false,
            default: false,
            read: None,
        };
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            let parsed = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    if !meta.input.peek(syn::Token![=]) {
                        return Err(meta.error(
                            "`WireDeserialize` supports `rename = \"name\"` only (one name for both directions)",
                        ));
                    }
                    member.wire = string_value(&meta)?;
                } else if meta.path.is_ident("default") {
                    bare(&meta, "default")?;
                    member.default = true;
                } else if meta.path.is_ident("skip") || meta.path.is_ident("skip_deserializing") {
                    member.skip = true;
                } else if meta.path.is_ident("with") {
                    let module = path_value(&meta)?;
                    member.read = Some(syn::parse_quote!(#module::deserialize));
                } else if meta.path.is_ident("deserialize_with") {
                    member.read = Some(path_value(&meta)?);
                } else if meta.path.is_ident("skip_serializing") {
                    // Serializing only.
                } else if meta.path.is_ident("skip_serializing_if")
                    || meta.path.is_ident("serialize_with")
                {
                    // Serializing only; the value is a path in a string.
                    string_value(&meta)?;
                } else {
                    return Err(unsupported(&meta, "field", FIELD_KEYS));
                }
                Ok(())
            });
            if let Err(e) = parsed {
                errors.push(e);
            }
        }
        if !member.skip
            && let Some(first) = members
                .iter()
                .find(|m| !m.skip && m.wire.value() == member.wire.value())
        {
            errors.push(syn::Error::new(
                member.wire.span(),
                format!(
                    "wire name {:?} is already the name of `{}`",
                    member.wire.value(),
                    first.ident
                ),
            ));
        }
        members.push(member);
    }
    if let Some(span) = transparent {
        let read = members.iter().filter(|m| !m.skip).count();
        if read != 1 {
            errors.push(syn::Error::new(
                span,
                format!("`transparent` needs exactly one member that is not skipped; found {read}"),
            ));
        }
        if default {
            errors.push(syn::Error::new(
                span,
                "`transparent` and `default` on the same structure are not supported",
            ));
        }
    }
    errors.finish(Model {
        ident: input.ident.clone(),
        transparent: transparent.is_some(),
        default,
        members,
    })
}

/// How `member`'s value is read from `deserializer`.
fn read(member: &Member) -> TokenStream {
    match &member.read {
        Some(path) => quote!(#path(deserializer)?),
        None => quote!(::serde::Deserialize::deserialize(deserializer)?),
    }
}

fn emit(model: &Model) -> TokenStream {
    let ident = &model.ident;
    if model.transparent {
        let fields = model.members.iter().map(|m| {
            let field = &m.ident;
            let value = if m.skip {
                quote!(::core::default::Default::default())
            } else {
                read(m)
            };
            quote!(#field: #value,)
        });
        return quote! {
            #[automatically_derived]
            impl<'de> ::serde::Deserialize<'de> for #ident {
                fn deserialize<__D: ::serde::Deserializer<'de>>(
                    deserializer: __D,
                ) -> ::core::result::Result<Self, __D::Error> {
                    ::core::result::Result::Ok(Self { #(#fields)* })
                }
            }
        };
    }
    let read_members: Vec<&Member> = model.members.iter().filter(|m| !m.skip).collect();
    let name = LitStr::new(&ident.to_string(), ident.span());
    let wires = read_members.iter().map(|m| &m.wire);
    let required: Vec<usize> = read_members
        .iter()
        .enumerate()
        .filter(|(_, m)| !model.default && !m.default)
        .map(|(index, _)| index)
        .collect();
    let required = (!required.is_empty())
        .then(|| quote!(const REQUIRED: &'static [usize] = &[#(#required),*];));
    let body = if read_members.is_empty() {
        quote! {
            let _ = (index, deserializer);
        }
    } else {
        let arms = read_members.iter().enumerate().map(|(index, m)| {
            let field = &m.ident;
            let value = read(m);
            quote!(#index => self.#field = #value,)
        });
        quote! {
            match index {
                #(#arms)*
                _ => {}
            }
        }
    };
    quote! {
        #[automatically_derived]
        impl ::acs_runtime::wire::WireStruct for #ident {
            const NAME: &'static str = #name;
            const MEMBERS: &'static [&'static str] = &[#(#wires),*];
            #required

            fn read_member<'de, __D: ::serde::Deserializer<'de>>(
                &mut self,
                index: usize,
                deserializer: __D,
            ) -> ::core::result::Result<(), __D::Error> {
                #body
                ::core::result::Result::Ok(())
            }
        }

        #[automatically_derived]
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                ::acs_runtime::wire::deserialize_struct(deserializer)
            }
        }
    }
}
