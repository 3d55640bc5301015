//! The internal model of `#[derive(Validate)]`: attributes parsed and checked, before any
//! code is emitted.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident, Lit, LitStr, Type};

use crate::attr::{Errors, for_each_nested, lit_value, string_value, unknown};

const FIELD_KEYS: &str = "required, range, length, pattern, one_of, items, character_classes, base64, nested, each, default";
const EACH_KEYS: &str = "range, length, pattern, one_of, character_classes, base64, nested";
const STRUCT_KEYS: &str =
    "required_if, exactly_one_of, at_least_one_of, at_most_one_of, allowed_values_if";

/// A struct that derives `Validate`.
pub struct Input {
    pub ident: Ident,
    pub generics: syn::Generics,
    pub fields: Vec<Field>,
    pub rules: Vec<Rule>,
}

/// A named field and its constraints.
pub struct Field {
    pub ident: Ident,
    pub name: String,
    pub ty: Type,
    pub is_option: bool,
    pub required: bool,
    pub default: Option<Lit>,
    pub constraints: Vec<Constraint>,
    /// Constraints on each item of a list.
    pub each: Vec<Constraint>,
}

/// One constraint on a value.
pub enum Constraint {
    Range { min: Option<f64>, max: Option<f64> },
    Length { min: Option<u64>, max: Option<u64> },
    Pattern { regex: LitStr, describe: LitStr },
    OneOf(Vec<Lit>),
    Items { min: Option<u64>, max: Option<u64> },
    CharacterClasses { min: u32, special: LitStr },
    Base64,
    Nested,
}

/// `member = literal`: one term of a rule's condition.
pub struct Condition {
    pub member: Ident,
    pub equals: Lit,
}

/// A cross-field rule on the struct.
pub enum Rule {
    RequiredIf {
        members: Vec<Ident>,
        when: Vec<Condition>,
    },
    Group {
        kind: GroupKind,
        members: Vec<Ident>,
    },
    AllowedValuesIf {
        member: Ident,
        one_of: Vec<Lit>,
        when: Vec<Condition>,
    },
}

#[derive(Clone, Copy)]
pub enum GroupKind {
    Exactly,
    AtLeast,
    AtMost,
}

impl Input {
    pub fn parse(input: &DeriveInput) -> syn::Result<Self> {
        let named = match &input.data {
            syn::Data::Struct(syn::DataStruct {
                fields: syn::Fields::Named(named),
                ..
            }) => named,
            _ => {
                return Err(syn::Error::new(
                    input.ident.span(),
                    "`Validate` can only be derived for structs with named fields (enums get it from `WireEnum`)",
                ));
            }
        };
        let mut errors = Errors::default();
        let mut fields = Vec::new();
        for field in &named.named {
            match Field::parse(field) {
                Ok(f) => fields.push(f),
                Err(e) => errors.push(e),
            }
        }
        let mut rules = Vec::new();
        let parsed = for_each_nested(&input.attrs, "validate", |meta| {
            rules.push(Rule::parse(&meta)?);
            Ok(())
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
        let parsed = Self {
            ident: input.ident.clone(),
            generics: input.generics.clone(),
            fields,
            rules,
        };
        parsed.check_rules(&mut errors);
        errors.finish(parsed)
    }

    pub fn field(&self, ident: &Ident) -> Option<&Field> {
        self.fields.iter().find(|f| f.ident == *ident)
    }

    /// Rules must name fields that exist, and conditions must be able to hold.
    fn check_rules(&self, errors: &mut Errors) {
        for rule in &self.rules {
            let (members, when): (Vec<&Ident>, &[Condition]) = match rule {
                Rule::RequiredIf { members, when } => (members.iter().collect(), when),
                Rule::Group { members, .. } => (members.iter().collect(), &[]),
                Rule::AllowedValuesIf { member, when, .. } => (vec![member], when),
            };
            for member in members
                .iter()
                .copied()
                .chain(when.iter().map(|c| &c.member))
            {
                if self.field(member).is_none() {
                    errors.push(syn::Error::new(
                        member.span(),
                        format!("no field named `{member}` in this struct"),
                    ));
                }
            }
            for condition in when {
                let Some(field) = self.field(&condition.member) else {
                    continue;
                };
                if let Some(default) = &field.default
                    && literal_eq(default, &condition.equals).is_none()
                {
                    errors.push(syn::Error::new(
                        condition.equals.span(),
                        format!(
                            "this condition compares `{}` with a literal of another kind than its default",
                            condition.member
                        ),
                    ));
                }
            }
            if let Rule::Group { members, .. } = rule
                && members.len() < 2
            {
                errors.push(syn::Error::new(
                    members.first().map_or_else(Span::call_site, Ident::span),
                    "a group rule needs at least two members",
                ));
            }
        }
    }
}

impl Field {
    fn parse(field: &syn::Field) -> syn::Result<Self> {
        let Some(ident) = field.ident.clone() else {
            return Err(syn::Error::new(field.span(), "expected a named field"));
        };
        let is_option = crate::ty::option_inner(&field.ty).is_some();
        let mut parsed = Self {
            name: ident.to_string().trim_start_matches("r#").to_owned(),
            ident,
            ty: field.ty.clone(),
            is_option,
            required: false,
            default: None,
            constraints: Vec::new(),
            each: Vec::new(),
        };
        for_each_nested(&field.attrs, "validate", |meta| {
            if meta.path.is_ident("required") {
                parsed.required = true;
            } else if meta.path.is_ident("default") {
                parsed.default = Some(lit_value(&meta)?);
            } else if meta.path.is_ident("each") {
                meta.parse_nested_meta(|inner| {
                    let constraint = Constraint::parse(&inner)?
                        .ok_or_else(|| unknown(&inner, "item constraint", EACH_KEYS))?;
                    if matches!(constraint, Constraint::Items { .. }) {
                        return Err(inner
                            .error("`items` counts the list itself; put it outside `each(...)`"));
                    }
                    parsed.each.push(constraint);
                    Ok(())
                })?;
            } else {
                let constraint = Constraint::parse(&meta)?
                    .ok_or_else(|| unknown(&meta, "validate key", FIELD_KEYS))?;
                parsed.constraints.push(constraint);
            }
            Ok(())
        })?;
        if !parsed.each.is_empty() && crate::ty::vec_item(&parsed.ty).is_none() {
            return Err(syn::Error::new(
                field.ty.span(),
                "`each(...)` needs a field of type `Vec<T>` or `Option<Vec<T>>`",
            ));
        }
        Ok(parsed)
    }
}

impl Constraint {
    /// `Ok(None)` when the key is not a constraint.
    fn parse(meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Self>> {
        let key = |k: &str| meta.path.is_ident(k);
        let constraint = if key("range") {
            let (min, max) = bounds(meta, number)?;
            Self::Range { min, max }
        } else if key("length") {
            let (min, max) = bounds(meta, count)?;
            Self::Length { min, max }
        } else if key("items") {
            let (min, max) = bounds(meta, count)?;
            Self::Items { min, max }
        } else if key("pattern") {
            let (mut regex, mut describe) = (None, None);
            meta.parse_nested_meta(|inner| {
                if inner.path.is_ident("regex") {
                    regex = Some(string_value(&inner)?);
                } else if inner.path.is_ident("describe") {
                    describe = Some(string_value(&inner)?);
                } else {
                    return Err(unknown(&inner, "pattern key", "regex, describe"));
                }
                Ok(())
            })?;
            let regex = regex.ok_or_else(|| meta.error("`pattern` needs `regex = \"...\"`"))?;
            if let Err(e) = regex_lite::Regex::new(&regex.value()) {
                return Err(syn::Error::new(
                    regex.span(),
                    format!("invalid regular expression: {e}"),
                ));
            }
            let describe = describe.unwrap_or_else(|| {
                LitStr::new(&format!("text matching {}", regex.value()), regex.span())
            });
            Self::Pattern { regex, describe }
        } else if key("one_of") {
            let values = literal_list(meta)?;
            if values.is_empty() {
                return Err(meta.error("`one_of` needs at least one value"));
            }
            Self::OneOf(values)
        } else if key("character_classes") {
            let (mut min, mut special) = (None, None);
            meta.parse_nested_meta(|inner| {
                if inner.path.is_ident("min") {
                    let lit: syn::LitInt = inner.value()?.parse()?;
                    let n: u32 = lit.base10_parse()?;
                    if !(1..=4).contains(&n) {
                        return Err(syn::Error::new(
                            lit.span(),
                            "there are 4 character classes; `min` must be 1 to 4",
                        ));
                    }
                    min = Some(n);
                } else if inner.path.is_ident("special") {
                    special = Some(string_value(&inner)?);
                } else {
                    return Err(unknown(&inner, "character_classes key", "min, special"));
                }
                Ok(())
            })?;
            Self::CharacterClasses {
                min: min.ok_or_else(|| meta.error("`character_classes` needs `min = N`"))?,
                special: special
                    .ok_or_else(|| meta.error("`character_classes` needs `special = \"...\"`"))?,
            }
        } else if key("base64") {
            Self::Base64
        } else if key("nested") {
            Self::Nested
        } else {
            return Ok(None);
        };
        Ok(Some(constraint))
    }
}

impl Rule {
    fn parse(meta: &ParseNestedMeta<'_>) -> syn::Result<Self> {
        let group = |kind| -> syn::Result<Self> {
            Ok(Self::Group {
                kind,
                members: ident_list(meta)?,
            })
        };
        if meta.path.is_ident("exactly_one_of") {
            group(GroupKind::Exactly)
        } else if meta.path.is_ident("at_least_one_of") {
            group(GroupKind::AtLeast)
        } else if meta.path.is_ident("at_most_one_of") {
            group(GroupKind::AtMost)
        } else if meta.path.is_ident("required_if") {
            let (mut members, mut when) = (Vec::new(), Vec::new());
            meta.parse_nested_meta(|inner| {
                if inner.path.is_ident("members") {
                    members = ident_list(&inner)?;
                } else if inner.path.is_ident("when") {
                    when = conditions(&inner)?;
                } else {
                    return Err(unknown(&inner, "required_if key", "members, when"));
                }
                Ok(())
            })?;
            if members.is_empty() || when.is_empty() {
                return Err(meta.error("`required_if` needs `members(...)` and `when(...)`"));
            }
            Ok(Self::RequiredIf { members, when })
        } else if meta.path.is_ident("allowed_values_if") {
            let (mut member, mut one_of, mut when) = (None, Vec::new(), Vec::new());
            meta.parse_nested_meta(|inner| {
                if inner.path.is_ident("member") {
                    member = Some(inner.value()?.parse::<Ident>()?);
                } else if inner.path.is_ident("one_of") {
                    one_of = literal_list(&inner)?;
                } else if inner.path.is_ident("when") {
                    when = conditions(&inner)?;
                } else {
                    return Err(unknown(
                        &inner,
                        "allowed_values_if key",
                        "member, one_of, when",
                    ));
                }
                Ok(())
            })?;
            let member =
                member.ok_or_else(|| meta.error("`allowed_values_if` needs `member = field`"))?;
            if one_of.is_empty() || when.is_empty() {
                return Err(meta.error("`allowed_values_if` needs `one_of(...)` and `when(...)`"));
            }
            Ok(Self::AllowedValuesIf {
                member,
                one_of,
                when,
            })
        } else {
            Err(unknown(meta, "rule", STRUCT_KEYS))
        }
    }
}

/// Whether two literals of the same kind are equal; `None` when their kinds differ.
pub fn literal_eq(a: &Lit, b: &Lit) -> Option<bool> {
    match (a, b) {
        (Lit::Str(a), Lit::Str(b)) => Some(a.value() == b.value()),
        (Lit::Bool(a), Lit::Bool(b)) => Some(a.value == b.value),
        (Lit::Int(a), Lit::Int(b)) => Some(a.base10_digits() == b.base10_digits()),
        _ => None,
    }
}

fn bounds<T: Copy + PartialOrd>(
    meta: &ParseNestedMeta<'_>,
    parse: fn(&Lit) -> syn::Result<T>,
) -> syn::Result<(Option<T>, Option<T>)> {
    let (mut min, mut max) = (None, None);
    meta.parse_nested_meta(|inner| {
        let lit = lit_value(&inner)?;
        if inner.path.is_ident("min") {
            min = Some(parse(&lit)?);
        } else if inner.path.is_ident("max") {
            max = Some(parse(&lit)?);
        } else {
            return Err(unknown(&inner, "bound", "min, max"));
        }
        Ok(())
    })?;
    match (min, max) {
        (None, None) => Err(meta.error("expected `min = ..`, `max = ..` or both")),
        (Some(lo), Some(hi)) if lo > hi => {
            Err(meta.error("`min` is greater than `max`: no value can pass"))
        }
        _ => Ok((min, max)),
    }
}

fn number(lit: &Lit) -> syn::Result<f64> {
    match lit {
        Lit::Int(i) => i.base10_parse::<i64>().map(|v| v as f64),
        Lit::Float(f) => f.base10_parse(),
        other => Err(syn::Error::new(other.span(), "expected a number")),
    }
}

fn count(lit: &Lit) -> syn::Result<u64> {
    match lit {
        Lit::Int(i) => i.base10_parse(),
        other => Err(syn::Error::new(
            other.span(),
            "expected a non-negative integer",
        )),
    }
}

fn literal_list(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<Lit>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let list = content.parse_terminated(Lit::parse_for_list, syn::Token![,])?;
    let values: Vec<Lit> = list.into_iter().collect();
    let kinds_agree = values
        .windows(2)
        .all(|w| literal_eq(&w[0], &w[1]).is_some());
    if !kinds_agree {
        return Err(meta.error("all values must be literals of one kind (text, integer or bool)"));
    }
    Ok(values)
}

trait ParseForList: Sized {
    fn parse_for_list(input: syn::parse::ParseStream<'_>) -> syn::Result<Self>;
}

impl ParseForList for Lit {
    fn parse_for_list(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let lit: Lit = input.parse()?;
        match lit {
            Lit::Str(_) | Lit::Int(_) | Lit::Bool(_) => Ok(lit),
            other => Err(syn::Error::new(
                other.span(),
                "expected a text, integer or bool literal",
            )),
        }
    }
}

fn ident_list(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<Ident>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let list = content.parse_terminated(<Ident as syn::parse::Parse>::parse, syn::Token![,])?;
    Ok(list.into_iter().collect())
}

fn conditions(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<Condition>> {
    let mut out = Vec::new();
    meta.parse_nested_meta(|inner| {
        let member = inner
            .path
            .get_ident()
            .cloned()
            .ok_or_else(|| inner.error("expected `field = literal`"))?;
        let equals = lit_value(&inner)?;
        if !matches!(equals, Lit::Str(_) | Lit::Int(_) | Lit::Bool(_)) {
            return Err(syn::Error::new(
                equals.span(),
                "expected a text, integer or bool literal",
            ));
        }
        out.push(Condition { member, equals });
        Ok(())
    })?;
    Ok(out)
}
