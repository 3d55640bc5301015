//! How the checks see the values of members: as text, as numbers, as set or unset.
//!
//! These traits let one check serve `String` and `Sensitive<String>`, `i32` and `i64`,
//! and generated enums, without the derive knowing the member's type.

use crate::Sensitive;

/// A value that length, pattern and character-class checks read as text.
pub trait CheckedText {
    /// The text.
    fn text(&self) -> &str;
    /// Whether the value is secret, so that messages must not show it.
    fn is_secret(&self) -> bool {
        false
    }
}

impl CheckedText for String {
    fn text(&self) -> &str {
        self
    }
}

impl CheckedText for str {
    fn text(&self) -> &str {
        self
    }
}

impl<T: CheckedText> CheckedText for Sensitive<T> {
    fn text(&self) -> &str {
        self.expose().text()
    }
    fn is_secret(&self) -> bool {
        true
    }
}

/// A number that range and allowed-value checks read.
pub trait CheckedNumber {
    /// The value as an `f64` (exact for every integer the API uses).
    fn as_f64(&self) -> f64;
}

macro_rules! checked_number {
    ($($t:ty),*) => {$(
        impl CheckedNumber for $t {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn as_f64(&self) -> f64 {
                *self as f64
            }
        }
    )*};
}
checked_number!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

/// A value that a rule's condition (`when worker_instance_charge_type = "PrePaid"`) compares
/// with a literal of the spec.
pub trait ConditionValue {
    /// Whether the value equals the text literal.
    fn equals_str(&self, _literal: &str) -> bool {
        false
    }
    /// Whether the value equals the integer literal.
    fn equals_int(&self, _literal: i64) -> bool {
        false
    }
    /// Whether the value equals the boolean literal.
    fn equals_bool(&self, _literal: bool) -> bool {
        false
    }
}

impl ConditionValue for String {
    fn equals_str(&self, literal: &str) -> bool {
        self == literal
    }
}

impl ConditionValue for bool {
    fn equals_bool(&self, literal: bool) -> bool {
        *self == literal
    }
}

macro_rules! condition_int {
    ($($t:ty),*) => {$(
        impl ConditionValue for $t {
            fn equals_int(&self, literal: i64) -> bool {
                i64::try_from(*self).is_ok_and(|v| v == literal)
            }
        }
    )*};
}
condition_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl<T: ConditionValue> ConditionValue for Sensitive<T> {
    fn equals_str(&self, literal: &str) -> bool {
        self.expose().equals_str(literal)
    }
}

/// Whether a member counts as set, for `required`, `required_if` and `*_one_of` rules.
pub trait Presence {
    /// `true` when the member carries a value.
    fn is_present(&self) -> bool;
}

impl<T> Presence for Option<T> {
    fn is_present(&self) -> bool {
        self.is_some()
    }
}

impl Presence for String {
    /// A path label or other always-there text counts as set when it is not empty.
    fn is_present(&self) -> bool {
        !self.is_empty()
    }
}
