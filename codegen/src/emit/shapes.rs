//! Structures and enums → declarative Rust items with attributes the derives understand.

use std::collections::BTreeMap;

use proc_macro2::{Literal as Lit, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use crate::model::{
    Binding, BodyKind, Constraint, ConstraintKind, Enum, Literal, Member, Method, Operation,
    RuleKind, Structure, Type,
};

/// The module that declares a named shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Home<'a> {
    /// `crate::types`
    Types,
    /// `crate::operations::<module>`
    Operation(&'a str),
}

/// How the module being emitted names each shape: bare when it declares the shape, by its
/// path from the crate root otherwise.
#[derive(Debug, Clone, Copy)]
pub struct ShapePaths<'a> {
    homes: &'a BTreeMap<&'a str, Home<'a>>,
    here: Option<Home<'a>>,
}

impl<'a> ShapePaths<'a> {
    /// Shapes as seen from module `here` (`None`: a module that declares no shape).
    pub fn new(homes: &'a BTreeMap<&'a str, Home<'a>>, here: Option<Home<'a>>) -> Self {
        Self { homes, here }
    }
}

/// The Rust path of a named shape, as seen from the module `paths` is for.
pub fn shape_path(paths: &ShapePaths, name: &str) -> TokenStream {
    let ident = format_ident!("{name}");
    match paths.homes.get(name) {
        Some(home) if Some(*home) == paths.here => quote!(#ident),
        Some(Home::Types) => quote!(crate::types::#ident),
        Some(Home::Operation(module)) => {
            let module = format_ident!("{module}");
            quote!(crate::operations::#module::#ident)
        }
        None => quote!(#ident),
    }
}

/// The request structure of `op`, with its operation binding.
pub fn request(op: &Operation, service_version: &str, paths: &ShapePaths) -> TokenStream {
    let action = &op.name;
    let method = method_name(op.method);
    let path = &op.path;
    let idempotent = op.idempotent;
    let body = match op.body {
        BodyKind::Json => "json",
        BodyKind::None => "none",
    };
    let output = format_ident!("{}", op.output.name);
    let outcome_check = op
        .outcome_check
        .as_ref()
        .map(|text| quote!(, outcome_check = #text));
    let paginate = op.pagination.as_ref().map(|p| {
        let page_number = &p.page_number;
        let page_size = p.page_size.as_ref().map(|s| quote!(page_size = #s,));
        let items = &p.items;
        let item = rust_type(&p.item, false, paths);
        let total = p.total_count.as_ref().map(|chain| {
            let path = chain.iter().map(|s| s.trim_start_matches("r#")).collect::<Vec<_>>().join(".");
            quote!(, total_count = #path)
        });
        quote!(, paginate(page_number = #page_number, #page_size items = #items, item = #item #total))
    });
    let binding = quote! {
        #[operation(
            action = #action,
            version = #service_version,
            method = #method,
            path = #path,
            idempotent = #idempotent,
            body = #body,
            output = #output
            #outcome_check
            #paginate
        )]
    };
    let mut doc = docs::operation(op);
    let rules = docs::structure(&op.input);
    if let Some(i) = rules.find("\n\n# Rules") {
        doc.push_str(&rules[i..]);
    }
    structure(&op.input, &doc, Some(("Operation", binding)), paths)
}

pub fn method_name(method: Method) -> &'static str {
    match method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Delete => "DELETE",
        Method::Patch => "PATCH",
    }
}

/// An operation's answer; with a waiter, it also derives `Poll`.
pub fn response(op: &Operation, doc: &str, paths: &ShapePaths) -> TokenStream {
    let Some(w) = &op.waiter else {
        return structure(&op.output, doc, None, paths);
    };
    let path = |chain: &[String]| {
        chain
            .iter()
            .map(|s| s.trim_start_matches("r#"))
            .collect::<Vec<_>>()
            .join(".")
    };
    let state = path(&w.state);
    let success = &w.success;
    let failure = &w.failure;
    let detail = w.failure_detail.as_deref().map(|c| {
        let c = path(c);
        quote!(, failure_detail = #c)
    });
    let progress = w.progress.as_deref().map(|c| {
        let c = path(c);
        quote!(, progress = #c)
    });
    let attr = quote! {
        #[poll(state = #state, success(#(#success),*), failure(#(#failure),*) #detail #progress)]
    };
    structure(&op.output, doc, Some(("Poll", attr)), paths)
}

/// A structure. `extra` is a derive and its attribute: `Operation` and `#[operation(...)]`
/// for a request, `Poll` and `#[poll(...)]` for an answer with a waiter.
pub fn structure(
    s: &Structure,
    doc: &str,
    extra: Option<(&str, TokenStream)>,
    paths: &ShapePaths,
) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let doc = docs::lines(doc);
    let input = s.usage.is_input();
    let mut derives = vec![
        quote!(Clone),
        quote!(Debug),
        quote!(Default),
        quote!(PartialEq),
        quote!(Serialize),
        // serde's `Deserialize` through the runtime's one generic walk: a fraction of the
        // code serde's derive expands to (see `acs_macros::WireDeserialize`).
        quote!(WireDeserialize),
    ];
    if input {
        derives.push(quote!(Validate));
        derives.push(quote!(Builder));
    }
    let operation = extra.map(|(derive, attr)| {
        let derive = format_ident!("{derive}");
        derives.push(quote!(#derive));
        attr
    });
    let rules = if input {
        s.rules.iter().map(rule).collect()
    } else {
        Vec::new()
    };
    let fields = s.members.iter().map(|m| field(m, input, paths));
    // A payload member is the whole body; otherwise absent members take their defaults.
    let serde = if s.members.iter().any(|m| m.binding == Binding::Payload) {
        quote!(#[serde(transparent)])
    } else {
        quote!(#[serde(default)])
    };
    quote! {
        #(#[doc = #doc])*
        #[derive(#(#derives),*)]
        #serde
        #[non_exhaustive]
        #operation
        #(#rules)*
        pub struct #name {
            #(#fields)*
        }
    }
}

/// An enum of documented values plus `Unknown(String)`.
pub fn enumeration(e: &Enum) -> TokenStream {
    let name = format_ident!("{}", e.name);
    let doc = docs::lines(&e.documentation);
    let variants = e.values.iter().map(|v| {
        let variant = format_ident!("{}", v.variant);
        let wire = &v.value;
        let doc = docs::lines(v.documentation.as_deref().unwrap_or(&format!("`{wire}`")));
        quote! {
            #(#[doc = #doc])*
            #[wire(#wire)]
            #variant,
        }
    });
    quote! {
        #(#[doc = #doc])*
        ///
        /// Values the service adds later are kept in `Unknown`; requests that carry one fail
        /// validation unless it is skipped.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, WireEnum)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not document.
            Unknown(String),
        }
    }
}

fn field(m: &Member, input: bool, paths: &ShapePaths) -> TokenStream {
    let ident = super::field_ident(&m.rust_name);
    let doc = docs::member(m);
    let inner = rust_type(&m.ty, m.sensitive, paths);
    let bare = input && m.binding == Binding::Path && m.required;
    let ty = if bare { inner } else { quote!(Option<#inner>) };
    let mut serde_args = Vec::new();
    if m.binding == Binding::Payload {
        // The structure is `#[serde(transparent)]`: this member is the whole body.
    } else if m.binding != Binding::Body {
        serde_args.push(quote!(skip));
    } else {
        let bare_name = m.rust_name.trim_start_matches("r#");
        if m.wire_name != bare_name {
            let wire = &m.wire_name;
            serde_args.push(quote!(rename = #wire));
        }
        if m.string_encoded {
            serde_args.push(quote!(with = "acs_runtime::wire::string_encoded"));
        }
        serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    let serde = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
    let operation = input.then(|| {
        let wire = &m.wire_name;
        match m.binding {
            Binding::Path => quote!(#[operation(path = #wire)]),
            Binding::Query => quote!(#[operation(query = #wire)]),
            Binding::Header => quote!(#[operation(header = #wire)]),
            Binding::Body | Binding::Payload => quote!(),
        }
    });
    let validate = if input {
        validate_attrs(m)
    } else {
        TokenStream::new()
    };
    let builder = (input && m.ty == Type::Base64).then(|| quote!(#[builder(base64)]));
    quote! {
        #(#[doc = #doc])*
        #serde
        #operation
        #validate
        #builder
        pub #ident: #ty,
    }
}

pub fn rust_type(ty: &Type, sensitive: bool, paths: &ShapePaths) -> TokenStream {
    let plain = match ty {
        Type::String | Type::Base64 => quote!(String),
        Type::Integer => quote!(i32),
        Type::Long => quote!(i64),
        Type::Float => quote!(f32),
        Type::Double => quote!(f64),
        Type::Boolean => quote!(bool),
        Type::Json => quote!(serde_json::Value),
        Type::List(item) => {
            let item = rust_type(&item.ty, false, paths);
            quote!(Vec<#item>)
        }
        Type::Map(item) => {
            let item = rust_type(&item.ty, false, paths);
            quote!(std::collections::BTreeMap<String, #item>)
        }
        Type::Structure(name) | Type::Enum(name) => shape_path(paths, name),
    };
    if sensitive {
        quote!(Sensitive<#plain>)
    } else {
        plain
    }
}

fn validate_attrs(m: &Member) -> TokenStream {
    let mut args = Vec::new();
    if m.required {
        args.push(quote!(required));
    }
    if let Some(default) = &m.default {
        let lit = match default {
            serde_json::Value::String(s) => Some(quote!(#s)),
            serde_json::Value::Bool(b) => Some(quote!(#b)),
            serde_json::Value::Number(n) => n.as_i64().map(|i| {
                let lit = Lit::i64_unsuffixed(i);
                quote!(#lit)
            }),
            _ => None,
        };
        if let Some(lit) = lit {
            args.push(quote!(default = #lit));
        }
    }
    args.extend(m.constraints.iter().map(constraint));
    if m.ty == Type::Base64 {
        args.push(quote!(base64));
    }
    match &m.ty {
        Type::Structure(_) | Type::Enum(_) => args.push(quote!(nested)),
        Type::List(item) | Type::Map(item) => {
            if matches!(item.ty, Type::Structure(_) | Type::Enum(_)) {
                args.push(quote!(nested));
            }
            let mut each: Vec<TokenStream> = item.constraints.iter().map(constraint).collect();
            if item.ty == Type::Base64 {
                each.push(quote!(base64));
            }
            if !each.is_empty() && matches!(m.ty, Type::List(_)) {
                args.push(quote!(each(#(#each),*)));
            }
        }
        _ => {}
    }
    if args.is_empty() {
        return TokenStream::new();
    }
    quote!(#[validate(#(#args),*)])
}

fn constraint(c: &Constraint) -> TokenStream {
    match &c.kind {
        ConstraintKind::Range { min, max } => {
            let bounds = [("min", min), ("max", max)]
                .into_iter()
                .filter_map(|(k, v)| {
                    v.map(|v| {
                        let k = format_ident!("{k}");
                        let lit = number(v);
                        quote!(#k = #lit)
                    })
                });
            quote!(range(#(#bounds),*))
        }
        ConstraintKind::Length { min, max } => counts("length", *min, *max),
        ConstraintKind::Items { min, max } => counts("items", *min, *max),
        ConstraintKind::Pattern { regex, description } => {
            quote!(pattern(regex = #regex, describe = #description))
        }
        ConstraintKind::AllowedValues(values) => {
            let values = values.iter().map(literal);
            quote!(one_of(#(#values),*))
        }
        ConstraintKind::CharacterClasses { min, special } => {
            let min = Lit::u32_unsuffixed(*min);
            quote!(character_classes(min = #min, special = #special))
        }
    }
}

fn counts(name: &str, min: Option<u64>, max: Option<u64>) -> TokenStream {
    let name = format_ident!("{name}");
    let bounds = [("min", min), ("max", max)]
        .into_iter()
        .filter_map(|(k, v)| {
            v.map(|v| {
                let k = format_ident!("{k}");
                let lit = Lit::u64_unsuffixed(v);
                quote!(#k = #lit)
            })
        });
    quote!(#name(#(#bounds),*))
}

fn number(v: f64) -> Lit {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        #[allow(clippy::cast_possible_truncation)]
        Lit::i64_unsuffixed(v as i64)
    } else {
        Lit::f64_unsuffixed(v)
    }
}

pub fn literal(l: &Literal) -> TokenStream {
    match l {
        Literal::Text(s) => quote!(#s),
        Literal::Integer(i) => {
            let lit = Lit::i64_unsuffixed(*i);
            quote!(#lit)
        }
        Literal::Bool(b) => quote!(#b),
    }
}

fn rule(r: &crate::model::Rule) -> TokenStream {
    let idents = |names: &[String]| -> Vec<syn::Ident> {
        names.iter().map(|n| super::field_ident(n)).collect()
    };
    let when = |conditions: &[crate::model::Condition]| {
        let terms = conditions.iter().map(|c| {
            let member = idents(std::slice::from_ref(&c.member));
            let lit = literal(&c.equals);
            quote!(#(#member)* = #lit)
        });
        quote!(when(#(#terms),*))
    };
    match &r.kind {
        RuleKind::RequiredIf {
            members,
            when: conditions,
        } => {
            let members = idents(members);
            let when = when(conditions);
            quote!(#[validate(required_if(members(#(#members),*), #when))])
        }
        RuleKind::ExactlyOneOf(members) => {
            let members = idents(members);
            quote!(#[validate(exactly_one_of(#(#members),*))])
        }
        RuleKind::AtLeastOneOf(members) => {
            let members = idents(members);
            quote!(#[validate(at_least_one_of(#(#members),*))])
        }
        RuleKind::AtMostOneOf(members) => {
            let members = idents(members);
            quote!(#[validate(at_most_one_of(#(#members),*))])
        }
        RuleKind::AllowedValuesIf {
            member,
            values,
            when: conditions,
        } => {
            let member = idents(std::slice::from_ref(member));
            let values = values.iter().map(literal);
            let when = when(conditions);
            quote!(#[validate(allowed_values_if(member = #(#member)*, one_of(#(#values),*), #when))])
        }
    }
}
