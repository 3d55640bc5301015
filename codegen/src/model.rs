//! The resolved model (IR): checked, with names decided. The only input of emission.

use std::path::PathBuf;

use serde_json::Value;

pub use crate::spec::{BodyKind, Method, Style};

/// One service and everything generated for it.
#[derive(Debug, Clone)]
pub struct Service {
    pub product: String,
    pub version: String,
    pub title: String,
    pub documentation: String,
    pub style: Style,
    pub crate_name: String,
    pub crate_description: String,
    /// The folder of the generated crate, relative to the repository root.
    pub crate_dir: String,
    pub endpoints: Endpoints,
    /// The command-line tool's name, if one is generated.
    pub cli_name: Option<String>,
    /// Shapes shared by all operations (`service.json`).
    pub shapes: Vec<Shape>,
    /// Operations, in file-name order.
    pub operations: Vec<Operation>,
    /// The spec folder, relative to the repository root (for `@generated` headers).
    pub source_dir: String,
}

#[derive(Debug, Clone)]
pub struct Endpoints {
    pub regional: String,
    pub vpc: Option<String>,
    pub overrides: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// `ScaleOutCluster`
    pub name: String,
    /// `scale_out_cluster`
    pub module: String,
    pub documentation: String,
    pub method: Method,
    pub path: String,
    pub body: BodyKind,
    pub idempotent: bool,
    /// The cargo feature that compiles this operation, if groups are used.
    pub group: Option<String>,
    pub outcome_check: Option<String>,
    pub deprecated: Option<Deprecation>,
    pub pagination: Option<Pagination>,
    pub waiter: Option<Waiter>,
    pub follow_with: Option<Follow>,
    pub input: Structure,
    pub output: Structure,
    pub errors: Vec<ErrorCode>,
    /// Shapes declared in the operation's file.
    pub shapes: Vec<Shape>,
    /// The spec file, relative to the repository root.
    pub source_file: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Deprecation {
    pub message: String,
    pub replacement: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ErrorCode {
    pub code: String,
    pub status: Option<u16>,
    pub documentation: String,
}

#[derive(Debug, Clone)]
pub enum Shape {
    Structure(Structure),
    Enum(Enum),
}

/// Where a structure is used: decides derives and how strictly members are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// Sent only: validated, built, serialized.
    Input,
    /// Received only: parsed leniently.
    Output,
    /// Both.
    Both,
}

impl Usage {
    pub fn is_input(self) -> bool {
        matches!(self, Self::Input | Self::Both)
    }
    pub fn is_output(self) -> bool {
        matches!(self, Self::Output | Self::Both)
    }
}

#[derive(Debug, Clone)]
pub struct Structure {
    /// The Rust type name.
    pub name: String,
    pub documentation: String,
    pub members: Vec<Member>,
    pub rules: Vec<Rule>,
    pub usage: Usage,
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub name: String,
    pub documentation: String,
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub value: String,
    pub variant: String,
    pub documentation: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Member {
    /// The spec's key.
    pub name: String,
    /// The Rust field name (a raw identifier if it is a keyword).
    pub rust_name: String,
    pub wire_name: String,
    pub ty: Type,
    pub binding: Binding,
    pub required: bool,
    pub default: Option<Value>,
    pub documentation: String,
    pub example: Option<Value>,
    pub sensitive: bool,
    pub deprecated: Option<Deprecation>,
    pub string_encoded: bool,
    pub constraints: Vec<Constraint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    Path,
    Query,
    Header,
    Body,
    /// The whole body (or response body).
    Payload,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    String,
    Integer,
    Long,
    Float,
    Double,
    Boolean,
    Base64,
    Json,
    List(Box<Item>),
    Map(Box<Item>),
    Structure(String),
    Enum(String),
}

impl Type {
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Self::Integer | Self::Long | Self::Float | Self::Double
        )
    }
    pub fn is_integer(&self) -> bool {
        matches!(self, Self::Integer | Self::Long)
    }
    pub fn is_text(&self) -> bool {
        matches!(self, Self::String | Self::Base64)
    }
}

/// The item of a list or value of a map, with constraints on each.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub ty: Type,
    pub constraints: Vec<Constraint>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    pub kind: ConstraintKind,
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConstraintKind {
    Range { min: Option<f64>, max: Option<f64> },
    Length { min: Option<u64>, max: Option<u64> },
    Items { min: Option<u64>, max: Option<u64> },
    Pattern { regex: String, description: String },
    AllowedValues(Vec<Literal>),
    CharacterClasses { min: u32, special: String },
}

/// A literal in a constraint or rule, already checked against the member's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Text(String),
    Integer(i64),
    Bool(bool),
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub kind: RuleKind,
    pub source: Option<String>,
}

#[derive(Debug, Clone)]
pub enum RuleKind {
    RequiredIf {
        members: Vec<String>,
        when: Vec<Condition>,
    },
    ExactlyOneOf(Vec<String>),
    AtLeastOneOf(Vec<String>),
    AtMostOneOf(Vec<String>),
    AllowedValuesIf {
        member: String,
        values: Vec<Literal>,
        when: Vec<Condition>,
    },
}

/// `member` equals `equals` (members are Rust field names).
#[derive(Debug, Clone)]
pub struct Condition {
    pub member: String,
    pub equals: Literal,
}

/// Pagination, with members as Rust field names and paths as field chains.
#[derive(Debug, Clone)]
pub struct Pagination {
    pub page_number: String,
    pub page_size: Option<String>,
    pub items: String,
    /// The Rust type of one item.
    pub item: Type,
    pub total_count: Option<Vec<String>>,
}

/// A waiter on an operation (at most one per operation, since it is a property of the
/// operation's answer type).
#[derive(Debug, Clone)]
pub struct Waiter {
    /// `task_done`
    pub name: String,
    pub documentation: String,
    pub state: Vec<String>,
    pub success: Vec<String>,
    pub failure: Vec<String>,
    pub failure_detail: Option<Vec<String>>,
    pub progress: Option<Vec<String>>,
}

/// The waiter that follows an operation's work.
#[derive(Debug, Clone)]
pub struct Follow {
    /// The polled operation.
    pub operation: String,
    pub waiter: String,
    /// (waiter request member, this operation's answer member), as Rust field names.
    pub inputs: Vec<(String, String)>,
}
