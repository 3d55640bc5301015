//! Shared attribute-parsing helpers.

use syn::meta::ParseNestedMeta;
use syn::{Attribute, Lit, LitStr};

/// Calls `f` for each nested meta of every `#[name(...)]` attribute in `attrs`.
pub fn for_each_nested(
    attrs: &[Attribute],
    name: &str,
    mut f: impl FnMut(ParseNestedMeta<'_>) -> syn::Result<()>,
) -> syn::Result<()> {
    for attr in attrs.iter().filter(|a| a.path().is_ident(name)) {
        attr.parse_nested_meta(&mut f)?;
    }
    Ok(())
}

/// The `"..."` of `key = "..."`.
pub fn string_value(meta: &ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    meta.value()?.parse()
}

/// The literal of `key = literal`.
pub fn lit_value(meta: &ParseNestedMeta<'_>) -> syn::Result<Lit> {
    meta.value()?.parse()
}

/// The text of the `#[doc = "..."]` attributes, one line each.
pub fn doc_lines(attrs: &[Attribute]) -> Vec<LitStr> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The error for a key the derive does not know.
pub fn unknown(meta: &ParseNestedMeta<'_>, what: &str, expected: &str) -> syn::Error {
    let key = meta
        .path
        .get_ident()
        .map_or_else(|| "?".to_owned(), ToString::to_string);
    meta.error(format!(
        "unknown {what} `{key}`; expected one of: {expected}"
    ))
}

/// Collects errors so that one compile reports every misuse at once.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub fn finish<T>(self, value: T) -> syn::Result<T> {
        match self.0 {
            Some(error) => Err(error),
            None => Ok(value),
        }
    }
}

/// The fields of `"a.b.c"` (raw identifiers where a segment is a keyword).
pub fn field_chain(lit: &LitStr) -> syn::Result<Vec<syn::Ident>> {
    lit.value()
        .split('.')
        .map(|segment| {
            syn::parse_str::<syn::Ident>(segment)
                .or_else(|_| syn::parse_str::<syn::Ident>(&format!("r#{segment}")))
        })
        .collect::<Result<_, _>>()
        .map_err(|_| {
            syn::Error::new(
                lit.span(),
                "expected a field name or a dot path of field names",
            )
        })
}
