//! Alibaba's OpenAPI metadata (`<product>-<version>-api-docs.json`), read tolerantly.
//!
//! This is Alibaba's format, not ours: every key is optional (`#[serde(default)]`) and unknown
//! keys are allowed. Keys the importer does not use on schemas, parameters and responses are
//! kept in `other`, so the report can list what was not carried over.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_json::Value;

/// The whole metadata file.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Metadata {
    pub info: Info,
    /// The operations grouped into (possibly nested) directories; a bare string at the top
    /// level is an operation outside any directory.
    pub directories: Vec<DirEntry>,
    pub components: Components,
    /// The operations by action name (sorted, so the output does not depend on file order).
    pub apis: BTreeMap<String, Api>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Info {
    pub style: Option<String>,
    pub product: String,
    pub version: String,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum DirEntry {
    Api(String),
    Dir(Directory),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Directory {
    pub id: Option<Value>,
    pub title: String,
    pub children: Vec<DirEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Components {
    pub schemas: BTreeMap<String, Schema>,
}

/// One operation.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Api {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub path: String,
    pub methods: Vec<String>,
    pub deprecated: Option<Value>,
    pub parameters: Vec<Parameter>,
    pub responses: BTreeMap<String, Response>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Parameter {
    pub name: String,
    /// `path`, `query`, `header` or `body`.
    #[serde(rename = "in")]
    pub location: String,
    /// `json` (arrays and objects as JSON text) or `flat`; absent for plain values.
    pub style: Option<String>,
    pub schema: Schema,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Response {
    pub schema: Option<Schema>,
    pub headers: Option<Value>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A JSON-Schema-like description of a value. Alibaba marks a property required with
/// `"required": true` on the property itself (the OpenAPI list form on the parent is read
/// too).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Schema {
    #[serde(rename = "type")]
    pub ty: Option<String>,
    pub format: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub example: Option<Value>,
    pub required: Option<Value>,
    pub deprecated: Option<Value>,
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    pub properties: Ordered<Schema>,
    pub items: Option<Box<Schema>>,
    #[serde(rename = "additionalProperties")]
    pub additional_properties: Option<Additional>,
    #[serde(rename = "enum")]
    pub enumeration: Option<Vec<Value>>,
    #[serde(rename = "enumValueTitles")]
    pub enum_value_titles: Option<Ordered<Value>>,
    pub default: Option<Value>,
    pub maximum: Option<Value>,
    pub minimum: Option<Value>,
    #[serde(rename = "maxLength")]
    pub max_length: Option<Value>,
    #[serde(rename = "minLength")]
    pub min_length: Option<Value>,
    #[serde(rename = "maxItems")]
    pub max_items: Option<Value>,
    #[serde(rename = "minItems")]
    pub min_items: Option<Value>,
    pub pattern: Option<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// `additionalProperties`: `true`/`false`, or the schema of the values.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Additional {
    Allowed(bool),
    Schema(Box<Schema>),
}

impl Schema {
    /// `"required": true` on the schema itself.
    pub fn is_required(&self) -> bool {
        matches!(self.required, Some(Value::Bool(true)))
    }

    /// The property names listed in an OpenAPI-style `"required": [...]` on this schema.
    pub fn required_list(&self) -> Vec<&str> {
        match &self.required {
            Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    pub fn is_deprecated(&self) -> bool {
        truthy(self.deprecated.as_ref())
    }

    /// The schema of the values of a map, when `additionalProperties` gives one.
    pub fn map_values(&self) -> Option<&Schema> {
        match &self.additional_properties {
            Some(Additional::Schema(s)) => Some(s),
            _ => None,
        }
    }
}

/// `true`, or the string `"true"`.
pub fn truthy(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// A JSON object read in file order (member order is the metadata's order). A repeated key
/// keeps its first position and its last value.
#[derive(Debug)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> Ordered<T> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for OrderedVisitor<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries: Vec<(String, T)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value()?;
                    match entries.iter_mut().find(|(k, _)| *k == key) {
                        Some(entry) => entry.1 = value,
                        None => entries.push((key, value)),
                    }
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_map(OrderedVisitor(PhantomData))
    }
}
