//! Just enough type inspection for the derives: is a field an `Option`, and of what.

use syn::{GenericArgument, PathArguments, Type};

/// The `T` of `Option<T>`, or `None` when `ty` is not written as an `Option`.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    generic_arg(ty, "Option")
}

/// The `T` of `Vec<T>` (also inside `Option<Vec<T>>`), or `None`.
pub fn vec_item(ty: &Type) -> Option<&Type> {
    generic_arg(option_inner(ty).unwrap_or(ty), "Vec")
}

fn generic_arg<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}
