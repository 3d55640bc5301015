//! `#[derive(Operation)]`: binds a request struct to its HTTP method, path template and
//! member locations.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident, LitBool, LitStr, Type};

use crate::attr::{Errors, field_chain, for_each_nested, string_value, unknown};

const METHODS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];

struct Model {
    ident: Ident,
    action: LitStr,
    version: LitStr,
    method: LitStr,
    path: LitStr,
    segments: Vec<Segment>,
    idempotent: bool,
    json_body: bool,
    output: Type,
    outcome_check: Option<LitStr>,
    paginate: Option<Paginate>,
    fields: Vec<Bound>,
}

/// `paginate(page_number = "…", page_size = "…", items = "…", item = Type, total_count = "a.b")`
struct Paginate {
    page_number: Ident,
    page_size: Option<Ident>,
    items: Ident,
    item: Type,
    total_count: Option<Vec<Ident>>,
}

fn parse_paginate(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Paginate> {
    let (mut page_number, mut page_size, mut items, mut item, mut total_count) =
        (None, None, None, None, None);
    meta.parse_nested_meta(|inner| {
        let one = |lit: LitStr| -> syn::Result<Ident> {
            let chain = field_chain(&lit)?;
            match <[Ident; 1]>::try_from(chain) {
                Ok([ident]) => Ok(ident),
                Err(_) => Err(syn::Error::new(lit.span(), "expected one field name")),
            }
        };
        if inner.path.is_ident("page_number") {
            page_number = Some(one(string_value(&inner)?)?);
        } else if inner.path.is_ident("page_size") {
            page_size = Some(one(string_value(&inner)?)?);
        } else if inner.path.is_ident("items") {
            items = Some(one(string_value(&inner)?)?);
        } else if inner.path.is_ident("item") {
            item = Some(inner.value()?.parse::<Type>()?);
        } else if inner.path.is_ident("total_count") {
            total_count = Some(field_chain(&string_value(&inner)?)?);
        } else {
            return Err(unknown(
                &inner,
                "paginate key",
                "page_number, page_size, items, item, total_count",
            ));
        }
        Ok(())
    })?;
    match (page_number, items, item) {
        (Some(page_number), Some(items), Some(item)) => Ok(Paginate {
            page_number,
            page_size,
            items,
            item,
            total_count,
        }),
        _ => Err(meta.error("`paginate` needs `page_number`, `items` and `item`")),
    }
}

enum Segment {
    Literal(String),
    Label(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Location {
    Path,
    Query,
    Header,
    Body,
}

struct Bound {
    ident: Ident,
    location: Location,
    name: Option<LitStr>,
}

pub fn expand(input: TokenStream) -> TokenStream {
    match syn::parse2(input).and_then(|input| parse(&input)) {
        Ok(model) => emit(&model),
        Err(error) => error.to_compile_error(),
    }
}

fn parse(input: &DeriveInput) -> syn::Result<Model> {
    let syn::Data::Struct(syn::DataStruct {
        fields: syn::Fields::Named(named),
        ..
    }) = &input.data
    else {
        return Err(syn::Error::new(
            input.ident.span(),
            "`Operation` can only be derived for structs with named fields",
        ));
    };
    let mut errors = Errors::default();
    let (mut action, mut version, mut method, mut path, mut idempotent, mut body, mut output) =
        (None, None, None, None, None, None, None);
    let mut outcome_check = None;
    let mut paginate = None;
    let parsed = for_each_nested(&input.attrs, "operation", |meta| {
        let key = |k: &str| meta.path.is_ident(k);
        if key("action") {
            action = Some(string_value(&meta)?);
        } else if key("version") {
            version = Some(string_value(&meta)?);
        } else if key("method") {
            let m = string_value(&meta)?;
            if !METHODS.contains(&m.value().as_str()) {
                return Err(syn::Error::new(
                    m.span(),
                    format!(
                        "unknown HTTP method; expected one of {}",
                        METHODS.join(", ")
                    ),
                ));
            }
            method = Some(m);
        } else if key("path") {
            path = Some(string_value(&meta)?);
        } else if key("idempotent") {
            idempotent = Some(meta.value()?.parse::<LitBool>()?.value);
        } else if key("body") {
            let b = string_value(&meta)?;
            match b.value().as_str() {
                "json" => body = Some(true),
                "none" => body = Some(false),
                _ => {
                    return Err(syn::Error::new(
                        b.span(),
                        "expected `body = \"json\"` or `body = \"none\"`",
                    ));
                }
            }
        } else if key("output") {
            output = Some(meta.value()?.parse::<Type>()?);
        } else if key("outcome_check") {
            outcome_check = Some(string_value(&meta)?);
        } else if key("paginate") {
            paginate = Some(parse_paginate(&meta)?);
        } else {
            return Err(unknown(
                &meta,
                "operation key",
                "action, version, method, path, idempotent, body, output, outcome_check, paginate",
            ));
        }
        Ok(())
    });
    parsed?;
    let (Some(action), Some(version), Some(method), Some(path), Some(output)) =
        (action, version, method, path, output)
    else {
        return Err(syn::Error::new(
            input.ident.span(),
            "`#[operation(...)]` needs `action`, `version`, `method`, `path` and `output`",
        ));
    };
    let segments = match parse_template(&path) {
        Ok(s) => s,
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    let json_body = body.unwrap_or(true);
    let mut fields = Vec::new();
    for field in &named.named {
        match bound(field, json_body) {
            Ok(b) => fields.push(b),
            Err(e) => errors.push(e),
        }
    }
    // Every label has exactly one field, every path field has a label.
    for segment in &segments {
        if let Segment::Label(label) = segment {
            let count = fields
                .iter()
                .filter(|f| {
                    f.location == Location::Path
                        && f.name.as_ref().is_some_and(|n| n.value() == *label)
                })
                .count();
            if count != 1 {
                errors.push(syn::Error::new(path.span(), format!(
                    "path label `{{{label}}}` needs exactly one field with `#[operation(path = \"{label}\")]` (found {count})"
                )));
            }
        }
    }
    for field in fields.iter().filter(|f| f.location == Location::Path) {
        if let Some(name) = &field.name
            && !segments
                .iter()
                .any(|s| matches!(s, Segment::Label(l) if *l == name.value()))
        {
            errors.push(syn::Error::new(
                name.span(),
                format!(
                    "`{}` is not a label of the path template {:?}",
                    name.value(),
                    path.value()
                ),
            ));
        }
    }
    errors.finish(Model {
        ident: input.ident.clone(),
        action,
        version,
        method,
        path,
        segments,
        idempotent: idempotent.unwrap_or(false),
        json_body,
        output,
        outcome_check,
        paginate,
        fields,
    })
}

fn parse_template(path: &LitStr) -> syn::Result<Vec<Segment>> {
    let text = path.value();
    if !text.starts_with('/') {
        return Err(syn::Error::new(
            path.span(),
            "the path template must start with `/`",
        ));
    }
    let mut segments = Vec::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err(syn::Error::new(
                path.span(),
                "unbalanced `}` in the path template",
            ));
        }
        let Some(close) = rest[open..].find('}').map(|c| c + open) else {
            return Err(syn::Error::new(
                path.span(),
                "unclosed `{` in the path template",
            ));
        };
        let label = &rest[open + 1..close];
        if label.is_empty() || !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(syn::Error::new(
                path.span(),
                format!("invalid path label `{{{label}}}`"),
            ));
        }
        if segments
            .iter()
            .any(|s| matches!(s, Segment::Label(l) if l == label))
        {
            return Err(syn::Error::new(
                path.span(),
                format!("path label `{{{label}}}` appears twice"),
            ));
        }
        if open > 0 {
            segments.push(Segment::Literal(rest[..open].to_owned()));
        }
        segments.push(Segment::Label(label.to_owned()));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        segments.push(Segment::Literal(rest.to_owned()));
    }
    Ok(segments)
}

fn bound(field: &syn::Field, json_body: bool) -> syn::Result<Bound> {
    let Some(ident) = field.ident.clone() else {
        return Err(syn::Error::new(field.span(), "expected a named field"));
    };
    let mut location = Location::Body;
    let mut name = None;
    let mut attr_span = None;
    for_each_nested(&field.attrs, "operation", |meta| {
        let loc = if meta.path.is_ident("path") {
            Location::Path
        } else if meta.path.is_ident("query") {
            Location::Query
        } else if meta.path.is_ident("header") {
            Location::Header
        } else {
            return Err(unknown(&meta, "member binding", "path, query, header"));
        };
        if location != Location::Body {
            return Err(meta.error("a member binds to one place only"));
        }
        location = loc;
        let value = string_value(&meta)?;
        attr_span = Some(value.span());
        name = Some(value);
        Ok(())
    })?;
    if location != Location::Body && !has_serde_skip(field) {
        return Err(syn::Error::new(
            attr_span.unwrap_or_else(|| field.span()),
            "a member bound to the path, query or a header must also be `#[serde(skip)]`, or it would be sent in the body too",
        ));
    }
    if location == Location::Body && !json_body && !has_serde_skip(field) {
        return Err(syn::Error::new(
            ident.span(),
            "this operation has no body (`body = \"none\"`): bind the member with `#[operation(path | query | header = \"...\")]`",
        ));
    }
    Ok(Bound {
        ident,
        location,
        name,
    })
}

fn has_serde_skip(field: &syn::Field) -> bool {
    let mut skip = false;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("skip") {
                skip = true;
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                let _group: proc_macro2::Group = meta.input.parse()?;
            }
            Ok(())
        });
    }
    skip
}

fn emit(model: &Model) -> TokenStream {
    let Model {
        ident,
        action,
        version,
        method,
        path,
        idempotent,
        json_body,
        output,
        outcome_check,
        ..
    } = model;
    let outcome_check = outcome_check
        .as_ref()
        .map(|text| quote!(const OUTCOME_CHECK: &'static str = #text;));
    let paginate = model
        .paginate
        .as_ref()
        .map(|p| emit_paginate(ident, output, p));
    let push_segments = model.segments.iter().map(|segment| match segment {
        Segment::Literal(text) => quote!(path.push_str(#text);),
        Segment::Label(label) => {
            let field = model
                .fields
                .iter()
                .find(|f| {
                    f.location == Location::Path
                        && f.name.as_ref().is_some_and(|n| n.value() == *label)
                })
                .map(|f| &f.ident);
            quote!(::acs_runtime::operation::push_label(&mut path, #label, &self.#field)?;)
        }
    });
    let pairs = |location: Location| {
        let pushes = model.fields.iter().filter(|f| f.location == location).map(|f| {
            let (field, name) = (&f.ident, &f.name);
            quote! {
                if let ::core::option::Option::Some(value) = ::acs_runtime::operation::WireText::wire_text(&self.#field) {
                    pairs.push((#name, value));
                }
            }
        });
        quote! {
            #[allow(unused_mut)]
            let mut pairs = ::std::vec::Vec::new();
            #(#pushes)*
            pairs
        }
    };
    let query = pairs(Location::Query);
    let headers = pairs(Location::Header);
    let body = if *json_body {
        quote!(::acs_runtime::operation::BodyKind::Json)
    } else {
        quote!(::acs_runtime::operation::BodyKind::None)
    };
    quote! {
        #[automatically_derived]
        impl ::acs_runtime::operation::Operation for #ident {
            type Output = #output;
            const ACTION: &'static str = #action;
            const VERSION: &'static str = #version;
            const METHOD: &'static str = #method;
            const PATH_TEMPLATE: &'static str = #path;
            const IDEMPOTENT: bool = #idempotent;
            const BODY: ::acs_runtime::operation::BodyKind = #body;
            #outcome_check

            fn path(&self) -> ::core::result::Result<::std::string::String, ::acs_runtime::operation::RequestError> {
                // Room for the labels' values, so that the path is allocated once.
                let mut path = ::std::string::String::with_capacity(Self::PATH_TEMPLATE.len() + 64);
                #(#push_segments)*
                ::core::result::Result::Ok(path)
            }

            fn query(&self) -> ::std::vec::Vec<(&'static str, ::std::string::String)> {
                #query
            }

            fn headers(&self) -> ::std::vec::Vec<(&'static str, ::std::string::String)> {
                #headers
            }
        }

        #paginate
    }
}

fn emit_paginate(ident: &Ident, output: &Type, p: &Paginate) -> TokenStream {
    let Paginate {
        page_number,
        page_size,
        items,
        item,
        total_count,
    } = p;
    let page_size = match page_size {
        Some(field) => quote!(self.#field.and_then(|v| i64::try_from(v).ok())),
        None => quote!(::core::option::Option::None),
    };
    let total_count = match total_count.as_deref() {
        Some([first, rest @ ..]) => {
            let steps = rest
                .iter()
                .map(|field| quote!(.and_then(|v| v.#field.as_ref())));
            quote!(output.#first.as_ref() #(#steps)* .and_then(|v| i64::try_from(*v).ok()))
        }
        _ => quote!(::core::option::Option::None),
    };
    quote! {
        #[automatically_derived]
        impl ::acs_runtime::paginate::Paginate for #ident {
            type Item = #item;

            fn page_number(&self) -> ::core::option::Option<i64> {
                self.#page_number.and_then(|v| i64::try_from(v).ok())
            }

            fn set_page_number(&mut self, page: i64) {
                self.#page_number = ::core::convert::TryFrom::try_from(page).ok();
            }

            fn page_size(&self) -> ::core::option::Option<i64> {
                #page_size
            }

            fn take_items(output: &mut #output) -> ::std::vec::Vec<#item> {
                output.#items.take().unwrap_or_default()
            }

            fn total_count(output: &#output) -> ::core::option::Option<i64> {
                #total_count
            }
        }
    }
}
