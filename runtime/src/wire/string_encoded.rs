//! `Option<T>` sent as a JSON string: numbers and booleans that the API sends as JSON strings
//! (`worker_data_disks[].size` is `"120"` on the wire, `u32` in Rust).
//!
//! Use as `#[serde(with = "acs_runtime::wire::string_encoded")]` on an `Option<T>` member.
//! Serializing writes the value's `Display` text as a JSON string; deserializing accepts the
//! string form and, leniently, the plain JSON number or boolean.

use std::fmt::Display;
use std::str::FromStr;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

/// Writes `Some(v)` as `"v"` (callers skip `None` with `skip_serializing_if`).
pub fn serialize<T: Display, S: Serializer>(
    value: &Option<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serializer.collect_str(value),
        None => serializer.serialize_none(),
    }
}

/// Reads `"v"`, or the plain JSON number or boolean, or `null`.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: FromStr,
    T::Err: Display,
    D: Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Encoded {
        Text(String),
        Bool(bool),
        Int(i64),
        UInt(u64),
        Float(f64),
    }
    let text = match Option::<Encoded>::deserialize(deserializer)? {
        None => return Ok(None),
        Some(Encoded::Text(text)) => text,
        Some(Encoded::Bool(v)) => v.to_string(),
        Some(Encoded::Int(v)) => v.to_string(),
        Some(Encoded::UInt(v)) => v.to_string(),
        Some(Encoded::Float(v)) => v.to_string(),
    };
    text.trim()
        .parse()
        .map(Some)
        .map_err(|e| D::Error::custom(format!("invalid string-encoded value {text:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Disk {
        #[serde(with = "super", skip_serializing_if = "Option::is_none", default)]
        size: Option<u32>,
        #[serde(with = "super", skip_serializing_if = "Option::is_none", default)]
        encrypted: Option<bool>,
    }

    #[test]
    fn writes_strings_and_reads_both_forms() {
        let disk = Disk {
            size: Some(120),
            encrypted: Some(true),
        };
        let json = serde_json::to_string(&disk).unwrap();
        assert_eq!(json, r#"{"size":"120","encrypted":"true"}"#);
        assert_eq!(serde_json::from_str::<Disk>(&json).unwrap(), disk);
        let plain: Disk = serde_json::from_str(r#"{"size":120,"encrypted":true}"#).unwrap();
        assert_eq!(plain, disk);
        let empty: Disk = serde_json::from_str("{}").unwrap();
        assert_eq!(
            empty,
            Disk {
                size: None,
                encrypted: None
            }
        );
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
        assert!(serde_json::from_str::<Disk>(r#"{"size":"big"}"#).is_err());
    }
}
