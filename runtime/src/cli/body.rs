//! The request body on the command line: `--body`, `--body-file`, member flags, and the typed
//! request made from them.

use std::io::Read as _;

use clap::ArgMatches;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::output::{Failure, exit};

/// Reads `--body '<json>'` or `--body-file FILE` (`-` for standard input); an empty object
/// when neither is given. The body must be a JSON object.
pub fn read_body(matches: &ArgMatches) -> Result<Map<String, Value>, Failure> {
    match read_payload(matches)? {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(Failure::new(
            exit::INVALID,
            format!(
                "the body (--body or --body-file): expected a JSON object, found {}",
                kind(&other)
            ),
        )),
    }
}

/// Reads the body of an operation whose body is one member (a payload): any JSON; `null`
/// when no body is given.
pub fn read_payload(matches: &ArgMatches) -> Result<Value, Failure> {
    let (text, source) = if let Some(text) = matches.try_get_one::<String>("body").ok().flatten() {
        (text.clone(), "--body".to_owned())
    } else if let Some(file) = matches.try_get_one::<String>("body-file").ok().flatten() {
        let mut text = String::new();
        let read = if file == "-" {
            std::io::stdin().read_to_string(&mut text).map(|_| ())
        } else {
            std::fs::read_to_string(file).map(|t| text = t)
        };
        read.map_err(|e| {
            Failure::new(
                exit::INVALID,
                format!("--body-file {file}: cannot read: {e}"),
            )
        })?;
        (text, format!("--body-file {file}"))
    } else {
        return Ok(Value::Null);
    };
    serde_json::from_str::<Value>(&text)
        .map_err(|e| Failure::new(exit::INVALID, format!("{source}: invalid JSON: {e}")))
}

/// What a member flag's text becomes in the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    /// A JSON string.
    Text,
    /// A JSON integer.
    Integer,
    /// A JSON number.
    Number,
    /// `true` or `false`.
    Boolean,
}

/// Puts the value of flag `id` (if given) into the body as `wire`, overriding the body's own.
pub fn set_body_flag(
    body: &mut Map<String, Value>,
    matches: &ArgMatches,
    id: &str,
    flag: &str,
    wire: &str,
    kind: FlagKind,
) -> Result<(), Failure> {
    let Some(text) = matches.try_get_one::<String>(id).ok().flatten() else {
        return Ok(());
    };
    body.insert(wire.to_owned(), flag_value(text, flag, kind)?);
    Ok(())
}

/// The typed value of a flag's text.
pub fn flag_value(text: &str, flag: &str, kind: FlagKind) -> Result<Value, Failure> {
    let invalid = |expected: &str| {
        Failure::new(
            exit::INVALID,
            format!("--{flag}: expected {expected}, got {text:?}"),
        )
    };
    Ok(match kind {
        FlagKind::Text => Value::String(text.to_owned()),
        FlagKind::Integer => Value::from(
            text.trim()
                .parse::<i64>()
                .map_err(|_| invalid("an integer"))?,
        ),
        FlagKind::Number => {
            let n: f64 = text.trim().parse().map_err(|_| invalid("a number"))?;
            serde_json::Number::from_f64(n)
                .map(Value::Number)
                .ok_or_else(|| invalid("a finite number"))?
        }
        FlagKind::Boolean => match text.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(invalid("true or false")),
        },
    })
}

/// Keys of the body that the request type does not know, with their values, to be sent
/// unchanged when validation is skipped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extras(pub Vec<(Vec<PathSegment>, Value)>);

/// One step of a path into a JSON document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

impl Extras {
    /// The paths, as `tags[0].colour`.
    pub fn paths(&self) -> Vec<String> {
        self.0.iter().map(|(path, _)| display_path(path)).collect()
    }

    /// Puts every extra back into `body` at its path.
    pub fn merge_into(&self, body: &mut Value) {
        for (path, value) in &self.0 {
            insert(body, path, value.clone());
        }
    }
}

fn insert(target: &mut Value, path: &[PathSegment], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        *target = value;
        return;
    };
    match (first, target) {
        (PathSegment::Key(key), Value::Object(map)) => {
            let slot = map.entry(key.clone()).or_insert(Value::Null);
            if rest.is_empty() {
                *slot = value;
            } else {
                insert(slot, rest, value);
            }
        }
        (PathSegment::Index(index), Value::Array(items)) => {
            if let Some(slot) = items.get_mut(*index) {
                insert(slot, rest, value);
            }
        }
        _ => {}
    }
}

fn display_path(path: &[PathSegment]) -> String {
    let mut text = String::new();
    for segment in path {
        match segment {
            PathSegment::Key(key) => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(key);
            }
            PathSegment::Index(index) => text.push_str(&format!("[{index}]")),
        }
    }
    text
}

fn segments(path: &serde_ignored::Path<'_>) -> Vec<PathSegment> {
    use serde_ignored::Path;
    let mut out = match path {
        Path::Root => return Vec::new(),
        Path::Seq { parent, .. }
        | Path::Map { parent, .. }
        | Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => segments(parent),
    };
    match path {
        Path::Seq { index, .. } => out.push(PathSegment::Index(*index)),
        Path::Map { key, .. } => out.push(PathSegment::Key(key.clone())),
        _ => {}
    }
    out
}

/// The typed request of `body`. Type errors name the member's path. Keys the type does not
/// know are an error, unless `keep_unknown`, when they are returned to be sent unchanged.
pub fn parse_request<T: DeserializeOwned>(
    body: impl Into<Value>,
    keep_unknown: bool,
) -> Result<(T, Extras), Failure> {
    let document: Value = body.into();
    let mut unknown = Vec::new();
    let mut record = |path: serde_ignored::Path<'_>| unknown.push(segments(&path));
    let parsed: Result<T, _> =
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(&document, &mut record));
    let request = parsed.map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." {
            String::new()
        } else {
            format!(" at `{path}`")
        };
        Failure::new(exit::INVALID, format!("body{at}: {}", e.inner()))
    })?;
    let extras: Vec<(Vec<PathSegment>, Value)> = unknown
        .into_iter()
        .map(|path| {
            let value = lookup(&document, &path).cloned().unwrap_or(Value::Null);
            (path, value)
        })
        .collect();
    if !extras.is_empty() && !keep_unknown {
        let lines = extras
            .iter()
            .map(|(path, _)| {
                format!(
                    "body: unknown key `{}` (check the spelling; --no-validate sends it unchanged)",
                    display_path(path)
                )
            })
            .collect();
        return Err(Failure::lines(exit::INVALID, lines));
    }
    Ok((request, Extras(extras)))
}

fn lookup<'a>(document: &'a Value, path: &[PathSegment]) -> Option<&'a Value> {
    path.iter()
        .try_fold(document, |value, segment| match segment {
            PathSegment::Key(key) => value.get(key),
            PathSegment::Index(index) => value.get(index),
        })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
