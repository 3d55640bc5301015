//! Finds where a JSON pointer's value starts in a file, for error messages.
//!
//! A small scanner over text that serde_json has already accepted; it records the
//! line:column of every value under its JSON pointer (RFC 6901).

use std::collections::HashMap;
use std::sync::OnceLock;

/// Line and column (both 1-based; the column counts characters) of each value in a file.
/// The file is scanned the first time a location is asked for: only files with an error
/// are.
#[derive(Debug, Default)]
pub struct Locations {
    text: Box<str>,
    by_pointer: OnceLock<HashMap<String, (usize, usize)>>,
}

impl Locations {
    /// Indexes `text` (when first asked); a malformed tail simply stops the scan.
    pub fn index(text: &str) -> Self {
        Self {
            text: text.into(),
            by_pointer: OnceLock::new(),
        }
    }

    fn by_pointer(&self) -> &HashMap<String, (usize, usize)> {
        self.by_pointer.get_or_init(|| {
            let mut scanner = Scanner {
                chars: self.text.chars().collect(),
                pos: 0,
                line: 1,
                col: 1,
                out: HashMap::new(),
            };
            scanner.value(String::new());
            scanner.out
        })
    }

    /// Whether a value exists at exactly `pointer`.
    pub fn has(&self, pointer: &str) -> bool {
        self.by_pointer().contains_key(pointer)
    }

    /// Where the value at `pointer` starts; for a pointer that does not exist, the closest
    /// existing parent.
    pub fn find(&self, pointer: &str) -> (usize, usize) {
        let mut pointer = pointer;
        loop {
            if let Some(at) = self.by_pointer().get(pointer) {
                return *at;
            }
            match pointer.rfind('/') {
                Some(i) => pointer = &pointer[..i],
                None => return (1, 1),
            }
        }
    }
}

/// Escapes a key for use in a JSON pointer.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

struct Scanner {
    chars: Vec<char>,
    pos: usize,
    line: usize,
    col: usize,
    out: HashMap<String, (usize, usize)>,
}

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn value(&mut self, pointer: String) {
        self.skip_ws();
        self.out.insert(pointer.clone(), (self.line, self.col));
        match self.peek() {
            Some('{') => {
                self.bump();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some('"') => {
                            let key = self.string();
                            self.skip_ws();
                            if self.bump() != Some(':') {
                                return;
                            }
                            self.value(format!("{pointer}/{}", escape(&key)));
                            self.skip_ws();
                            if self.peek() == Some(',') {
                                self.bump();
                            }
                        }
                        Some('}') => {
                            self.bump();
                            return;
                        }
                        _ => return,
                    }
                }
            }
            Some('[') => {
                self.bump();
                let mut index = 0;
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(']') => {
                            self.bump();
                            return;
                        }
                        None => return,
                        _ => {
                            let before = self.pos;
                            self.value(format!("{pointer}/{index}"));
                            index += 1;
                            self.skip_ws();
                            if self.peek() == Some(',') {
                                self.bump();
                            } else if self.pos == before {
                                return;
                            }
                        }
                    }
                }
            }
            Some('"') => {
                self.string();
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, ',' | '}' | ']') && !c.is_whitespace())
                {
                    self.bump();
                }
            }
        }
    }

    /// Reads a string literal (at its opening quote) and returns its decoded text.
    fn string(&mut self) -> String {
        let start = self.pos;
        self.bump();
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '"' => break,
                _ => {}
            }
        }
        let literal: String = self.chars[start..self.pos].iter().collect();
        serde_json::from_str(&literal).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values_and_falls_back_to_parents() {
        let text = "{\n  \"a\": {\"b/c\": [1,\n   {\"d\": true}]}\n}";
        let at = Locations::index(text);
        assert_eq!(at.find(""), (1, 1));
        assert_eq!(at.find("/a"), (2, 8));
        assert_eq!(at.find("/a/b~1c/1/d"), (3, 10));
        assert_eq!(at.find("/a/b~1c/7"), at.find("/a/b~1c"));
    }
}
