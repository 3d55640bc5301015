//! The raw spec: serde types that mirror the JSON files one to one.
//!
//! Nothing here is checked beyond JSON shape (`deny_unknown_fields` everywhere, so a typo is
//! an error); [`crate::resolve`] turns these into the checked [`crate::model`].

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_json::Value;

/// The spec format version this generator reads.
pub const FORMAT_VERSION: u32 = 1;

/// `service.json`: the product, its version and what all its operations share.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    pub format_version: u32,
    pub product: String,
    pub version: String,
    pub title: String,
    pub documentation: String,
    pub style: Style,
    #[serde(rename = "crate")]
    pub krate: CrateInfo,
    pub endpoints: Endpoints,
    /// The command-line tool generated for the service, if any.
    #[serde(default)]
    pub cli: Option<CliInfo>,
    #[serde(default)]
    pub shapes: OrderedMap<ShapeDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CliInfo {
    /// The binary's name, such as `ackctl`.
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Style {
    #[serde(rename = "ROA")]
    Roa,
    #[serde(rename = "RPC")]
    Rpc,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateInfo {
    pub name: String,
    pub description: String,
    /// The generated crate's folder, relative to the repository root.
    pub directory: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoints {
    /// `cs.{region}.aliyuncs.com`
    pub regional: String,
    /// `cs-vpc.{region}.aliyuncs.com`
    #[serde(default)]
    pub vpc: Option<String>,
    /// Regions whose endpoint does not follow the pattern.
    #[serde(default)]
    pub overrides: OrderedMap<String>,
    #[serde(default)]
    pub source: Option<String>,
}

/// `imported/shapes.json`: shapes shared by imported operations.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShapesFile {
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    pub format_version: u32,
    #[serde(default)]
    pub shapes: OrderedMap<ShapeDef>,
}

/// `<Action>.json`: one operation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationFile {
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    pub format_version: u32,
    pub name: String,
    pub documentation: String,
    #[serde(default)]
    pub source: Option<String>,
    pub http: Http,
    pub idempotent: bool,
    /// The group of operations this one belongs to: a cargo feature of the generated crate.
    #[serde(default)]
    pub group: Option<String>,
    /// How a user finds out whether a request whose outcome is unknown took effect.
    #[serde(default)]
    pub outcome_check: Option<String>,
    #[serde(default)]
    pub deprecated: Option<Deprecation>,
    /// How the answers come in pages, if they do.
    #[serde(default)]
    pub pagination: Option<PaginationDef>,
    /// Waiters that poll this operation until its answer reports success or failure.
    #[serde(default)]
    pub waiters: OrderedMap<WaiterDef>,
    /// For an operation that starts asynchronous work: the waiter that follows it.
    #[serde(default)]
    pub follow_with: Option<FollowDef>,
    pub input: StructureDef,
    pub output: StructureDef,
    #[serde(default)]
    pub errors: Vec<ErrorDef>,
    #[serde(default)]
    pub shapes: OrderedMap<ShapeDef>,
}

/// Pagination: which request members select the page, which answer member holds the items.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationDef {
    /// The request member with the 1-based page number.
    pub page_number: String,
    /// The request member with the page size, if any.
    #[serde(default)]
    pub page_size: Option<String>,
    /// The answer member (a list) holding the page's items.
    pub items: String,
    /// The dot path in the answer to the total number of items, if the service reports it.
    #[serde(default)]
    pub total_count: Option<String>,
}

/// A waiter: poll the operation until `state` is one of `success` or `failure`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterDef {
    pub documentation: String,
    /// The dot path in the answer to the state.
    pub state: String,
    pub success: Vec<String>,
    pub failure: Vec<String>,
    /// The dot path to what the answer says about a failure.
    #[serde(default)]
    pub failure_detail: Option<String>,
    /// The dot path to a short progress description (such as the current stage).
    #[serde(default)]
    pub progress: Option<String>,
}

/// The waiter that follows an operation's asynchronous work, and which answer members feed
/// the waiter's request members.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowDef {
    /// `<Operation>.<waiter>`, such as `DescribeTaskInfo.task_done`.
    pub waiter: String,
    /// Waiter request member → this operation's answer member.
    pub inputs: OrderedMap<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Http {
    pub method: Method,
    pub path: String,
    #[serde(default)]
    pub body: Option<BodyKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Method {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
    #[serde(rename = "PUT")]
    Put,
    #[serde(rename = "DELETE")]
    Delete,
    #[serde(rename = "PATCH")]
    Patch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    Json,
    None,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    pub message: String,
    #[serde(default)]
    pub replacement: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    pub code: String,
    #[serde(default)]
    pub status: Option<u16>,
    pub documentation: String,
}

/// A named shape: a structure or an enum.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShapeDef {
    #[serde(rename = "type")]
    pub kind: ShapeKind,
    pub documentation: String,
    #[serde(default)]
    pub members: Option<OrderedMap<MemberDef>>,
    #[serde(default)]
    pub rules: Option<Vec<RuleDef>>,
    #[serde(default)]
    pub values: Option<Vec<EnumValueDef>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShapeKind {
    Structure,
    Enum,
}

/// The members and rules of a structure (also the inline `input` and `output`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructureDef {
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub members: OrderedMap<MemberDef>,
    #[serde(default)]
    pub rules: Vec<RuleDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValueDef {
    pub value: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub documentation: Option<String>,
}

/// A member of a structure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberDef {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub items: Option<Box<ItemDef>>,
    #[serde(default)]
    pub values: Option<Box<ItemDef>>,
    #[serde(default)]
    pub wire_name: Option<String>,
    #[serde(default)]
    pub binding: Option<Binding>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub default: Option<Value>,
    pub documentation: String,
    #[serde(default)]
    pub example: Option<Value>,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub deprecated: Option<Deprecation>,
    #[serde(default)]
    pub wire_encoding: Option<WireEncoding>,
    #[serde(default)]
    pub constraints: Option<ConstraintsDef>,
}

/// The item type of a list or the value type of a map.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemDef {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub items: Option<Box<ItemDef>>,
    #[serde(default)]
    pub values: Option<Box<ItemDef>>,
    #[serde(default)]
    pub constraints: Option<ConstraintsDef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    Path,
    Query,
    Header,
    Body,
    /// The member is the whole body (or, in an answer, the whole response body).
    Payload,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireEncoding {
    /// A number or boolean sent as a JSON string.
    String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstraintsDef {
    #[serde(default)]
    pub range: Option<RangeDef>,
    #[serde(default)]
    pub length: Option<CountDef>,
    #[serde(default)]
    pub items: Option<CountDef>,
    #[serde(default)]
    pub pattern: Option<PatternDef>,
    #[serde(default)]
    pub allowed_values: Option<AllowedDef>,
    #[serde(default)]
    pub character_classes: Option<CharacterClassesDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeDef {
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountDef {
    #[serde(default)]
    pub min: Option<u64>,
    #[serde(default)]
    pub max: Option<u64>,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternDef {
    pub regex: String,
    pub description: String,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowedDef {
    pub values: Vec<Value>,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CharacterClassesDef {
    pub min: u32,
    pub special: String,
    #[serde(default)]
    pub source: Option<String>,
}

/// A cross-field rule, tagged by `kind`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub kind: RuleKind,
    #[serde(default)]
    pub members: Option<Vec<String>>,
    #[serde(default)]
    pub member: Option<String>,
    #[serde(default)]
    pub values: Option<Vec<Value>>,
    #[serde(default)]
    pub when: Option<Vec<ConditionDef>>,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    RequiredIf,
    ExactlyOneOf,
    AtLeastOneOf,
    AtMostOneOf,
    AllowedValuesIf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionDef {
    pub member: String,
    pub equals: Value,
}

/// A JSON object read in file order, rejecting duplicate keys (which plain maps would
/// silently collapse).
#[derive(Debug)]
pub struct OrderedMap<T>(pub Vec<(String, T)>);

impl<T> Default for OrderedMap<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OrderedMap<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for OrderedVisitor<T> {
            type Value = OrderedMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries: Vec<(String, T)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format!("duplicate key `{key}`")));
                    }
                    let value = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(OrderedMap(entries))
            }
        }
        deserializer.deserialize_map(OrderedVisitor(PhantomData))
    }
}
