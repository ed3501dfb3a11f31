//! Reading the layout shifts a page recorded (each `{value, sources: [{blank, …}]}`, a source
//! `blank` when its node is a text node of only white space): the bench's CLS rows and the
//! e2e case of a page arriving in pieces hold ours to the same rule.

use serde_json::Value;

/// Whether `shift` moved nothing painted: it names its sources and every one is a text node of
/// only white space. Chromium counts such a node as moved when the parser yields right after a
/// space that follows a tall inline box (our button, or any `<button>`): the space is the line's
/// trailing one in that frame, and sits between two boxes in the next. A shift with no sources
/// said counts as painted.
pub fn paints_nothing(shift: &Value) -> bool {
    shift
        .get("sources")
        .and_then(Value::as_array)
        .is_some_and(|s| {
            !s.is_empty() && s.iter().all(|x| x.get("blank") == Some(&Value::Bool(true)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_white_space_alone_paints_nothing() {
        assert!(paints_nothing(
            &json!({"value": 0.004, "sources": [{"blank": true}]})
        ));
        assert!(!paints_nothing(
            &json!({"sources": [{"blank": true}, {"blank": false}]})
        ));
        assert!(!paints_nothing(&json!({"sources": [{"node": "P"}]})));
        assert!(!paints_nothing(&json!({"sources": []})));
        assert!(!paints_nothing(&json!({"value": 0.001})));
    }
}
