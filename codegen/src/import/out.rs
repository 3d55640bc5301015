//! The spec files the importer writes: serde types in the key order of the hand-written files
//! (see `api-spec/README.md`), rendered as pretty JSON with a trailing newline.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Number, Value};

/// `$schema` of an imported operation file (relative to `imported/`).
pub const OPERATION_SCHEMA: &str = "../../schema/operation.schema.json";
/// `$schema` of `imported/shapes.json`.
pub const SHAPES_SCHEMA: &str = "../../schema/shapes.schema.json";

/// Pretty JSON (two-space indent) with a trailing newline.
pub fn render<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("spec values serialize");
    text.push('\n');
    text
}

/// A JSON object written in the order of its entries.
#[derive(Debug, Clone, PartialEq)]
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
    pub fn contains(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }
}

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Debug, Serialize)]
pub struct OperationFile {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub format_version: u32,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub documentation: String,
    pub source: String,
    pub http: Http,
    pub idempotent: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome_check: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    pub input: Structure,
    pub output: Structure,
    #[serde(skip_serializing_if = "Ordered::is_empty")]
    pub shapes: Ordered<Shape>,
}

#[derive(Debug, Serialize)]
pub struct ShapesFile {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub format_version: u32,
    pub shapes: Ordered<Shape>,
}

#[derive(Debug, Serialize)]
pub struct Http {
    pub method: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Deprecation {
    pub message: String,
}

/// `input` and `output`.
#[derive(Debug, Default, Serialize)]
pub struct Structure {
    pub members: Ordered<Member>,
}

/// A named structure (the importer declares no enums: metadata `enum` lists become
/// `allowed_values`).
#[derive(Debug, Serialize)]
pub struct Shape {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub documentation: String,
    pub members: Ordered<Member>,
}

#[derive(Debug, Default, Serialize)]
pub struct Member {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Item>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Box<Item>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wire_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding: Option<&'static str>,
    #[serde(skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    pub documentation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    #[serde(skip_serializing_if = "is_false")]
    pub sensitive: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
}

/// The item type of a list or the value type of a map.
#[derive(Debug, Default, Serialize)]
pub struct Item {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Item>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Box<Item>>,
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
}

#[derive(Debug, Default, Serialize)]
pub struct Constraints {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<Range>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<Count>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Count>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<Pattern>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_values: Option<Allowed>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        self.range.is_none()
            && self.length.is_none()
            && self.items.is_none()
            && self.pattern.is_none()
            && self.allowed_values.is_none()
    }
}

#[derive(Debug, Serialize)]
pub struct Range {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<Number>,
    pub source: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Count {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
    pub source: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Pattern {
    pub regex: String,
    pub description: String,
    pub source: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Allowed {
    pub values: Vec<Value>,
    pub source: &'static str,
}

fn is_false(b: &bool) -> bool {
    !*b
}
