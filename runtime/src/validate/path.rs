//! The path of a member inside a request, such as `worker_data_disks[1].size`.

use std::fmt::Write as _;

/// A path from the request root to the member being checked, built up while validation
/// descends into nested structures, lists and maps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath {
    text: String,
}

impl FieldPath {
    /// The request itself.
    pub fn root() -> Self {
        // Room for most paths, so that descending does not reallocate.
        Self {
            text: String::with_capacity(64),
        }
    }

    /// The path as text; empty at the root.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The path of `field` below this one, as text (without descending).
    pub fn child(&self, field: &str) -> String {
        if self.text.is_empty() {
            field.to_owned()
        } else {
            format!("{}.{field}", self.text)
        }
    }

    /// Runs `f` with the path extended by `.field`, then restores it.
    pub fn with_field<R>(&mut self, field: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        let len = self.text.len();
        if !self.text.is_empty() {
            self.text.push('.');
        }
        self.text.push_str(field);
        let result = f(self);
        self.text.truncate(len);
        result
    }

    /// Runs `f` with the path extended by `[index]`, then restores it.
    pub fn with_index<R>(&mut self, index: usize, f: impl FnOnce(&mut Self) -> R) -> R {
        let len = self.text.len();
        let _ = write!(self.text, "[{index}]");
        let result = f(self);
        self.text.truncate(len);
        result
    }

    /// Runs `f` with the path extended by `["key"]`, then restores it.
    pub fn with_key<R>(&mut self, key: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        let len = self.text.len();
        let _ = write!(self.text, "[{key:?}]");
        let result = f(self);
        self.text.truncate(len);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_nested_paths_and_restores_them() {
        let mut path = FieldPath::root();
        path.with_field("worker_data_disks", |p| {
            p.with_index(1, |p| {
                assert_eq!(p.child("size"), "worker_data_disks[1].size");
                p.with_field("size", |p| {
                    assert_eq!(p.as_str(), "worker_data_disks[1].size")
                });
            });
            p.with_key("a\"b", |p| {
                assert_eq!(p.as_str(), "worker_data_disks[\"a\\\"b\"]")
            });
        });
        assert_eq!(path.as_str(), "");
        assert_eq!(path.child("count"), "count");
    }
}
