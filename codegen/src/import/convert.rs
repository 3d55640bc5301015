//! Metadata → spec files. The rules are listed in the module documentation of
//! [`crate::import`]; this file applies them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Number, Value};

use super::ImportError;
use super::merge;
use super::metadata::{Api, DirEntry, Metadata, Parameter, Schema, truthy};
use super::names::{self, Keys};
use super::out::{self, Ordered};
use super::report::{Finding, Report};

/// `source` of every constraint the importer writes.
pub const CONSTRAINT_SOURCE: &str = "API metadata";
/// The message of `deprecated` for what the metadata marks deprecated.
pub const DEPRECATED: &str = "Deprecated in the API metadata.";
/// The message of `deprecated` for operations listed in the retired directory.
pub const RETIRED: &str = "Listed as deprecated (废弃) in the API metadata.";
/// Documentation when the metadata has none.
pub const NO_DESCRIPTION: &str = "(no description in the metadata)";
/// `outcome_check` of every operation that is not idempotent.
pub const OUTCOME_CHECK: &str = "The request may or may not have taken effect. Before sending it again, describe the resource it changes (for example with DescribeClusterDetail, DescribeClusterNodePoolDetail or DescribeTaskInfo with the task id) and check whether the change is already there.";

/// The methods the spec format knows.
const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH"];

/// Names declared by hand-written files of the service folder: they win over imported ones.
#[derive(Debug, Default)]
pub struct Overlay {
    /// Operations with a hand-written `<Action>.json`.
    pub operations: BTreeSet<String>,
    /// Shapes declared in `service.json` or in a hand-written operation file.
    pub shapes: BTreeSet<String>,
}

/// The files of `imported/` (file name → content) and the report.
#[derive(Debug)]
pub struct Converted {
    pub files: BTreeMap<String, String>,
    pub report: Report,
}

/// The shapes file's name in `imported/`.
pub const SHAPES_FILE: &str = "shapes.json";
/// The report's name in `imported/`.
pub const REPORT_FILE: &str = "REPORT.md";

/// Converts the metadata. `metadata_file` names the metadata in the report.
pub fn convert(
    meta: &Metadata,
    overlay: &Overlay,
    metadata_file: &str,
) -> Result<Converted, ImportError> {
    let mut cx = Converter {
        meta,
        components: BTreeMap::new(),
        taken: BTreeSet::new(),
        report: Report {
            service: format!("{} {}", meta.info.product, meta.info.version),
            metadata_file: metadata_file.to_owned(),
            ..Report::default()
        },
        operation: String::new(),
    };
    let groups = groups(meta)?;

    // Names generated for operations are not available to shapes.
    for action in meta.apis.keys().chain(&overlay.operations) {
        for suffix in ["", "Request", "Response"] {
            cx.taken.insert(format!("{action}{suffix}"));
        }
    }
    // `components.schemas` keep their names (an imported shape gives way to a hand-written
    // one of the same name: that is the overlay, not a clash).
    for (key, schema) in &meta.components.schemas {
        if schema.properties.is_empty() {
            cx.report.note(
                Finding::Unmapped,
                format!("`components.schemas.{key}` is not an object with `properties`, so it is no shape; references to it are `json`"),
            );
            continue;
        }
        let at = At::new(format!("shape `{}`", names::shape_name(key)));
        let name = cx.claim(&names::shape_name(key), &at);
        cx.components.insert(key.clone(), name);
    }
    cx.taken.extend(overlay.shapes.iter().cloned());

    let mut component_shapes = Vec::new();
    for (key, schema) in &meta.components.schemas {
        let Some(name) = cx.components.get(key).cloned() else {
            continue;
        };
        let at = At::new(format!("shape `{name}`"));
        cx.extras(schema, &at);
        let documentation = cx.markdown(
            doc_text(schema).unwrap_or_else(|| NO_DESCRIPTION.to_owned()),
            &at,
        );
        let members = cx.members(schema, &name, &at, &mut component_shapes);
        component_shapes.push((
            name,
            out::Shape {
                kind: "structure",
                documentation,
                members,
            },
        ));
    }
    component_shapes.sort_by(|a, b| a.0.cmp(&b.0));
    cx.report.component_shapes = component_shapes.len();

    let mut operations = Vec::with_capacity(meta.apis.len());
    for (action, api) in &meta.apis {
        let group = groups.get(action.as_str());
        let op = cx.operation(action, api, group)?;
        match &op.group {
            Some(g) => cx
                .report
                .groups
                .entry(g.clone())
                .or_default()
                .push(action.clone()),
            None => cx.report.note(Finding::NoGroup, format!("`{action}`")),
        }
        operations.push(op);
    }

    // Inline structures several operations declare alike are declared once.
    let (shared, merges) = merge::merge_alike_shapes(&mut operations, |name| {
        cx.claim(name, &At::new(format!("shared shape `{name}`")))
    });
    for merge in &merges {
        let replaced: Vec<String> = merge.replaced.iter().map(|n| format!("`{n}`")).collect();
        cx.report.note(
            Finding::MergedShapes,
            format!("`{}` ← {}", merge.shared, replaced.join(", ")),
        );
    }
    cx.report.merged_shapes = shared.len();
    component_shapes.extend(shared);
    component_shapes.sort_by(|a, b| a.0.cmp(&b.0));

    let mut files = BTreeMap::new();
    let mut members = count_shapes(&component_shapes);
    for op in &operations {
        cx.report.inline_shapes += op.shapes.0.len();
        members +=
            op.input.members.0.len() + op.output.members.0.len() + count_shapes(&op.shapes.0);
        files.insert(format!("{}.json", op.name), out::render(op));
    }
    cx.report.operations = meta.apis.len();
    cx.report.members = members;
    cx.report.overlay_operations = overlay
        .operations
        .iter()
        .filter(|o| meta.apis.contains_key(*o))
        .cloned()
        .collect();
    cx.report.overlay_shapes = component_shapes
        .iter()
        .filter(|(n, _)| overlay.shapes.contains(n))
        .map(|(n, _)| n.clone())
        .collect();
    files.insert(
        SHAPES_FILE.to_owned(),
        out::render(&out::ShapesFile {
            schema: out::SHAPES_SCHEMA,
            format_version: 1,
            shapes: Ordered(component_shapes),
        }),
    );
    let report = cx.report;
    files.insert(REPORT_FILE.to_owned(), report.render());
    Ok(Converted { files, report })
}

fn count_shapes(shapes: &[(String, out::Shape)]) -> usize {
    shapes.iter().map(|(_, s)| s.members.0.len()).sum()
}

/// Where an operation is listed.
struct Listing<'m> {
    /// The directory title, or `None` at the top level.
    title: Option<&'m str>,
}

/// Operation → its directory, from `directories`.
fn groups(meta: &Metadata) -> Result<BTreeMap<&str, Listing<'_>>, ImportError> {
    fn walk<'m>(
        entries: &'m [DirEntry],
        title: Option<&'m str>,
        out: &mut BTreeMap<&'m str, Listing<'m>>,
        unknown: &mut BTreeSet<String>,
    ) {
        for entry in entries {
            match entry {
                DirEntry::Api(name) => {
                    out.entry(name.as_str()).or_insert(Listing { title });
                }
                DirEntry::Dir(dir) => {
                    if names::group_of(&dir.title).is_none() {
                        unknown.insert(dir.title.clone());
                    }
                    walk(&dir.children, Some(&dir.title), out, unknown);
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    let mut unknown = BTreeSet::new();
    walk(&meta.directories, None, &mut out, &mut unknown);
    if unknown.is_empty() {
        Ok(out)
    } else {
        Err(ImportError::Metadata(format!(
            "directories without a group name: {}; add them to `GROUPS` in codegen/src/import/names.rs",
            unknown.into_iter().collect::<Vec<_>>().join(", ")
        )))
    }
}

/// A place in the metadata, for the report: `` `CreateCluster` request `tags[]` ``.
#[derive(Clone)]
struct At {
    head: String,
    path: String,
}

impl At {
    fn new(head: String) -> Self {
        Self {
            head,
            path: String::new(),
        }
    }
    fn key(&self, key: &str) -> Self {
        let path = if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        };
        Self {
            head: self.head.clone(),
            path,
        }
    }
    fn suffix(&self, suffix: &str) -> Self {
        Self {
            head: self.head.clone(),
            path: format!("{}{suffix}", self.path),
        }
    }
    fn show(&self) -> String {
        if self.path.is_empty() {
            self.head.clone()
        } else {
            format!("{} `{}`", self.head, self.path)
        }
    }
}

/// A member's type: `type`, and `items` or `values` for lists and maps.
struct Typed {
    ty: String,
    items: Option<Box<out::Item>>,
    values: Option<Box<out::Item>>,
}

impl Typed {
    fn plain(ty: &str) -> Self {
        Self {
            ty: ty.to_owned(),
            items: None,
            values: None,
        }
    }
}

type Shapes = Vec<(String, out::Shape)>;

struct Converter<'m> {
    meta: &'m Metadata,
    /// `components.schemas` key → shape name.
    components: BTreeMap<String, String>,
    /// Every shape name in use or reserved.
    taken: BTreeSet<String>,
    report: Report,
    /// The operation being converted (empty for `components.schemas`).
    operation: String,
}

impl Converter<'_> {
    fn operation(
        &mut self,
        action: &str,
        api: &Api,
        listing: Option<&Listing<'_>>,
    ) -> Result<out::OperationFile, ImportError> {
        self.operation = action.to_owned();
        for key in api.other.keys() {
            self.report.ignore(key, &format!("`{action}`"));
        }
        let method = api
            .methods
            .first()
            .map(|m| m.to_ascii_uppercase())
            .ok_or_else(|| ImportError::Metadata(format!("{action}: no `methods`")))?;
        if !METHODS.contains(&method.as_str()) {
            return Err(ImportError::Metadata(format!(
                "{action}: the method `{method}` is none of {}",
                METHODS.join(", ")
            )));
        }
        if api.methods.len() > 1 {
            let all: Vec<String> = api.methods.iter().map(|m| m.to_ascii_uppercase()).collect();
            self.report.note(
                Finding::SeveralMethods,
                format!("`{action}`: {} ({method} used)", all.join(", ")),
            );
        }

        let mut shapes = Vec::new();
        let input = self.input(action, api, &mut shapes);
        let has_body = api.parameters.iter().any(|p| p.location == "body");
        let body = match (method.as_str(), has_body) {
            ("GET" | "DELETE", true) => Some("json"),
            ("POST" | "PUT" | "PATCH", false) => Some("none"),
            _ => None,
        };
        let output = self.output(action, api, &mut shapes);
        shapes.sort_by(|a, b| a.0.cmp(&b.0));

        let group = match listing {
            Some(Listing { title: Some(t) }) => names::group_of(t).map(str::to_owned),
            Some(Listing { title: None }) => {
                self.report.note(
                    Finding::RootGroup,
                    format!("`{action}` → `{}`", names::ROOT_GROUP),
                );
                Some(names::ROOT_GROUP.to_owned())
            }
            None => None,
        };
        let retired =
            matches!(listing, Some(Listing { title: Some(t) }) if *t == names::RETIRED_DIRECTORY);
        let deprecated = if truthy(api.deprecated.as_ref()) {
            Some(DEPRECATED)
        } else if retired {
            self.report
                .note(Finding::RetiredDirectory, format!("`{action}`"));
            Some(RETIRED)
        } else {
            None
        };
        let idempotent = method == "GET";
        let documentation = self.markdown(
            operation_doc(api),
            &At::new(format!("`{action}` documentation")),
        );
        Ok(out::OperationFile {
            schema: out::OPERATION_SCHEMA,
            format_version: 1,
            name: action.to_owned(),
            group,
            documentation,
            source: format!(
                "Alibaba's {} {} API metadata, {action} ({method} {})",
                self.meta.info.product, self.meta.info.version, api.path
            ),
            http: out::Http {
                method,
                path: api.path.clone(),
                body,
            },
            idempotent,
            outcome_check: (!idempotent).then(|| OUTCOME_CHECK.to_owned()),
            deprecated: deprecated.map(|m| out::Deprecation {
                message: m.to_owned(),
            }),
            input: out::Structure { members: input },
            output,
            shapes: Ordered(shapes),
        })
    }

    /// The request members: parameters in metadata order, the body expanded in place.
    fn input(&mut self, action: &str, api: &Api, shapes: &mut Shapes) -> Ordered<out::Member> {
        let at = At::new(format!("`{action}` request"));
        let prefix = format!("{action}Request");
        // Path, query and header parameters get their plain keys first; a body key that
        // repeats one of them is the one renamed.
        let mut keys = Keys::default();
        let param_keys: Vec<Option<(String, Option<String>)>> = api
            .parameters
            .iter()
            .map(|p| {
                matches!(p.location.as_str(), "path" | "query" | "header")
                    .then(|| keys.allocate(&p.name, &p.location))
            })
            .collect();
        let mut members = Vec::new();
        let mut body_seen = false;
        for (p, allocated) in api.parameters.iter().zip(param_keys) {
            for key in p.other.keys() {
                self.report.ignore(key, &at.key(&p.name).show());
            }
            let binding = match p.location.as_str() {
                "path" => "path",
                "query" => "query",
                "header" => "header",
                "body" if body_seen => {
                    self.report.note(
                        Finding::Unmapped,
                        format!("{}: a second body parameter", at.key(&p.name).show()),
                    );
                    continue;
                }
                "body" => {
                    body_seen = true;
                    self.body(p, &prefix, &at, &mut keys, &mut members, shapes);
                    continue;
                }
                other => {
                    self.report.note(
                        Finding::Unmapped,
                        format!(
                            "{}: parameters `in: {other}` have no binding",
                            at.key(&p.name).show()
                        ),
                    );
                    continue;
                }
            };
            let place = at.key(&p.name);
            if let Some(style) = &p.style
                && style != "json"
            {
                self.report.note(
                    Finding::Unmapped,
                    format!("{}: `style: {style}` on a {binding} parameter; sent as text (JSON text for lists and json)", place.show()),
                );
            }
            let Some((key, why)) = allocated else {
                continue;
            };
            self.note_key(&key, &p.name, why, &place);
            let base = format!("{prefix}{}", names::camel(&p.name));
            let mut member = self.member(&p.schema, &key, &base, &place, shapes);
            member.binding = Some(binding);
            if binding == "path" {
                member.required = true;
            }
            if key != p.name {
                member.wire_name = Some(p.name.clone());
            }
            members.push((key, member));
        }
        Ordered(members)
    }

    /// The body parameter: its properties as body members, or one payload member.
    fn body(
        &mut self,
        p: &Parameter,
        prefix: &str,
        at: &At,
        keys: &mut Keys,
        members: &mut Vec<(String, out::Member)>,
        shapes: &mut Shapes,
    ) {
        let s = &p.schema;
        if p.style.as_deref() == Some("flat") {
            self.report.note(
                Finding::FlatBody,
                format!("{} (mapped as a JSON body)", at.key(&p.name).show()),
            );
        }
        if !s.properties.is_empty() && s.items.is_none() {
            self.extras(s, at);
            if s.ty.as_deref() == Some("array") {
                self.report.note(
                    Finding::ArrayWithoutItems,
                    format!("{} body (mapped as an object)", at.show()),
                );
            }
            let required = s.required_list();
            for (wire, prop) in &s.properties.0 {
                let place = at.key(wire);
                let (key, why) = keys.allocate(wire, "body");
                self.note_key(&key, wire, why, &place);
                let base = format!("{prefix}{}", names::camel(wire));
                let mut member = self.member(prop, &key, &base, &place, shapes);
                if required.contains(&wire.as_str()) {
                    member.required = true;
                }
                if key != *wire {
                    member.wire_name = Some(wire.clone());
                }
                members.push((key, member));
            }
        } else {
            let place = at.key(&p.name);
            let (key, why) = keys.allocate(&p.name, "body");
            self.note_key(&key, &p.name, why, &place);
            let base = format!("{prefix}{}", names::camel(&key));
            let member = self.payload(s, &key, &base, &place, shapes, "request");
            members.push((key, member));
        }
    }

    /// A member that is the whole body.
    fn payload(
        &mut self,
        s: &Schema,
        key: &str,
        base: &str,
        at: &At,
        shapes: &mut Shapes,
        side: &str,
    ) -> out::Member {
        let mut member = self.member(s, key, base, at, shapes);
        member.binding = Some("payload");
        member.default = None;
        let scalar =
            !matches!(member.ty.as_str(), "list" | "map" | "json") && is_builtin(&member.ty);
        if scalar {
            self.report.note(
                Finding::StringPayload,
                format!("{} (`{}` → `json`)", at.show(), member.ty),
            );
            member.ty = "json".to_owned();
            member.constraints = out::Constraints::default();
            member.sensitive = false;
        } else if member.ty == "json" {
            self.report.note(Finding::FreeFormBody, at.show());
        }
        let description = match (&member.items, &member.values) {
            (Some(i), _) => format!("list of `{}`", i.ty),
            (_, Some(v)) => format!("map of `{}`", v.ty),
            _ => format!("`{}`", member.ty),
        };
        let action = self.operation.clone();
        self.report
            .payloads
            .push(format!("`{action}` {side}: `{key}`, {description}"));
        member
    }

    /// The response members: the 200 (or first 2xx) response.
    fn output(&mut self, action: &str, api: &Api, shapes: &mut Shapes) -> out::Structure {
        let chosen = if api.responses.contains_key("200") {
            Some("200")
        } else {
            api.responses
                .keys()
                .find(|c| c.starts_with('2'))
                .map(String::as_str)
        };
        for (code, response) in &api.responses {
            if Some(code.as_str()) != chosen {
                self.report
                    .ignore(&format!("responses.{code}"), &format!("`{action}`"));
            }
            if response.headers.as_ref().is_some_and(|h| match h {
                Value::Object(m) => !m.is_empty(),
                Value::Null => false,
                _ => true,
            }) {
                self.report
                    .ignore("responses.*.headers", &format!("`{action}`"));
            }
            for key in response.other.keys() {
                self.report
                    .ignore(&format!("responses.*.{key}"), &format!("`{action}`"));
            }
        }
        let Some(schema) = chosen
            .and_then(|c| api.responses.get(c))
            .and_then(|r| r.schema.as_ref())
        else {
            return out::Structure::default();
        };
        let at = At::new(format!("`{action}` response"));
        let prefix = format!("{action}Response");
        let mut keys = Keys::default();
        let mut members = Vec::new();
        if !schema.properties.is_empty() && schema.items.is_none() {
            self.extras(schema, &at);
            if schema.ty.as_deref() == Some("array") {
                self.report.note(
                    Finding::ArrayWithoutItems,
                    format!("{} body (mapped as an object)", at.show()),
                );
            }
            let required = schema.required_list();
            for (wire, prop) in &schema.properties.0 {
                let place = at.key(wire);
                let (key, why) = keys.allocate(wire, "body");
                self.note_key(&key, wire, why, &place);
                let base = format!("{prefix}{}", names::camel(wire));
                let mut member = self.member(prop, &key, &base, &place, shapes);
                if required.contains(&wire.as_str()) {
                    member.required = true;
                }
                if key != *wire {
                    member.wire_name = Some(wire.clone());
                }
                members.push((key, member));
            }
        } else {
            let key = "body";
            let member = self.payload(
                schema,
                key,
                &format!("{prefix}{}", names::camel(key)),
                &at,
                shapes,
                "response",
            );
            members.push((key.to_owned(), member));
        }
        out::Structure {
            members: Ordered(members),
        }
    }

    /// The members of an object schema; nested objects are named `<prefix><Key>`.
    fn members(
        &mut self,
        s: &Schema,
        prefix: &str,
        at: &At,
        shapes: &mut Shapes,
    ) -> Ordered<out::Member> {
        let required = s.required_list();
        let mut keys = Keys::default();
        let mut members = Vec::new();
        for (wire, prop) in &s.properties.0 {
            let place = at.key(wire);
            let (key, why) = keys.allocate(wire, "body");
            self.note_key(&key, wire, why, &place);
            let base = format!("{prefix}{}", names::camel(wire));
            let mut member = self.member(prop, &key, &base, &place, shapes);
            if required.contains(&wire.as_str()) {
                member.required = true;
            }
            if key != *wire {
                member.wire_name = Some(wire.clone());
            }
            members.push((key, member));
        }
        Ordered(members)
    }

    fn note_key(&mut self, key: &str, wire: &str, why: Option<String>, at: &At) {
        if let Some(why) = why {
            let finding = if why.starts_with('`') {
                Finding::RenamedKey
            } else {
                Finding::SanitizedKey
            };
            self.report.note(
                finding,
                format!("{}: `{wire}` → `{key}` ({why})", at.show()),
            );
        }
    }

    /// One member (without binding and wire name, which the caller knows).
    fn member(
        &mut self,
        s: &Schema,
        key: &str,
        base: &str,
        at: &At,
        shapes: &mut Shapes,
    ) -> out::Member {
        self.extras(s, at);
        let own = doc_text(s);
        let referenced = s
            .reference
            .as_deref()
            .and_then(component_key)
            .and_then(|k| self.meta.components.schemas.get(k))
            .and_then(doc_text);
        let text = own.or(referenced);
        let typed = self.typed(s, base, text.as_deref(), at, shapes);
        let constraints = self.constraints(s, &typed.ty, at);
        let mut documentation = text.unwrap_or_else(|| NO_DESCRIPTION.to_owned());
        if let Some(titles) = &s.enum_value_titles
            && !titles.is_empty()
        {
            documentation.push_str("\n\nValues listed by the API metadata:\n");
            for (value, title) in &titles.0 {
                let title = match title {
                    Value::String(t) => t.trim().to_owned(),
                    other => other.to_string(),
                };
                if title.is_empty() || title == *value {
                    documentation.push_str(&format!("\n- `{value}`"));
                } else {
                    documentation.push_str(&format!("\n- `{value}`: {title}"));
                }
            }
            self.report.note(Finding::EnumTitlesAsDocs, at.show());
        }
        let documentation = self.markdown(documentation, at);
        let allowed = constraints
            .allowed_values
            .as_ref()
            .map(|a| a.values.clone());
        let default = self.default(s, &typed.ty, allowed.as_deref(), at);
        let sensitive = typed.ty == "string" && is_sensitive(key, &self.operation);
        if sensitive {
            self.report.note(Finding::Sensitive, at.show());
        }
        out::Member {
            ty: typed.ty,
            items: typed.items,
            values: typed.values,
            wire_name: None,
            binding: None,
            required: s.is_required(),
            default,
            documentation,
            example: s.example.clone(),
            sensitive,
            deprecated: s.is_deprecated().then(|| out::Deprecation {
                message: DEPRECATED.to_owned(),
            }),
            constraints,
        }
    }

    /// The item of a list or the value of a map.
    fn item(
        &mut self,
        s: &Schema,
        base: &str,
        hint: Option<&str>,
        at: &At,
        shapes: &mut Shapes,
    ) -> out::Item {
        self.extras(s, at);
        if s.enum_value_titles.as_ref().is_some_and(|t| !t.is_empty()) {
            self.report.note(
                Finding::Unmapped,
                format!("{}: `enumValueTitles` of list items or map values (items have no documentation)", at.show()),
            );
        }
        let own = doc_text(s);
        let hint = own.as_deref().or(hint);
        let typed = self.typed(s, base, hint, at, shapes);
        let constraints = self.constraints(s, &typed.ty, at);
        out::Item {
            ty: typed.ty,
            items: typed.items,
            values: typed.values,
            constraints,
        }
    }

    /// The type of a schema; an object with properties becomes a structure named `base`.
    fn typed(
        &mut self,
        s: &Schema,
        base: &str,
        hint: Option<&str>,
        at: &At,
        shapes: &mut Shapes,
    ) -> Typed {
        if let Some(reference) = &s.reference {
            let name = component_key(reference).and_then(|k| self.components.get(k));
            return match name {
                Some(name) => Typed::plain(name),
                None => {
                    self.report.note(
                        Finding::Unmapped,
                        format!(
                            "{}: `$ref` `{reference}` names no shape; mapped as `json`",
                            at.show()
                        ),
                    );
                    Typed::plain("json")
                }
            };
        }
        match s.ty.as_deref() {
            Some("string") => Typed::plain("string"),
            Some("integer") => match s.format.as_deref() {
                Some("int32") => Typed::plain("integer"),
                Some("int64") | None => Typed::plain("long"),
                Some(other) => {
                    self.report.note(
                        Finding::UntypedSchema,
                        format!("{}: integer format `{other}` (mapped as `long`)", at.show()),
                    );
                    Typed::plain("long")
                }
            },
            Some("number") => Typed::plain("double"),
            Some("boolean") => Typed::plain("boolean"),
            Some("array") => match &s.items {
                Some(items) => {
                    if !s.properties.is_empty() {
                        self.report.note(Finding::ArrayWithProperties, at.show());
                    }
                    let item = self.item(items, base, hint, &at.suffix("[]"), shapes);
                    Typed {
                        ty: "list".to_owned(),
                        items: Some(Box::new(item)),
                        values: None,
                    }
                }
                None if !s.properties.is_empty() => {
                    self.report.note(
                        Finding::ArrayWithoutItems,
                        format!("{} (mapped as an object)", at.show()),
                    );
                    self.object(s, base, hint, at, shapes)
                }
                None => {
                    self.report.note(
                        Finding::ArrayWithoutItems,
                        format!("{} (mapped as a list of `json`)", at.show()),
                    );
                    Typed {
                        ty: "list".to_owned(),
                        items: Some(Box::new(out::Item {
                            ty: "json".to_owned(),
                            ..out::Item::default()
                        })),
                        values: None,
                    }
                }
            },
            Some("object") => self.object(s, base, hint, at, shapes),
            None if !s.properties.is_empty() => self.object(s, base, hint, at, shapes),
            Some("any") => Typed::plain("json"),
            None => {
                self.report
                    .note(Finding::UntypedSchema, format!("{}: no `type`", at.show()));
                Typed::plain("json")
            }
            Some(other) => {
                self.report.note(
                    Finding::UntypedSchema,
                    format!("{}: type `{other}`", at.show()),
                );
                Typed::plain("json")
            }
        }
    }

    /// An object: a structure (with properties), a map (with an `additionalProperties`
    /// schema) or `json` (free-form).
    fn object(
        &mut self,
        s: &Schema,
        base: &str,
        hint: Option<&str>,
        at: &At,
        shapes: &mut Shapes,
    ) -> Typed {
        if !s.properties.is_empty() {
            if s.map_values().is_some() {
                self.report
                    .note(Finding::DroppedAdditionalProperties, at.show());
            }
            let name = self.claim(base, at);
            let documentation = self.markdown(
                doc_text(s)
                    .or_else(|| hint.map(str::to_owned))
                    .unwrap_or_else(|| NO_DESCRIPTION.to_owned()),
                at,
            );
            let members = self.members(s, &name, at, shapes);
            shapes.push((
                name.clone(),
                out::Shape {
                    kind: "structure",
                    documentation,
                    members,
                },
            ));
            return Typed::plain(&name);
        }
        if let Some(values) = s.map_values() {
            let item = self.item(values, base, hint, &at.suffix("{}"), shapes);
            return Typed {
                ty: "map".to_owned(),
                items: None,
                values: Some(Box::new(item)),
            };
        }
        Typed::plain("json")
    }

    /// A unique shape name, `base` unless it is taken.
    fn claim(&mut self, base: &str, at: &At) -> String {
        let mut name = if base.starts_with(|c: char| c.is_ascii_uppercase()) {
            base.to_owned()
        } else {
            format!("Shape{base}")
        };
        if name.ends_with("Builder") {
            name.push_str("Shape");
        }
        if self.taken.contains(&name) {
            let mut n = 2;
            while self.taken.contains(&format!("{name}{n}")) {
                n += 1;
            }
            let renamed = format!("{name}{n}");
            self.report.note(
                Finding::RenamedShape,
                format!("{}: `{name}` → `{renamed}`", at.show()),
            );
            name = renamed;
        }
        self.taken.insert(name.clone());
        name
    }

    /// The constraints the schema states, where they fit the type.
    fn constraints(&mut self, s: &Schema, ty: &str, at: &At) -> out::Constraints {
        let mut c = out::Constraints::default();
        let integer = matches!(ty, "integer" | "long");
        let numeric = integer || ty == "double";
        let text = ty == "string";
        let counted = matches!(ty, "list" | "map");
        if let Some(values) = &s.enumeration {
            if values.is_empty() {
                self.report.note(Finding::EmptyEnum, at.show());
            } else {
                let converted: Option<Vec<Value>> = if text {
                    Some(
                        values
                            .iter()
                            .map(|v| match v {
                                Value::String(s) => Value::String(s.clone()),
                                other => Value::String(other.to_string()),
                            })
                            .collect(),
                    )
                } else if integer {
                    values
                        .iter()
                        .map(|v| integer_of(v).map(Value::from))
                        .collect()
                } else {
                    None
                };
                match converted {
                    Some(mut list) => {
                        let mut seen = BTreeSet::new();
                        list.retain(|v| seen.insert(v.to_string()));
                        c.allowed_values = Some(out::Allowed {
                            values: list,
                            source: CONSTRAINT_SOURCE,
                        });
                    }
                    None => self.report.note(
                        Finding::DroppedConstraint,
                        format!("{}: `enum` on a `{ty}` member", at.show()),
                    ),
                }
            }
        }
        if s.minimum.is_some() || s.maximum.is_some() {
            let min = s.minimum.as_ref().map(number_of);
            let max = s.maximum.as_ref().map(number_of);
            let parsed = matches!(min, None | Some(Some(_))) && matches!(max, None | Some(Some(_)));
            let (min, max) = (min.flatten(), max.flatten());
            let ordered = match (&min, &max) {
                (Some(a), Some(b)) => a.as_f64() <= b.as_f64(),
                _ => true,
            };
            if numeric && parsed && ordered {
                c.range = Some(out::Range {
                    min,
                    max,
                    source: CONSTRAINT_SOURCE,
                });
            } else {
                self.report.note(
                    Finding::DroppedConstraint,
                    format!("{}: `minimum`/`maximum` on a `{ty}` member", at.show()),
                );
            }
        }
        for (key, lo, hi, fits) in [
            ("length", &s.min_length, &s.max_length, text),
            ("items", &s.min_items, &s.max_items, counted),
        ] {
            if lo.is_none() && hi.is_none() {
                continue;
            }
            let min = lo.as_ref().map(count_of);
            let max = hi.as_ref().map(count_of);
            let parsed = matches!(min, None | Some(Some(_))) && matches!(max, None | Some(Some(_)));
            let (min, max) = (min.flatten(), max.flatten());
            let ordered = match (min, max) {
                (Some(a), Some(b)) => a <= b,
                _ => true,
            };
            if fits && parsed && ordered {
                let count = out::Count {
                    min,
                    max,
                    source: CONSTRAINT_SOURCE,
                };
                if key == "length" {
                    c.length = Some(count);
                } else {
                    c.items = Some(count);
                }
            } else {
                self.report.note(
                    Finding::DroppedConstraint,
                    format!("{}: `{key}` bounds on a `{ty}` member", at.show()),
                );
            }
        }
        if let Some(pattern) = &s.pattern {
            if !text {
                self.report.note(
                    Finding::DroppedConstraint,
                    format!("{}: `pattern` on a `{ty}` member", at.show()),
                );
            } else if regex_lite::Regex::new(pattern).is_ok() {
                c.pattern = Some(out::Pattern {
                    regex: pattern.clone(),
                    description: format!("a match of the pattern `{pattern}`"),
                    source: CONSTRAINT_SOURCE,
                });
            } else {
                self.report.note(
                    Finding::DroppedPattern,
                    format!("{}: `{pattern}`", at.show()),
                );
            }
        }
        c
    }

    /// `default` as a literal of the member's type, if it is one (and an allowed value).
    fn default(
        &mut self,
        s: &Schema,
        ty: &str,
        allowed: Option<&[Value]>,
        at: &At,
    ) -> Option<Value> {
        let d = s.default.as_ref()?;
        let literal = match (ty, d) {
            ("string", Value::String(text)) => Some(Value::String(text.clone())),
            ("string", Value::Number(_) | Value::Bool(_)) => Some(Value::String(d.to_string())),
            ("integer", _) => integer_of(d)
                .filter(|i| i32::try_from(*i).is_ok())
                .map(Value::from),
            ("long", _) => integer_of(d).map(Value::from),
            ("double", _) => number_of(d).and_then(|n| n.as_i64()).map(Value::from),
            ("boolean", Value::Bool(b)) => Some(Value::Bool(*b)),
            ("boolean", Value::String(text)) => match text.trim().to_ascii_lowercase().as_str() {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            _ => None,
        };
        match literal {
            None => {
                self.report.note(
                    Finding::DroppedDefault,
                    format!("{}: `{d}` is no `{ty}` literal", at.show()),
                );
                None
            }
            Some(v) if allowed.is_some_and(|a| !a.contains(&v)) => {
                self.report.note(
                    Finding::DroppedDefault,
                    format!("{}: `{d}` is not an allowed value", at.show()),
                );
                None
            }
            Some(v) => Some(v),
        }
    }

    /// Records the keys of a schema the importer does not use.
    fn extras(&mut self, s: &Schema, at: &At) {
        let place = at.show();
        for key in s.other.keys() {
            self.report.ignore(key, &place);
        }
        if s.format.is_some() && !matches!(s.ty.as_deref(), Some("integer" | "number")) {
            self.report.ignore("format", &place);
        }
        if s.additional_properties.is_some() && s.map_values().is_none() {
            self.report.ignore("additionalProperties", &place);
        }
    }

    /// Documentation text as Markdown for rustdoc (see [`rustdoc_markdown`]), with what was
    /// changed noted in the report.
    fn markdown(&mut self, text: String, at: &At) -> String {
        let (text, fenced, escaped) = rustdoc_markdown(&text);
        if fenced {
            self.report.note(Finding::CodeFence, at.show());
        }
        if escaped {
            self.report.note(Finding::MarkdownEscaped, at.show());
        }
        text
    }
}

/// Documentation text as Markdown that rustdoc renders as the metadata's documentation site
/// does, without doctests or lint warnings: trimmed; an untagged code fence is tagged `text`
/// (rustdoc would compile it as a Rust doctest); outside code, square brackets that are no
/// link (`取值范围：[1,10]`) are escaped (rustdoc takes them for intra-doc links), and so are
/// Alibaba's `<props="china">…</props>` site markers (rustdoc takes them for malformed
/// HTML). The rendered text is unchanged. Returns the text, whether a fence was tagged and
/// whether anything was escaped.
pub fn rustdoc_markdown(text: &str) -> (String, bool, bool) {
    let mut open = false;
    let mut fenced = false;
    let mut escaped = false;
    let mut lines = Vec::new();
    for line in text.trim().lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if !open && info.trim().is_empty() {
                let indent = &line[..line.len() - trimmed.len()];
                lines.push(format!("{indent}```text"));
                fenced = true;
            } else {
                lines.push(line.to_owned());
            }
            open = !open;
            continue;
        }
        if open {
            lines.push(line.to_owned());
            continue;
        }
        let (line, changed) = escape_line(line);
        escaped |= changed;
        lines.push(line);
    }
    (lines.join("\n"), fenced, escaped)
}

/// Escapes, outside inline code, `[...]` that is not a link and Alibaba's `<props...>` and
/// `</props>` markers.
fn escape_line(line: &str) -> (String, bool) {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut changed = false;
    let mut code = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            code = !code;
        } else if !code && c == '\\' && i + 1 < chars.len() {
            out.push(c);
            out.push(chars[i + 1]);
            i += 2;
            continue;
        } else if !code && c == '<' {
            let rest: String = chars[i..].iter().collect();
            if rest.starts_with("<props") || rest.starts_with("</props>") {
                out.push_str("\\<");
                changed = true;
                i += 1;
                continue;
            }
        } else if !code && c == '[' && (i == 0 || !matches!(chars[i - 1], '!' | ']')) {
            let close = chars[i + 1..]
                .iter()
                .position(|&d| matches!(d, ']' | '[' | '`'))
                .map(|p| p + i + 1)
                .filter(|&j| chars[j] == ']');
            if let Some(j) = close
                && !matches!(chars.get(j + 1), Some('(' | '[' | ':'))
            {
                out.push_str("\\[");
                out.extend(&chars[i + 1..j]);
                out.push_str("\\]");
                changed = true;
                i = j + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    (out, changed)
}

/// `#/components/schemas/x` → `x`.
fn component_key(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/")
}

/// The description, else the title, trimmed; `None` when both are empty.
fn doc_text(s: &Schema) -> Option<String> {
    [&s.description, &s.title]
        .into_iter()
        .flatten()
        .map(|t| t.trim())
        .find(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The documentation of an operation: its summary (else title), then its description.
fn operation_doc(api: &Api) -> String {
    let trimmed = |t: &Option<String>| {
        t.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let first = trimmed(&api.summary).or_else(|| trimmed(&api.title));
    let description = trimmed(&api.description).filter(|d| Some(d) != first.as_ref());
    let parts: Vec<String> = first.into_iter().chain(description).collect();
    if parts.is_empty() {
        NO_DESCRIPTION.to_owned()
    } else {
        parts.join("\n\n")
    }
}

/// A number given as a JSON number or as text.
fn number_of(v: &Value) -> Option<Number> {
    match v {
        Value::Number(n) => Some(n.clone()),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .map(Number::from)
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(Number::from_f64))
        }
        _ => None,
    }
}

fn integer_of(v: &Value) -> Option<i64> {
    number_of(v).and_then(|n| n.as_i64())
}

fn count_of(v: &Value) -> Option<u64> {
    number_of(v).and_then(|n| n.as_u64())
}

fn is_builtin(ty: &str) -> bool {
    matches!(
        ty,
        "string"
            | "integer"
            | "long"
            | "float"
            | "double"
            | "boolean"
            | "base64"
            | "json"
            | "list"
            | "map"
    )
}

/// Secrets by name: passwords, tokens, and the kubeconfig that credential operations return.
fn is_sensitive(key: &str, operation: &str) -> bool {
    key == "password"
        || key.ends_with("_password")
        || key == "token"
        || (key == "config"
            && (operation.contains("Kubeconfig") || operation.contains("UserConfig")))
}
