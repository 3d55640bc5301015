//! A small INI parser with the semantics of Python's `configparser` as the SDK uses it.
//!
//! * `[section]` headers (the name is trimmed; names are case-sensitive);
//! * `key = value` or `key: value` (split at the first `=` or `:`); keys are trimmed and
//!   lower-cased, values trimmed;
//! * whole-line comments starting with `#` or `;` (after optional indentation) and blank lines
//!   are ignored;
//! * a line indented deeper than the key line before it continues that value (joined with a
//!   newline), as in `configparser`;
//! * like the SDK (`profile.py`), everything from the first `#` in a value on is dropped and
//!   the rest trimmed again;
//! * keys outside a section, lines without a delimiter, empty keys or section names, and
//!   duplicate sections or keys are errors (`configparser` is strict by default).
//!
//! Error messages name the line number, never the line's content (it may hold a secret).

/// One `[section]` and its `key = value` entries, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    pub(crate) name: String,
    pub(crate) entries: Vec<(String, String)>,
}

impl Section {
    /// The value of `key` (keys are stored lower-cased).
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A parsed INI document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ini {
    pub(crate) sections: Vec<Section>,
}

impl Ini {
    /// The section called `name` (case-sensitive).
    pub(crate) fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }
}

/// Where and why parsing failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IniError {
    pub(crate) line: usize,
    pub(crate) message: &'static str,
}

impl std::fmt::Display for IniError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Parses an INI document.
pub(crate) fn parse(text: &str) -> Result<Ini, IniError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ini = Ini::default();
    // The indentation of the current key line, while a value may still be continued.
    let mut open_value: Option<usize> = None;

    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let error = |message| IniError {
            line: line_no,
            message,
        };
        let line = raw.trim();
        if line.is_empty() {
            open_value = None;
            continue;
        }
        if line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let indent = indentation(raw);

        if let (Some(key_indent), Some(section)) = (open_value, ini.sections.last_mut())
            && indent > key_indent
            && let Some((_, value)) = section.entries.last_mut()
        {
            value.push('\n');
            value.push_str(line);
            continue;
        }

        if let Some(inner) = line.strip_prefix('[') {
            let name = inner
                .strip_suffix(']')
                .ok_or_else(|| error("a section header must end with `]`"))?
                .trim();
            if name.is_empty() {
                return Err(error("empty section name"));
            }
            if ini.section(name).is_some() {
                return Err(error("duplicate section"));
            }
            ini.sections.push(Section {
                name: name.to_owned(),
                entries: Vec::new(),
            });
            open_value = None;
            continue;
        }

        let section = ini
            .sections
            .last_mut()
            .ok_or_else(|| error("a `key = value` line before the first `[section]` header"))?;
        let split_at = line
            .find(['=', ':'])
            .ok_or_else(|| error("expected `key = value`, `[section]` or a comment"))?;
        let key = line
            .get(..split_at)
            .unwrap_or_default()
            .trim()
            .to_lowercase();
        let value = line.get(split_at + 1..).unwrap_or_default().trim();
        if key.is_empty() {
            return Err(error("empty key"));
        }
        if section.get(&key).is_some() {
            return Err(error("duplicate key in this section"));
        }
        section.entries.push((key, value.to_owned()));
        open_value = Some(indent);
    }

    for section in &mut ini.sections {
        for (_, value) in &mut section.entries {
            if let Some((kept, _comment)) = value.split_once('#') {
                *value = kept.trim().to_owned();
            }
        }
    }
    Ok(ini)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_keys_comments_and_continuations() {
        let ini = parse(
            "\u{feff}# leading comment\n\
             ; another\n\
             [default]\n\
             type = access_key\n\
             Access_Key_Id=AKID   \n\
             access_key_secret : s3cr3t # inline comment\n\
             \n\
             [ dev ]\n\
             \ttype = access_key\n\
             \tpolicy = line one\n\
             \t\tline two\n\
             \t# comment inside\n\
             empty =\n",
        )
        .unwrap();
        let default = ini.section("default").unwrap();
        assert_eq!(default.get("type"), Some("access_key"));
        assert_eq!(default.get("access_key_id"), Some("AKID"));
        assert_eq!(default.get("access_key_secret"), Some("s3cr3t"));
        let dev = ini.section("dev").unwrap();
        assert_eq!(dev.get("type"), Some("access_key"));
        assert_eq!(dev.get("policy"), Some("line one\nline two"));
        assert_eq!(dev.get("empty"), Some(""));
        assert!(ini.section("Default").is_none());
    }

    #[test]
    fn value_may_contain_the_other_delimiter() {
        let ini = parse("[s]\nurl = http://x:1/a=b\nk: v=w\n").unwrap();
        let s = ini.section("s").unwrap();
        assert_eq!(s.get("url"), Some("http://x:1/a=b"));
        assert_eq!(s.get("k"), Some("v=w"));
    }

    #[test]
    fn errors_name_the_line_but_not_the_content() {
        let cases: &[(&str, usize)] = &[
            ("key = outside\n", 1),
            ("[s]\nno delimiter secretvalue\n", 2),
            ("[s]\n= value\n", 2),
            ("[s\n", 1),
            ("[]\n", 1),
            ("[s]\n[s]\n", 2),
            ("[s]\na = 1\nA = 2\n", 3),
        ];
        for &(text, line) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.line, line, "{text:?}");
            assert!(!err.to_string().contains("secretvalue"));
        }
    }
}
