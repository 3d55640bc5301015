//! Cross-field rules and their conditions.

use std::collections::BTreeSet;

use super::{File, Resolver};
use crate::model::{Condition, ConstraintKind, Literal, Member, Rule, RuleKind, Type};
use crate::spec;

impl Resolver<'_> {
    /// Reports a rule naming a member that does not exist, unless the member exists but its
    /// own definition failed (already reported).
    pub(super) fn no_member(&mut self, file: File<'_>, at: &str, name: &str) {
        if !self.unresolved.contains(name) {
            self.errors
                .push(file.error(at, format!("no member named `{name}` in this structure")));
        }
    }

    pub(super) fn resolve_rule(
        &mut self,
        rule: &spec::RuleDef,
        members: &[Member],
        file: File<'_>,
        at: &str,
    ) -> Option<Rule> {
        let find = |name: &str| members.iter().find(|m| m.name == name);
        let mut ok = true;
        let mut member_names = |this: &mut Self, key: &str, names: &[String]| -> Vec<String> {
            let mut out = Vec::new();
            for (i, name) in names.iter().enumerate() {
                match find(name) {
                    Some(m) => out.push(m.rust_name.clone()),
                    None => {
                        ok = false;
                        this.no_member(file, &format!("{at}/{key}/{i}"), name);
                    }
                }
            }
            out
        };
        let unexpected = |this: &mut Self, key: &str, present: bool| {
            if present {
                this.errors.push(file.error(
                    &format!("{at}/{key}"),
                    format!("a `{:?}` rule has no `{key}`", rule.kind).to_lowercase(),
                ));
            }
        };
        let kind = match rule.kind {
            spec::RuleKind::RequiredIf => {
                unexpected(self, "member", rule.member.is_some());
                unexpected(self, "values", rule.values.is_some());
                let names = rule.members.as_deref().unwrap_or_default();
                if names.is_empty() {
                    self.errors
                        .push(file.error(at, "`required_if` needs `members`"));
                }
                let members_out = member_names(self, "members", names);
                let when = self.conditions(rule.when.as_deref(), members, file, at)?;
                for name in names {
                    if find(name).is_some_and(|m| m.required) {
                        self.errors.push(file.error(
                            at,
                            format!(
                                "`{name}` is always required; `required_if` on it is redundant"
                            ),
                        ));
                    }
                }
                RuleKind::RequiredIf {
                    members: members_out,
                    when,
                }
            }
            kind @ (spec::RuleKind::ExactlyOneOf
            | spec::RuleKind::AtLeastOneOf
            | spec::RuleKind::AtMostOneOf) => {
                unexpected(self, "member", rule.member.is_some());
                unexpected(self, "values", rule.values.is_some());
                unexpected(self, "when", rule.when.is_some());
                let names = rule.members.as_deref().unwrap_or_default();
                let unique: BTreeSet<&String> = names.iter().collect();
                if unique.len() < 2 || unique.len() != names.len() {
                    self.errors.push(file.error(
                        &format!("{at}/members"),
                        "a group rule needs at least two different members",
                    ));
                }
                let required = names
                    .iter()
                    .filter(|n| find(n).is_some_and(|m| m.required))
                    .count();
                if kind != spec::RuleKind::AtLeastOneOf && required >= 2 {
                    self.errors.push(file.error(at, "impossible rule: two of its members are always required, so more than one is always set"));
                }
                let members_out = member_names(self, "members", names);
                match kind {
                    spec::RuleKind::ExactlyOneOf => RuleKind::ExactlyOneOf(members_out),
                    spec::RuleKind::AtLeastOneOf => RuleKind::AtLeastOneOf(members_out),
                    _ => RuleKind::AtMostOneOf(members_out),
                }
            }
            spec::RuleKind::AllowedValuesIf => {
                unexpected(self, "members", rule.members.is_some());
                let Some(name) = &rule.member else {
                    self.errors
                        .push(file.error(at, "`allowed_values_if` needs `member`"));
                    return None;
                };
                let Some(member) = find(name) else {
                    self.no_member(file, &format!("{at}/member"), name);
                    return None;
                };
                if !(member.ty.is_text() || member.ty.is_integer()) {
                    self.errors.push(file.error(
                        &format!("{at}/member"),
                        "`allowed_values_if` applies to string and integer members",
                    ));
                    return None;
                }
                let mut values = Vec::new();
                for (i, v) in rule
                    .values
                    .as_deref()
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    match self.literal(v, &member.ty) {
                        Ok(lit) => values.push(lit),
                        Err(message) => self
                            .errors
                            .push(file.error(&format!("{at}/values/{i}"), message)),
                    }
                }
                if values.is_empty() {
                    self.errors.push(file.error(
                        at,
                        "`allowed_values_if` needs at least one value in `values`",
                    ));
                }
                // Impossible: every allowed value breaks the member's own range.
                let range = member.constraints.iter().find_map(|c| match c.kind {
                    ConstraintKind::Range { min, max } => Some((min, max)),
                    _ => None,
                });
                if let Some((min, max)) = range {
                    #[allow(clippy::cast_precision_loss)]
                    let in_range = |v: &Literal| match v {
                        Literal::Integer(v) => {
                            min.is_none_or(|m| *v as f64 >= m) && max.is_none_or(|m| *v as f64 <= m)
                        }
                        _ => true,
                    };
                    if !values.is_empty() && !values.iter().any(in_range) {
                        self.errors.push(file.error(
                            &format!("{at}/values"),
                            "impossible rule: no value lies within the member's range",
                        ));
                    }
                }
                let when = self.conditions(rule.when.as_deref(), members, file, at)?;
                RuleKind::AllowedValuesIf {
                    member: member.rust_name.clone(),
                    values,
                    when,
                }
            }
        };
        ok.then_some(Rule {
            kind,
            source: rule.source.clone(),
        })
    }

    pub(super) fn conditions(
        &mut self,
        when: Option<&[spec::ConditionDef]>,
        members: &[Member],
        file: File<'_>,
        at: &str,
    ) -> Option<Vec<Condition>> {
        let Some(when) = when.filter(|w| !w.is_empty()) else {
            self.errors
                .push(file.error(at, "this rule needs `when`: at least one condition"));
            return None;
        };
        let mut out = Vec::new();
        for (i, c) in when.iter().enumerate() {
            let c_at = format!("{at}/when/{i}");
            let Some(member) = members.iter().find(|m| m.name == c.member) else {
                self.no_member(file, &format!("{c_at}/member"), &c.member);
                continue;
            };
            if !matches!(
                member.ty,
                Type::String | Type::Enum(_) | Type::Integer | Type::Long | Type::Boolean
            ) || member.sensitive
            {
                self.errors.push(file.error(
                    &format!("{c_at}/member"),
                    "conditions compare non-sensitive string, enum, integer or boolean members",
                ));
                continue;
            }
            match self.literal(&c.equals, &member.ty) {
                Ok(equals) => out.push(Condition {
                    member: member.rust_name.clone(),
                    equals,
                }),
                Err(message) => self.errors.push(file.error(
                    &format!("{c_at}/equals"),
                    format!("impossible condition: {message}"),
                )),
            }
        }
        (out.len() == when.len()).then_some(out)
    }
}
