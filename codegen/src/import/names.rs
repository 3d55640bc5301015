//! Names: member keys, shape names and operation groups.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Directory titles of the metadata → operation groups (cargo features of the generated
/// crate). Picked by hand from the CS 2015-12-15 metadata; a title missing here stops the
/// import, so a new directory gets a name chosen by a person.
pub const GROUPS: &[(&str, &str)] = &[
    ("集群", "clusters"),
    ("节点池", "node_pools"),
    ("节点", "nodes"),
    ("组件", "addons"),
    ("升级", "upgrades"),
    ("权限", "permissions"),
    ("编排模版", "templates"),
    ("触发器", "triggers"),
    ("标签", "tags"),
    ("报警", "alerts"),
    ("日志", "logs"),
    ("事件", "events"),
    ("任务", "tasks"),
    ("工作流", "workflows"),
    ("策略治理", "policies"),
    ("其他", "others"),
    ("废弃", "deprecated"),
];

/// The group of operations listed at the top level of `directories`, outside any directory
/// (in CS 2015-12-15: OpenAckService).
pub const ROOT_GROUP: &str = "others";

/// The directory title whose operations Alibaba has retired ("deprecated"): they are marked
/// deprecated even when the operation itself does not say so.
pub const RETIRED_DIRECTORY: &str = "废弃";

/// The group for a directory title.
pub fn group_of(title: &str) -> Option<&'static str> {
    GROUPS.iter().find(|(t, _)| *t == title).map(|(_, g)| *g)
}

/// The snake_case member key for a wire name, and whether it had to be sanitized (anything
/// beyond plain snake-casing).
pub fn member_key(wire: &str) -> (String, bool) {
    let snake = wire.to_snake_case();
    let mut key: String = snake
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    key = key
        .split('_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    let mut sanitized = key != snake;
    if key.is_empty() {
        key = "field".to_owned();
        sanitized = true;
    }
    if key.starts_with(|c: char| c.is_ascii_digit()) {
        key = format!("n{key}");
        sanitized = true;
    }
    if matches!(key.as_str(), "self" | "super" | "crate") {
        key = format!("{key}_field");
        sanitized = true;
    }
    // The generator snake-cases the key again for the Rust field; it must be a fixed point.
    if key.to_snake_case() != key {
        key = key.to_snake_case();
        sanitized = true;
    }
    (key, sanitized)
}

/// The UpperCamelCase form of a name, letters and digits only (a part of a shape name).
pub fn camel(name: &str) -> String {
    name.to_upper_camel_case()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The shape name for a `components.schemas` key: `data_disk` → `DataDisk`.
pub fn shape_name(key: &str) -> String {
    let name = camel(key);
    if name.starts_with(|c: char| c.is_ascii_uppercase()) {
        name
    } else {
        format!("Shape{name}")
    }
}

/// Member keys of one structure, unique, with the binding of each.
#[derive(Default)]
pub struct Keys(BTreeMap<String, String>);

impl Keys {
    /// A unique key for `wire`, bound to `binding` (`path`, `query`, `header` or `body`): its
    /// snake_case form; else, when that key belongs to a member of another binding,
    /// `<binding>_<key>`; else a numbered one. Returns the key and why it is not the plain
    /// snake_case form, if it is not.
    pub fn allocate(&mut self, wire: &str, binding: &str) -> (String, Option<String>) {
        let (key, sanitized) = member_key(wire);
        let mut why = sanitized.then(|| "not usable as a Rust field name".to_owned());
        let mut candidate = key.clone();
        if let Some(other) = self.0.get(&candidate) {
            why = Some(format!("`{key}` is already a member of the structure"));
            if other != binding {
                candidate = format!("{binding}_{key}");
            }
            let mut n = 2;
            while self.0.contains_key(&candidate) {
                candidate = format!("{key}_{n}");
                n += 1;
            }
        }
        self.0.insert(candidate.clone(), binding.to_owned());
        (candidate, why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(member_key("ClusterId"), ("cluster_id".to_owned(), false));
        assert_eq!(
            member_key("instanceIds"),
            ("instance_ids".to_owned(), false)
        );
        assert_eq!(member_key("ClusterID"), ("cluster_id".to_owned(), false));
        assert_eq!(member_key("type"), ("type".to_owned(), false));
        assert_eq!(member_key("self"), ("self_field".to_owned(), true));
        assert_eq!(member_key("1st"), ("n1st".to_owned(), true));
        assert_eq!(member_key("a-b.c"), ("a_b_c".to_owned(), false));
        assert_eq!(member_key("名字"), ("field".to_owned(), true));
        assert_eq!(member_key("x名"), ("x".to_owned(), true));
    }

    #[test]
    fn unique_keys() {
        let mut keys = Keys::default();
        assert_eq!(keys.allocate("RequestId", "body").0, "request_id");
        let (k, why) = keys.allocate("request_id", "body");
        assert_eq!(k, "request_id_2");
        assert!(why.is_some());
        assert_eq!(keys.allocate("cluster_id", "path").0, "cluster_id");
        assert_eq!(keys.allocate("cluster_id", "body").0, "body_cluster_id");
        assert_eq!(keys.allocate("ClusterId", "body").0, "cluster_id_2");
    }

    #[test]
    fn shape_names() {
        assert_eq!(shape_name("data_disk"), "DataDisk");
        assert_eq!(shape_name("kubelet_config"), "KubeletConfig");
        assert_eq!(camel("nodepool_info"), "NodepoolInfo");
        assert_eq!(camel("StandardComponents"), "StandardComponents");
        assert_eq!(shape_name("1x"), "Shape1x");
    }

    #[test]
    fn every_group_is_snake_case() {
        for (_, g) in GROUPS {
            assert_eq!(g.to_snake_case(), *g);
        }
    }
}
