//! The generic walk against serde's derive on the same structure: same values, same errors.

use serde::Deserialize;
use serde::de::Deserializer;

use super::{WireStruct, deserialize_struct};

/// What serde's derive makes of the structures below.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
struct Derived {
    #[serde(rename = "Name")]
    name: Option<String>,
    count: Option<i32>,
    #[serde(with = "crate::wire::string_encoded")]
    size: Option<u32>,
    #[serde(skip)]
    cluster_id: String,
    tags: Option<Vec<Derived>>,
}

/// The same structure on the generic walk, as `#[derive(WireDeserialize)]` writes it.
#[derive(Debug, Default, PartialEq)]
struct Wire {
    name: Option<String>,
    count: Option<i32>,
    size: Option<u32>,
    cluster_id: String,
    tags: Option<Vec<Wire>>,
}

impl WireStruct for Wire {
    const NAME: &'static str = "Derived";
    const MEMBERS: &'static [&'static str] = &["Name", "count", "size", "tags"];

    fn read_member<'de, D: Deserializer<'de>>(
        &mut self,
        index: usize,
        deserializer: D,
    ) -> Result<(), D::Error> {
        match index {
            0 => self.name = Deserialize::deserialize(deserializer)?,
            1 => self.count = Deserialize::deserialize(deserializer)?,
            2 => self.size = crate::wire::string_encoded::deserialize(deserializer)?,
            3 => self.tags = Deserialize::deserialize(deserializer)?,
            _ => {}
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Wire {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_struct(deserializer)
    }
}

/// Without a container default: `id` is required, `note` is an absent-able `Option`.
#[derive(Debug, PartialEq, Deserialize)]
struct DerivedStrict {
    id: String,
    note: Option<String>,
    #[serde(default)]
    level: i32,
}

#[derive(Debug, Default, PartialEq)]
struct WireStrict {
    id: String,
    note: Option<String>,
    level: i32,
}

impl WireStruct for WireStrict {
    const NAME: &'static str = "DerivedStrict";
    const MEMBERS: &'static [&'static str] = &["id", "note", "level"];
    const REQUIRED: &'static [usize] = &[0, 1];

    fn read_member<'de, D: Deserializer<'de>>(
        &mut self,
        index: usize,
        deserializer: D,
    ) -> Result<(), D::Error> {
        match index {
            0 => self.id = Deserialize::deserialize(deserializer)?,
            1 => self.note = Deserialize::deserialize(deserializer)?,
            2 => self.level = Deserialize::deserialize(deserializer)?,
            _ => {}
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for WireStrict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_struct(deserializer)
    }
}

fn wire_of(d: Derived) -> Wire {
    Wire {
        name: d.name,
        count: d.count,
        size: d.size,
        cluster_id: d.cluster_id,
        tags: d.tags.map(|tags| tags.into_iter().map(wire_of).collect()),
    }
}

fn strict_of(d: DerivedStrict) -> WireStrict {
    WireStrict {
        id: d.id,
        note: d.note,
        level: d.level,
    }
}

const INPUTS: &[&str] = &[
    "{}",
    r#"{"Name": "a", "count": 3, "size": "120", "tags": [{"Name": "b"}, {}]}"#,
    r#"{"Name": null, "count": null, "size": null, "tags": null}"#,
    r#"{"size": 120}"#,
    r#"{"size": "big"}"#,
    r#"{"count": "3"}"#,
    r#"{"count": 3, "count": 4}"#,
    r#"{"tags": [{"Name": 1}]}"#,
    r#"{"unknown": {"deep": [1, 2]}, "cluster_id": "c", "name": "lower"}"#,
    r#"{"tags": [{"Name": "a", "Name": "b"}]}"#,
    "[]",
    r#"["a"]"#,
    r#"["a", 3, "12", [{}], "extra"]"#,
    r#"[null, "3"]"#,
    r#"["x", null]"#,
    r#"["x"]"#,
    "null",
    r#""text""#,
    "3",
    r#"{"count": 3"#,
    r#"{"id": "x"}"#,
    r#"{"note": "n"}"#,
    r#"{"id": "x", "note": null, "level": 2}"#,
    r#"{"id": "x", "id": "y"}"#,
    r#"{"id": 5}"#,
];

fn outcome<T, U: PartialEq + std::fmt::Debug>(
    result: Result<T, impl ToString>,
    convert: impl Fn(T) -> U,
) -> Result<U, String> {
    result.map(convert).map_err(|e| e.to_string())
}

#[test]
fn from_text_matches_serde_derive() {
    for input in INPUTS {
        assert_eq!(
            outcome(serde_json::from_str::<Wire>(input), |w| w),
            outcome(serde_json::from_str::<Derived>(input), wire_of),
            "{input}"
        );
        assert_eq!(
            outcome(serde_json::from_str::<WireStrict>(input), |w| w),
            outcome(serde_json::from_str::<DerivedStrict>(input), strict_of),
            "{input}"
        );
    }
}

#[test]
fn from_value_matches_serde_derive() {
    for input in INPUTS {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(input) else {
            continue;
        };
        assert_eq!(
            outcome(serde_json::from_value::<Wire>(value.clone()), |w| w),
            outcome(serde_json::from_value::<Derived>(value.clone()), wire_of),
            "{input}"
        );
        assert_eq!(
            outcome(Wire::deserialize(&value), |w| w),
            outcome(Derived::deserialize(&value), wire_of),
            "{input}"
        );
        assert_eq!(
            outcome(serde_json::from_value::<WireStrict>(value.clone()), |w| w),
            outcome(serde_json::from_value::<DerivedStrict>(value), strict_of),
            "{input}"
        );
    }
}

#[test]
fn skipped_members_keep_their_default_and_are_unknown_keys() {
    let wire: Wire = serde_json::from_str(r#"{"cluster_id": "c", "count": 1}"#).unwrap();
    assert_eq!(wire.cluster_id, "");
    assert_eq!(wire.count, Some(1));
}

#[test]
fn many_members_are_tracked_past_128() {
    #[derive(Debug, Default)]
    struct Wide(Vec<u8>);
    impl WireStruct for Wide {
        const NAME: &'static str = "Wide";
        const MEMBERS: &'static [&'static str] = &[
            "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11", "m12", "m13",
            "m14", "m15", "m16", "m17", "m18", "m19", "m20", "m21", "m22", "m23", "m24", "m25",
            "m26", "m27", "m28", "m29", "m30", "m31", "m32", "m33", "m34", "m35", "m36", "m37",
            "m38", "m39", "m40", "m41", "m42", "m43", "m44", "m45", "m46", "m47", "m48", "m49",
            "m50", "m51", "m52", "m53", "m54", "m55", "m56", "m57", "m58", "m59", "m60", "m61",
            "m62", "m63", "m64", "m65", "m66", "m67", "m68", "m69", "m70", "m71", "m72", "m73",
            "m74", "m75", "m76", "m77", "m78", "m79", "m80", "m81", "m82", "m83", "m84", "m85",
            "m86", "m87", "m88", "m89", "m90", "m91", "m92", "m93", "m94", "m95", "m96", "m97",
            "m98", "m99", "m100", "m101", "m102", "m103", "m104", "m105", "m106", "m107", "m108",
            "m109", "m110", "m111", "m112", "m113", "m114", "m115", "m116", "m117", "m118", "m119",
            "m120", "m121", "m122", "m123", "m124", "m125", "m126", "m127", "m128", "m129", "m130",
        ];
        const REQUIRED: &'static [usize] = &[130];
        fn read_member<'de, D: Deserializer<'de>>(
            &mut self,
            index: usize,
            deserializer: D,
        ) -> Result<(), D::Error> {
            u8::deserialize(deserializer).map(|v| self.0.push(v + u8::from(index == 129)))
        }
    }
    let ok: Wide = deserialize_struct(&serde_json::json!({"m0": 1, "m129": 1, "m130": 3})).unwrap();
    assert_eq!(ok.0, [1, 2, 3]);
    let twice = deserialize_struct::<Wide, _>(&mut serde_json::Deserializer::from_str(
        r#"{"m129": 1, "m129": 1}"#,
    ));
    assert!(
        twice
            .unwrap_err()
            .to_string()
            .starts_with("duplicate field `m129`")
    );
    let missing = deserialize_struct::<Wide, _>(&serde_json::json!({"m129": 1}));
    assert_eq!(missing.unwrap_err().to_string(), "missing field `m130`");
}

/// The command line's reading of a body: unknown keys through `serde_ignored`, error paths
/// through `serde_path_to_error`.
#[cfg(feature = "cli")]
#[test]
fn ignored_keys_and_error_paths_match_serde_derive() {
    fn run<T: serde::de::DeserializeOwned>(
        value: &serde_json::Value,
    ) -> (Result<(), String>, Vec<String>) {
        let mut ignored = Vec::new();
        let result: Result<T, _> = serde_path_to_error::deserialize(
            serde_ignored::Deserializer::new(value, &mut |path: serde_ignored::Path<'_>| {
                ignored.push(path.to_string())
            }),
        );
        (
            result
                .map(|_| ())
                .map_err(|e| format!("{} at {}", e.inner(), e.path())),
            ignored,
        )
    }
    let mut inputs: Vec<serde_json::Value> = INPUTS
        .iter()
        .filter_map(|input| serde_json::from_str(input).ok())
        .collect();
    inputs.push(serde_json::json!({"tags": [{"colour": "b"}, {"Name": "x", "size": "12x"}]}));
    inputs.push(serde_json::json!({"tags": [{}, {"count": [1]}], "extra": 1}));
    for value in &inputs {
        assert_eq!(run::<Wire>(value), run::<Derived>(value), "{value}");
        assert_eq!(
            run::<WireStrict>(value),
            run::<DerivedStrict>(value),
            "{value}"
        );
    }
    let (result, ignored) = run::<Wire>(&inputs[inputs.len() - 2]);
    assert_eq!(ignored, ["tags.?.0.colour"]);
    assert!(result.unwrap_err().ends_with(" at tags[1].size"));
}
