//! Positions between the editor and the engine. LSP positions are a zero-based line and a
//! column counted in UTF-16 code units, unless the client negotiated UTF-8 (`positionEncoding`);
//! the engine speaks byte offsets and one-based lines and columns counted in characters. This
//! module is the only place that converts between them.

use lsp_types::{Position, Range};
use ward_engine::{LineIndex, Position as EnginePosition};

/// How the client counts columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// The LSP name of the encoding, for the server's capabilities.
    pub fn kind(self) -> lsp_types::PositionEncodingKind {
        match self {
            Encoding::Utf8 => lsp_types::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp_types::PositionEncodingKind::UTF16,
        }
    }
}

/// A text with its line starts, for converting positions both ways.
#[derive(Debug, Clone)]
pub struct Text {
    pub text: String,
    pub lines: LineIndex,
}

impl Text {
    pub fn new(text: String) -> Text {
        let lines = LineIndex::new(&text);
        Text { text, lines }
    }

    /// The line (without its line break) with zero-based number `line`.
    pub fn line(&self, line: u32) -> &str {
        let Some(start) = self.lines.line_start(line.saturating_add(1)) else { return "" };
        let rest = self.text.get(start..).unwrap_or("");
        let end = rest.find('\n').unwrap_or(rest.len());
        rest.get(..end).unwrap_or("").trim_end_matches('\r')
    }

    /// The byte offset of an LSP position, clamped to its line and to the text.
    pub fn offset(&self, position: Position, encoding: Encoding) -> usize {
        let Some(start) = self.lines.line_start(position.line.saturating_add(1)) else { return self.text.len() };
        let line = self.line(position.line);
        let mut units = 0u32;
        for (at, character) in line.char_indices() {
            if units >= position.character {
                return start + at;
            }
            units += match encoding {
                Encoding::Utf8 => u32::try_from(character.len_utf8()).unwrap_or(1),
                Encoding::Utf16 => u32::try_from(character.len_utf16()).unwrap_or(1),
            };
        }
        start + line.len()
    }

    /// The LSP position of byte `offset` (clamped to the text and to a character boundary).
    pub fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let at = self.lines.position(&self.text, offset);
        let line_start = self.lines.line_start(at.line).unwrap_or(0);
        let before = self.text.get(line_start..).unwrap_or("").chars().take(at.column.saturating_sub(1) as usize);
        let character = match encoding {
            Encoding::Utf8 => before.map(char::len_utf8).sum::<usize>(),
            Encoding::Utf16 => before.map(char::len_utf16).sum::<usize>(),
        };
        Position { line: at.line.saturating_sub(1), character: u32::try_from(character).unwrap_or(u32::MAX) }
    }

    /// The LSP range of the byte range `start..end`.
    pub fn range(&self, start: usize, end: usize, encoding: Encoding) -> Range {
        Range { start: self.position(start, encoding), end: self.position(end.max(start), encoding) }
    }

    /// The byte offset of an engine position (one-based line, column in characters).
    pub fn engine_offset(&self, position: EnginePosition) -> usize {
        self.lines.offset(&self.text, position)
    }

    /// The range of the word at an engine position — where the engine names only a start, as
    /// compile errors do — or one character when there is no word there. At a call's `(`
    /// (where regorus points for an unknown function), the function's name before it.
    pub fn word_range_at(&self, position: EnginePosition, encoding: Encoding) -> Range {
        let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
        let start = self.engine_offset(position);
        let rest = self.text.get(start..).unwrap_or("");
        if rest.starts_with('(') {
            let before = self.text.get(..start).unwrap_or("");
            let name = before.len() - before.trim_end_matches(is_word).len();
            if name > 0 {
                return self.range(start - name, start, encoding);
            }
        }
        if let Some(quoted) = rest.strip_prefix('"') {
            // A string: up to its closing quote, on its line.
            let line = quoted.split('\n').next().unwrap_or("");
            if let Some(close) = line.find('"') {
                return self.range(start, start + close + 2, encoding);
            }
        }
        let word = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
        let length = if word > 0 { word } else { rest.chars().next().filter(|c| *c != '\n').map_or(0, char::len_utf8) };
        self.range(start, start + length, encoding)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn columns_are_counted_in_the_negotiated_encoding() {
        // `é` is 2 bytes and 1 UTF-16 unit; `😀` is 4 bytes and 2 UTF-16 units.
        let text = Text::new("a: 1\nb: é😀x\n".to_owned());
        let x = text.text.find('x').unwrap();
        let cases = [(Encoding::Utf16, 6), (Encoding::Utf8, 9)];
        for (encoding, character) in cases {
            let position = Position { line: 1, character };
            assert_eq!(text.position(x, encoding), position, "{encoding:?}");
            assert_eq!(text.offset(position, encoding), x, "{encoding:?}");
        }
        // Past the end of a line: the end of that line, never the next one.
        assert_eq!(text.offset(Position { line: 0, character: 99 }, Encoding::Utf16), 4);
        assert_eq!(text.offset(Position { line: 9, character: 0 }, Encoding::Utf16), text.text.len());
    }

    #[test]
    fn words_at_engine_positions() {
        let text = Text::new("package a\nx := foo(1)\n".to_owned());
        let range = text.word_range_at(EnginePosition { line: 2, column: 6 }, Encoding::Utf16);
        assert_eq!(range, Range::new(Position::new(1, 5), Position::new(1, 8)));
        assert_eq!(text.line(1), "x := foo(1)");
        let call = text.word_range_at(EnginePosition { line: 2, column: 9 }, Encoding::Utf16);
        assert_eq!(call, Range::new(Position::new(1, 5), Position::new(1, 8)), "the name before `(`");
        let text = Text::new("version = \"one\"\n".to_owned());
        let string = text.word_range_at(EnginePosition { line: 1, column: 11 }, Encoding::Utf16);
        assert_eq!(string, Range::new(Position::new(0, 10), Position::new(0, 15)), "a whole string");
    }
}
