//! A wrapper that keeps secrets out of `Debug` and `Display`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What `Debug` prints in place of a secret.
pub const REDACTED: &str = "******";

/// A value that must never be printed: passwords, user data, access key secrets, tokens.
///
/// It serializes transparently (the service must receive the real value) but its `Debug`
/// prints [`REDACTED`]. Read the value with [`Sensitive::expose`], which makes every place
/// that handles the secret easy to find.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wraps a secret.
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl From<&str> for Sensitive<String> {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl<T: Serialize> Serialize for Sensitive<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        COLLECTED.with(|collected| {
            if let Some(secrets) = collected.borrow_mut().as_mut()
                && let Ok(text) = serde_json::to_string(&self.0)
            {
                secrets.push(text);
            }
        });
        self.0.serialize(serializer)
    }
}

thread_local! {
    /// While [`collect_secrets`] runs: the JSON text of every secret serialized on this thread.
    static COLLECTED: std::cell::RefCell<Option<Vec<String>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` and returns, besides its result, the JSON text (`"Hello@1234"`, quotes included)
/// of every [`Sensitive`] value serialized on this thread meanwhile. Tools that print a
/// request use it to redact exactly the secrets the body carries, wherever they are nested.
pub fn collect_secrets<R>(f: impl FnOnce() -> R) -> (R, Vec<String>) {
    let previous = COLLECTED.with(|c| c.borrow_mut().replace(Vec::new()));
    let result = f();
    let secrets = COLLECTED
        .with(|c| std::mem::replace(&mut *c.borrow_mut(), previous))
        .unwrap_or_default();
    (result, secrets)
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sensitive<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_serialized_meanwhile_are_collected() {
        #[derive(Serialize)]
        struct Body {
            name: &'static str,
            password: Sensitive<String>,
            nested: Vec<Sensitive<String>>,
        }
        let body = Body {
            name: "x",
            password: Sensitive::from("p\"w"),
            nested: vec![Sensitive::from("s2")],
        };
        let (json, secrets) = collect_secrets(|| serde_json::to_string(&body).unwrap());
        assert_eq!(json, r#"{"name":"x","password":"p\"w","nested":["s2"]}"#);
        assert_eq!(secrets, [r#""p\"w""#, r#""s2""#]);
        // Outside a collection nothing is kept.
        let (_, none) = collect_secrets(|| ());
        assert!(none.is_empty());
    }

    #[test]
    fn debug_is_redacted_and_serde_is_transparent() {
        let secret: Sensitive<String> = Sensitive::from("Hello@1234");
        assert_eq!(format!("{secret:?}"), REDACTED);
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"Hello@1234\"");
        let back: Sensitive<String> = serde_json::from_str("\"x\"").unwrap();
        assert_eq!(back.expose(), "x");
    }
}
