//! Reading spec files: JSON text → raw [`crate::spec`] types, with errors that name the file,
//! the JSON pointer and line:column.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, SpecErrors};
use crate::locate::{Locations, escape};
use crate::spec::{OperationFile, ServiceFile, ShapesFile};

/// The name of the file that makes a folder of `api-spec/` a service.
pub const SERVICE_FILE: &str = "service.json";

/// The folder of `api-spec/` that holds the JSON Schema of the format, not a service.
pub const SCHEMA_DIR: &str = "schema";

/// A parsed file with what is needed to report problems in it.
pub struct Loaded<T> {
    pub path: PathBuf,
    pub value: T,
    pub locations: Locations,
}

impl<T> Loaded<T> {
    /// A diagnostic at `pointer` in this file.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.locations.find(pointer);
        Diagnostic {
            file: self.path.clone(),
            pointer: pointer.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// One service folder: its `service.json` and one file per operation, in file-name order.
pub struct ServiceSources {
    pub service: Loaded<ServiceFile>,
    /// Hand-written operations, then imported ones that no hand-written file replaces.
    pub operations: Vec<Loaded<OperationFile>>,
    /// How many of `operations` (from the start) are hand-written.
    pub curated: usize,
    /// `imported/shapes.json`, if present.
    pub imported_shapes: Option<Loaded<ShapesFile>>,
}

/// The folder of a service holding the importer's output; hand-written files win over it.
pub const IMPORTED_DIR: &str = "imported";

/// The shapes file of the imported folder.
pub const SHAPES_FILE: &str = "shapes.json";

/// Loads every service folder under `spec_root` (a folder with a `service.json`), in name
/// order, collecting every problem of every file.
pub fn load_all(spec_root: &Path) -> Result<Vec<ServiceSources>, SpecErrors> {
    let mut services = Vec::new();
    let mut errors = Vec::new();
    let dirs = sorted_entries(spec_root).map_err(|e| SpecErrors(vec![io_error(spec_root, &e)]))?;
    for dir in dirs
        .iter()
        .filter(|p| p.is_dir() && !p.join(SERVICE_FILE).is_file())
    {
        // A folder of operations without its service file would be skipped silently.
        let has_json = sorted_entries(dir).is_ok_and(|files| {
            files
                .iter()
                .any(|f| f.extension().is_some_and(|e| e == "json"))
        });
        if has_json && dir.file_name().is_none_or(|n| n != SCHEMA_DIR) {
            errors.push(Diagnostic {
                file: dir.clone(),
                pointer: String::new(),
                line: 1,
                column: 1,
                message: format!("this folder holds spec files but no `{SERVICE_FILE}`; every service folder needs one"),
            });
        }
    }
    for dir in dirs.into_iter().filter(|p| p.join(SERVICE_FILE).is_file()) {
        match load_service(&dir) {
            Ok(service) => services.push(service),
            Err(SpecErrors(mut more)) => errors.append(&mut more),
        }
    }
    if services.is_empty() && errors.is_empty() {
        errors.push(Diagnostic {
            file: spec_root.to_owned(),
            pointer: String::new(),
            line: 1,
            column: 1,
            message: format!("no service found: expected a folder holding a `{SERVICE_FILE}`"),
        });
    }
    if errors.is_empty() {
        Ok(services)
    } else {
        Err(SpecErrors(errors))
    }
}

/// Loads one service folder.
pub fn load_service(dir: &Path) -> Result<ServiceSources, SpecErrors> {
    let mut errors = Vec::new();
    let service = load_file::<ServiceFile>(&dir.join(SERVICE_FILE))
        .map_err(|e| errors.push(e))
        .ok();
    let mut operations = load_operations(dir, &mut errors)?;
    let curated = operations.len();
    let imported_dir = dir.join(IMPORTED_DIR);
    let mut imported_shapes = None;
    if imported_dir.is_dir() {
        // A hand-written file replaces the imported file of the same operation.
        let replaced: Vec<std::ffi::OsString> = operations
            .iter()
            .filter_map(|op| op.path.file_name().map(ToOwned::to_owned))
            .collect();
        let imported = load_operations(&imported_dir, &mut errors)?;
        operations.extend(imported.into_iter().filter(|op| {
            op.path
                .file_name()
                .is_none_or(|n| !replaced.iter().any(|r| r == n))
        }));
        let shapes = imported_dir.join(SHAPES_FILE);
        if shapes.is_file() {
            imported_shapes = load_file::<ShapesFile>(&shapes)
                .map_err(|e| errors.push(e))
                .ok();
        }
    }
    match service {
        Some(service) if errors.is_empty() => Ok(ServiceSources {
            service,
            operations,
            curated,
            imported_shapes,
        }),
        _ => Err(SpecErrors(errors)),
    }
}

/// The operation files directly in `dir` (every `*.json` but the service and shapes files),
/// parsed on every core.
fn load_operations(
    dir: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Result<Vec<Loaded<OperationFile>>, SpecErrors> {
    let mut files = sorted_entries(dir).map_err(|e| SpecErrors(vec![io_error(dir, &e)]))?;
    files.retain(|file| {
        let is_json = file.is_file() && file.extension().is_some_and(|e| e == "json");
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        is_json && name != SERVICE_FILE && name != SHAPES_FILE
    });
    let loaded = crate::parallel::map(&files, crate::parallel::threads(), |file| {
        load_file::<OperationFile>(file)
    });
    let mut operations = Vec::new();
    for result in loaded {
        match result {
            Ok(op) => operations.push(op),
            Err(e) => errors.push(e),
        }
    }
    Ok(operations)
}

/// Parses one file into `T`.
pub fn load_file<T: DeserializeOwned>(path: &Path) -> Result<Loaded<T>, Diagnostic> {
    let text = fs::read_to_string(path).map_err(|e| io_error(path, &e))?;
    parse_text(path, &text)
}

/// Parses `text` (the content of `path`) into `T`.
pub fn parse_text<T: DeserializeOwned>(path: &Path, text: &str) -> Result<Loaded<T>, Diagnostic> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
    // Trailing characters after the document are a syntax error too.
    let parsed = parsed.and_then(|value| match deserializer.end() {
        Ok(()) => Ok(value),
        Err(e) => Err(serde_path_to_error::Error::new(
            serde_path_to_error::Track::new().path(),
            e,
        )),
    });
    match parsed {
        Ok(value) => Ok(Loaded {
            path: path.to_owned(),
            value,
            locations: Locations::index(text),
        }),
        Err(error) => {
            let pointer = pointer_of(error.path());
            let inner = error.inner();
            let locations = Locations::index(text);
            let is_data = inner.classify() == serde_json::error::Category::Data;
            let (line, column) = if is_data && !pointer.is_empty() && locations.has(&pointer) {
                // Point at the start of the offending value, like resolve-stage errors.
                locations.find(&pointer)
            } else if inner.line() > 0 {
                (
                    inner.line(),
                    char_column(text, inner.line(), inner.column()),
                )
            } else {
                locations.find(&pointer)
            };
            let message = match inner.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                    format!("invalid JSON: {}", strip_position(&inner.to_string()))
                }
                _ => strip_position(&inner.to_string()),
            };
            Err(Diagnostic {
                file: path.to_owned(),
                pointer,
                line,
                column,
                message,
            })
        }
    }
}

/// serde_json counts columns in bytes (and 0 before the first character); diagnostics count
/// characters from 1.
fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(line_text) = text.lines().nth(line.saturating_sub(1)) else {
        return byte_column.max(1);
    };
    let mut end = byte_column.min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    line_text[..end].chars().count().max(1)
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => pointer.push_str(&format!("/{}", escape(key))),
            Segment::Enum { variant } => pointer.push_str(&format!("/{}", escape(variant))),
            Segment::Unknown => {}
        }
    }
    pointer
}

/// serde_json appends " at line L column C"; the diagnostic carries those itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()?;
    entries.sort();
    Ok(entries)
}

fn io_error(path: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic {
        file: path.to_owned(),
        pointer: String::new(),
        line: 1,
        column: 1,
        message: format!("cannot read: {error}"),
    }
}
