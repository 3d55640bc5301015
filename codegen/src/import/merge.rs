//! Inline structures that several operations declare alike become one shared shape.
//!
//! The metadata declares an operation's structures inline, so a node pool's
//! `kubernetes_config` is a shape of CreateClusterNodePool, of ModifyClusterNodePool and of both
//! describe operations. Inline shapes with the same members (keys, wire names, types,
//! bindings, `required`, defaults, sensitivity, deprecation and constraints), whose nested
//! structures are alike in the same way, are declared once in `shapes.json`. A user can then
//! take the structure a describe operation returns and send it back in a request.
//!
//! Documentation and examples do not count: they differ in punctuation and sample values. The
//! shared shape keeps the first declaration's (operations by name), and the report lists every
//! merge.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::out::{self, Ordered};

/// One merge: the shared shape's name and the inline names it replaces, in order.
#[derive(Debug)]
pub struct Merge {
    pub shared: String,
    pub replaced: Vec<String>,
}

/// Moves inline shapes of `operations` that are alike into shared shapes, which it returns
/// (sorted by name) with the merges. `claim` turns a proposed name into a unique one.
pub fn merge_alike_shapes(
    operations: &mut [out::OperationFile],
    mut claim: impl FnMut(&str) -> String,
) -> (Vec<(String, out::Shape)>, Vec<Merge>) {
    let operation_of: BTreeMap<String, String> = operations
        .iter()
        .flat_map(|op| {
            op.shapes
                .0
                .iter()
                .map(|(name, _)| (name.clone(), op.name.clone()))
        })
        .collect();
    let inline: BTreeMap<&str, &out::Shape> = operations
        .iter()
        .flat_map(|op| op.shapes.0.iter().map(|(n, s)| (n.as_str(), s)))
        .collect();
    let mut groups: Vec<(Vec<String>, String)> = alike_groups(operations, &inline)
        .into_iter()
        .filter_map(|group| {
            let name = shared_name(&group, &operation_of)?;
            Some((group, name))
        })
        .collect();
    // A shared shape must not name a shape that stays in an operation's file: a group whose
    // structures contain one stays inline too, until no group does.
    loop {
        let merged: BTreeSet<String> = groups
            .iter()
            .flat_map(|(group, _)| group.iter().cloned())
            .collect();
        let before = groups.len();
        groups.retain(|(group, _)| {
            nested_shapes(inline[group[0].as_str()])
                .iter()
                .all(|n| !inline.contains_key(n.as_str()) || merged.contains(n))
        });
        if groups.len() == before {
            break;
        }
    }
    let mut renamed = BTreeMap::new();
    let mut merges = Vec::new();
    for (group, name) in &groups {
        let shared = claim(name);
        for name in group {
            renamed.insert(name.clone(), shared.clone());
        }
        merges.push(Merge {
            shared,
            replaced: group.clone(),
        });
    }

    // The first declaration of each group moves; the others go.
    let first: BTreeSet<&String> = groups.iter().filter_map(|(g, _)| g.first()).collect();
    let mut shared_shapes = Vec::new();
    for op in operations.iter_mut() {
        let shapes = std::mem::take(&mut op.shapes.0);
        for (name, shape) in shapes {
            match renamed.get(&name) {
                Some(shared) if first.contains(&name) => {
                    shared_shapes.push((shared.clone(), shape))
                }
                Some(_) => {}
                None => op.shapes.0.push((name, shape)),
            }
        }
    }
    for op in operations.iter_mut() {
        rename_in(&mut op.input.members, &renamed);
        rename_in(&mut op.output.members, &renamed);
        for (_, shape) in &mut op.shapes.0 {
            rename_in(&mut shape.members, &renamed);
        }
    }
    for (_, shape) in &mut shared_shapes {
        rename_in(&mut shape.members, &renamed);
    }
    shared_shapes.sort_by(|a, b| a.0.cmp(&b.0));
    (shared_shapes, merges)
}

/// The groups of two or more inline shapes that are alike, each in declaration order
/// (operations, then shapes, by name), ordered by their first name.
fn alike_groups(
    operations: &[out::OperationFile],
    inline: &BTreeMap<&str, &out::Shape>,
) -> Vec<Vec<String>> {
    let mut keys = Keys {
        inline,
        done: BTreeMap::new(),
        visiting: BTreeSet::new(),
    };
    let mut by_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in operations {
        for (name, _) in &op.shapes.0 {
            by_key.entry(keys.of(name)).or_default().push(name.clone());
        }
    }
    let mut groups: Vec<Vec<String>> = by_key.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    groups
}

/// What makes two inline shapes alike: everything but documentation and examples, with
/// nested inline shapes compared by their own keys.
struct Keys<'a> {
    inline: &'a BTreeMap<&'a str, &'a out::Shape>,
    done: BTreeMap<String, String>,
    /// Shapes whose key is being computed: a shape that contains itself keeps its name.
    visiting: BTreeSet<String>,
}

impl Keys<'_> {
    fn of(&mut self, name: &str) -> String {
        if let Some(key) = self.done.get(name) {
            return key.clone();
        }
        let Some(shape) = self.inline.get(name).copied() else {
            return name.to_owned();
        };
        if !self.visiting.insert(name.to_owned()) {
            return format!("recursive {name}");
        }
        let members: Vec<Value> = shape
            .members
            .0
            .iter()
            .map(|(key, member)| json!([key, self.member(member)]))
            .collect();
        self.visiting.remove(name);
        let key = json!([shape.kind, members]).to_string();
        self.done.insert(name.to_owned(), key.clone());
        key
    }

    fn member(&mut self, m: &out::Member) -> Value {
        json!([
            self.type_key(&m.ty),
            m.items.as_deref().map(|item| self.item(item)),
            m.values.as_deref().map(|item| self.item(item)),
            m.wire_name,
            m.binding,
            m.required,
            m.default,
            m.sensitive,
            m.deprecated.as_ref().map(|d| &d.message),
            m.constraints,
        ])
    }

    fn item(&mut self, item: &out::Item) -> Value {
        json!([
            self.type_key(&item.ty),
            item.items.as_deref().map(|nested| self.item(nested)),
            item.values.as_deref().map(|nested| self.item(nested)),
            item.constraints,
        ])
    }

    fn type_key(&mut self, ty: &str) -> String {
        if self.inline.contains_key(ty) {
            format!("shape {}", self.of(ty))
        } else {
            ty.to_owned()
        }
    }
}

/// The shared name of `group`: the longest run of words its names end with, without a
/// leading `Request` or `Response` (`ManagementAutoRepairPolicy` for
/// `CreateClusterNodePoolRequestManagementAutoRepairPolicy` and
/// `DescribeClusterNodePoolsResponseNodepoolsManagementAutoRepairPolicy`; `TriggerResponseBody`
/// for `DescribeTriggerResponseBody` and `GetKubernetesTriggerResponseBody`). Names that end
/// differently share their first words instead, once each name's `<Action>Request` or
/// `<Action>Response` is taken off (`TotalViolations` for `…TotalViolationsDeny` and
/// `…TotalViolationsWarn`). `None` when they share neither: the shapes stay where they are.
fn shared_name(group: &[String], operation_of: &BTreeMap<String, String>) -> Option<String> {
    let words: Vec<Vec<&str>> = group.iter().map(|name| pascal_words(name)).collect();
    let common = common_run(&words, |w, i| w.len().checked_sub(i + 1).map(|j| w[j]));
    let mut ending: Vec<&str> = words[0][words[0].len() - common..].to_vec();
    if matches!(ending.first(), Some(&("Request" | "Response"))) {
        ending.remove(0);
    }
    if !ending.is_empty() {
        return Some(ending.concat());
    }
    let paths: Vec<Vec<&str>> = group
        .iter()
        .map(|name| {
            let action = operation_of.get(name).map_or("", String::as_str);
            let path = ["Request", "Response"]
                .iter()
                .find_map(|part| name.strip_prefix(action)?.strip_prefix(part))
                .unwrap_or(name);
            pascal_words(path)
        })
        .collect();
    let beginning = common_run(&paths, |w, i| w.get(i).copied());
    (beginning > 0).then(|| paths[0][..beginning].concat())
}

/// How many positions `word_at(words, 0)`, `word_at(words, 1)`, … give the same word for
/// every list.
fn common_run<'w>(
    lists: &[Vec<&'w str>],
    word_at: impl Fn(&[&'w str], usize) -> Option<&'w str>,
) -> usize {
    (0..)
        .take_while(|&i| {
            let first = word_at(&lists[0], i);
            first.is_some() && lists.iter().all(|w| word_at(w, i) == first)
        })
        .count()
}

/// `NodepoolsAutoScaling` → `["Nodepools", "Auto", "Scaling"]`: a word starts at each
/// upper-case letter.
fn pascal_words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (at, c) in text.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&text[start..at]);
            start = at;
        }
    }
    if start < text.len() {
        words.push(&text[start..]);
    }
    words
}

/// The shape types `shape`'s members name (directly, or as list items and map values).
fn nested_shapes(shape: &out::Shape) -> Vec<String> {
    fn item_types(item: &out::Item, out: &mut Vec<String>) {
        out.push(item.ty.clone());
        for nested in [&item.items, &item.values].into_iter().flatten() {
            item_types(nested, out);
        }
    }
    let mut types = Vec::new();
    for (_, member) in &shape.members.0 {
        types.push(member.ty.clone());
        for item in [&member.items, &member.values].into_iter().flatten() {
            item_types(item, &mut types);
        }
    }
    types
}

/// Renames the shape types of `members` (and of their list items and map values).
fn rename_in(members: &mut Ordered<out::Member>, renamed: &BTreeMap<String, String>) {
    for (_, member) in &mut members.0 {
        rename_type(&mut member.ty, renamed);
        for item in [&mut member.items, &mut member.values]
            .into_iter()
            .flatten()
        {
            rename_item(item, renamed);
        }
    }
}

fn rename_item(item: &mut out::Item, renamed: &BTreeMap<String, String>) {
    rename_type(&mut item.ty, renamed);
    for nested in [&mut item.items, &mut item.values].into_iter().flatten() {
        rename_item(nested, renamed);
    }
}

fn rename_type(ty: &mut String, renamed: &BTreeMap<String, String>) {
    if let Some(shared) = renamed.get(ty.as_str()) {
        ty.clone_from(shared);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An operation whose answer is its first shape, with `shapes` as (name, members of the
    /// given types).
    fn operation(name: &str, shapes: &[(&str, &[(&str, &str)])]) -> out::OperationFile {
        let members = |list: &[(&str, &str)]| {
            Ordered(
                list.iter()
                    .map(|(key, ty)| {
                        let member = out::Member {
                            ty: (*ty).to_owned(),
                            documentation: "d".to_owned(),
                            ..out::Member::default()
                        };
                        ((*key).to_owned(), member)
                    })
                    .collect(),
            )
        };
        out::OperationFile {
            schema: out::OPERATION_SCHEMA,
            format_version: 1,
            name: name.to_owned(),
            group: None,
            documentation: "d".to_owned(),
            source: "s".to_owned(),
            http: out::Http {
                method: "GET".to_owned(),
                path: "/".to_owned(),
                body: None,
            },
            idempotent: true,
            outcome_check: None,
            deprecated: None,
            input: out::Structure::default(),
            output: out::Structure {
                members: members(&[("answer", shapes[0].0)]),
            },
            shapes: Ordered(
                shapes
                    .iter()
                    .map(|(shape, list)| {
                        let shape_value = out::Shape {
                            kind: "structure",
                            documentation: "d".to_owned(),
                            members: members(list),
                        };
                        ((*shape).to_owned(), shape_value)
                    })
                    .collect(),
            ),
        }
    }

    /// Operation `action` answering `<action>ResponseX`, whose member `n` is the structure
    /// `child` of one string.
    fn parent_and_child(action: &str, child: &str) -> out::OperationFile {
        let parent = format!("{action}ResponseX");
        operation(
            action,
            &[(&parent, &[("n", child)]), (child, &[("v", "string")])],
        )
    }

    #[test]
    fn a_structure_whose_nested_structure_stays_inline_stays_inline_too() {
        // The nested structures are alike but share no name to give them; their parents
        // would share `X`, and must not name a shape of an operation's file.
        let mut operations = vec![
            parent_and_child("A", "AResponseX9"),
            parent_and_child("B", "BResponseY1"),
        ];
        let (shared, merges) = merge_alike_shapes(&mut operations, str::to_owned);
        assert!(shared.is_empty() && merges.is_empty(), "{merges:?}");
        assert_eq!(operations[0].shapes.0.len(), 2);
        assert_eq!(operations[1].shapes.0.len(), 2);
    }

    #[test]
    fn alike_structures_move_and_every_reference_follows() {
        let mut operations = vec![
            parent_and_child("A", "AResponseXItem"),
            parent_and_child("B", "BResponseXItem"),
        ];
        let (shared, merges) = merge_alike_shapes(&mut operations, str::to_owned);
        let names: Vec<&str> = shared.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["X", "XItem"]);
        assert_eq!(shared[0].1.members.0[0].1.ty, "XItem");
        assert_eq!(merges.len(), 2);
        for op in &operations {
            assert!(op.shapes.is_empty());
            assert_eq!(op.output.members.0[0].1.ty, "X");
        }
    }

    #[test]
    fn words_start_at_upper_case_letters() {
        assert_eq!(
            pascal_words("NodepoolsAutoScaling"),
            ["Nodepools", "Auto", "Scaling"]
        );
        assert_eq!(pascal_words("TeeConfig"), ["Tee", "Config"]);
        assert_eq!(pascal_words("X"), ["X"]);
        assert!(pascal_words("").is_empty());
    }

    #[test]
    fn the_shared_name_is_the_common_ending_else_the_common_beginning() {
        let operation_of: BTreeMap<String, String> = [
            ("CreatePoolRequestManagementAutoRepairPolicy", "CreatePool"),
            (
                "DescribePoolsResponseNodepoolsManagementAutoRepairPolicy",
                "DescribePools",
            ),
            ("DescribeTriggerResponseBody", "DescribeTrigger"),
            ("GetTriggerResponseBody", "GetTrigger"),
            ("GetPageResponsePage", "GetPage"),
            ("ListResponsePageInfo", "List"),
            ("AResponseViolationsDeny", "A"),
            ("AResponseViolationsWarn", "A"),
            ("AResponseFoo", "A"),
            ("BResponseBar", "B"),
        ]
        .into_iter()
        .map(|(n, a)| (n.to_owned(), a.to_owned()))
        .collect();
        let name = |names: &[&str]| {
            let group: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
            shared_name(&group, &operation_of)
        };
        assert_eq!(
            name(&[
                "CreatePoolRequestManagementAutoRepairPolicy",
                "DescribePoolsResponseNodepoolsManagementAutoRepairPolicy"
            ])
            .as_deref(),
            Some("ManagementAutoRepairPolicy")
        );
        // The ending reaches into the action names: kept; a leading `Response` is not.
        assert_eq!(
            name(&["DescribeTriggerResponseBody", "GetTriggerResponseBody"]).as_deref(),
            Some("TriggerResponseBody")
        );
        assert_eq!(
            name(&["GetPageResponsePage", "ListResponsePageInfo"]).as_deref(),
            Some("Page")
        );
        assert_eq!(
            name(&["AResponseViolationsDeny", "AResponseViolationsWarn"]).as_deref(),
            Some("Violations")
        );
        assert_eq!(name(&["AResponseFoo", "BResponseBar"]), None);
    }
}
