//! Raw spec → checked model: names, references, path labels, constraints and rules.
//!
//! Every problem is collected (not just the first), each with its file, JSON pointer and
//! line:column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::diagnostic::{Diagnostic, SpecErrors};
use crate::load::{Loaded, ServiceSources};
use crate::locate::{Locations, escape};
use crate::model::{self, Binding, Member, Shape, Type, Usage};
use crate::spec::{self, FORMAT_VERSION};

mod members;
mod rules;
mod workflow;

/// Where diagnostics of one file go.
#[derive(Clone, Copy)]
struct File<'a> {
    path: &'a Path,
    locations: &'a Locations,
}

impl File<'_> {
    fn error(self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.locations.find(pointer);
        Diagnostic {
            file: self.path.to_owned(),
            pointer: pointer.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }
}

impl<'a, T> From<&'a Loaded<T>> for File<'a> {
    fn from(loaded: &'a Loaded<T>) -> Self {
        Self {
            path: &loaded.path,
            locations: &loaded.locations,
        }
    }
}

/// A named shape before resolution, with where it was declared.
struct NamedShape<'a> {
    def: &'a spec::ShapeDef,
    file: File<'a>,
    pointer: String,
    /// `None` for service-wide shapes, else the operation's index.
    owner: Option<usize>,
}

/// Resolves one service. `repo_root` makes paths in `@generated` headers relative.
pub fn resolve(sources: &ServiceSources, repo_root: &Path) -> Result<model::Service, SpecErrors> {
    let mut cx = Resolver {
        errors: Vec::new(),
        unresolved: BTreeSet::new(),
        overlay: false,
        context: None,
        groups: sources
            .operations
            .iter()
            .map(|op| op.value.group.clone())
            .collect(),
        shapes: BTreeMap::new(),
        usage: BTreeMap::new(),
    };
    let service_file = File::from(&sources.service);
    let service = &sources.service.value;
    cx.check_header(service_file, service.format_version);
    cx.check_service(service_file, service);

    // Every named shape, in one namespace.
    for (name, def) in &service.shapes.0 {
        cx.declare(
            name,
            def,
            service_file,
            format!("/shapes/{}", escape(name)),
            None,
        );
    }
    // Hand-written operations first; then imported shapes and operations, whose names give
    // way to hand-written ones.
    fn declare_ops<'s>(
        cx: &mut Resolver<'s>,
        sources: &'s ServiceSources,
        range: std::ops::Range<usize>,
    ) {
        for index in range {
            let op = &sources.operations[index];
            let file = File::from(op);
            cx.check_header(file, op.value.format_version);
            for (name, def) in &op.value.shapes.0 {
                cx.declare(
                    name,
                    def,
                    file,
                    format!("/shapes/{}", escape(name)),
                    Some(index),
                );
            }
        }
    }
    declare_ops(&mut cx, sources, 0..sources.curated);
    cx.overlay = true;
    if let Some(shapes) = &sources.imported_shapes {
        let file = File::from(shapes);
        cx.check_header(file, shapes.value.format_version);
        for (name, def) in &shapes.value.shapes.0 {
            cx.declare(name, def, file, format!("/shapes/{}", escape(name)), None);
        }
    }
    declare_ops(&mut cx, sources, sources.curated..sources.operations.len());
    cx.overlay = false;
    let mut op_names = BTreeMap::new();
    for op in &sources.operations {
        let file = File::from(op);
        let name = &op.value.name;
        if !is_camel_ident(name) {
            cx.errors.push(file.error(
                "/name",
                format!("operation name `{name}` must be UpperCamelCase letters and digits"),
            ));
        }
        if let Some(other) = op_names.insert(name.clone(), op.path.clone()) {
            cx.errors.push(file.error(
                "/name",
                format!("operation `{name}` is also defined in {}", other.display()),
            ));
        }
        let stem = op
            .path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if stem != name {
            cx.errors.push(file.error(
                "/name",
                format!("the file of operation `{name}` must be named `{name}.json`"),
            ));
        }
        for suffix in ["Request", "Response"] {
            let generated = format!("{name}{suffix}");
            if cx.shapes.contains_key(&generated) {
                cx.errors.push(file.error("/name", format!("shape `{generated}` collides with the {suffix} type generated for operation `{name}`")));
            }
        }
    }
    // Which shapes are sent, received or both.
    for op in &sources.operations {
        cx.mark_usage(&op.value.input.members, Usage::Input);
        cx.mark_usage(&op.value.output.members, Usage::Output);
    }

    cx.check_recursion();
    let shared = cx.resolve_shapes(None);
    let mut operations = Vec::new();
    for (index, op) in sources.operations.iter().enumerate() {
        if let Some(op) = cx.resolve_operation(op, index, repo_root) {
            operations.push(op);
        }
    }
    for (loaded, op) in sources.operations.iter().zip(operations.iter_mut()) {
        if let Some(follow) = &loaded.value.follow_with {
            op.follow_with = cx.resolve_follow(
                follow,
                &op.output,
                &operations_snapshot(&sources.operations),
                File::from(loaded),
            );
        }
    }
    if !cx.errors.is_empty() {
        cx.errors
            .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        cx.errors.dedup();
        return Err(SpecErrors(cx.errors));
    }
    let dir = sources.service.path.parent().unwrap_or(Path::new("."));
    Ok(model::Service {
        product: service.product.clone(),
        version: service.version.clone(),
        title: service.title.clone(),
        documentation: service.documentation.clone(),
        style: service.style,
        crate_name: service.krate.name.clone(),
        crate_description: service.krate.description.clone(),
        crate_dir: service.krate.directory.clone(),
        endpoints: model::Endpoints {
            regional: service.endpoints.regional.clone(),
            vpc: service.endpoints.vpc.clone(),
            overrides: service.endpoints.overrides.0.clone(),
        },
        cli_name: service.cli.as_ref().map(|c| c.name.clone()),
        shapes: shared,
        operations,
        source_dir: relative(dir, repo_root),
    })
}

struct Resolver<'a> {
    errors: Vec<Diagnostic>,
    /// Members of the structure being resolved whose own definition failed; rules naming
    /// them are not reported again.
    unresolved: BTreeSet<String>,
    /// While imported files are declared: a name already taken is skipped, not an error.
    overlay: bool,
    /// The operation whose members are being resolved (`None` for service-wide shapes).
    context: Option<usize>,
    /// Each operation's group, by index.
    groups: Vec<Option<String>>,
    shapes: BTreeMap<String, NamedShape<'a>>,
    usage: BTreeMap<String, Usage>,
}

impl<'a> Resolver<'a> {
    /// A structure that contains itself (directly or through others) would be an infinitely
    /// sized Rust type; the format does not support it yet.
    fn check_recursion(&mut self) {
        let mut reported = BTreeSet::new();
        for start in self.shapes.keys().cloned().collect::<Vec<_>>() {
            let mut stack = vec![(start.clone(), vec![start.clone()])];
            while let Some((name, trail)) = stack.pop() {
                let Some(members) = self.shapes.get(&name).and_then(|s| s.def.members.as_ref())
                else {
                    continue;
                };
                for (_, m) in &members.0 {
                    // Lists and maps hold their items on the heap, so only direct nesting recurses.
                    if m.ty != start && !self.shapes.contains_key(&m.ty) {
                        continue;
                    }
                    if m.ty == start {
                        if reported.insert(start.clone()) {
                            let shape = &self.shapes[&start];
                            let cycle = trail
                                .iter()
                                .chain(std::iter::once(&start))
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(" → ");
                            let error = shape.file.error(&shape.pointer, format!(
                                "recursive structure {cycle}: a structure cannot contain itself; hold it in a list instead"
                            ));
                            self.errors.push(error);
                        }
                    } else if !trail.contains(&m.ty) {
                        let mut next = trail.clone();
                        next.push(m.ty.clone());
                        stack.push((m.ty.clone(), next));
                    }
                }
            }
        }
    }

    fn check_header(&mut self, file: File<'_>, version: u32) {
        if version != FORMAT_VERSION {
            self.errors.push(file.error(
                "/format_version",
                format!(
                    "unsupported format_version {version}; this generator reads {FORMAT_VERSION}"
                ),
            ));
        }
    }

    fn check_service(&mut self, file: File<'_>, service: &spec::ServiceFile) {
        let version_ok = service.version.len() == 10
            && service.version.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !version_ok {
            self.errors
                .push(file.error("/version", "expected an API version like `2015-12-15`"));
        }
        if service.product.is_empty() || !service.product.chars().all(|c| c.is_ascii_alphanumeric())
        {
            self.errors.push(file.error(
                "/product",
                "expected a product code of letters and digits, like `CS`",
            ));
        }
        let name = &service.krate.name;
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
            self.errors.push(file.error(
                "/crate/name",
                "expected a crate name of lower-case letters, digits, `-` and `_`",
            ));
        }
        let dir = &service.krate.directory;
        if dir.is_empty()
            || dir.starts_with('/')
            || dir.split('/').any(|part| part == ".." || part.is_empty())
        {
            self.errors.push(file.error(
                "/crate/directory",
                "expected a relative folder inside the repository, like `generated`",
            ));
        }
        if let Some(cli) = &service.cli
            && (cli.name.is_empty()
                || !cli.name.starts_with(|c: char| c.is_ascii_lowercase())
                || !cli
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        {
            self.errors.push(file.error(
                "/cli/name",
                "expected a binary name of lower-case letters, digits and `-`",
            ));
        }
        if !service.endpoints.regional.contains("{region}") {
            self.errors.push(file.error(
                "/endpoints/regional",
                "the regional endpoint pattern must contain `{region}`",
            ));
        }
        if let Some(vpc) = &service.endpoints.vpc
            && !vpc.contains("{region}")
        {
            self.errors.push(file.error(
                "/endpoints/vpc",
                "the VPC endpoint pattern must contain `{region}`",
            ));
        }
    }

    fn declare(
        &mut self,
        name: &str,
        def: &'a spec::ShapeDef,
        file: File<'a>,
        pointer: String,
        owner: Option<usize>,
    ) {
        if !is_camel_ident(name) {
            self.errors.push(file.error(
                &pointer,
                format!("shape name `{name}` must be UpperCamelCase letters and digits"),
            ));
            return;
        }
        if name.ends_with("Builder") {
            self.errors.push(file.error(&pointer, format!("shape name `{name}` must not end in `Builder`: that suffix names generated builders")));
        }
        if let Some(existing) = self.shapes.get(name) {
            if self.overlay {
                // An imported shape gives way to the hand-written one of the same name.
                return;
            }
            let other = existing.file.path.display().to_string();
            self.errors.push(file.error(
                &pointer,
                format!("shape `{name}` is already declared in {other}"),
            ));
            return;
        }
        self.shapes.insert(
            name.to_owned(),
            NamedShape {
                def,
                file,
                pointer,
                owner,
            },
        );
    }

    /// Marks the named shapes reachable from `members` with `usage` (`Both` once a shape is
    /// reached from an input and from an output).
    fn mark_usage(&mut self, members: &spec::OrderedMap<spec::MemberDef>, usage: Usage) {
        let mut pending: Vec<String> = members
            .0
            .iter()
            .flat_map(|(_, m)| referenced(&m.ty, m.items.as_deref(), m.values.as_deref()))
            .collect();
        let mut seen = BTreeSet::new();
        while let Some(name) = pending.pop() {
            let Some(shape) = self.shapes.get(&name) else {
                continue;
            };
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(members) = &shape.def.members {
                for (_, m) in &members.0 {
                    pending.extend(referenced(&m.ty, m.items.as_deref(), m.values.as_deref()));
                }
            }
            let entry = self.usage.entry(name).or_insert(usage);
            if *entry != usage {
                *entry = Usage::Both;
            }
        }
    }

    fn resolve_shapes(&mut self, owner: Option<usize>) -> Vec<Shape> {
        self.context = owner;
        let names: Vec<String> = self
            .shapes
            .iter()
            .filter(|(_, s)| s.owner == owner)
            .map(|(n, _)| n.clone())
            .collect();
        let mut out = Vec::new();
        for name in names {
            let Some(shape) = self.shapes.get(&name) else {
                continue;
            };
            let (def, file, pointer) = (shape.def, shape.file, shape.pointer.clone());
            let usage = self.usage.get(&name).copied().unwrap_or(Usage::Both);
            match def.kind {
                spec::ShapeKind::Enum => {
                    if def.members.is_some() || def.rules.is_some() {
                        self.errors.push(
                            file.error(&pointer, "an enum has `values`, not `members` or `rules`"),
                        );
                    }
                    if let Some(e) = self.resolve_enum(&name, def, file, &pointer) {
                        out.push(Shape::Enum(e));
                    }
                }
                spec::ShapeKind::Structure => {
                    if def.values.is_some() {
                        self.errors.push(file.error(
                            &format!("{pointer}/values"),
                            "a structure has `members`, not `values`",
                        ));
                    }
                    let empty = spec::OrderedMap::default();
                    let members = def.members.as_ref().unwrap_or(&empty);
                    let rules = def.rules.as_deref().unwrap_or_default();
                    let s = self.resolve_structure(
                        &name,
                        &def.documentation,
                        members,
                        rules,
                        usage,
                        file,
                        &pointer,
                        None,
                    );
                    out.push(Shape::Structure(s));
                }
            }
        }
        out
    }

    fn resolve_enum(
        &mut self,
        name: &str,
        def: &spec::ShapeDef,
        file: File<'_>,
        pointer: &str,
    ) -> Option<model::Enum> {
        let Some(values) = &def.values else {
            self.errors
                .push(file.error(pointer, "an enum needs `values`"));
            return None;
        };
        if values.is_empty() {
            self.errors.push(file.error(
                &format!("{pointer}/values"),
                "an enum needs at least one value",
            ));
        }
        let mut seen_values = BTreeSet::new();
        let mut seen_variants = BTreeSet::new();
        let mut out = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let at = format!("{pointer}/values/{i}");
            let variant = v.name.clone().unwrap_or_else(|| variant_name(&v.value));
            if !is_camel_ident(&variant) || variant == "Unknown" {
                self.errors.push(file.error(&at, format!("value {:?} gives the variant name `{variant}`, which is not usable; set `name`", v.value)));
            }
            if !seen_values.insert(v.value.clone()) {
                self.errors
                    .push(file.error(&at, format!("duplicate enum value {:?}", v.value)));
                continue;
            }
            if !seen_variants.insert(variant.clone()) {
                self.errors.push(file.error(
                    &at,
                    format!(
                        "two values give the variant name `{variant}`; set `name` on one of them"
                    ),
                ));
            }
            out.push(model::EnumValue {
                value: v.value.clone(),
                variant,
                documentation: v.documentation.clone(),
            });
        }
        Some(model::Enum {
            name: name.to_owned(),
            documentation: def.documentation.clone(),
            values: out,
        })
    }

    fn resolve_operation(
        &mut self,
        loaded: &Loaded<spec::OperationFile>,
        index: usize,
        repo_root: &Path,
    ) -> Option<model::Operation> {
        let file = File::from(loaded);
        let op = &loaded.value;
        self.context = Some(index);
        let body = op.http.body.unwrap_or(match op.http.method {
            spec::Method::Get | spec::Method::Delete => spec::BodyKind::None,
            _ => spec::BodyKind::Json,
        });
        let labels = match path_labels(&op.http.path) {
            Ok(labels) => Some(labels),
            Err(message) => {
                self.errors.push(file.error("/http/path", message));
                None
            }
        };
        let input_name = format!("{}Request", op.name);
        let output_name = format!("{}Response", op.name);
        let input_doc = op
            .input
            .documentation
            .clone()
            .unwrap_or_else(|| format!("The request of [`{}`](crate::operations).", op.name));
        let output_doc = op
            .output
            .documentation
            .clone()
            .unwrap_or_else(|| format!("The response of `{}`.", op.name));
        let input = self.resolve_structure(
            &input_name,
            &input_doc,
            &op.input.members,
            &op.input.rules,
            Usage::Input,
            file,
            "/input",
            Some(body),
        );
        let output = self.resolve_structure(
            &output_name,
            &output_doc,
            &op.output.members,
            &op.output.rules,
            Usage::Output,
            file,
            "/output",
            None,
        );

        // Path labels ↔ path-bound members (only when the template itself parsed).
        let labels = labels.unwrap_or_else(|| {
            input
                .members
                .iter()
                .filter(|m| m.binding == Binding::Path)
                .map(|m| m.wire_name.clone())
                .collect()
        });
        for label in &labels {
            let bound: Vec<&Member> = input
                .members
                .iter()
                .filter(|m| m.binding == Binding::Path && m.wire_name == *label)
                .collect();
            if bound.len() != 1 {
                self.errors.push(file.error("/http/path", format!(
                    "path label `{{{label}}}` needs exactly one input member with `\"binding\": \"path\"` and `\"wire_name\": \"{label}\"` (found {})",
                    bound.len()
                )));
            }
        }
        for m in input.members.iter().filter(|m| m.binding == Binding::Path) {
            let at = format!("/input/members/{}", escape(&m.name));
            if !labels.contains(&m.wire_name) {
                self.errors.push(file.error(
                    &at,
                    format!(
                        "member is bound to the path, but `{}` is not a label of {:?}",
                        m.wire_name, op.http.path
                    ),
                ));
            }
            if !m.required {
                self.errors
                    .push(file.error(&at, "a path label must be `\"required\": true`"));
            }
        }
        if !op.output.rules.is_empty() {
            self.errors.push(file.error(
                "/output/rules",
                "rules apply to requests; responses are parsed leniently",
            ));
        }
        if let Some(replacement) = op.deprecated.as_ref().and_then(|d| d.replacement.as_ref())
            && !is_camel_ident(replacement)
        {
            self.errors
                .push(file.error("/deprecated/replacement", "expected an operation name"));
        }
        if let Some(group) = &op.group
            && (group.is_empty()
                || !group
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                || !group.starts_with(|c: char| c.is_ascii_lowercase()))
        {
            self.errors.push(file.error(
                "/group",
                "a group is a snake_case name (it becomes a cargo feature)",
            ));
        }
        for (i, e) in op.errors.iter().enumerate() {
            if e.code.is_empty() {
                self.errors.push(file.error(
                    &format!("/errors/{i}/code"),
                    "an error code must not be empty",
                ));
            }
            if e.status.is_some_and(|s| !(400..=599).contains(&s)) {
                self.errors.push(file.error(
                    &format!("/errors/{i}/status"),
                    "an error status must be 400 to 599",
                ));
            }
        }
        let pagination = op
            .pagination
            .as_ref()
            .and_then(|p| self.resolve_pagination(p, &input, &output, file));
        if op.waiters.0.len() > 1 {
            self.errors.push(file.error("/waiters", "at most one waiter per operation: a waiter is a property of the operation's answer type"));
        }
        let waiter = op
            .waiters
            .0
            .first()
            .and_then(|(name, def)| self.resolve_waiter(name, def, &output, file));
        let shapes = self.resolve_shapes(Some(index));
        Some(model::Operation {
            module: op.name.to_snake_case(),
            name: op.name.clone(),
            documentation: op.documentation.clone(),
            method: op.http.method,
            path: op.http.path.clone(),
            body,
            idempotent: op.idempotent,
            outcome_check: op.outcome_check.clone(),
            group: op.group.clone(),
            pagination,
            waiter,
            follow_with: None,
            deprecated: op.deprecated.as_ref().map(|d| model::Deprecation {
                message: d.message.clone(),
                replacement: d.replacement.clone(),
            }),
            input,
            output,
            errors: op
                .errors
                .iter()
                .map(|e| model::ErrorCode {
                    code: e.code.clone(),
                    status: e.status,
                    documentation: e.documentation.clone(),
                })
                .collect(),
            shapes,
            source_file: PathBuf::from(relative(&loaded.path, repo_root)),
        })
    }
}

/// The raw operation files by name, for cross-operation references.
fn operations_snapshot(
    ops: &[Loaded<spec::OperationFile>],
) -> BTreeMap<String, &spec::OperationFile> {
    ops.iter()
        .map(|op| (op.value.name.clone(), &op.value))
        .collect()
}

fn rust_field_name(key: &str) -> String {
    let name = key.to_snake_case();
    if is_keyword(&name) {
        format!("r#{name}")
    } else {
        name
    }
}

fn referenced(
    ty: &str,
    items: Option<&spec::ItemDef>,
    values: Option<&spec::ItemDef>,
) -> Vec<String> {
    let mut out = Vec::new();
    match ty {
        "list" | "map" => {
            for def in [items, values].into_iter().flatten() {
                out.extend(referenced(
                    &def.ty,
                    def.items.as_deref(),
                    def.values.as_deref(),
                ));
            }
        }
        "string" | "integer" | "long" | "float" | "double" | "boolean" | "base64" | "json" => {}
        other => out.push(other.to_owned()),
    }
    out
}

fn path_labels(path: &str) -> Result<Vec<String>, String> {
    if !path.starts_with('/') {
        return Err("the path must start with `/`".to_owned());
    }
    let mut labels = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("unbalanced `}` in the path".to_owned());
        }
        let close = rest[open..]
            .find('}')
            .map(|c| c + open)
            .ok_or("unclosed `{` in the path")?;
        let label = &rest[open + 1..close];
        if label.is_empty() || !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("invalid path label `{{{label}}}`"));
        }
        if labels.iter().any(|l| l == label) {
            return Err(format!("path label `{{{label}}}` appears twice"));
        }
        labels.push(label.to_owned());
        rest = &rest[close + 1..];
    }
    Ok(labels)
}

fn type_name(ty: &Type) -> String {
    match ty {
        Type::String => "string".into(),
        Type::Integer => "integer".into(),
        Type::Long => "long".into(),
        Type::Float => "float".into(),
        Type::Double => "double".into(),
        Type::Boolean => "boolean".into(),
        Type::Base64 => "base64".into(),
        Type::Json => "json".into(),
        Type::List(_) => "list".into(),
        Type::Map(_) => "map".into(),
        Type::Structure(n) | Type::Enum(n) => n.clone(),
    }
}

/// The variant name of an enum value: `PrePaid` → `PrePaid`, `none` → `None`.
fn variant_name(value: &str) -> String {
    let name = value.to_upper_camel_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    }
}

fn is_camel_ident(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_keyword(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_err()
}

fn relative(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}
