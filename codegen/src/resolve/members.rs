//! Structures and their members: types, constraints and literals.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use serde_json::Value;

use super::{File, Resolver, rust_field_name, type_name};
use crate::locate::escape;
use crate::model::{
    self, Binding, Constraint, ConstraintKind, Item, Literal, Member, Structure, Type, Usage,
};
use crate::spec;

impl Resolver<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn resolve_structure(
        &mut self,
        name: &str,
        documentation: &str,
        members: &spec::OrderedMap<spec::MemberDef>,
        rules: &[spec::RuleDef],
        usage: Usage,
        file: File<'_>,
        pointer: &str,
        body: Option<spec::BodyKind>,
    ) -> Structure {
        let mut out = Vec::new();
        let mut rust_names = BTreeMap::new();
        let mut wire_names = BTreeMap::new();
        self.unresolved.clear();
        for (key, def) in &members.0 {
            let at = format!("{pointer}/members/{}", escape(key));
            let Some(member) = self.resolve_member(key, def, file, &at, body) else {
                self.unresolved.insert(key.clone());
                continue;
            };
            if let Some(other) = rust_names.insert(member.rust_name.clone(), key.clone()) {
                self.errors.push(file.error(
                    &at,
                    format!(
                        "members `{other}` and `{key}` both become the Rust field `{}`",
                        member.rust_name
                    ),
                ));
            }
            if member.binding == Binding::Body
                && let Some(other) = wire_names.insert(member.wire_name.clone(), key.clone())
            {
                self.errors.push(file.error(
                    &at,
                    format!(
                        "members `{other}` and `{key}` both use the wire name `{}`",
                        member.wire_name
                    ),
                ));
            }
            out.push(member);
        }
        // A payload member is the whole body: the only member that travels in it.
        if let Some(payload) = out.iter().find(|m| m.binding == Binding::Payload) {
            let at = format!("{pointer}/members/{}", escape(&payload.name));
            let in_body = out
                .iter()
                .filter(|m| matches!(m.binding, Binding::Body | Binding::Payload))
                .count();
            if in_body > 1 {
                self.errors.push(file.error(
                    &at,
                    "a payload member is the whole body: no other member may bind to the body",
                ));
            }
            if matches!(
                payload.ty,
                Type::String
                    | Type::Base64
                    | Type::Integer
                    | Type::Long
                    | Type::Float
                    | Type::Double
                    | Type::Boolean
            ) || payload.string_encoded
            {
                self.errors
                    .push(file.error(&at, "a payload must be a list, map, structure or json"));
            }
        }
        let mut resolved_rules = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            let at = format!("{pointer}/rules/{i}");
            if let Some(rule) = self.resolve_rule(rule, &out, file, &at) {
                resolved_rules.push(rule);
            }
        }
        Structure {
            name: name.to_owned(),
            documentation: documentation.to_owned(),
            members: out,
            rules: resolved_rules,
            usage,
        }
    }

    pub(super) fn resolve_member(
        &mut self,
        key: &str,
        def: &spec::MemberDef,
        file: File<'_>,
        at: &str,
        body: Option<spec::BodyKind>,
    ) -> Option<Member> {
        if key.is_empty()
            || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || key.starts_with(|c: char| c.is_ascii_digit())
        {
            self.errors.push(file.error(
                at,
                format!(
                    "member name `{key}` must be letters, digits and `_`, not starting with a digit"
                ),
            ));
            return None;
        }
        let ty = self.resolve_type(
            &def.ty,
            def.items.as_deref(),
            def.values.as_deref(),
            file,
            at,
        )?;
        let binding = match def.binding.unwrap_or(spec::Binding::Body) {
            spec::Binding::Path => Binding::Path,
            spec::Binding::Query => Binding::Query,
            spec::Binding::Header => Binding::Header,
            spec::Binding::Body => Binding::Body,
            spec::Binding::Payload => Binding::Payload,
        };
        if body.is_none() && !matches!(binding, Binding::Body | Binding::Payload) {
            self.errors.push(file.error(
                &format!("{at}/binding"),
                "only request members bind to the path, query or headers",
            ));
        }
        if body == Some(spec::BodyKind::None) && matches!(binding, Binding::Body | Binding::Payload)
        {
            self.errors.push(file.error(at, "the operation has no body (`http.body` is `none`): bind this member to the path, query or a header"));
        }
        if binding == Binding::Path && !matches!(ty, Type::String | Type::Integer | Type::Long) {
            self.errors
                .push(file.error(at, "a path label must be a string, integer or long"));
        }
        if def.wire_encoding.is_some()
            && !matches!(
                ty,
                Type::Integer | Type::Long | Type::Float | Type::Double | Type::Boolean
            )
        {
            self.errors.push(file.error(
                &format!("{at}/wire_encoding"),
                "`wire_encoding: string` applies to numbers and booleans only",
            ));
        }
        if def.sensitive && !ty.is_text() {
            self.errors.push(file.error(
                &format!("{at}/sensitive"),
                "only string and base64 members can be sensitive",
            ));
        }
        let constraints = self.resolve_constraints(
            def.constraints.as_ref(),
            &ty,
            file,
            &format!("{at}/constraints"),
        );
        if let Some(default) = &def.default
            && let Err(message) = self.literal(default, &ty)
        {
            self.errors.push(file.error(
                &format!("{at}/default"),
                format!("the default does not fit the member: {message}"),
            ));
        }
        let wire_name = def.wire_name.clone().unwrap_or_else(|| key.to_owned());
        if wire_name.is_empty() {
            self.errors.push(file.error(
                &format!("{at}/wire_name"),
                "the wire name must not be empty",
            ));
        }
        if ["self", "super", "crate", "Self"].contains(&key.to_snake_case().as_str()) {
            self.errors.push(file.error(at, format!("member name `{key}` cannot be a Rust field name; choose another key and keep `wire_name`")));
            return None;
        }
        let rust_name = rust_field_name(key);
        Some(Member {
            name: key.to_owned(),
            rust_name,
            wire_name,
            ty,
            binding,
            required: def.required,
            default: def.default.clone(),
            documentation: def.documentation.clone(),
            example: def.example.clone(),
            sensitive: def.sensitive,
            deprecated: def.deprecated.as_ref().map(|d| model::Deprecation {
                message: d.message.clone(),
                replacement: d.replacement.clone(),
            }),
            string_encoded: def.wire_encoding.is_some(),
            constraints,
        })
    }

    pub(super) fn resolve_type(
        &mut self,
        name: &str,
        items: Option<&spec::ItemDef>,
        values: Option<&spec::ItemDef>,
        file: File<'_>,
        at: &str,
    ) -> Option<Type> {
        let item = |def: Option<&spec::ItemDef>, key: &str, this: &mut Self| -> Option<Box<Item>> {
            let item_at = format!("{at}/{key}");
            let Some(def) = def else {
                this.errors.push(file.error(
                    at,
                    format!(
                        "a {name} needs `{key}`, the type of its {}",
                        if key == "items" { "items" } else { "values" }
                    ),
                ));
                return None;
            };
            let ty = this.resolve_type(
                &def.ty,
                def.items.as_deref(),
                def.values.as_deref(),
                file,
                &item_at,
            )?;
            let constraints = this.resolve_constraints(
                def.constraints.as_ref(),
                &ty,
                file,
                &format!("{item_at}/constraints"),
            );
            Some(Box::new(Item { ty, constraints }))
        };
        let ty = match name {
            "string" => Type::String,
            "integer" => Type::Integer,
            "long" => Type::Long,
            "float" => Type::Float,
            "double" => Type::Double,
            "boolean" => Type::Boolean,
            "base64" => Type::Base64,
            "json" => Type::Json,
            "list" => Type::List(item(items, "items", self)?),
            "map" => Type::Map(item(values, "values", self)?),
            other => match self.shapes.get(other) {
                // A shape declared by one operation is compiled with that operation's group:
                // only operations of the same group may use it.
                Some(shape)
                    if shape.owner.is_some_and(|owner| {
                        Some(owner) != self.context
                            && self
                                .context
                                .is_none_or(|here| self.groups.get(here) != self.groups.get(owner))
                    }) =>
                {
                    let owner = shape.file.path.display().to_string();
                    self.errors.push(file.error(&format!("{at}/type"), format!(
                        "`{other}` is declared in {owner}, an operation of another group; declare shapes used across groups in service.json"
                    )));
                    return None;
                }
                Some(shape) if shape.def.kind == spec::ShapeKind::Structure => {
                    Type::Structure(other.to_owned())
                }
                Some(_) => Type::Enum(other.to_owned()),
                None => {
                    let known: Vec<&str> = self.shapes.keys().map(String::as_str).collect();
                    self.errors.push(file.error(&format!("{at}/type"), format!(
                        "unknown type `{other}`; expected string, integer, long, float, double, boolean, base64, json, list, map or a declared shape ({})",
                        if known.is_empty() { "none declared".to_owned() } else { known.join(", ") }
                    )));
                    return None;
                }
            },
        };
        if name != "list" && items.is_some() {
            self.errors
                .push(file.error(&format!("{at}/items"), "`items` belongs to lists only"));
        }
        if name != "map" && values.is_some() {
            self.errors
                .push(file.error(&format!("{at}/values"), "`values` belongs to maps only"));
        }
        Some(ty)
    }

    pub(super) fn resolve_constraints(
        &mut self,
        def: Option<&spec::ConstraintsDef>,
        ty: &Type,
        file: File<'_>,
        at: &str,
    ) -> Vec<Constraint> {
        let Some(def) = def else { return Vec::new() };
        let mut out = Vec::new();
        let misfit = |this: &mut Self, key: &str, fits: &str| {
            this.errors.push(file.error(
                &format!("{at}/{key}"),
                format!("`{key}` does not fit this member's type; it applies to {fits}"),
            ));
        };
        if let Some(range) = &def.range {
            if !ty.is_numeric() {
                misfit(self, "range", "integer, long, float and double members");
            } else if range.min.is_none() && range.max.is_none() {
                self.errors
                    .push(file.error(&format!("{at}/range"), "a range needs `min`, `max` or both"));
            } else if let (Some(min), Some(max)) = (range.min, range.max)
                && min > max
            {
                self.errors.push(file.error(
                    &format!("{at}/range"),
                    format!("impossible range: min {min} is greater than max {max}"),
                ));
            } else {
                out.push(Constraint {
                    kind: ConstraintKind::Range {
                        min: range.min,
                        max: range.max,
                    },
                    source: range.source.clone(),
                });
            }
        }
        for (key, count, fits) in [
            ("length", &def.length, ty.is_text()),
            (
                "items",
                &def.items,
                matches!(ty, Type::List(_) | Type::Map(_)),
            ),
        ] {
            let Some(count) = count else { continue };
            if !fits {
                misfit(
                    self,
                    key,
                    if key == "length" {
                        "string and base64 members"
                    } else {
                        "list and map members"
                    },
                );
            } else if count.min.is_none() && count.max.is_none() {
                self.errors.push(file.error(
                    &format!("{at}/{key}"),
                    format!("`{key}` needs `min`, `max` or both"),
                ));
            } else if let (Some(min), Some(max)) = (count.min, count.max)
                && min > max
            {
                self.errors.push(file.error(
                    &format!("{at}/{key}"),
                    format!("impossible {key}: min {min} is greater than max {max}"),
                ));
            } else {
                let kind = if key == "length" {
                    ConstraintKind::Length {
                        min: count.min,
                        max: count.max,
                    }
                } else {
                    ConstraintKind::Items {
                        min: count.min,
                        max: count.max,
                    }
                };
                out.push(Constraint {
                    kind,
                    source: count.source.clone(),
                });
            }
        }
        if let Some(pattern) = &def.pattern {
            if !ty.is_text() {
                misfit(self, "pattern", "string and base64 members");
            } else if let Err(e) = regex_lite::Regex::new(&pattern.regex) {
                self.errors.push(file.error(
                    &format!("{at}/pattern/regex"),
                    format!("invalid regular expression: {e}"),
                ));
            } else {
                out.push(Constraint {
                    kind: ConstraintKind::Pattern {
                        regex: pattern.regex.clone(),
                        description: pattern.description.clone(),
                    },
                    source: pattern.source.clone(),
                });
            }
        }
        if let Some(allowed) = &def.allowed_values {
            if !(ty.is_text() || ty.is_integer()) {
                misfit(
                    self,
                    "allowed_values",
                    "string and integer members (enums list their values themselves)",
                );
            } else if allowed.values.is_empty() {
                self.errors.push(file.error(
                    &format!("{at}/allowed_values/values"),
                    "list at least one allowed value",
                ));
            } else {
                let mut values = Vec::new();
                for (i, v) in allowed.values.iter().enumerate() {
                    match self.literal(v, ty) {
                        Ok(lit) => values.push(lit),
                        Err(message) => self
                            .errors
                            .push(file.error(&format!("{at}/allowed_values/values/{i}"), message)),
                    }
                }
                out.push(Constraint {
                    kind: ConstraintKind::AllowedValues(values),
                    source: allowed.source.clone(),
                });
            }
        }
        if let Some(classes) = &def.character_classes {
            if !ty.is_text() {
                misfit(self, "character_classes", "string members");
            } else if !(1..=4).contains(&classes.min) {
                self.errors.push(file.error(
                    &format!("{at}/character_classes/min"),
                    "there are 4 character classes; `min` must be 1 to 4",
                ));
            } else {
                out.push(Constraint {
                    kind: ConstraintKind::CharacterClasses {
                        min: classes.min,
                        special: classes.special.clone(),
                    },
                    source: classes.source.clone(),
                });
            }
        }
        out
    }

    /// Checks that a JSON literal fits `ty` and converts it.
    pub(super) fn literal(&self, value: &Value, ty: &Type) -> Result<Literal, String> {
        match (ty, value) {
            (Type::String | Type::Base64, Value::String(s)) => Ok(Literal::Text(s.clone())),
            (Type::Enum(name), Value::String(s)) => {
                let known = self.enum_values(name);
                if known.iter().any(|v| v == s) {
                    Ok(Literal::Text(s.clone()))
                } else {
                    Err(format!(
                        "{s:?} is not a value of enum `{name}` ({})",
                        known.join(", ")
                    ))
                }
            }
            (Type::Integer | Type::Long, Value::Number(n)) => {
                let v = n
                    .as_i64()
                    .ok_or_else(|| format!("expected an integer, found {n}"))?;
                if *ty == Type::Integer && i32::try_from(v).is_err() {
                    return Err(format!("{v} does not fit a 32-bit integer"));
                }
                Ok(Literal::Integer(v))
            }
            (Type::Boolean, Value::Bool(b)) => Ok(Literal::Bool(*b)),
            (Type::Float | Type::Double, Value::Number(n)) if n.as_i64().is_some() => {
                Ok(Literal::Integer(n.as_i64().unwrap_or_default()))
            }
            (Type::Float | Type::Double, Value::Number(_)) => {
                Err("only whole numbers can be compared in rules".to_owned())
            }
            (ty, value) => Err(format!(
                "expected a literal of type {}, found {value}",
                type_name(ty)
            )),
        }
    }

    pub(super) fn enum_values(&self, name: &str) -> Vec<String> {
        self.shapes
            .get(name)
            .and_then(|s| s.def.values.as_ref())
            .map(|values| values.iter().map(|v| v.value.clone()).collect())
            .unwrap_or_default()
    }
}
