//! The path of a member inside a request, such as `worker_data_disks[1].size`.

use std::fmt;

/// A path from the request root to the member being checked.
///
/// Validation descends by making a child path on the stack ([`FieldPath::field`],
/// [`FieldPath::index`], [`FieldPath::key`]) that points back at its parent, so descending
/// costs no allocation and no formatting: the text is only written when a violation is
/// reported (through `Display` or [`FieldPath::child`]).
#[derive(Clone, Copy)]
pub struct FieldPath<'a> {
    parent: Option<&'a FieldPath<'a>>,
    segment: Segment<'a>,
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root,
    Field(&'a str),
    Index(usize),
    Key(&'a str),
}

impl FieldPath<'static> {
    /// The request itself.
    pub const fn root() -> Self {
        Self {
            parent: None,
            segment: Segment::Root,
        }
    }
}

impl<'a> FieldPath<'a> {
    /// The member `field` of the structure at this path (`.field`).
    pub fn field<'b>(&'b self, field: &'b str) -> FieldPath<'b> {
        self.descend(Segment::Field(field))
    }

    /// Item `index` of the list at this path (`[index]`).
    pub fn index(&self, index: usize) -> FieldPath<'_> {
        self.descend(Segment::Index(index))
    }

    /// The value under `key` of the map at this path (`["key"]`).
    pub fn key<'b>(&'b self, key: &'b str) -> FieldPath<'b> {
        self.descend(Segment::Key(key))
    }

    fn descend<'b>(&'b self, segment: Segment<'b>) -> FieldPath<'b> {
        FieldPath {
            parent: Some(self),
            segment,
        }
    }

    /// Whether this is the request itself.
    pub fn is_root(&self) -> bool {
        matches!(self.segment, Segment::Root)
    }

    /// The text of the path of `field` below this one.
    pub fn child(&self, field: &str) -> String {
        self.field(field).to_string()
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(parent) = self.parent else {
            return Ok(());
        };
        fmt::Display::fmt(parent, f)?;
        match self.segment {
            Segment::Root => Ok(()),
            Segment::Field(field) if parent.is_root() => f.write_str(field),
            Segment::Field(field) => write!(f, ".{field}"),
            Segment::Index(index) => write!(f, "[{index}]"),
            Segment::Key(key) => write!(f, "[{key:?}]"),
        }
    }
}

impl fmt::Debug for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FieldPath({:?})", self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_nested_paths() {
        let root = FieldPath::root();
        assert_eq!(root.to_string(), "");
        assert_eq!(root.child("count"), "count");
        let disks = root.field("worker_data_disks");
        let second = disks.index(1);
        assert_eq!(second.child("size"), "worker_data_disks[1].size");
        assert_eq!(
            second.field("size").to_string(),
            "worker_data_disks[1].size"
        );
        assert_eq!(
            disks.key("a\"b").to_string(),
            "worker_data_disks[\"a\\\"b\"]"
        );
        assert_eq!(root.index(0).child("x"), "[0].x");
        assert_eq!(
            format!("{:?}", second),
            "FieldPath(\"worker_data_disks[1]\")"
        );
    }
}
