//! Code emission for `#[derive(Validate)]`, from the checked model.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Lit;

use super::model::{Condition, Constraint, Field, GroupKind, Input, Rule, literal_eq};

pub fn expand(input: &Input) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let fields = input.fields.iter().map(field_checks);
    let rules = input.rules.iter().map(|rule| rule_checks(input, rule));
    quote! {
        #[automatically_derived]
        impl #impl_generics ::acs_runtime::validate::Validate for #ident #ty_generics #where_clause {
            fn validate_at(
                &self,
                path: &::acs_runtime::validate::FieldPath<'_>,
                out: &mut ::std::vec::Vec<::acs_runtime::validate::Violation>,
            ) {
                #[allow(unused_imports)]
                use ::acs_runtime::validate::check;
                #(#fields)*
                #(#rules)*
            }
        }
    }
}

/// `Option<&T>` of the field's value.
fn value_of(field: &Field) -> TokenStream {
    let ident = &field.ident;
    if field.is_option {
        quote!(::core::option::Option::as_ref(&self.#ident))
    } else {
        quote!(::core::option::Option::Some(&self.#ident))
    }
}

fn field_checks(field: &Field) -> TokenStream {
    let name = &field.name;
    let ident = &field.ident;
    let site = quote!(check::Site::new(path, #name));
    let required = field
        .required
        .then(|| quote!(check::required(&self.#ident, #site, out);));
    let value = value_of(field);
    let constraints = field
        .constraints
        .iter()
        .map(|c| constraint_check(c, &value, &site, &quote!(self.#ident), name));
    let each = (!field.each.is_empty()).then(|| {
        let item_site = quote!(check::Site::here(path));
        let item_checks = field.each.iter().map(|c| {
            constraint_check(
                c,
                &quote!(::core::option::Option::Some(item)),
                &item_site,
                &quote!(*item),
                "",
            )
        });
        let items = if field.is_option {
            quote!(::core::option::Option::as_deref(&self.#ident).unwrap_or_default())
        } else {
            quote!(&self.#ident[..])
        };
        quote! {
            {
                let path = &path.field(#name);
                for (index, item) in #items.iter().enumerate() {
                    let path = &path.index(index);
                    #(#item_checks)*
                }
            }
        }
    });
    quote! { #required #(#constraints)* #each }
}

/// The check of one constraint. `value` is an `Option<&T>` expression, `place` the value
/// itself (for nested validation), `name` the field name (empty for list items).
fn constraint_check(
    constraint: &Constraint,
    value: &TokenStream,
    site: &TokenStream,
    place: &TokenStream,
    name: &str,
) -> TokenStream {
    match constraint {
        Constraint::Range { min, max } => {
            let (min, max) = (opt_f64(*min), opt_f64(*max));
            quote!(check::range(#value, #min, #max, #site, out);)
        }
        Constraint::Length { min, max } => {
            let (min, max) = (opt_u64(*min), opt_u64(*max));
            quote!(check::length(#value, #min, #max, #site, out);)
        }
        Constraint::Items { min, max } => {
            let (min, max) = (opt_u64(*min), opt_u64(*max));
            quote!(check::item_count(#value.map(|v| v.len()), #min, #max, #site, out);)
        }
        Constraint::Pattern { regex, describe } => quote! {{
            static PATTERN: check::Pattern = check::Pattern::new(#regex, #describe);
            check::pattern(#value, &PATTERN, #site, out);
        }},
        Constraint::OneOf(values) => allowed(values, value, site, ""),
        Constraint::CharacterClasses { min, special } => {
            quote!(check::character_classes(#value, #min, #special, #site, out);)
        }
        Constraint::Base64 => quote!(check::base64(#value, #site, out);),
        Constraint::Nested => {
            if name.is_empty() {
                quote!(::acs_runtime::validate::Validate::validate_at(&#place, path, out);)
            } else {
                quote! {
                    ::acs_runtime::validate::Validate::validate_at(&#place, &path.field(#name), out);
                }
            }
        }
    }
}

fn allowed(
    values: &[Lit],
    value: &TokenStream,
    site: &TokenStream,
    condition: &str,
) -> TokenStream {
    match values.first() {
        Some(Lit::Str(_)) => {
            quote!(check::allowed_text(#value, &[#(#values),*], #condition, #site, out);)
        }
        _ => {
            let numbers = values.iter().map(|v| match v {
                Lit::Int(i) => {
                    let n: f64 = i.base10_parse::<i64>().map_or(f64::NAN, |n| n as f64);
                    quote!(#n)
                }
                Lit::Bool(b) => {
                    let n = f64::from(u8::from(b.value));
                    quote!(#n)
                }
                other => quote!(#other),
            });
            quote!(check::allowed_number(#value, &[#(#numbers),*], #condition, #site, out);)
        }
    }
}

fn rule_checks(input: &Input, rule: &Rule) -> TokenStream {
    match rule {
        Rule::RequiredIf { members, when } => {
            let (test, describe) = conditions(input, when);
            let checks = members.iter().map(|member| {
                let name = member.to_string();
                quote!(check::required_if(&self.#member, #describe, check::Site::new(path, #name), out);)
            });
            quote!(if #test { #(#checks)* })
        }
        Rule::Group { kind, members } => {
            let kind = match kind {
                GroupKind::Exactly => quote!(ExactlyOneOf),
                GroupKind::AtLeast => quote!(AtLeastOneOf),
                GroupKind::AtMost => quote!(AtMostOneOf),
            };
            let entries = members.iter().map(|member| {
                let name = member.to_string();
                quote!((#name, ::acs_runtime::validate::Presence::is_present(&self.#member)))
            });
            quote! {
                check::group(
                    ::acs_runtime::validate::RuleKind::#kind,
                    &[#(#entries),*],
                    check::Site::here(path),
                    out,
                );
            }
        }
        Rule::AllowedValuesIf {
            member,
            one_of,
            when,
        } => {
            let (test, describe) = conditions(input, when);
            let Some(field) = input.field(member) else {
                return TokenStream::new();
            };
            let value = value_of(field);
            let name = member.to_string();
            let condition = format!(" when {describe}");
            let check = allowed(
                one_of,
                &value,
                &quote!(check::Site::new(path, #name)),
                &condition,
            );
            quote!(if #test { #check })
        }
    }
}

/// The boolean test of a rule's conditions (all must hold) and their description.
fn conditions(input: &Input, when: &[Condition]) -> (TokenStream, String) {
    let tests = when.iter().map(|c| condition_test(input, c));
    let describe = when
        .iter()
        .map(|c| format!("{} is {}", c.member, literal_text(&c.equals)))
        .collect::<Vec<_>>()
        .join(" and ");
    (quote!(true #(&& #tests)*), describe)
}

fn condition_test(input: &Input, condition: &Condition) -> TokenStream {
    let member = &condition.member;
    let compare = match &condition.equals {
        Lit::Str(s) => quote!(::acs_runtime::validate::ConditionValue::equals_str(v, #s)),
        Lit::Bool(b) => quote!(::acs_runtime::validate::ConditionValue::equals_bool(v, #b)),
        other => quote!(::acs_runtime::validate::ConditionValue::equals_int(v, #other)),
    };
    let Some(field) = input.field(member) else {
        return quote!(false);
    };
    if !field.is_option {
        return quote!({ let v = &self.#member; #compare });
    }
    // An unset member holds its documented default, if it has one.
    let when_unset = field
        .default
        .as_ref()
        .and_then(|default| literal_eq(default, &condition.equals))
        .unwrap_or(false);
    quote! {
        match ::core::option::Option::as_ref(&self.#member) {
            ::core::option::Option::Some(v) => #compare,
            ::core::option::Option::None => #when_unset,
        }
    }
}

fn literal_text(lit: &Lit) -> String {
    match lit {
        Lit::Str(s) => format!("{:?}", s.value()),
        Lit::Int(i) => i.base10_digits().to_owned(),
        Lit::Bool(b) => b.value.to_string(),
        _ => String::new(),
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}
