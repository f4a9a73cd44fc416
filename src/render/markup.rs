//! A notice's HTML read back into a tree of elements, so the PDF typesets the very text the
//! HTML templates worded: the templates stay the one source of what a notice says.

use html5gum::{Token, Tokenizer};
use serde::Serialize;

/// A piece of a notice: text, or an element with its class, language and children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Node {
    Text(String),
    Element { tag: String, class: String, lang: String, children: Vec<Node> },
}

/// Elements whose children are blocks: a text of whitespace alone between them means nothing.
const BLOCKS: [&str; 9] = ["", "section", "table", "thead", "tbody", "tr", "ol", "ul", "header"];

/// Elements that never hold anything.
const VOID: [&str; 6] = ["br", "hr", "img", "meta", "link", "input"];

/// The `<body>` of a notice as a tree; the head (title, style) is not part of what it says.
/// Whitespace runs become one space, as a browser shows them; tags a template leaves open are
/// closed at their parent's end.
pub fn body(html: &str) -> Vec<Node> {
    // `(tag, class, lang, children)` of every open element; the root is the body.
    let mut open: Vec<(String, String, String, Vec<Node>)> =
        vec![(String::new(), String::new(), String::new(), Vec::new())];
    let mut in_body = false;
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(t) => {
                let name = String::from_utf8_lossy(&t.name).to_ascii_lowercase();
                if name == "body" {
                    in_body = true;
                    continue;
                }
                if !in_body {
                    continue;
                }
                let attr = |k: &str| {
                    t.attributes
                        .iter()
                        .find(|(n, _)| n.as_slice() == k.as_bytes())
                        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
                        .unwrap_or_default()
                };
                let (class, lang) = (attr("class"), attr("lang"));
                if VOID.contains(&name.as_str()) || t.self_closing {
                    push(&mut open, Node::Element { tag: name, class, lang, children: Vec::new() });
                } else {
                    open.push((name, class, lang, Vec::new()));
                }
            }
            Token::EndTag(t) => {
                let name = String::from_utf8_lossy(&t.name).to_ascii_lowercase();
                if name == "body" {
                    break;
                }
                // Close up to the matching element; an end tag nothing opened is ignored.
                if let Some(at) = open.iter().rposition(|(n, ..)| *n == name).filter(|&i| i > 0) {
                    while open.len() > at {
                        close(&mut open);
                    }
                }
            }
            Token::String(s) if in_body => {
                let text = collapse(&String::from_utf8_lossy(&s));
                if !text.is_empty() {
                    push(&mut open, Node::Text(text));
                }
            }
            _ => {}
        }
    }
    while open.len() > 1 {
        close(&mut open);
    }
    open.pop().map(|(tag, .., c)| blocks_only(&tag, c)).unwrap_or_default()
}

fn close(open: &mut Vec<(String, String, String, Vec<Node>)>) {
    if let Some((tag, class, lang, children)) = open.pop() {
        let children = blocks_only(&tag, children);
        push(open, Node::Element { tag, class, lang, children });
    }
}

fn blocks_only(tag: &str, mut children: Vec<Node>) -> Vec<Node> {
    if BLOCKS.contains(&tag) {
        children.retain(|c| !matches!(c, Node::Text(t) if t.trim_matches(' ').is_empty()));
    }
    children
}

fn push(open: &mut [(String, String, String, Vec<Node>)], node: Node) {
    if let Some((.., children)) = open.last_mut() {
        // The tokenizer may split a text; adjacent texts are one.
        if let (Node::Text(t), Some(Node::Text(prev))) = (&node, children.last_mut()) {
            prev.push_str(t);
            *prev = collapse(prev);
            return;
        }
        children.push(node);
    }
}

/// Runs of whitespace as one space; a text of whitespace alone stays one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        // HTML collapses ASCII whitespace only: no-break spaces inside amounts stay.
        if c.is_ascii_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn el(tag: &str, class: &str, children: Vec<Node>) -> Node {
        Node::Element { tag: tag.into(), class: class.into(), lang: String::new(), children }
    }

    #[test]
    fn reads_the_body_with_entities_decoded_and_whitespace_collapsed() {
        let html = "<html><head><title>x</title><style>p { color: red }</style></head><body>\n\
                    <p class=\"sign\">Басшы:\n   А.&nbsp;Б. &amp; &#x27;В&#x27;<br>ЭЦҚ</p><table><tr><td>a</td></tr></table></body></html>";
        assert_eq!(
            body(html),
            vec![
                el(
                    "p",
                    "sign",
                    vec![Node::Text("Басшы: А.\u{a0}Б. & 'В'".into()), el("br", "", vec![]), Node::Text("ЭЦҚ".into())]
                ),
                el("table", "", vec![el("tr", "", vec![el("td", "", vec![Node::Text("a".into())])])]),
            ]
        );
    }

    #[test]
    fn closes_what_a_template_leaves_open_and_ignores_stray_end_tags() {
        let got = body("<body><section lang=\"kk\"><p>a</span></section><p>b");
        assert_eq!(
            got,
            vec![
                Node::Element {
                    tag: "section".into(),
                    class: String::new(),
                    lang: "kk".into(),
                    children: vec![el("p", "", vec![Node::Text("a".into())])]
                },
                el("p", "", vec![Node::Text("b".into())]),
            ]
        );
    }
}
