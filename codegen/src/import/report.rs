//! The import report: counts, and every construct that was not mapped exactly, and why.

use std::collections::{BTreeMap, BTreeSet};

/// Kinds of findings. Each kind has a heading and an explanation in the report; the order
/// here is the order of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Finding {
    /// Constructs with no counterpart in the spec format (would be "unmapped").
    Unmapped,
    FlatBody,
    ArrayWithoutItems,
    ArrayWithProperties,
    UntypedSchema,
    StringPayload,
    FreeFormBody,
    DroppedAdditionalProperties,
    DroppedConstraint,
    DroppedDefault,
    DroppedPattern,
    EmptyEnum,
    EnumTitlesAsDocs,
    SanitizedKey,
    RenamedKey,
    RenamedShape,
    MergedShapes,
    SeveralMethods,
    RetiredDirectory,
    NoGroup,
    RootGroup,
    Sensitive,
    CodeFence,
    MarkdownEscaped,
}

impl Finding {
    fn heading(self) -> &'static str {
        match self {
            Finding::Unmapped => "Not mapped",
            Finding::FlatBody => "Body parameters with `style: flat`",
            Finding::ArrayWithoutItems => "Arrays without `items`",
            Finding::ArrayWithProperties => "Arrays with both `items` and `properties`",
            Finding::UntypedSchema => "Schemas without a usable type",
            Finding::StringPayload => "Bodies whose root is a string",
            Finding::FreeFormBody => "Free-form bodies",
            Finding::DroppedAdditionalProperties => "`additionalProperties` next to `properties`",
            Finding::DroppedConstraint => "Constraints that do not fit the type",
            Finding::DroppedDefault => "Defaults left out",
            Finding::DroppedPattern => "Patterns left out",
            Finding::EmptyEnum => "Empty `enum` lists",
            Finding::EnumTitlesAsDocs => "`enumValueTitles` kept as documentation",
            Finding::SanitizedKey => "Sanitized member keys",
            Finding::RenamedKey => "Member keys renamed to stay unique",
            Finding::RenamedShape => "Shape names renamed to stay unique",
            Finding::MergedShapes => "Inline structures declared once for several operations",
            Finding::SeveralMethods => "Operations with several HTTP methods",
            Finding::RetiredDirectory => "Operations deprecated by their directory",
            Finding::NoGroup => "Operations in no directory",
            Finding::RootGroup => "Operations at the top level of `directories`",
            Finding::Sensitive => "Members marked sensitive",
            Finding::CodeFence => "Code blocks tagged `text`",
            Finding::MarkdownEscaped => "Markdown escaped for rustdoc",
        }
    }

    fn explanation(self) -> &'static str {
        match self {
            Finding::Unmapped => {
                "These constructs have no counterpart in the spec format and were left out."
            }
            Finding::FlatBody => {
                "The metadata sends this body \"flat\" (form-style); the spec format knows JSON bodies only, so it is mapped as a JSON body with the same keys. Check the wire format before relying on it."
            }
            Finding::ArrayWithoutItems => {
                "`type: array` without `items`. With `properties`, the schema is mapped as the object those properties describe (the response examples show an object); without them, as a list of `json`."
            }
            Finding::ArrayWithProperties => {
                "`type: array` with `items` and also `properties`: mapped as a list of the items; the properties contradict the type and are left out."
            }
            Finding::UntypedSchema => {
                "No `type` and no `$ref`, or a type the importer does not know: mapped as `json`."
            }
            Finding::StringPayload => {
                "The body is a bare JSON string. A payload member must be a list, map, structure or json, so it is a `json` payload (a `serde_json::Value` holding the string)."
            }
            Finding::FreeFormBody => {
                "The body is a free-form object or `any`: one `json` payload member."
            }
            Finding::DroppedAdditionalProperties => {
                "The object has both `properties` and an `additionalProperties` schema; it is mapped as a structure of the properties, and the extra keys are not typed."
            }
            Finding::DroppedConstraint => {
                "The metadata gives a bound that does not fit the member's type, or is not a number; it was left out."
            }
            Finding::DroppedDefault => {
                "A `default` must be a literal of the member's type (and one of its allowed values); these are not, so they were left out."
            }
            Finding::DroppedPattern => {
                "`pattern` does not compile with `regex-lite`; it was left out."
            }
            Finding::EmptyEnum => "`enum: []` lists no value; no constraint was added.",
            Finding::EnumTitlesAsDocs => {
                "`enumValueTitles` names values and their meaning without saying the list is closed, so the values are listed in the member documentation, not enforced as `allowed_values`."
            }
            Finding::SanitizedKey => {
                "The snake_case form of the wire name is not a usable member key; the key was sanitized and `wire_name` keeps the name on the wire."
            }
            Finding::RenamedKey => {
                "Two wire names of one structure give the same snake_case key (or a body key repeats a path or query key); the later one got a prefix or a number, and `wire_name` keeps the name on the wire."
            }
            Finding::RenamedShape => {
                "The name `<Action><Request|Response><Path>` (or `<Shape><Path>`) was already taken; a number was appended."
            }
            Finding::MergedShapes => {
                "These inline structures have the same members (keys, wire names, types, bindings, `required`, defaults, sensitivity, deprecation and constraints) and alike nested structures, so each group is one shape in `shapes.json`, named after the longest ending of the names it replaces. Documentation and examples do not count: the shape keeps those of the first name listed, and the others' wording is not kept."
            }
            Finding::SeveralMethods => "The metadata lists several methods; the first one is used.",
            Finding::RetiredDirectory => {
                "Listed in the directory 废弃 (deprecated) without `deprecated: true`; marked deprecated with the message \"Listed as deprecated (废弃) in the API metadata.\""
            }
            Finding::NoGroup => "The operation is not listed in `directories`; it has no `group`.",
            Finding::RootGroup => {
                "Listed at the top level of `directories`, outside any directory; put in the group `others`."
            }
            Finding::Sensitive => {
                "Passwords, tokens and kubeconfig credentials: marked `sensitive`, so `Debug` does not print them (a choice of the importer; the metadata has no such flag)."
            }
            Finding::MarkdownEscaped => {
                "Square brackets that are no link (`[1,10]`) and Alibaba's `<props=\"china\">`/`<props=\"intl\">` site markers were backslash-escaped, so rustdoc neither takes them for intra-doc links and HTML nor warns; the rendered text is unchanged (the markers show as text)."
            }
            Finding::CodeFence => {
                "An untagged code block in a description would become a Rust doctest; the opening fence was tagged `text`. The text is otherwise unchanged."
            }
        }
    }
}

/// What the import found, for `REPORT.md`.
#[derive(Debug, Default)]
pub struct Report {
    /// `CS 2015-12-15`.
    pub service: String,
    pub metadata_file: String,
    pub operations: usize,
    pub component_shapes: usize,
    /// Shapes of `shapes.json` that replace alike inline structures of several operations.
    pub merged_shapes: usize,
    pub inline_shapes: usize,
    pub members: usize,
    pub groups: BTreeMap<String, Vec<String>>,
    pub payloads: Vec<String>,
    pub findings: BTreeMap<Finding, BTreeSet<String>>,
    /// Metadata keys not carried over: key → (count, first places).
    pub ignored: BTreeMap<String, (usize, BTreeSet<String>)>,
    /// Hand-written operation files that replace imported ones.
    pub overlay_operations: Vec<String>,
    /// Hand-written shapes that replace imported ones.
    pub overlay_shapes: Vec<String>,
}

impl Report {
    pub fn note(&mut self, finding: Finding, text: impl Into<String>) {
        self.findings
            .entry(finding)
            .or_default()
            .insert(text.into());
    }

    pub fn ignore(&mut self, key: &str, place: &str) {
        let entry = self.ignored.entry(key.to_owned()).or_default();
        entry.0 += 1;
        if entry.1.len() < 3 {
            entry.1.insert(place.to_owned());
        }
    }

    /// The number of unmapped constructs (the goal is none).
    pub fn unmapped(&self) -> usize {
        self.findings
            .get(&Finding::Unmapped)
            .map_or(0, BTreeSet::len)
    }

    /// The number of approximations (everything listed but the unmapped constructs).
    pub fn approximations(&self) -> usize {
        self.findings
            .iter()
            .filter(|(f, _)| **f != Finding::Unmapped)
            .map(|(_, v)| v.len())
            .sum()
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("# Import report: {}\n\n", self.service));
        out.push_str(&format!(
            "Written by `cargo xtask import` from `{}`. Do not edit: the importer rewrites this folder.\n\n",
            self.metadata_file
        ));
        out.push_str("## Counts\n\n");
        out.push_str(&format!("- operations: {}\n", self.operations));
        out.push_str(&format!(
            "- shapes: {} ({} from `components.schemas` in `shapes.json` with their nested structures, {} in `shapes.json` shared by operations that declare them alike, {} declared with the operations)\n",
            self.component_shapes + self.merged_shapes + self.inline_shapes,
            self.component_shapes,
            self.merged_shapes,
            self.inline_shapes
        ));
        out.push_str(&format!(
            "- members: {} (request, response and structure members)\n",
            self.members
        ));
        out.push_str(&format!("- groups: {}\n", self.groups.len()));
        out.push_str(&format!("- not mapped: {}\n", self.unmapped()));
        out.push_str(&format!(
            "- approximations and choices listed below: {}\n\n",
            self.approximations()
        ));

        out.push_str("## Groups\n\n| group | operations |\n| --- | --- |\n");
        for (group, ops) in &self.groups {
            out.push_str(&format!("| `{group}` | {} |\n", ops.join(", ")));
        }
        out.push('\n');

        if !self.overlay_operations.is_empty() || !self.overlay_shapes.is_empty() {
            out.push_str("## Hand-written files that win\n\n");
            out.push_str("The importer writes every operation and shape; the loader prefers the hand-written ones of the same name.\n\n");
            if !self.overlay_operations.is_empty() {
                out.push_str(&format!(
                    "- operations: {}\n",
                    self.overlay_operations.join(", ")
                ));
            }
            if !self.overlay_shapes.is_empty() {
                out.push_str(&format!(
                    "- shapes of `shapes.json`: {}\n",
                    self.overlay_shapes.join(", ")
                ));
            }
            out.push('\n');
        }

        if !self.payloads.is_empty() {
            out.push_str("## Payload members\n\n");
            out.push_str("Bodies whose root is not an object of named keys map to one member with `\"binding\": \"payload\"`.\n\n");
            for p in &self.payloads {
                out.push_str(&format!("- {p}\n"));
            }
            out.push('\n');
        }

        out.push_str("## Not mapped exactly\n\n");
        if self.findings.is_empty() {
            out.push_str("Nothing: every construct was mapped exactly.\n\n");
        }
        for (finding, items) in &self.findings {
            out.push_str(&format!(
                "### {} ({})\n\n{}\n\n",
                finding.heading(),
                items.len(),
                finding.explanation()
            ));
            for item in items {
                out.push_str(&format!("- {item}\n"));
            }
            out.push('\n');
        }

        out.push_str("## Metadata not carried over\n\n");
        out.push_str("Keys of the metadata with no counterpart in the spec format: documentation-site and console details (such as `docRequired`, `staticInfo`, `systemTags`), the protocol facts every operation shares (`schemes`, `security`, `consumes`, `produces`: HTTP(S), AccessKey signing, JSON), the operation type (`operationType`), response examples (`responseDemo`) and error responses (`5XX`, without schema or with a `RequestId` only; the client parses errors itself).\n\n");
        out.push_str("| key | count | for example |\n| --- | --- | --- |\n");
        for (key, (count, places)) in &self.ignored {
            let places: Vec<&str> = places.iter().map(String::as_str).collect();
            out.push_str(&format!("| `{key}` | {count} | {} |\n", places.join("; ")));
        }
        out
    }
}
