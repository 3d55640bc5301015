//! `#[derive(WireDeserialize)]` against serde's `#[derive(Deserialize)]` on the same
//! structures (the attributes the generator writes): the same values, the same errors, the
//! same unknown keys and error paths on the command line's reading of a body. Inputs are
//! listed cases and generated JSON values.

use acs_macros::WireDeserialize;
use acs_runtime::cli::parse_request;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The same items twice: in `wire` with `WireDeserialize`, in `derived` with serde's derive.
macro_rules! twins {
    ($($item:item)*) => {
        mod wire {
            use super::*;
            $(
                #[derive(Clone, Debug, Default, PartialEq, Serialize, WireDeserialize)]
                $item
            )*
        }
        mod derived {
            use super::*;
            $(
                #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
                $item
            )*
        }
    };
}

twins! {
    #[serde(default)]
    pub struct Request {
        #[serde(skip)]
        pub cluster_id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub count: Option<i32>,
        #[serde(rename = "Name", skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(with = "acs_runtime::wire::string_encoded", skip_serializing_if = "Option::is_none")]
        pub size: Option<u32>,
        #[serde(with = "acs_runtime::wire::string_encoded", skip_serializing_if = "Option::is_none")]
        pub encrypted: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub r#type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tags: Option<Vec<Tag>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub labels: Option<std::collections::BTreeMap<String, Tag>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub extra: Option<Value>,
    }

    #[serde(default)]
    pub struct Tag {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub key: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub value: Option<String>,
    }

    #[serde(transparent)]
    pub struct ListResponse {
        pub body: Option<Vec<Tag>>,
    }

    pub struct Strict {
        pub id: String,
        pub note: Option<String>,
        #[serde(default)]
        pub level: i32,
    }
}

/// What an input becomes: the value (serialized, to compare across the two types) or the
/// error's text.
type Outcome = Result<Value, String>;

fn text<T: DeserializeOwned + Serialize>(input: &str) -> Outcome {
    serde_json::from_str::<T>(input)
        .map(|v| serde_json::to_value(v).unwrap())
        .map_err(|e| e.to_string())
}

fn value<T: DeserializeOwned + Serialize>(input: &Value) -> (Outcome, Outcome) {
    let by_ref = T::deserialize(input)
        .map(|v| serde_json::to_value(v).unwrap())
        .map_err(|e| e.to_string());
    let owned = serde_json::from_value::<T>(input.clone())
        .map(|v| serde_json::to_value(v).unwrap())
        .map_err(|e| e.to_string());
    (by_ref, owned)
}

/// What the command line makes of a body: the request and the unknown keys' paths, or the
/// error lines.
type CliOutcome = Result<(Value, Vec<String>), Vec<String>>;

/// The command line's reading: unknown keys rejected, then kept.
fn cli<T: DeserializeOwned + Serialize>(input: &Value) -> Vec<CliOutcome> {
    [false, true]
        .into_iter()
        .map(|keep| {
            parse_request::<T>(input.clone(), keep)
                .map(|(v, extras)| (serde_json::to_value(v).unwrap(), extras.paths()))
                .map_err(|failure| failure.lines)
        })
        .collect()
}

fn same<W, D>(input: &str)
where
    W: DeserializeOwned + Serialize,
    D: DeserializeOwned + Serialize,
{
    assert_eq!(text::<W>(input), text::<D>(input), "text {input}");
    if let Ok(parsed) = serde_json::from_str::<Value>(input) {
        assert_eq!(value::<W>(&parsed), value::<D>(&parsed), "value {input}");
        assert_eq!(cli::<W>(&parsed), cli::<D>(&parsed), "cli {input}");
    }
}

fn same_everywhere(input: &str) {
    same::<wire::Request, derived::Request>(input);
    same::<wire::Tag, derived::Tag>(input);
    same::<wire::ListResponse, derived::ListResponse>(input);
    same::<wire::Strict, derived::Strict>(input);
}

#[test]
fn listed_inputs_match_serde_derive() {
    let inputs = [
        "{}",
        "null",
        "[]",
        "[{}]",
        r#"[3, "n", "12", "true", "t", [{"key": "k"}]]"#,
        r#"["x"]"#,
        r#"["x", null, 3, 4]"#,
        "3",
        r#""text""#,
        r#"{"count": 3, "Name": "n", "size": "120", "encrypted": "true", "type": "t"}"#,
        r#"{"size": 120, "encrypted": false}"#,
        r#"{"size": "12x"}"#,
        r#"{"size": -1}"#,
        r#"{"count": "3"}"#,
        r#"{"count": 3, "count": 3}"#,
        r#"{"Name": null, "size": null, "tags": null, "extra": null}"#,
        r#"{"name": "lower", "cluster_id": "c", "coutn": 3}"#,
        r#"{"tags": [{"key": "a", "colour": "b"}, {"value": 1}]}"#,
        r#"{"tags": [[], ["k", "v"], ["k", "v", "extra"]]}"#,
        r#"{"labels": {"a": {"key": "k"}, "b": {"key": 2}}}"#,
        r#"{"extra": {"anything": [1, {"x": null}]}}"#,
        r#"[{"key": "a"}, {"key": "b", "key": "c"}]"#,
        r#"{"id": "x"}"#,
        r#"{"note": "n"}"#,
        r#"{"id": "x", "note": null, "level": 2}"#,
        r#"{"id": 5, "level": "2"}"#,
        r#"{"id": "x", "id": "y"}"#,
        r#"{"count": 3"#,
        r#"{"count": 3} trailing"#,
    ];
    for input in inputs {
        same_everywhere(input);
    }
}

#[test]
fn unknown_keys_and_paths_on_the_command_line() {
    let body = json!({"count": 1, "tags": [{"key": "a", "colour": "b"}], "coutn": 2});
    let errors = parse_request::<wire::Request>(body.clone(), false)
        .unwrap_err()
        .lines;
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("unknown key `coutn`"), "{errors:?}");
    assert!(
        errors[1].contains("unknown key `tags[0].colour`"),
        "{errors:?}"
    );
    let (_, extras) = parse_request::<wire::Request>(body, true).unwrap();
    assert_eq!(extras.paths(), ["coutn", "tags[0].colour"]);
    let error = parse_request::<wire::Request>(json!({"tags": [{}, {"value": 1}]}), true)
        .unwrap_err()
        .lines;
    assert_eq!(error.len(), 1);
    assert!(
        error[0].starts_with("body at `tags[1].value`: invalid type: integer `1`"),
        "{error:?}"
    );
}

/// Small JSON values, sometimes of the members' types, mostly not.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-3i64..300).prop_map(Value::from),
        prop_oneof![Just("120"), Just("true"), Just("x"), Just(" 7 ")].prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::vec((key(), inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// Member names of the structures above, and some that are not.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("count"),
        Just("Name"),
        Just("name"),
        Just("size"),
        Just("encrypted"),
        Just("type"),
        Just("tags"),
        Just("labels"),
        Just("extra"),
        Just("cluster_id"),
        Just("key"),
        Just("value"),
        Just("id"),
        Just("note"),
        Just("level"),
        Just("other"),
    ]
    .prop_map(str::to_owned)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn generated_inputs_match_serde_derive(input in any_json()) {
        same_everywhere(&input.to_string());
    }

    /// Objects written out with repeated keys, which a `Value` cannot hold.
    #[test]
    fn repeated_keys_match_serde_derive(entries in prop::collection::vec((key(), any_json()), 0..5)) {
        let members: Vec<String> = entries.iter().map(|(k, v)| format!("{}: {v}", Value::from(k.as_str()))).collect();
        let input = format!("{{{}}}", members.join(", "));
        same::<wire::Request, derived::Request>(&input);
        same::<wire::Strict, derived::Strict>(&input);
    }
}
