//! Located values: a value with the span of its text in the file it came
//! from. The model holds these so every finding can point at the exact text;
//! the loader (`repo`) fills them.

/// A position in a source file. `line` and `column` are 1-based; `offset` is
/// the 0-based index in characters (not bytes) of the file's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub offset: u32,
    pub line: u32,
    pub column: u32,
}

/// The text a node spans: `start` inclusive, `end` exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub fn point(pos: Pos) -> Span {
        Span { start: pos, end: pos }
    }
}

/// A value with the span of its text in the file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}
