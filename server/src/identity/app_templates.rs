//! Activity-template text, shared by the built-in templates (`api::activities::templates`)
//! and an app's own (issue 15; checked by [`crate::identity::apps::add_template`]): finding
//! `{placeholder}`s and filling them in one pass.

/// The placeholder the provider fills with the actor's display name.
pub const ACTOR: &str = "actor";

/// The built-in templates' names (an app's own template may not take one).
pub const BUILT_IN: &[&str] = &["shared_link", "liked_link", "status"];

/// The `{name}`s in a pattern, in order.
pub fn placeholders(pattern: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}

/// Replaces every `{name}` in one pass (values may themselves contain braces).
pub fn fill(pattern: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                out.push_str(&lookup(name).unwrap_or_default());
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders an app's own template may use: `{actor}` (the person's name), `{title}`,
/// `{link}` (an http(s) link: the activity's object) and `{message}`.
pub const CUSTOM_PLACEHOLDERS: &[&str] = &[ACTOR, "title", "link", "message"];

/// The longest text of an app's own template, in characters.
pub const MAX_CUSTOM_TEXT: usize = 200;

/// Checks an app's own template text: braces balanced, only [`CUSTOM_PLACEHOLDERS`], at
/// most [`MAX_CUSTOM_TEXT`] characters. The error says what to change.
pub fn check_custom(text: &str) -> Result<(), (&'static str, String)> {
    if text.trim().is_empty() {
        return Err(("template_text_missing", "The template needs a text.".into()));
    }
    if text.chars().count() > MAX_CUSTOM_TEXT {
        return Err((
            "template_text_too_long",
            format!("The text is too long: at most {MAX_CUSTOM_TEXT} characters."),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(("template_text_invalid", "The text must be one line.".into()));
    }
    let opens = text.matches('{').count();
    let closes = text.matches('}').count();
    let names = placeholders(text);
    if opens != closes || names.len() != opens || names.iter().any(|n| n.contains('{')) {
        return Err((
            "template_braces",
            "Every `{` needs its `}`: placeholders look like {title}.".into(),
        ));
    }
    if let Some(unknown) = names.iter().find(|n| !CUSTOM_PLACEHOLDERS.contains(n)) {
        return Err((
            "template_placeholder_unknown",
            format!(
                "Unknown placeholder {{{unknown}}}: use {}.",
                CUSTOM_PLACEHOLDERS
                    .iter()
                    .map(|p| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    Ok(())
}

/// An app's own template filled with sample values, for the portal's preview.
pub fn preview_custom(text: &str, actor_name: &str) -> String {
    fill(text, &|name: &str| match name {
        ACTOR => Some(actor_name.to_owned()),
        "title" => Some("Lemon tart".to_owned()),
        "link" => Some("https://app.example/recipes/42".to_owned()),
        "message" => Some("Best one yet!".to_owned()),
        _ => None,
    })
}
