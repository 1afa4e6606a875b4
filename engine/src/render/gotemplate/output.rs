//! The provenance-carrying text a template writes: [`Output`] (the text and a [`Piece`] per run
//! of it saying which template line wrote it and which values-file line, if any, the value came
//! from) and [`Traced`], the builder every action and every string function writes through, so
//! that `{{ toYaml .Values.resources | nindent 12 }}` still knows each scalar's line.

use std::ops::Range;
use std::sync::Arc;

use crate::render::tracked::Origin;

/// A place in a template: its file (chart-relative) and 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct TemplatePosition {
    pub(crate) path: Arc<str>,
    pub(crate) line: u32,
    pub(crate) column: u32,
}

/// What a template wrote, and where each piece of it came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Output {
    pub(crate) text: String,
    /// Consecutive, non-overlapping, covering `text` in order.
    pub(crate) pieces: Vec<Piece>,
}

/// A byte range of an output and its source: literal template text at a template position, or a
/// value printed by the action at that position, with the value's own origin when it had one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Piece {
    pub(crate) range: Range<usize>,
    pub(crate) template: TemplatePosition,
    pub(crate) value: Option<Origin>,
}

impl Output {
    /// The pieces that overlap `range` of the text.
    pub(crate) fn pieces_in(&self, range: Range<usize>) -> impl Iterator<Item = &Piece> {
        self.pieces.iter().filter(move |piece| piece.range.start < range.end && range.start < piece.range.end)
    }
}

/// Where a run of a string came from, inside a string value ([`Traced`]): the template position
/// that wrote it (when a template did: `include`'s output) and the origin of the value it prints.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Segment {
    pub(crate) range: Range<usize>,
    pub(crate) template: Option<TemplatePosition>,
    pub(crate) value: Option<Origin>,
}

/// A string with segments: the text of a string value, and the builder of texts and outputs.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Traced {
    pub(crate) text: String,
    /// Sorted, non-overlapping; runs without one came from nowhere in particular.
    pub(crate) segments: Vec<Segment>,
}

impl Traced {
    pub(crate) fn new() -> Traced {
        Traced::default()
    }

    pub(crate) fn plain(text: impl Into<String>) -> Traced {
        Traced { text: text.into(), segments: Vec::new() }
    }

    /// `text`, all of it from `origin` (when there is one).
    pub(crate) fn from_origin(text: impl Into<String>, origin: Option<&Origin>) -> Traced {
        let mut traced = Traced::new();
        traced.push(&text.into(), None, origin);
        traced
    }

    pub(crate) fn len(&self) -> usize {
        self.text.len()
    }

    /// Appends `text` written at `template`, printing a value from `origin`.
    pub(crate) fn push(&mut self, text: &str, template: Option<&TemplatePosition>, origin: Option<&Origin>) {
        let start = self.text.len();
        self.text.push_str(text);
        if !text.is_empty() && (template.is_some() || origin.is_some()) {
            self.segments.push(Segment {
                range: start..self.text.len(),
                template: template.cloned(),
                value: origin.cloned(),
            });
        }
    }

    pub(crate) fn push_str(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Appends `other`, keeping its segments; where it has none, `template` (when given) is the
    /// writer, and `origin` the source of a run no segment describes.
    pub(crate) fn push_traced(&mut self, other: &Traced, template: Option<&TemplatePosition>, origin: Option<&Origin>) {
        let offset = self.text.len();
        let mut cursor = 0;
        for segment in &other.segments {
            if segment.range.start > cursor {
                self.push(other.text.get(cursor..segment.range.start).unwrap_or(""), template, origin);
            }
            let start = offset + segment.range.start;
            self.text.push_str(other.text.get(segment.range.clone()).unwrap_or(""));
            self.segments.push(Segment {
                range: start..offset + segment.range.end,
                template: segment.template.clone().or_else(|| template.cloned()),
                value: segment.value.clone(),
            });
            cursor = segment.range.end;
        }
        if cursor < other.text.len() {
            self.push(other.text.get(cursor..).unwrap_or(""), template, origin);
        }
        debug_assert_eq!(self.text.len(), offset + other.text.len());
    }

    /// The part of this text in `range` (clamped to char boundaries by the caller), segments cut.
    pub(crate) fn slice(&self, range: Range<usize>) -> Traced {
        let text = self.text.get(range.clone()).unwrap_or("").to_owned();
        let segments = self
            .segments
            .iter()
            .filter(|segment| segment.range.start < range.end && range.start < segment.range.end)
            .map(|segment| Segment {
                range: segment.range.start.max(range.start) - range.start
                    ..segment.range.end.min(range.end) - range.start,
                template: segment.template.clone(),
                value: segment.value.clone(),
            })
            .filter(|segment| !segment.range.is_empty())
            .collect();
        Traced { text, segments }
    }

    /// The first origin of a value in the text.
    pub(crate) fn first_origin(&self) -> Option<&Origin> {
        self.segments.iter().find_map(|segment| segment.value.as_ref())
    }

    /// The text with every segment replaced by one run from `origin` (a function that rewrote it
    /// character by character, or combined it).
    pub(crate) fn remapped(text: String, origin: Option<&Origin>) -> Traced {
        Traced::from_origin(text, origin)
    }

    /// The output a top-level template wrote: every run has a writer (runs without one are
    /// given `fallback`).
    pub(crate) fn into_output(self, fallback: &TemplatePosition) -> Output {
        let mut pieces = Vec::with_capacity(self.segments.len());
        let mut cursor = 0;
        for segment in self.segments {
            if segment.range.start > cursor {
                pieces.push(Piece { range: cursor..segment.range.start, template: fallback.clone(), value: None });
            }
            cursor = segment.range.end;
            pieces.push(Piece {
                range: segment.range,
                template: segment.template.unwrap_or_else(|| fallback.clone()),
                value: segment.value,
            });
        }
        if cursor < self.text.len() {
            pieces.push(Piece { range: cursor..self.text.len(), template: fallback.clone(), value: None });
        }
        Output { text: self.text, pieces }
    }
}
