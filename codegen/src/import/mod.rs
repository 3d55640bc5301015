//! `cargo xtask import`: Alibaba's OpenAPI metadata → spec files in `<service>/imported/`.
//!
//! The metadata (`<product>-<version>-api-docs.json`) is parsed into tolerant serde types
//! ([`metadata`]), converted ([`mod@convert`]) into the spec format (`api-spec/README.md`) and
//! written as one `<Action>.json` per operation, `shapes.json` (the converted
//! `components.schemas`) and `REPORT.md`. The importer owns `imported/`: every run rewrites
//! it and removes files it did not write. Hand-written files of the service folder win over
//! imported ones of the same name; that is the loader's business, the importer writes
//! everything.
//!
//! # Mapping rules
//!
//! **Operations** (one file per entry of `apis`, sorted by name):
//! - `http.method`: the first of `methods`, upper-case (the others are reported);
//!   `http.path`: `path` as is. `http.body` is written only where it differs from the
//!   method's default: `json` for a GET or DELETE with a body parameter, `none` for a POST,
//!   PUT or PATCH without one.
//! - `documentation`: `summary` (else `title`), then `description` as a second paragraph;
//!   Chinese as is, trimmed. No text at all: "(no description in the metadata)". Every
//!   documentation text is made safe for rustdoc without changing what it renders
//!   ([`convert::rustdoc_markdown`]): untagged code fences become `` ```text `` (rustdoc would
//!   compile them as doctests), and square brackets that are no link (`[1,10]`) and the
//!   `<props="china">` site markers are backslash-escaped (rustdoc would warn about
//!   intra-doc links and HTML).
//! - `source`: "Alibaba's CS 2015-12-15 API metadata, Action (METHOD path)".
//! - `group`: from the directory of `directories` that lists the operation, through the
//!   hand-picked table [`names::GROUPS`] (directory title → snake_case name); an operation at
//!   the top level of `directories` goes to [`names::ROOT_GROUP`]; an unknown title stops the
//!   import.
//! - `idempotent`: `true` for GET only. Every other operation is `false` and gets a generic
//!   `outcome_check` ([`convert::OUTCOME_CHECK`]): describe the resource before retrying.
//! - `deprecated`: `{"message": "Deprecated in the API metadata."}` when `deprecated: true`;
//!   operations of the directory 废弃 ("deprecated") get "Listed as deprecated (废弃) in the
//!   API metadata." when they do not say so themselves.
//!
//! **Request members**, in parameter order:
//! - `in: path` → `binding: path`, `required: true`; `in: query` → `binding: query`
//!   (arrays and objects, `style: json`, are `list`/`json`/map members, which the client
//!   sends as JSON text); `in: header` → `binding: header`.
//! - `in: body`: an object root's properties become body members (`style: flat` is mapped
//!   the same way and reported); any other root (an array, a map, a free-form object) is one
//!   member with `binding: payload`, keyed by the parameter name.
//!
//! **Response members**: the `200` response, else the first `2xx`. An object root's
//! properties become members; any other root is one `payload` member `body` (a bare string
//! root becomes a `json` payload, since a payload must be a list, map, structure or json).
//! No schema → no members. Other responses (`5XX`) are not carried over.
//!
//! **Types**: `string` → string; `integer` → `integer` with `format: int32`, else `long`;
//! `number` → double; `boolean` → boolean; `array` → list of `items` (without `items`: the
//! properties' object if there are properties, else a list of json); `object` with
//! `properties` → a structure shape; `object` with an `additionalProperties` schema → map;
//! other objects and `any` → json; `$ref: #/components/schemas/x` → the shape `X`.
//!
//! **Shapes**: `components.schemas` keys become UpperCamelCase names (`data_disk` →
//! `DataDisk`) in `shapes.json`. Inline objects are named after where they are:
//! `<Action>Request<Path>` and `<Action>Response<Path>` in the operation file's `shapes`,
//! `<Shape><Path>` for objects nested in a `components.schemas` entry (in `shapes.json`),
//! where `<Path>` is the UpperCamelCase member keys from the root (lists and maps add
//! nothing: `CreateClusterRequestWorkerDataDisks` is the item of `worker_data_disks`). Names
//! are unique across the service: generated `<Action>Request`/`<Action>Response` names and
//! hand-written shape names are avoided, and a taken name gets a number (reported).
//! Inline structures that several operations declare alike (the same members, wire names,
//! types, bindings, defaults, constraints and alike nested structures; documentation and
//! examples aside) are declared once in `shapes.json` ([`merge`]), named after the longest
//! ending their names share (`KubernetesConfig`, `ManagementAutoRepairPolicy`), else their
//! common beginning; the shape keeps the first declaration's documentation and the report
//! lists every merge. A node pool's structures are thus one type in the requests and answers
//! of the node pool operations.
//! Structure documentation is the object's description, else the member's.
//!
//! **Members**: the key is the snake_case wire name; `wire_name` is written when it differs.
//! A key that is not a usable Rust field name (`self`, a leading digit, other characters) is
//! sanitized; a key that repeats one of the same structure gets the binding as a prefix when
//! the other member has another binding (`body_cluster_id` next to the path's `cluster_id`;
//! path, query and header parameters get their keys first), else a number (`request_id_2`).
//! Both are reported. Per member:
//! - `required: true` → `required` (also the OpenAPI list form on the parent);
//! - `deprecated: true` → `deprecated: {"message": "Deprecated in the API metadata."}`;
//! - `description`, else `title`, else the referenced shape's, else "(no description in the
//!   metadata)" → `documentation`; `enumValueTitles` are appended as a list of values (they
//!   are not a closed list, so they are not enforced);
//! - `example` as given (strings stay strings);
//! - `default` → `default` when it is a literal of the member's type (text is parsed:
//!   `"false"` → `false`, `"0"` → `0`) and an allowed value; otherwise reported;
//! - constraints, all with `source: "API metadata"`: a non-empty `enum` on strings and
//!   integers → `allowed_values`; `minimum`/`maximum` → `range`; `minLength`/`maxLength` →
//!   `length`; `minItems`/`maxItems` → `items`; `pattern` → `pattern` when it compiles with
//!   `regex-lite`. A constraint on a type it does not fit is reported. List items carry
//!   their own constraints.
//! - `sensitive: true` on string members named `password`, `*_password` or `token`, and on
//!   the `config` (kubeconfig) of the user-config operations.
//!
//! **Not carried over** (counted in the report): documentation-site keys (`index`,
//! `docRequired`, `itemName`, ...), what every operation shares (`schemes`, `security`,
//! `consumes`, `produces`), `operationType`, `systemTags`, `responseDemo`, response headers
//! and non-2xx responses.
//!
//! **Output**: pretty JSON (two spaces), keys in the order of the hand-written files, members
//! in metadata order, shapes sorted by name, a trailing newline. The same metadata (and the
//! same hand-written names) give the same bytes; files are only written when they change.

pub mod convert;
pub mod merge;
pub mod metadata;
pub mod names;
pub mod out;
pub mod report;

#[cfg(test)]
mod tests;

use std::fs;
use std::path::{Path, PathBuf};

pub use convert::{Converted, Overlay, convert};

/// The folder of a service that the importer owns.
pub const IMPORTED_DIR: &str = "imported";
/// The folder of a service that holds the copy of the metadata.
pub const METADATA_DIR: &str = "metadata";

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not readable as API metadata: {source}", path.display())]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{0}")]
    Metadata(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What a run did.
#[derive(Debug)]
pub struct Outcome {
    /// The service folder, such as `api-spec/cs-2015-12-15`.
    pub service_dir: PathBuf,
    /// The text of `REPORT.md`.
    pub report: String,
    pub written: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
    pub unchanged: usize,
    /// Whether the metadata copy in `metadata/` was written.
    pub metadata_copied: bool,
}

/// The file name of the metadata copy: `cs-2015-12-15-api-docs.json`.
pub fn metadata_file_name(service_folder: &str) -> String {
    format!("{service_folder}-api-docs.json")
}

/// Parses metadata text.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<metadata::Metadata, ImportError> {
    serde_json::from_slice(bytes).map_err(|source| ImportError::Json {
        path: path.to_owned(),
        source,
    })
}

/// Imports `metadata` into the service folder of `spec_root` it describes
/// (`<product>-<version>`, lower-case), which must exist: copies the metadata to
/// `metadata/` (when it is another file), reads the hand-written names, converts, and
/// replaces the content of `imported/`.
pub fn run(metadata: &Path, spec_root: &Path) -> Result<Outcome, ImportError> {
    let bytes = fs::read(metadata).map_err(io(metadata))?;
    let meta = parse(metadata, &bytes)?;
    if meta.info.product.is_empty() || meta.info.version.is_empty() {
        return Err(ImportError::Metadata(format!(
            "{}: `info.product` and `info.version` are needed to find the service folder",
            metadata.display()
        )));
    }
    let folder = format!(
        "{}-{}",
        meta.info.product.to_ascii_lowercase(),
        meta.info.version
    );
    let service_dir = spec_root.join(&folder);
    if !service_dir.join(crate::load::SERVICE_FILE).is_file() {
        return Err(ImportError::Metadata(format!(
            "{}: no service folder for {} {} (expected {} with a `{}`)",
            metadata.display(),
            meta.info.product,
            meta.info.version,
            service_dir.display(),
            crate::load::SERVICE_FILE
        )));
    }

    let copy_dir = service_dir.join(METADATA_DIR);
    let copy = copy_dir.join(metadata_file_name(&folder));
    let metadata_copied = fs::read(&copy).ok().as_deref() != Some(&bytes[..]);
    if metadata_copied {
        fs::create_dir_all(&copy_dir).map_err(io(&copy_dir))?;
        fs::write(&copy, &bytes).map_err(io(&copy))?;
    }

    let overlay = overlay(&service_dir)?;
    let shown = format!("{folder}/{METADATA_DIR}/{}", metadata_file_name(&folder));
    let converted = convert(&meta, &overlay, &shown)?;

    let out_dir = service_dir.join(IMPORTED_DIR);
    fs::create_dir_all(&out_dir).map_err(io(&out_dir))?;
    let mut written = Vec::new();
    let mut unchanged = 0;
    for (name, text) in &converted.files {
        let path = out_dir.join(name);
        if fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
            unchanged += 1;
        } else {
            fs::write(&path, text).map_err(io(&path))?;
            written.push(path);
        }
    }
    let mut removed = Vec::new();
    let mut entries: Vec<PathBuf> = fs::read_dir(&out_dir)
        .map_err(io(&out_dir))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io(&out_dir))?;
    entries.sort();
    for path in entries {
        let ours = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| converted.files.contains_key(n));
        if !ours {
            if path.is_dir() {
                fs::remove_dir_all(&path).map_err(io(&path))?;
            } else {
                fs::remove_file(&path).map_err(io(&path))?;
            }
            removed.push(path);
        }
    }
    Ok(Outcome {
        service_dir,
        report: converted.files[convert::REPORT_FILE].clone(),
        written,
        removed,
        unchanged,
        metadata_copied,
    })
}

/// The operations and shapes the hand-written files of `service_dir` declare. Files that do
/// not parse are skipped: reporting them is the generator's job.
pub fn overlay(service_dir: &Path) -> Result<Overlay, ImportError> {
    let mut overlay = Overlay::default();
    let mut entries: Vec<PathBuf> = fs::read_dir(service_dir)
        .map_err(io(service_dir))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io(service_dir))?;
    entries.sort();
    for path in entries {
        if !path.is_file() || path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let is_service = path
            .file_name()
            .is_some_and(|n| n == crate::load::SERVICE_FILE);
        if !is_service && let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
            overlay.operations.insert(stem.to_owned());
        }
        if let Some(shapes) = value.get("shapes").and_then(|s| s.as_object()) {
            overlay.shapes.extend(shapes.keys().cloned());
        }
    }
    Ok(overlay)
}
