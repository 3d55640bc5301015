//! Raw spec → checked model: names, references, path labels, constraints and rules.
//!
//! Every problem is collected (not just the first), each with its file, JSON pointer and
//! line:column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, SpecErrors};
use crate::load::{Loaded, ServiceSources};
use crate::locate::{Locations, escape};
use crate::model::{
    self, Binding, Condition, Constraint, ConstraintKind, Item, Literal, Member, Rule, RuleKind,
    Shape, Structure, Type, Usage,
};
use crate::spec::{self, FORMAT_VERSION};

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
    /// Reports a rule naming a member that does not exist, unless the member exists but its
    /// own definition failed (already reported).
    fn no_member(&mut self, file: File<'_>, at: &str, name: &str) {
        if !self.unresolved.contains(name) {
            self.errors
                .push(file.error(at, format!("no member named `{name}` in this structure")));
        }
    }

    /// Resolves a dot path (`page.total_count`) through the members of `root`, then through
    /// the named structures they refer to. Returns the Rust field chain and the last member's
    /// spec type name, or a message.
    fn member_path(&self, root: &Structure, path: &str) -> Result<(Vec<String>, String), String> {
        let mut segments = path.split('.');
        let first = segments.next().unwrap_or_default();
        let member = root
            .members
            .iter()
            .find(|m| m.name == first)
            .ok_or_else(|| format!("`{}` has no member `{first}`", root.name))?;
        let mut chain = vec![member.rust_name.clone()];
        let mut ty = match &member.ty {
            Type::Structure(n) | Type::Enum(n) => n.clone(),
            Type::List(_) => "list".to_owned(),
            Type::Map(_) => "map".to_owned(),
            other => format!("{other:?}").to_lowercase(),
        };
        for segment in segments {
            let members = self
                .shapes
                .get(&ty)
                .and_then(|s| s.def.members.as_ref())
                .ok_or_else(|| {
                    format!("`{ty}` is not a structure, so `{segment}` cannot be read from it")
                })?;
            let (key, def) = members
                .0
                .iter()
                .find(|(k, _)| k == segment)
                .ok_or_else(|| format!("`{ty}` has no member `{segment}`"))?;
            chain.push(rust_field_name(key));
            ty = def.ty.clone();
        }
        Ok((chain, ty))
    }

    fn resolve_pagination(
        &mut self,
        def: &spec::PaginationDef,
        input: &Structure,
        output: &Structure,
        file: File<'_>,
    ) -> Option<model::Pagination> {
        let mut ok = true;
        let mut input_int = |this: &mut Self, key: &str, name: &str| -> Option<String> {
            match input.members.iter().find(|m| m.name == name) {
                Some(m) if m.ty.is_integer() => Some(m.rust_name.clone()),
                Some(_) => {
                    ok = false;
                    this.errors.push(file.error(
                        &format!("/pagination/{key}"),
                        format!("`{name}` must be an integer or long request member"),
                    ));
                    None
                }
                None => {
                    ok = false;
                    this.errors.push(file.error(
                        &format!("/pagination/{key}"),
                        format!("the request has no member `{name}`"),
                    ));
                    None
                }
            }
        };
        let page_number = input_int(self, "page_number", &def.page_number);
        let page_size = def
            .page_size
            .as_ref()
            .and_then(|name| input_int(self, "page_size", name));
        let items = output.members.iter().find(|m| m.name == def.items);
        let (items, item) = match items.map(|m| (&m.rust_name, &m.ty)) {
            Some((name, Type::List(item))) => (name.clone(), item.ty.clone()),
            _ => {
                self.errors.push(file.error(
                    "/pagination/items",
                    format!("the answer has no list member `{}`", def.items),
                ));
                return None;
            }
        };
        let total_count = match &def.total_count {
            None => None,
            Some(path) => match self.member_path(output, path) {
                Ok((chain, ty)) if ty == "integer" || ty == "long" => Some(chain),
                Ok(_) => {
                    self.errors.push(file.error(
                        "/pagination/total_count",
                        "the total count must be an integer or long member",
                    ));
                    return None;
                }
                Err(message) => {
                    self.errors
                        .push(file.error("/pagination/total_count", message));
                    return None;
                }
            },
        };
        Some(model::Pagination {
            page_number: page_number.filter(|_| ok)?,
            page_size,
            items,
            item,
            total_count,
        })
    }

    fn resolve_waiter(
        &mut self,
        name: &str,
        def: &spec::WaiterDef,
        output: &Structure,
        file: File<'_>,
    ) -> Option<model::Waiter> {
        let at = format!("/waiters/{}", escape(name));
        if name.is_empty() || name.to_snake_case() != name {
            self.errors
                .push(file.error(&at, format!("waiter name `{name}` must be snake_case")));
            return None;
        }
        let path = |this: &mut Self, key: &str, path: &str| -> Option<(Vec<String>, String)> {
            this.member_path(output, path)
                .map_err(|message| {
                    this.errors
                        .push(file.error(&format!("{at}/{key}"), message))
                })
                .ok()
        };
        let (state, state_ty) = path(self, "state", &def.state)?;
        if state_ty != "string"
            && self
                .shapes
                .get(&state_ty)
                .is_none_or(|s| s.def.kind != spec::ShapeKind::Enum)
        {
            self.errors.push(file.error(
                &format!("{at}/state"),
                "the state must be a string or enum member",
            ));
        }
        if def.success.is_empty() || def.failure.is_empty() {
            self.errors.push(file.error(
                &at,
                "a waiter needs at least one `success` and one `failure` value",
            ));
        }
        if let Some(both) = def.success.iter().find(|v| def.failure.contains(v)) {
            self.errors.push(file.error(
                &at,
                format!("impossible waiter: {both:?} is both success and failure"),
            ));
        }
        let failure_detail = match &def.failure_detail {
            Some(p) => Some(path(self, "failure_detail", p)?.0),
            None => None,
        };
        let progress = match &def.progress {
            Some(p) => Some(path(self, "progress", p)?.0),
            None => None,
        };
        Some(model::Waiter {
            name: name.to_owned(),
            documentation: def.documentation.clone(),
            state,
            success: def.success.clone(),
            failure: def.failure.clone(),
            failure_detail,
            progress,
        })
    }

    fn resolve_follow(
        &mut self,
        def: &spec::FollowDef,
        output: &Structure,
        ops: &BTreeMap<String, &spec::OperationFile>,
        file: File<'_>,
    ) -> Option<model::Follow> {
        let Some((operation, waiter)) = def.waiter.split_once('.') else {
            self.errors.push(file.error(
                "/follow_with/waiter",
                "expected `<Operation>.<waiter>`, such as `DescribeTaskInfo.task_done`",
            ));
            return None;
        };
        let Some(target) = ops.get(operation) else {
            self.errors.push(file.error(
                "/follow_with/waiter",
                format!("no operation named `{operation}` in this service"),
            ));
            return None;
        };
        if !target.waiters.0.iter().any(|(name, _)| name == waiter) {
            self.errors.push(file.error(
                "/follow_with/waiter",
                format!("`{operation}` declares no waiter `{waiter}`"),
            ));
            return None;
        }
        let mut inputs = Vec::new();
        for (param, source) in &def.inputs.0 {
            let Some((_, param_def)) = target.input.members.0.iter().find(|(k, _)| k == param)
            else {
                self.errors.push(file.error(
                    &format!("/follow_with/inputs/{}", escape(param)),
                    format!("`{operation}` has no request member `{param}`"),
                ));
                continue;
            };
            let Some(answer) = output.members.iter().find(|m| m.name == *source) else {
                self.errors.push(file.error(
                    &format!("/follow_with/inputs/{}", escape(param)),
                    format!("the answer has no member `{source}`"),
                ));
                continue;
            };
            if param_def.ty != "string" || answer.ty != Type::String {
                self.errors.push(file.error(
                    &format!("/follow_with/inputs/{}", escape(param)),
                    "waiter inputs pass string members",
                ));
                continue;
            }
            inputs.push((rust_field_name(param), answer.rust_name.clone()));
        }
        let required: Vec<&String> = target
            .input
            .members
            .0
            .iter()
            .filter(|(_, m)| m.required)
            .map(|(k, _)| k)
            .collect();
        for key in required {
            if !def.inputs.0.iter().any(|(param, _)| param == key) {
                self.errors.push(file.error(
                    "/follow_with/inputs",
                    format!("the waiter's request needs `{key}`; map it from an answer member"),
                ));
            }
        }
        Some(model::Follow {
            operation: operation.to_owned(),
            waiter: waiter.to_owned(),
            inputs,
        })
    }

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

    #[allow(clippy::too_many_arguments)]
    fn resolve_structure(
        &mut self,
        name: &str,
        documentation: &str,
        members: &spec::OrderedMap<spec::MemberDef>,
        rules: &[spec::RuleDef],
        usage: Usage,
        file: File<'_>,
        pointer: &str,
        body: Option<spec::BodyKind>,
    ) -> Structure {
        let mut out = Vec::new();
        let mut rust_names = BTreeMap::new();
        let mut wire_names = BTreeMap::new();
        self.unresolved.clear();
        for (key, def) in &members.0 {
            let at = format!("{pointer}/members/{}", escape(key));
            let Some(member) = self.resolve_member(key, def, file, &at, body) else {
                self.unresolved.insert(key.clone());
                continue;
            };
            if let Some(other) = rust_names.insert(member.rust_name.clone(), key.clone()) {
                self.errors.push(file.error(
                    &at,
                    format!(
                        "members `{other}` and `{key}` both become the Rust field `{}`",
                        member.rust_name
                    ),
                ));
            }
            if member.binding == Binding::Body
                && let Some(other) = wire_names.insert(member.wire_name.clone(), key.clone())
            {
                self.errors.push(file.error(
                    &at,
                    format!(
                        "members `{other}` and `{key}` both use the wire name `{}`",
                        member.wire_name
                    ),
                ));
            }
            out.push(member);
        }
        // A payload member is the whole body: the only member that travels in it.
        if let Some(payload) = out.iter().find(|m| m.binding == Binding::Payload) {
            let at = format!("{pointer}/members/{}", escape(&payload.name));
            let in_body = out
                .iter()
                .filter(|m| matches!(m.binding, Binding::Body | Binding::Payload))
                .count();
            if in_body > 1 {
                self.errors.push(file.error(
                    &at,
                    "a payload member is the whole body: no other member may bind to the body",
                ));
            }
            if matches!(
                payload.ty,
                Type::String
                    | Type::Base64
                    | Type::Integer
                    | Type::Long
                    | Type::Float
                    | Type::Double
                    | Type::Boolean
            ) || payload.string_encoded
            {
                self.errors
                    .push(file.error(&at, "a payload must be a list, map, structure or json"));
            }
        }
        let mut resolved_rules = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            let at = format!("{pointer}/rules/{i}");
            if let Some(rule) = self.resolve_rule(rule, &out, file, &at) {
                resolved_rules.push(rule);
            }
        }
        Structure {
            name: name.to_owned(),
            documentation: documentation.to_owned(),
            members: out,
            rules: resolved_rules,
            usage,
        }
    }

    fn resolve_member(
        &mut self,
        key: &str,
        def: &spec::MemberDef,
        file: File<'_>,
        at: &str,
        body: Option<spec::BodyKind>,
    ) -> Option<Member> {
        if key.is_empty()
            || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || key.starts_with(|c: char| c.is_ascii_digit())
        {
            self.errors.push(file.error(
                at,
                format!(
                    "member name `{key}` must be letters, digits and `_`, not starting with a digit"
                ),
            ));
            return None;
        }
        let ty = self.resolve_type(
            &def.ty,
            def.items.as_deref(),
            def.values.as_deref(),
            file,
            at,
        )?;
        let binding = match def.binding.unwrap_or(spec::Binding::Body) {
            spec::Binding::Path => Binding::Path,
            spec::Binding::Query => Binding::Query,
            spec::Binding::Header => Binding::Header,
            spec::Binding::Body => Binding::Body,
            spec::Binding::Payload => Binding::Payload,
        };
        if body.is_none() && !matches!(binding, Binding::Body | Binding::Payload) {
            self.errors.push(file.error(
                &format!("{at}/binding"),
                "only request members bind to the path, query or headers",
            ));
        }
        if body == Some(spec::BodyKind::None) && matches!(binding, Binding::Body | Binding::Payload)
        {
            self.errors.push(file.error(at, "the operation has no body (`http.body` is `none`): bind this member to the path, query or a header"));
        }
        if binding == Binding::Path && !matches!(ty, Type::String | Type::Integer | Type::Long) {
            self.errors
                .push(file.error(at, "a path label must be a string, integer or long"));
        }
        if def.wire_encoding.is_some()
            && !matches!(
                ty,
                Type::Integer | Type::Long | Type::Float | Type::Double | Type::Boolean
            )
        {
            self.errors.push(file.error(
                &format!("{at}/wire_encoding"),
                "`wire_encoding: string` applies to numbers and booleans only",
            ));
        }
        if def.sensitive && !ty.is_text() {
            self.errors.push(file.error(
                &format!("{at}/sensitive"),
                "only string and base64 members can be sensitive",
            ));
        }
        let constraints = self.resolve_constraints(
            def.constraints.as_ref(),
            &ty,
            file,
            &format!("{at}/constraints"),
        );
        if let Some(default) = &def.default
            && let Err(message) = self.literal(default, &ty)
        {
            self.errors.push(file.error(
                &format!("{at}/default"),
                format!("the default does not fit the member: {message}"),
            ));
        }
        let wire_name = def.wire_name.clone().unwrap_or_else(|| key.to_owned());
        if wire_name.is_empty() {
            self.errors.push(file.error(
                &format!("{at}/wire_name"),
                "the wire name must not be empty",
            ));
        }
        let mut rust_name = key.to_snake_case();
        if ["self", "super", "crate", "Self"].contains(&rust_name.as_str()) {
            self.errors.push(file.error(at, format!("member name `{key}` cannot be a Rust field name; choose another key and keep `wire_name`")));
            return None;
        }
        if is_keyword(&rust_name) {
            rust_name = format!("r#{rust_name}");
        }
        Some(Member {
            name: key.to_owned(),
            rust_name,
            wire_name,
            ty,
            binding,
            required: def.required,
            default: def.default.clone(),
            documentation: def.documentation.clone(),
            example: def.example.clone(),
            sensitive: def.sensitive,
            deprecated: def.deprecated.as_ref().map(|d| model::Deprecation {
                message: d.message.clone(),
                replacement: d.replacement.clone(),
            }),
            string_encoded: def.wire_encoding.is_some(),
            constraints,
        })
    }

    fn resolve_type(
        &mut self,
        name: &str,
        items: Option<&spec::ItemDef>,
        values: Option<&spec::ItemDef>,
        file: File<'_>,
        at: &str,
    ) -> Option<Type> {
        let item = |def: Option<&spec::ItemDef>, key: &str, this: &mut Self| -> Option<Box<Item>> {
            let item_at = format!("{at}/{key}");
            let Some(def) = def else {
                this.errors.push(file.error(
                    at,
                    format!(
                        "a {name} needs `{key}`, the type of its {}",
                        if key == "items" { "items" } else { "values" }
                    ),
                ));
                return None;
            };
            let ty = this.resolve_type(
                &def.ty,
                def.items.as_deref(),
                def.values.as_deref(),
                file,
                &item_at,
            )?;
            let constraints = this.resolve_constraints(
                def.constraints.as_ref(),
                &ty,
                file,
                &format!("{item_at}/constraints"),
            );
            Some(Box::new(Item { ty, constraints }))
        };
        let ty = match name {
            "string" => Type::String,
            "integer" => Type::Integer,
            "long" => Type::Long,
            "float" => Type::Float,
            "double" => Type::Double,
            "boolean" => Type::Boolean,
            "base64" => Type::Base64,
            "json" => Type::Json,
            "list" => Type::List(item(items, "items", self)?),
            "map" => Type::Map(item(values, "values", self)?),
            other => match self.shapes.get(other) {
                // A shape declared by one operation is compiled with that operation's group:
                // only operations of the same group may use it.
                Some(shape)
                    if shape.owner.is_some_and(|owner| {
                        Some(owner) != self.context
                            && self
                                .context
                                .is_none_or(|here| self.groups.get(here) != self.groups.get(owner))
                    }) =>
                {
                    let owner = shape.file.path.display().to_string();
                    self.errors.push(file.error(&format!("{at}/type"), format!(
                        "`{other}` is declared in {owner}, an operation of another group; declare shapes used across groups in service.json"
                    )));
                    return None;
                }
                Some(shape) if shape.def.kind == spec::ShapeKind::Structure => {
                    Type::Structure(other.to_owned())
                }
                Some(_) => Type::Enum(other.to_owned()),
                None => {
                    let known: Vec<&str> = self.shapes.keys().map(String::as_str).collect();
                    self.errors.push(file.error(&format!("{at}/type"), format!(
                        "unknown type `{other}`; expected string, integer, long, float, double, boolean, base64, json, list, map or a declared shape ({})",
                        if known.is_empty() { "none declared".to_owned() } else { known.join(", ") }
                    )));
                    return None;
                }
            },
        };
        if name != "list" && items.is_some() {
            self.errors
                .push(file.error(&format!("{at}/items"), "`items` belongs to lists only"));
        }
        if name != "map" && values.is_some() {
            self.errors
                .push(file.error(&format!("{at}/values"), "`values` belongs to maps only"));
        }
        Some(ty)
    }

    fn resolve_constraints(
        &mut self,
        def: Option<&spec::ConstraintsDef>,
        ty: &Type,
        file: File<'_>,
        at: &str,
    ) -> Vec<Constraint> {
        let Some(def) = def else { return Vec::new() };
        let mut out = Vec::new();
        let misfit = |this: &mut Self, key: &str, fits: &str| {
            this.errors.push(file.error(
                &format!("{at}/{key}"),
                format!("`{key}` does not fit this member's type; it applies to {fits}"),
            ));
        };
        if let Some(range) = &def.range {
            if !ty.is_numeric() {
                misfit(self, "range", "integer, long, float and double members");
            } else if range.min.is_none() && range.max.is_none() {
                self.errors
                    .push(file.error(&format!("{at}/range"), "a range needs `min`, `max` or both"));
            } else if let (Some(min), Some(max)) = (range.min, range.max)
                && min > max
            {
                self.errors.push(file.error(
                    &format!("{at}/range"),
                    format!("impossible range: min {min} is greater than max {max}"),
                ));
            } else {
                out.push(Constraint {
                    kind: ConstraintKind::Range {
                        min: range.min,
                        max: range.max,
                    },
                    source: range.source.clone(),
                });
            }
        }
        for (key, count, fits) in [
            ("length", &def.length, ty.is_text()),
            (
                "items",
                &def.items,
                matches!(ty, Type::List(_) | Type::Map(_)),
            ),
        ] {
            let Some(count) = count else { continue };
            if !fits {
                misfit(
                    self,
                    key,
                    if key == "length" {
                        "string and base64 members"
                    } else {
                        "list and map members"
                    },
                );
            } else if count.min.is_none() && count.max.is_none() {
                self.errors.push(file.error(
                    &format!("{at}/{key}"),
                    format!("`{key}` needs `min`, `max` or both"),
                ));
            } else if let (Some(min), Some(max)) = (count.min, count.max)
                && min > max
            {
                self.errors.push(file.error(
                    &format!("{at}/{key}"),
                    format!("impossible {key}: min {min} is greater than max {max}"),
                ));
            } else {
                let kind = if key == "length" {
                    ConstraintKind::Length {
                        min: count.min,
                        max: count.max,
                    }
                } else {
                    ConstraintKind::Items {
                        min: count.min,
                        max: count.max,
                    }
                };
                out.push(Constraint {
                    kind,
                    source: count.source.clone(),
                });
            }
        }
        if let Some(pattern) = &def.pattern {
            if !ty.is_text() {
                misfit(self, "pattern", "string and base64 members");
            } else if let Err(e) = regex_lite::Regex::new(&pattern.regex) {
                self.errors.push(file.error(
                    &format!("{at}/pattern/regex"),
                    format!("invalid regular expression: {e}"),
                ));
            } else {
                out.push(Constraint {
                    kind: ConstraintKind::Pattern {
                        regex: pattern.regex.clone(),
                        description: pattern.description.clone(),
                    },
                    source: pattern.source.clone(),
                });
            }
        }
        if let Some(allowed) = &def.allowed_values {
            if !(ty.is_text() || ty.is_integer()) {
                misfit(
                    self,
                    "allowed_values",
                    "string and integer members (enums list their values themselves)",
                );
            } else if allowed.values.is_empty() {
                self.errors.push(file.error(
                    &format!("{at}/allowed_values/values"),
                    "list at least one allowed value",
                ));
            } else {
                let mut values = Vec::new();
                for (i, v) in allowed.values.iter().enumerate() {
                    match self.literal(v, ty) {
                        Ok(lit) => values.push(lit),
                        Err(message) => self
                            .errors
                            .push(file.error(&format!("{at}/allowed_values/values/{i}"), message)),
                    }
                }
                out.push(Constraint {
                    kind: ConstraintKind::AllowedValues(values),
                    source: allowed.source.clone(),
                });
            }
        }
        if let Some(classes) = &def.character_classes {
            if !ty.is_text() {
                misfit(self, "character_classes", "string members");
            } else if !(1..=4).contains(&classes.min) {
                self.errors.push(file.error(
                    &format!("{at}/character_classes/min"),
                    "there are 4 character classes; `min` must be 1 to 4",
                ));
            } else {
                out.push(Constraint {
                    kind: ConstraintKind::CharacterClasses {
                        min: classes.min,
                        special: classes.special.clone(),
                    },
                    source: classes.source.clone(),
                });
            }
        }
        out
    }

    /// Checks that a JSON literal fits `ty` and converts it.
    fn literal(&self, value: &Value, ty: &Type) -> Result<Literal, String> {
        match (ty, value) {
            (Type::String | Type::Base64, Value::String(s)) => Ok(Literal::Text(s.clone())),
            (Type::Enum(name), Value::String(s)) => {
                let known = self.enum_values(name);
                if known.iter().any(|v| v == s) {
                    Ok(Literal::Text(s.clone()))
                } else {
                    Err(format!(
                        "{s:?} is not a value of enum `{name}` ({})",
                        known.join(", ")
                    ))
                }
            }
            (Type::Integer | Type::Long, Value::Number(n)) => {
                let v = n
                    .as_i64()
                    .ok_or_else(|| format!("expected an integer, found {n}"))?;
                if *ty == Type::Integer && i32::try_from(v).is_err() {
                    return Err(format!("{v} does not fit a 32-bit integer"));
                }
                Ok(Literal::Integer(v))
            }
            (Type::Boolean, Value::Bool(b)) => Ok(Literal::Bool(*b)),
            (Type::Float | Type::Double, Value::Number(n)) if n.as_i64().is_some() => {
                Ok(Literal::Integer(n.as_i64().unwrap_or_default()))
            }
            (Type::Float | Type::Double, Value::Number(_)) => {
                Err("only whole numbers can be compared in rules".to_owned())
            }
            (ty, value) => Err(format!(
                "expected a literal of type {}, found {value}",
                type_name(ty)
            )),
        }
    }

    fn enum_values(&self, name: &str) -> Vec<String> {
        self.shapes
            .get(name)
            .and_then(|s| s.def.values.as_ref())
            .map(|values| values.iter().map(|v| v.value.clone()).collect())
            .unwrap_or_default()
    }

    fn resolve_rule(
        &mut self,
        rule: &spec::RuleDef,
        members: &[Member],
        file: File<'_>,
        at: &str,
    ) -> Option<Rule> {
        let find = |name: &str| members.iter().find(|m| m.name == name);
        let mut ok = true;
        let mut member_names = |this: &mut Self, key: &str, names: &[String]| -> Vec<String> {
            let mut out = Vec::new();
            for (i, name) in names.iter().enumerate() {
                match find(name) {
                    Some(m) => out.push(m.rust_name.clone()),
                    None => {
                        ok = false;
                        this.no_member(file, &format!("{at}/{key}/{i}"), name);
                    }
                }
            }
            out
        };
        let unexpected = |this: &mut Self, key: &str, present: bool| {
            if present {
                this.errors.push(file.error(
                    &format!("{at}/{key}"),
                    format!("a `{:?}` rule has no `{key}`", rule.kind).to_lowercase(),
                ));
            }
        };
        let kind = match rule.kind {
            spec::RuleKind::RequiredIf => {
                unexpected(self, "member", rule.member.is_some());
                unexpected(self, "values", rule.values.is_some());
                let names = rule.members.as_deref().unwrap_or_default();
                if names.is_empty() {
                    self.errors
                        .push(file.error(at, "`required_if` needs `members`"));
                }
                let members_out = member_names(self, "members", names);
                let when = self.conditions(rule.when.as_deref(), members, file, at)?;
                for name in names {
                    if find(name).is_some_and(|m| m.required) {
                        self.errors.push(file.error(
                            at,
                            format!(
                                "`{name}` is always required; `required_if` on it is redundant"
                            ),
                        ));
                    }
                }
                RuleKind::RequiredIf {
                    members: members_out,
                    when,
                }
            }
            kind @ (spec::RuleKind::ExactlyOneOf
            | spec::RuleKind::AtLeastOneOf
            | spec::RuleKind::AtMostOneOf) => {
                unexpected(self, "member", rule.member.is_some());
                unexpected(self, "values", rule.values.is_some());
                unexpected(self, "when", rule.when.is_some());
                let names = rule.members.as_deref().unwrap_or_default();
                let unique: BTreeSet<&String> = names.iter().collect();
                if unique.len() < 2 || unique.len() != names.len() {
                    self.errors.push(file.error(
                        &format!("{at}/members"),
                        "a group rule needs at least two different members",
                    ));
                }
                let required = names
                    .iter()
                    .filter(|n| find(n).is_some_and(|m| m.required))
                    .count();
                if kind != spec::RuleKind::AtLeastOneOf && required >= 2 {
                    self.errors.push(file.error(at, "impossible rule: two of its members are always required, so more than one is always set"));
                }
                let members_out = member_names(self, "members", names);
                match kind {
                    spec::RuleKind::ExactlyOneOf => RuleKind::ExactlyOneOf(members_out),
                    spec::RuleKind::AtLeastOneOf => RuleKind::AtLeastOneOf(members_out),
                    _ => RuleKind::AtMostOneOf(members_out),
                }
            }
            spec::RuleKind::AllowedValuesIf => {
                unexpected(self, "members", rule.members.is_some());
                let Some(name) = &rule.member else {
                    self.errors
                        .push(file.error(at, "`allowed_values_if` needs `member`"));
                    return None;
                };
                let Some(member) = find(name) else {
                    self.no_member(file, &format!("{at}/member"), name);
                    return None;
                };
                if !(member.ty.is_text() || member.ty.is_integer()) {
                    self.errors.push(file.error(
                        &format!("{at}/member"),
                        "`allowed_values_if` applies to string and integer members",
                    ));
                    return None;
                }
                let mut values = Vec::new();
                for (i, v) in rule
                    .values
                    .as_deref()
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    match self.literal(v, &member.ty) {
                        Ok(lit) => values.push(lit),
                        Err(message) => self
                            .errors
                            .push(file.error(&format!("{at}/values/{i}"), message)),
                    }
                }
                if values.is_empty() {
                    self.errors.push(file.error(
                        at,
                        "`allowed_values_if` needs at least one value in `values`",
                    ));
                }
                // Impossible: every allowed value breaks the member's own range.
                let range = member.constraints.iter().find_map(|c| match c.kind {
                    ConstraintKind::Range { min, max } => Some((min, max)),
                    _ => None,
                });
                if let Some((min, max)) = range {
                    #[allow(clippy::cast_precision_loss)]
                    let in_range = |v: &Literal| match v {
                        Literal::Integer(v) => {
                            min.is_none_or(|m| *v as f64 >= m) && max.is_none_or(|m| *v as f64 <= m)
                        }
                        _ => true,
                    };
                    if !values.is_empty() && !values.iter().any(in_range) {
                        self.errors.push(file.error(
                            &format!("{at}/values"),
                            "impossible rule: no value lies within the member's range",
                        ));
                    }
                }
                let when = self.conditions(rule.when.as_deref(), members, file, at)?;
                RuleKind::AllowedValuesIf {
                    member: member.rust_name.clone(),
                    values,
                    when,
                }
            }
        };
        ok.then_some(Rule {
            kind,
            source: rule.source.clone(),
        })
    }

    fn conditions(
        &mut self,
        when: Option<&[spec::ConditionDef]>,
        members: &[Member],
        file: File<'_>,
        at: &str,
    ) -> Option<Vec<Condition>> {
        let Some(when) = when.filter(|w| !w.is_empty()) else {
            self.errors
                .push(file.error(at, "this rule needs `when`: at least one condition"));
            return None;
        };
        let mut out = Vec::new();
        for (i, c) in when.iter().enumerate() {
            let c_at = format!("{at}/when/{i}");
            let Some(member) = members.iter().find(|m| m.name == c.member) else {
                self.no_member(file, &format!("{c_at}/member"), &c.member);
                continue;
            };
            if !matches!(
                member.ty,
                Type::String | Type::Enum(_) | Type::Integer | Type::Long | Type::Boolean
            ) || member.sensitive
            {
                self.errors.push(file.error(
                    &format!("{c_at}/member"),
                    "conditions compare non-sensitive string, enum, integer or boolean members",
                ));
                continue;
            }
            match self.literal(&c.equals, &member.ty) {
                Ok(equals) => out.push(Condition {
                    member: member.rust_name.clone(),
                    equals,
                }),
                Err(message) => self.errors.push(file.error(
                    &format!("{c_at}/equals"),
                    format!("impossible condition: {message}"),
                )),
            }
        }
        (out.len() == when.len()).then_some(out)
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
