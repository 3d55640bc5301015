//! Client-side validation: the result types, the [`Validate`] trait and the checks that
//! `#[derive(Validate)]` (from `acs-macros`) calls.
//!
//! Every check appends to a list instead of returning early, so one call reports every
//! violation of a request at once, each with the path of the member it concerns
//! (`worker_data_disks[1].size`), the rule it breaks and what is allowed. Values of
//! sensitive members never appear in a message.

pub mod check;
mod path;
mod pattern;
mod value;

use std::fmt;

pub use path::FieldPath;
pub use value::{CheckedNumber, CheckedText, ConditionValue, Presence};

/// Which kind of rule a [`Violation`] breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RuleKind {
    /// A required member is not set.
    Required,
    /// A number is outside its documented range.
    Range,
    /// A text is too short or too long.
    Length,
    /// A text does not match its documented pattern.
    Pattern,
    /// A value is not one of the documented values.
    AllowedValues,
    /// A list or map has too few or too many items.
    ItemCount,
    /// A text does not mix enough character classes (upper, lower, digit, special).
    CharacterClasses,
    /// A text is not valid standard base64.
    Base64,
    /// A member required by a condition on other members is not set.
    RequiredIf,
    /// Not exactly one member of a group is set.
    ExactlyOneOf,
    /// No member of a group is set.
    AtLeastOneOf,
    /// More than one member of a group is set.
    AtMostOneOf,
}

impl RuleKind {
    /// The rule's name as the spec format spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Range => "range",
            Self::Length => "length",
            Self::Pattern => "pattern",
            Self::AllowedValues => "allowed_values",
            Self::ItemCount => "items",
            Self::CharacterClasses => "character_classes",
            Self::Base64 => "base64",
            Self::RequiredIf => "required_if",
            Self::ExactlyOneOf => "exactly_one_of",
            Self::AtLeastOneOf => "at_least_one_of",
            Self::AtMostOneOf => "at_most_one_of",
        }
    }
}

impl fmt::Display for RuleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One broken rule: where, which rule, and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// The member's path from the request root, such as `worker_data_disks[1].size`.
    pub path: String,
    /// The rule that is broken.
    pub rule: RuleKind,
    /// What is wrong and what is allowed, in one sentence (never a secret value).
    pub message: String,
}

impl Violation {
    /// A violation at `path`.
    pub fn new(path: impl Into<String>, rule: RuleKind, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            rule,
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(request)"
        } else {
            &self.path
        };
        write!(f, "{path}: {} [{}]", self.message, self.rule)
    }
}

/// Every violation found in one request; never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationErrors {
    violations: Vec<Violation>,
}

impl ValidationErrors {
    /// `Ok` when `violations` is empty, else the errors.
    pub fn check(violations: Vec<Violation>) -> Result<(), Self> {
        if violations.is_empty() {
            Ok(())
        } else {
            Err(Self { violations })
        }
    }

    /// The violations, in the order the members are declared.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Consumes the errors, returning the violations.
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }

    /// Whether some violation concerns `path` (exactly).
    pub fn has(&self, path: &str, rule: RuleKind) -> bool {
        self.violations
            .iter()
            .any(|v| v.path == path && v.rule == rule)
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(
            f,
            "the request breaks {n} documented rule{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for violation in &self.violations {
            write!(f, "\n  - {violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// A value that can check itself against the rules its spec documents.
///
/// Implemented by `#[derive(Validate)]` for generated structures and by `#[derive(WireEnum)]`
/// for enums; containers (`Option`, `Vec`, maps, `Box`, [`crate::Sensitive`]) forward to
/// their items, extending the path.
pub trait Validate {
    /// Appends every violation of `self`, found at `path`, to `out`.
    fn validate_at(&self, path: &FieldPath<'_>, out: &mut Vec<Violation>);

    /// Checks `self` from the root and returns every violation at once.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut out = Vec::new();
        self.validate_at(&FieldPath::root(), &mut out);
        ValidationErrors::check(out)
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &FieldPath<'_>, out: &mut Vec<Violation>) {
        if let Some(value) = self {
            value.validate_at(path, out);
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate_at(&self, path: &FieldPath<'_>, out: &mut Vec<Violation>) {
        (**self).validate_at(path, out);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &FieldPath<'_>, out: &mut Vec<Violation>) {
        for (index, item) in self.iter().enumerate() {
            item.validate_at(&path.index(index), out);
        }
    }
}

impl<T: Validate> Validate for std::collections::BTreeMap<String, T> {
    fn validate_at(&self, path: &FieldPath<'_>, out: &mut Vec<Violation>) {
        for (key, item) in self {
            item.validate_at(&path.key(key), out);
        }
    }
}

impl<T: Validate> Validate for crate::Sensitive<T> {
    fn validate_at(&self, path: &FieldPath<'_>, out: &mut Vec<Violation>) {
        self.expose().validate_at(path, out);
    }
}

/// How a request is checked before it is sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ValidationMode {
    /// Check every documented rule and refuse to send on any violation (the default).
    #[default]
    Enforce,
    /// Send without checking the documented rules, for when the service has relaxed a rule
    /// that the spec still records. Path labels must still be set, since without them the
    /// request would go to a different resource.
    Skip,
}
