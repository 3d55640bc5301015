//! Documented patterns, compiled once on first use.
//!
//! Most documented patterns only say which characters may appear (`^[A-Za-z0-9_-]*$`). Those
//! compile to a 128-bit table of allowed ASCII characters and a lower bound on the length, which
//! checks a password in a few nanoseconds instead of running a regular expression engine; every
//! other pattern runs on `regex_lite`. Both give the same answer: the table is only used for
//! patterns whose meaning it captures exactly, and anything unusual falls back to the engine.

use std::sync::OnceLock;

/// A documented pattern: the regular expression (compiled once, on first use) and what it
/// allows, in words.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    describe: &'static str,
    compiled: OnceLock<Compiled>,
}

#[derive(Debug)]
enum Compiled {
    Characters(CharacterSet),
    Regex(regex_lite::Regex),
    /// The expression does not compile (the derive checks it at compile time, so this does
    /// not happen in generated code).
    Invalid,
}

impl Pattern {
    /// A pattern; anchor `source` with `^…$` to match the whole text.
    pub const fn new(source: &'static str, describe: &'static str) -> Self {
        Self {
            source,
            describe,
            compiled: OnceLock::new(),
        }
    }

    /// What the pattern allows, in words.
    pub fn describe(&self) -> &'static str {
        self.describe
    }

    /// Whether `text` matches; `None` if the expression does not compile.
    pub fn matches(&self, text: &str) -> Option<bool> {
        match self.compiled.get_or_init(|| compile(self.source)) {
            Compiled::Characters(set) => Some(set.matches(text)),
            Compiled::Regex(regex) => Some(regex.is_match(text)),
            Compiled::Invalid => None,
        }
    }
}

fn compile(source: &str) -> Compiled {
    if let Some(set) = CharacterSet::parse(source) {
        return Compiled::Characters(set);
    }
    match regex_lite::Regex::new(source) {
        Ok(regex) => Compiled::Regex(regex),
        Err(_) => Compiled::Invalid,
    }
}

/// `^[…]*$` or `^[…]+$` over ASCII characters: which characters may appear, and whether the
/// text may be empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CharacterSet {
    allowed: u128,
    allow_empty: bool,
}

impl CharacterSet {
    fn matches(&self, text: &str) -> bool {
        (self.allow_empty || !text.is_empty())
            && text
                .bytes()
                .all(|b| b < 128 && self.allowed & (1u128 << b) != 0)
    }

    /// The set `source` describes, or `None` when it is anything but a plain, non-negated
    /// class of ASCII literals, ranges and escaped punctuation, repeated with `*` or `+` and
    /// anchored at both ends.
    fn parse(source: &str) -> Option<Self> {
        let body = source.strip_prefix("^[")?;
        let (class, allow_empty) = if let Some(class) = body.strip_suffix("]*$") {
            (class, true)
        } else {
            (body.strip_suffix("]+$")?, false)
        };
        let items = class_items(class)?;
        let mut allowed = 0u128;
        let mut index = 0;
        while index < items.len() {
            let (first, _) = items[index];
            // `a-z`: an unescaped `-` between two items is a range.
            if let (Some(&(b'-', false)), Some(&(last, _))) =
                (items.get(index + 1), items.get(index + 2))
            {
                if last < first {
                    return None;
                }
                for b in first..=last {
                    allowed |= 1u128 << b;
                }
                index += 3;
            } else {
                // A `-` that is neither first nor last nor inside a range (`[a-c-e]`) is
                // read differently by different engines: leave it to the engine.
                let inner = index != 0 && index + 1 != items.len();
                if items[index] == (b'-', false) && inner {
                    return None;
                }
                allowed |= 1u128 << first;
                index += 1;
            }
        }
        (allowed != 0).then_some(Self {
            allowed,
            allow_empty,
        })
    }
}

/// The class's items as `(byte, escaped)`; `None` for anything that is not an ASCII literal
/// or escaped ASCII punctuation (negation, nested classes, set operations, `\d`, …).
fn class_items(class: &str) -> Option<Vec<(u8, bool)>> {
    if class.is_empty() || class.starts_with('^') || class.starts_with(']') {
        return None;
    }
    let bytes = class.as_bytes();
    let mut items = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&b) = bytes.get(index) {
        if !b.is_ascii() || b.is_ascii_control() {
            return None;
        }
        match b {
            b'\\' => {
                let escaped = *bytes.get(index + 1)?;
                if !escaped.is_ascii_punctuation() {
                    return None;
                }
                items.push((escaped, true));
                index += 2;
            }
            // A nested class or a set operation (`&&`, `--`, `~~`) changes the meaning.
            b'[' | b']' => return None,
            b'&' | b'-' | b'~' if bytes.get(index + 1) == Some(&b) => return None,
            _ => {
                items.push((b, false));
                index += 1;
            }
        }
    }
    Some(items)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const PASSWORD: &str = "^[A-Za-z0-9()`~!@#$%^&*_+=|{}\\[\\]:;'<>,.?/-]*$";

    #[test]
    fn plain_classes_become_tables() {
        for source in [
            PASSWORD,
            "^[a-z]*$",
            "^[-a-z0-9_.]+$",
            "^[a-z-]*$",
            "^[\\\\x]+$",
        ] {
            assert!(
                CharacterSet::parse(source).is_some(),
                "{source} should be a table"
            );
        }
        let set = CharacterSet::parse("^[-a-c]+$").unwrap();
        assert!(set.matches("-abc") && !set.matches("") && !set.matches("d"));
    }

    #[test]
    fn everything_else_runs_on_the_engine() {
        for source in [
            "^[^a-z]*$",
            "^[a-z]{2,3}$",
            "^[a-z&&[^x]]*$",
            "^[\\d]*$",
            "^[a-zé]*$",
            "[a-z]*",
            "^[a-z]*",
            "^[]a]*$",
            "^[z-a]*$",
            "^(ab)*$",
            "^[a-c-e]*$",
            "^[a--]*$",
        ] {
            assert_eq!(CharacterSet::parse(source), None, "{source}");
        }
        let pattern = Pattern::new("^[a-z]{2,3}$", "two or three letters");
        assert_eq!(pattern.matches("ab"), Some(true));
        assert_eq!(pattern.matches("abcd"), Some(false));
        assert_eq!(Pattern::new("^[a-z$", "broken").matches("a"), None);
    }

    fn agree(source: &str, text: &str) -> Result<(), TestCaseError> {
        let regex = regex_lite::Regex::new(source).expect("valid");
        let set = CharacterSet::parse(source).expect("a table");
        prop_assert_eq!(
            set.matches(text),
            regex.is_match(text),
            "{:?} on {:?}",
            source,
            text
        );
        Ok(())
    }

    proptest! {
        #[test]
        fn tables_agree_with_the_engine(text in "[ -~\\t\\n\u{e9}\u{4e2d}]{0,12}") {
            for source in [PASSWORD, "^[a-z]*$", "^[-a-z0-9_.]+$", "^[a-z-]*$", "^[A-Z\\-_]+$"] {
                agree(source, &text)?;
            }
        }
    }
}
