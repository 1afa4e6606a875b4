//! XML as conftest reads it (`goxml2json`): the document is an object of its root element; an
//! element with children or attributes is an object — attributes as `-name`, its text as
//! `#content`, children by local name (namespace prefixes dropped), an array when a name
//! repeats — and an element with neither is its text. Text is trimmed of spaces and
//! non-printing characters; like conftest, an element keeps only its last run of text. Values
//! stay strings. Unlike conftest, which stops silently at the first error, malformed XML is
//! refused at its place.
//!
//! The source map has each element's span from its start tag to its end tag, and an
//! attribute's its element's start tag.

use quick_xml::events::Event;
use serde_json::{Map, Value};

use crate::document::{pointer_push, Parsed, SourceMap, Span};
use crate::parse::ParseError;

struct Node {
    data: String,
    /// Children by label, labels in order of first appearance.
    children: Vec<(String, Vec<Node>)>,
    /// Where the element is written.
    span: Span,
}

impl Node {
    fn new(span: Span) -> Node {
        Node { data: String::new(), children: Vec::new(), span }
    }

    fn add(&mut self, label: String, node: Node) {
        match self.children.iter_mut().find(|(known, _)| *known == label) {
            Some((_, nodes)) => nodes.push(node),
            None => self.children.push((label, vec![node])),
        }
    }

    fn into_value(self, pointer: &str, source_map: &mut SourceMap) -> Value {
        source_map.insert(pointer, self.span);
        if self.children.is_empty() {
            return Value::String(self.data);
        }
        let mut map = Map::new();
        if !self.data.is_empty() {
            map.insert("#content".into(), Value::String(self.data));
        }
        for (label, mut nodes) in self.children {
            let child = pointer_push(pointer, &label);
            let value = match nodes.len() {
                1 => nodes.pop().map_or(Value::Null, |node| node.into_value(&child, source_map)),
                _ => {
                    if let (Some(first), Some(last)) = (nodes.first(), nodes.last()) {
                        source_map.insert(child.clone(), first.span.cover(last.span));
                    }
                    Value::Array(
                        nodes
                            .into_iter()
                            .enumerate()
                            .map(|(index, node)| node.into_value(&pointer_push(&child, &index.to_string()), source_map))
                            .collect(),
                    )
                }
            };
            map.insert(label, value);
        }
        Value::Object(map)
    }
}

pub(crate) fn parse(text: &str, max_depth: usize) -> Result<Parsed, ParseError> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let whole = Node::new(Span::new(0, text.len()));
    let mut stack: Vec<(String, Node)> = vec![(String::new(), whole)];
    // The text since the last tag: entity references arrive as events of their own.
    let mut run: Option<String> = None;
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(0).min(text.len());
        let error = |message: String| ParseError::new(format!("invalid XML: {message}"), Span::new(at, at));
        let event = reader.read_event().map_err(|e| error(e.to_string()))?;
        let after = usize::try_from(reader.buffer_position()).unwrap_or(0).min(text.len());
        let is_text = matches!(event, Event::Text(_) | Event::GeneralRef(_) | Event::CData(_));
        if !is_text {
            if let (Some(text), Some((_, node))) = (run.take(), stack.last_mut()) {
                node.data = trim_non_graphic(&text);
            }
        }
        match event {
            Event::Start(start) => {
                if stack.len() > max_depth {
                    return Err(error(format!("nesting deeper than {max_depth} levels")));
                }
                stack.push(element(&start, Span::new(at, after)).map_err(error)?);
            }
            Event::Empty(start) => {
                let (label, node) = element(&start, Span::new(at, after)).map_err(error)?;
                if let Some((_, parent)) = stack.last_mut() {
                    parent.add(label, node);
                }
            }
            Event::End(_) => {
                if let Some((label, mut node)) = stack.pop() {
                    node.span = node.span.cover(Span::new(at, after));
                    if let Some((_, parent)) = stack.last_mut() {
                        parent.add(label, node);
                    }
                }
            }
            Event::Text(content) => {
                let decoded = content.xml10_content().map_err(|e| error(e.to_string()))?;
                run.get_or_insert_with(String::new).push_str(&decoded);
            }
            Event::CData(content) => {
                let decoded = content.decode().map_err(|e| error(e.to_string()))?;
                run.get_or_insert_with(String::new).push_str(&decoded);
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().map_err(|e| error(e.to_string()))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = reference.decode().map_err(|e| error(e.to_string()))?;
                        quick_xml::escape::unescape(&format!("&{name};"))
                            .map_err(|e| error(e.to_string()))?
                            .into_owned()
                    }
                };
                run.get_or_insert_with(String::new).push_str(&resolved);
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if stack.len() > 1 {
        return Err(ParseError::new(
            "invalid XML: unexpected end of file: an element is not closed",
            Span::new(text.len(), text.len()),
        ));
    }
    let mut source_map = SourceMap::new();
    let value = stack.pop().map_or(Value::Null, |(_, root)| root.into_value("", &mut source_map));
    Ok(Parsed { value, source_map })
}

/// `text` without leading and trailing spaces and non-printing characters.
fn trim_non_graphic(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || c.is_control() || c == '\u{feff}').to_owned()
}

/// An element's label (its local name) and node holding its attributes.
fn element(start: &quick_xml::events::BytesStart, span: Span) -> Result<(String, Node), String> {
    let label = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let mut node = Node::new(span);
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let name = String::from_utf8_lossy(attribute.key.local_name().as_ref()).into_owned();
        let value = attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(|e| e.to_string())?;
        node.add(format!("-{name}"), Node { data: value.into_owned(), children: Vec::new(), span });
    }
    Ok((label, node))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn elements_attributes_and_text_map_as_goxml2json_maps_them() {
        let text = r#"<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <plugins>
    <plugin><artifactId>maven-plugin</artifactId><version>3.6.1</version></plugin>
    <plugin><artifactId>other</artifactId></plugin>
  </plugins>
  <name lang="en">shop &amp; co</name>
  <empty/>
</project>
"#;
        let parsed = parse(text, 64).unwrap();
        assert_eq!(
            parsed.value,
            serde_json::json!({"project": {
                "-xmlns": "http://maven.apache.org/POM/4.0.0",
                "modelVersion": "4.0.0",
                "plugins": {"plugin": [{"artifactId": "maven-plugin", "version": "3.6.1"}, {"artifactId": "other"}]},
                "name": {"-lang": "en", "#content": "shop & co"},
                "empty": ""
            }})
        );
        assert!(parse("<a><b></a>", 64).is_err());
        let at = |pointer: &str| {
            let span = parsed.source_map.get(pointer).unwrap();
            text.get(span.start..span.end).unwrap()
        };
        assert_eq!(at("/project/modelVersion"), "<modelVersion>4.0.0</modelVersion>");
        assert_eq!(at("/project/plugins/plugin/1"), "<plugin><artifactId>other</artifactId></plugin>");
        assert_eq!(at("/project/name/-lang"), "<name lang=\"en\">");
        assert_eq!(at("/project/empty"), "<empty/>");
    }
}
