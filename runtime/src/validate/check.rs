//! The checks that `#[derive(Validate)]` calls, one per kind of constraint.
//!
//! Each takes the value (`None` when the member is unset, which passes every check but
//! `required`), the path of the enclosing structure and the member's name, and appends a
//! [`Violation`] to `out` when the value breaks the rule. The path text is only built when a
//! violation is found.

use std::fmt::Write as _;

pub use super::pattern::Pattern;
use super::{CheckedNumber, CheckedText, FieldPath, Presence, RuleKind, Violation};

/// Where a check runs: the enclosing path and the member's name (empty for list items,
/// whose index is already in the path).
#[derive(Clone, Copy, Debug)]
pub struct Site<'a> {
    path: &'a FieldPath<'a>,
    field: &'a str,
}

impl<'a> Site<'a> {
    /// The member `field` of the structure at `path`.
    pub fn new(path: &'a FieldPath<'a>, field: &'a str) -> Self {
        Self { path, field }
    }

    /// The value at `path` itself (a list item, a map value, an enum).
    pub fn here(path: &'a FieldPath<'a>) -> Self {
        Self { path, field: "" }
    }

    fn text(self) -> String {
        if self.field.is_empty() {
            self.path.to_string()
        } else {
            self.path.child(self.field)
        }
    }

    fn report(self, out: &mut Vec<Violation>, rule: RuleKind, message: String) {
        out.push(Violation::new(self.text(), rule, message));
    }
}

/// The member must be set.
pub fn required(value: &impl Presence, site: Site<'_>, out: &mut Vec<Violation>) {
    if !value.is_present() {
        site.report(
            out,
            RuleKind::Required,
            "is required but not set".to_owned(),
        );
    }
}

/// The number must lie within `min..=max` (either bound may be absent).
pub fn range<T: CheckedNumber + ?Sized>(
    value: Option<&T>,
    min: Option<f64>,
    max: Option<f64>,
    site: Site<'_>,
    out: &mut Vec<Violation>,
) {
    let Some(value) = value.map(CheckedNumber::as_f64) else {
        return;
    };
    let below = min.is_some_and(|min| value < min);
    let above = max.is_some_and(|max| value > max);
    if below || above || value.is_nan() {
        let allowed = bounds_phrase(min, max, "");
        site.report(
            out,
            RuleKind::Range,
            format!("must be {allowed} (got {})", number(value)),
        );
    }
}

/// The text must be `min..=max` characters (Unicode scalar values) long.
pub fn length<T: CheckedText + ?Sized>(
    value: Option<&T>,
    min: Option<u64>,
    max: Option<u64>,
    site: Site<'_>,
    out: &mut Vec<Violation>,
) {
    let Some(value) = value else { return };
    let text = value.text();
    // UTF-8 takes 1 to 4 bytes per character, so the character count lies between a quarter
    // of the byte length and the byte length: when both ends are allowed, so is the count.
    let bytes = text.len() as u64;
    if max.is_none_or(|max| bytes <= max) && min.is_none_or(|min| bytes.div_ceil(4) >= min) {
        return;
    }
    let len = text.chars().count() as u64;
    if min.is_some_and(|min| len < min) || max.is_some_and(|max| len > max) {
        let allowed = bounds_phrase(min.map(as_f64), max.map(as_f64), " characters long");
        let got = if value.is_secret() {
            String::new()
        } else {
            format!(" (got {len})")
        };
        site.report(out, RuleKind::Length, format!("must be {allowed}{got}"));
    }
}

/// The text must match `pattern`.
pub fn pattern<T: CheckedText + ?Sized>(
    value: Option<&T>,
    pattern: &Pattern,
    site: Site<'_>,
    out: &mut Vec<Violation>,
) {
    let Some(value) = value else { return };
    if pattern.matches(value.text()) != Some(true) {
        let got = shown_text(value);
        site.report(
            out,
            RuleKind::Pattern,
            format!("must be {}{got}", pattern.describe()),
        );
    }
}

/// The text must be one of `allowed`.
pub fn allowed_text<T: CheckedText + ?Sized>(
    value: Option<&T>,
    allowed: &[&str],
    condition: &str,
    site: Site<'_>,
    out: &mut Vec<Violation>,
) {
    let Some(value) = value else { return };
    if !allowed.contains(&value.text()) {
        let list = allowed
            .iter()
            .map(|v| format!("{v:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        let got = shown_text(value);
        site.report(
            out,
            RuleKind::AllowedValues,
            format!("must be one of {list}{condition}{got}"),
        );
    }
}

/// The number must be one of `allowed`; `condition` (`" when worker_period_unit is
/// \"Month\""`) says when the rule applies, or is empty.
pub fn allowed_number<T: CheckedNumber + ?Sized>(
    value: Option<&T>,
    allowed: &[f64],
    condition: &str,
    site: Site<'_>,
    out: &mut Vec<Violation>,
) {
    let Some(value) = value.map(CheckedNumber::as_f64) else {
        return;
    };
    if !allowed.contains(&value) {
        let list = allowed
            .iter()
            .map(|v| number(*v))
            .collect::<Vec<_>>()
            .join(", ");
        site.report(
            out,
            RuleKind::AllowedValues,
            format!("must be one of {list}{condition} (got {})", number(value)),
        );
    }
}

/// The list or map must hold `min..=max` items.
pub fn item_count(
    len: Option<usize>,
    min: Option<u64>,
    max: Option<u64>,
    site: Site<'_>,
    out: &mut Vec<Violation>,
) {
    let Some(len) = len else { return };
    let len = len as u64;
    if min.is_some_and(|min| len < min) || max.is_some_and(|max| len > max) {
        let allowed = bounds_phrase(min.map(as_f64), max.map(as_f64), " items");
        site.report(
            out,
            RuleKind::ItemCount,
            format!("must have {allowed} (got {len})"),
        );
    }
}

/// The text must contain characters of at least `min` of the four classes: upper-case
/// letters, lower-case letters, digits, and the `special` characters.
pub fn character_classes<T: CheckedText + ?Sized>(
    value: Option<&T>,
    min: u32,
    special: &str,
    site: Site<'_>,
    out: &mut Vec<Violation>,
) {
    let Some(value) = value else { return };
    // One pass, one bit per class: upper, lower, digit, special.
    let classes = value.text().chars().fold(0u8, |classes, c| {
        classes
            | if c.is_ascii_uppercase() {
                1
            } else if c.is_ascii_lowercase() {
                2
            } else if c.is_ascii_digit() {
                4
            } else if special.contains(c) {
                8
            } else {
                0
            }
    });
    let found = classes.count_ones();
    if found < min {
        let mut message = format!(
            "must contain at least {min} of: upper-case letters, lower-case letters, digits, special characters {special}"
        );
        if !value.is_secret() {
            let _ = write!(message, " (has {found})");
        }
        site.report(out, RuleKind::CharacterClasses, message);
    }
}

/// The text must be standard base64 (RFC 4648 alphabet, with padding).
pub fn base64<T: CheckedText + ?Sized>(
    value: Option<&T>,
    site: Site<'_>,
    out: &mut Vec<Violation>,
) {
    let Some(value) = value else { return };
    if !is_standard_base64(value.text().as_bytes()) {
        site.report(
            out,
            RuleKind::Base64,
            "must be standard base64 text (RFC 4648 alphabet, with padding)".to_owned(),
        );
    }
}

/// Whether `text` is what the `base64` crate's `STANDARD` engine decodes without error: whole
/// groups of four alphabet characters, at most two `=` at the very end, and no stray bits in
/// the last character (checked here without decoding, which would allocate).
fn is_standard_base64(text: &[u8]) -> bool {
    fn sextet(b: u8) -> Option<u8> {
        match b {
            b'A'..=b'Z' => Some(b - b'A'),
            b'a'..=b'z' => Some(b - b'a' + 26),
            b'0'..=b'9' => Some(b - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    if !text.len().is_multiple_of(4) {
        return false;
    }
    let padding = text
        .iter()
        .rev()
        .take(2)
        .take_while(|&&b| b == b'=')
        .count();
    let data = &text[..text.len() - padding];
    let mut last = 0;
    for &b in data {
        match sextet(b) {
            Some(value) => last = value,
            None => return false,
        }
    }
    // One `=` leaves 2 unused bits in the last character, two leave 4.
    let unused_bits = match padding {
        1 => 0b11,
        2 => 0b1111,
        _ => 0,
    };
    last & unused_bits == 0
}

/// Exactly one, at least one or at most one of a group of members must be set; `set` holds
/// each member's name and whether it is set.
pub fn group(rule: RuleKind, set: &[(&str, bool)], site: Site<'_>, out: &mut Vec<Violation>) {
    let count = set.iter().filter(|(_, present)| *present).count();
    let ok = match rule {
        RuleKind::ExactlyOneOf => count == 1,
        RuleKind::AtLeastOneOf => count >= 1,
        RuleKind::AtMostOneOf => count <= 1,
        _ => true,
    };
    if ok {
        return;
    }
    let names = set
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ");
    let quantity = match rule {
        RuleKind::ExactlyOneOf => "exactly one",
        RuleKind::AtLeastOneOf => "at least one",
        _ => "at most one",
    };
    let got = if count == 0 {
        "none is set".to_owned()
    } else {
        let present = set
            .iter()
            .filter(|(_, present)| *present)
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ");
        format!("set: {present}")
    };
    site.report(
        out,
        rule,
        format!("{quantity} of {names} must be set ({got})"),
    );
}

/// The member must be set because `condition` (`"worker_instance_charge_type is
/// \"PrePaid\""`) holds.
pub fn required_if(
    value: &impl Presence,
    condition: &str,
    site: Site<'_>,
    out: &mut Vec<Violation>,
) {
    if !value.is_present() {
        site.report(
            out,
            RuleKind::RequiredIf,
            format!("is required when {condition}"),
        );
    }
}

fn as_f64(v: u64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let v = v as f64;
    v
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

fn bounds_phrase(min: Option<f64>, max: Option<f64>, unit: &str) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("{} to {}{unit}", number(min), number(max)),
        (Some(min), None) => format!("at least {}{unit}", number(min)),
        (None, Some(max)) => format!("at most {}{unit}", number(max)),
        (None, None) => format!("any{unit}"),
    }
}

/// ` (got "…")` for a value that may be shown, nothing for a secret.
fn shown_text<T: CheckedText + ?Sized>(value: &T) -> String {
    if value.is_secret() {
        return String::new();
    }
    let text = value.text();
    let shown: String = text.chars().take(64).collect();
    let ellipsis = if shown.len() < text.len() { "…" } else { "" };
    format!(" (got {shown:?}{ellipsis})")
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use proptest::prelude::*;

    use super::*;
    use crate::Sensitive;

    proptest! {
        #[test]
        fn base64_check_agrees_with_the_decoder(text in "[A-Za-z0-9+/=\\- ]{0,14}") {
            let decodes = base64::engine::general_purpose::STANDARD.decode(&text).is_ok();
            prop_assert_eq!(is_standard_base64(text.as_bytes()), decodes, "{:?}", text);
        }

        #[test]
        fn length_counts_characters_not_bytes(
            text in "[aé中😀]{0,12}",
            min in proptest::option::of(0u64..10),
            max in proptest::option::of(0u64..10),
        ) {
            let len = text.chars().count() as u64;
            let expected = min.is_none_or(|min| len >= min) && max.is_none_or(|max| len <= max);
            let out = run(|s, o| length(Some(&text), min, max, s, o));
            prop_assert_eq!(out.is_empty(), expected, "{:?} {:?} {:?}", text, min, max);
        }

        #[test]
        fn base64_check_accepts_every_encoding(raw in proptest::collection::vec(any::<u8>(), 0..20)) {
            let text = base64::engine::general_purpose::STANDARD.encode(&raw);
            prop_assert!(is_standard_base64(text.as_bytes()));
        }
    }

    fn run(f: impl FnOnce(Site<'_>, &mut Vec<Violation>)) -> Vec<Violation> {
        let path = FieldPath::root();
        let mut out = Vec::new();
        f(Site::new(&path, "m"), &mut out);
        out
    }

    #[test]
    fn range_reports_bounds_and_value() {
        let out = run(|s, o| range(Some(&600_i32), Some(1.0), Some(500.0), s, o));
        assert_eq!(out[0].to_string(), "m: must be 1 to 500 (got 600) [range]");
        assert!(run(|s, o| range(Some(&500_i32), Some(1.0), Some(500.0), s, o)).is_empty());
        assert!(run(|s, o| range(None::<&i32>, Some(1.0), None, s, o)).is_empty());
    }

    #[test]
    fn secrets_never_appear_in_messages() {
        let secret = Sensitive::new("abc".to_owned());
        let out = run(|s, o| {
            length(Some(&secret), Some(8), Some(30), s, o);
            character_classes(Some(&secret), 3, "!", s, o);
            pattern(Some(&secret), &Pattern::new("^x$", "x"), s, o);
            allowed_text(Some(&secret), &["x"], "", s, o);
        });
        assert_eq!(out.len(), 4);
        for violation in out {
            assert!(!violation.to_string().contains("abc"), "{violation}");
        }
    }

    #[test]
    fn group_rules_name_the_members() {
        let out = run(|s, o| group(RuleKind::ExactlyOneOf, &[("a", true), ("b", true)], s, o));
        assert_eq!(
            out[0].message,
            "exactly one of a, b must be set (set: a, b)"
        );
        let out = run(|s, o| group(RuleKind::ExactlyOneOf, &[("a", false), ("b", false)], s, o));
        assert_eq!(
            out[0].message,
            "exactly one of a, b must be set (none is set)"
        );
        assert!(
            run(|s, o| group(RuleKind::AtMostOneOf, &[("a", false), ("b", true)], s, o)).is_empty()
        );
    }

    #[test]
    fn base64_requires_padding() {
        assert!(run(|s, o| base64(Some("aGk="), s, o)).is_empty());
        assert_eq!(run(|s, o| base64(Some("aGk"), s, o)).len(), 1);
        assert_eq!(run(|s, o| base64(Some("a b="), s, o)).len(), 1);
    }
}
