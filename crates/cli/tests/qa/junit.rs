//! A small reader of the JUnit XML `qa run` writes, with quick-xml: the
//! counts on each element, and each testcase with its failure or skip.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct Case {
    pub suite: String,
    pub name: String,
    pub failure: Option<String>,
    pub skipped: bool,
}

#[derive(Debug, Default)]
pub struct Junit {
    /// Attributes of `<testsuites>`.
    pub root: BTreeMap<String, String>,
    /// Each `<testsuite>`'s attributes, in order.
    pub suites: Vec<BTreeMap<String, String>>,
    pub cases: Vec<Case>,
}

fn attrs(e: &BytesStart) -> BTreeMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.expect("a well-formed attribute");
            (
                a.key.as_ref().to_string(),
                a.normalized_value(XmlVersion::Implicit1_0)
                    .expect("an unescapable value")
                    .into_owned(),
            )
        })
        .collect()
}

pub fn parse(xml: &str) -> Junit {
    let mut reader = Reader::from_str(xml);
    let mut j = Junit::default();
    loop {
        let ev = reader.read_event().expect("well-formed XML");
        let e = match &ev {
            Event::Start(e) | Event::Empty(e) => e,
            Event::Eof => break,
            _ => continue,
        };
        let a = attrs(e);
        match e.name().as_ref() {
            "testsuites" => j.root = a,
            "testsuite" => j.suites.push(a),
            "testcase" => j.cases.push(Case {
                suite: j
                    .suites
                    .last()
                    .map(|s| s["name"].clone())
                    .unwrap_or_default(),
                name: a["name"].clone(),
                ..Case::default()
            }),
            "failure" => {
                j.cases.last_mut().expect("in a testcase").failure = Some(a["message"].clone())
            }
            "skipped" => j.cases.last_mut().expect("in a testcase").skipped = true,
            _ => {}
        }
    }
    j
}
