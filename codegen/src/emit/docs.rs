//! Rustdoc text from the spec: documentation, defaults, examples, constraints and rules.

use crate::model::{
    Constraint, ConstraintKind, Literal, Member, Operation, Rule, RuleKind, Structure, Type,
};

/// `text` as `#[doc]` lines (each with the leading space rustdoc expects).
/// Tabs become spaces, and a paragraph line right after a list item gets a blank line before
/// it (Markdown would otherwise fold it into the item), so any documentation text renders
/// as written.
pub fn lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_list = false;
    let mut in_code = false;
    for line in text.trim_end().lines() {
        let line = line.replace('\t', "    ");
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_code = !in_code;
        }
        let is_item = !in_code && is_list_item(trimmed);
        if in_list && !is_item && !trimmed.is_empty() && !in_code && line == trimmed {
            out.push(String::new());
        }
        in_list = if trimmed.is_empty() {
            false
        } else {
            is_item || (in_list && line != trimmed)
        };
        out.push(if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        });
    }
    out
}

fn is_list_item(line: &str) -> bool {
    let bullet = line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ");
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let numbered =
        digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "));
    bullet || numbered
}

/// The documentation of a member: its text, then the facts the spec records about it.
pub fn member(m: &Member) -> Vec<String> {
    let mut text = m.documentation.trim().to_owned();
    let mut facts = Vec::new();
    if m.required {
        facts.push("Required.".to_owned());
    }
    if let Some(default) = &m.default {
        facts.push(format!("Default: `{}`.", json_text(default)));
    }
    if let Some(example) = &m.example {
        facts.push(format!("Example: `{}`.", json_text(example)));
    }
    if m.wire_name != m.rust_name.trim_start_matches("r#") {
        facts.push(format!("Wire name: `{}`.", m.wire_name));
    }
    if m.string_encoded {
        facts.push("Sent as a JSON string (for example `\"120\"`).".to_owned());
    }
    if m.sensitive {
        facts.push("Sensitive: `Debug` output shows `******` instead of the value.".to_owned());
    }
    if m.ty == Type::Base64 {
        facts.push("Standard base64 text (RFC 4648, with padding).".to_owned());
    }
    let mut constraints: Vec<String> = m.constraints.iter().map(constraint).collect();
    if let Type::List(item) = &m.ty {
        constraints.extend(
            item.constraints
                .iter()
                .map(|c| format!("each item: {}", constraint(c))),
        );
    }
    if let Some(d) = &m.deprecated {
        facts.push(format!("**Deprecated:** {}", d.message));
    }
    if !facts.is_empty() {
        text.push_str("\n\n");
        text.push_str(&facts.join(" "));
    }
    if !constraints.is_empty() {
        text.push_str("\n\nConstraints:\n");
        for c in constraints {
            text.push_str(&format!("- {c}\n"));
        }
    }
    lines(&text)
}

/// The documentation of a request or response structure with its rules.
pub fn structure(s: &Structure) -> String {
    let mut text = s.documentation.trim().to_owned();
    if s.usage.is_input() && !s.rules.is_empty() {
        text.push_str("\n\n# Rules\n\n");
        for r in &s.rules {
            text.push_str(&format!("- {}\n", rule(r)));
        }
    }
    text
}

/// The documentation of an operation's request: what it does, HTTP binding, deprecation.
pub fn operation(op: &Operation) -> String {
    let mut text = op.documentation.trim().to_owned();
    if let Some(d) = &op.deprecated {
        text.push_str(&format!("\n\n# Deprecated\n\n{}", d.message.trim()));
        if let Some(r) = &d.replacement {
            text.push_str(&format!(" Prefer `{r}`."));
        }
    }
    text.push_str(&format!(
        "\n\n# HTTP\n\n`{} {}`, action `{}`; {}.",
        super::shapes::method_name(op.method),
        op.path,
        op.name,
        if op.idempotent {
            "idempotent: retried after transport failures"
        } else {
            "not idempotent: never resent when the outcome is unknown"
        }
    ));
    if !op.errors.is_empty() {
        text.push_str("\n\n# Errors\n\n");
        for e in &op.errors {
            let status = e.status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
            text.push_str(&format!(
                "- `{}`{status}: {}\n",
                e.code,
                e.documentation.trim()
            ));
        }
    }
    text
}

fn constraint(c: &Constraint) -> String {
    let text = match &c.kind {
        ConstraintKind::Range { min, max } => format!("value {}", bounds(*min, *max)),
        ConstraintKind::Length { min, max } => format!(
            "length {} characters",
            bounds(min.map(to_f64), max.map(to_f64))
        ),
        ConstraintKind::Items { min, max } => {
            format!("{} items", bounds(min.map(to_f64), max.map(to_f64)))
        }
        ConstraintKind::Pattern { description, .. } => format!("must be {description}"),
        ConstraintKind::AllowedValues(values) => format!("one of {}", literals(values)),
        ConstraintKind::CharacterClasses { min, special } => format!(
            "at least {min} of: upper-case letters, lower-case letters, digits, special characters {}",
            code(special)
        ),
    };
    match &c.source {
        Some(source) => format!("{text} (source: {source})"),
        None => text,
    }
}

fn rule(r: &Rule) -> String {
    let when = |conditions: &[crate::model::Condition]| {
        conditions
            .iter()
            .map(|c| format!("`{}` is {}", c.member, literal(&c.equals)))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let names = |members: &[String]| {
        members
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let text = match &r.kind {
        RuleKind::RequiredIf { members, when: c } => {
            format!("{} required when {}", names(members), when(c))
        }
        RuleKind::ExactlyOneOf(m) => format!("exactly one of {} must be set", names(m)),
        RuleKind::AtLeastOneOf(m) => format!("at least one of {} must be set", names(m)),
        RuleKind::AtMostOneOf(m) => format!("at most one of {} may be set", names(m)),
        RuleKind::AllowedValuesIf {
            member,
            values,
            when: c,
        } => {
            format!(
                "`{member}` must be one of {} when {}",
                literals(values),
                when(c)
            )
        }
    };
    match &r.source {
        Some(source) => format!("{text} (source: {source})"),
        None => text,
    }
}

/// Inline code that may itself contain backticks.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn literals(values: &[Literal]) -> String {
    values.iter().map(literal).collect::<Vec<_>>().join(", ")
}

fn literal(l: &Literal) -> String {
    match l {
        Literal::Text(s) => format!("`{s:?}`"),
        Literal::Integer(i) => format!("`{i}`"),
        Literal::Bool(b) => format!("`{b}`"),
    }
}

fn bounds(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "any".to_owned(),
    }
}

#[allow(clippy::cast_precision_loss)]
fn to_f64(v: u64) -> f64 {
    v as f64
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
