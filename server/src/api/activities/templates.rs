//! Activity templates: a named shape with `{placeholder}`s filled from the request's
//! `values` (and `{actor}` from the person's name), so apps write consistent activities
//! without composing the text themselves.

use serde_json::{Map, Value};

use crate::identity::app_templates::{fill, placeholders};
use crate::store::activities::{MAX_LINE, MAX_MESSAGE, check_link};

/// One template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// Its name in requests (`"template": "shared_link"`).
    pub name: &'static str,
    /// The AS2 activity type.
    pub kind: &'static str,
    /// The AS2 object type.
    pub object_type: &'static str,
    /// The activity's `summary`.
    pub summary: &'static str,
    /// The activity's `content`, if any.
    pub content: Option<&'static str>,
    /// The object's `href`: a placeholder that must hold an http(s) link.
    pub href: Option<&'static str>,
    /// The object's `name`, if any.
    pub object_name: Option<&'static str>,
}

pub use crate::identity::app_templates::ACTOR;

/// Every template.
pub const TEMPLATES: &[Template] = &[
    Template {
        name: "shared_link",
        kind: "Announce",
        object_type: "Link",
        summary: "{actor} shared a link: {title}",
        content: None,
        href: Some("url"),
        object_name: Some("{title}"),
    },
    Template {
        name: "liked_link",
        kind: "Like",
        object_type: "Link",
        summary: "{actor} likes {title}",
        content: None,
        href: Some("url"),
        object_name: Some("{title}"),
    },
    Template {
        name: "status",
        kind: "Create",
        object_type: "Note",
        summary: "{actor} posted an update",
        content: Some("{message}"),
        href: None,
        object_name: None,
    },
];

/// Looks a template up by name.
pub fn find(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.name == name)
}

/// A template that could not be filled; the message names the template or the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// No template has this name.
    #[error("template: unknown template `{name}` (known: {known})")]
    Unknown {
        /// The name asked for.
        name: String,
        /// The known names.
        known: String,
    },
    /// A placeholder has no value.
    #[error("values.{placeholder}: template `{template}` needs a value for `{{{placeholder}}}`")]
    Missing {
        /// The template.
        template: String,
        /// The placeholder.
        placeholder: String,
    },
    /// A value the template has no placeholder for.
    #[error("values.{key}: template `{template}` has no placeholder `{{{key}}}`")]
    Unexpected {
        /// The template.
        template: String,
        /// The key.
        key: String,
    },
    /// A value that is not a non-empty string, or too long.
    #[error("values.{key}: {problem}")]
    BadValue {
        /// The key.
        key: String,
        /// What is wrong.
        problem: String,
    },
}

/// The filled-in parts of an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    /// The name of the template used (built-in or the app's own).
    pub template_name: String,
    /// The AS2 activity type.
    pub kind: &'static str,
    /// The AS2 object type.
    pub object_type: &'static str,
    /// `summary`.
    pub summary: String,
    /// `content`.
    pub content: Option<String>,
    /// `object.href`.
    pub href: Option<String>,
    /// `object.name`.
    pub object_name: Option<String>,
}

/// A template's patterns, borrowed: the built-in ones and an app's own fill the same way.
#[derive(Debug, Clone, Copy)]
struct Shape<'a> {
    name: &'a str,
    kind: &'static str,
    object_type: &'static str,
    summary: &'a str,
    content: Option<&'a str>,
    href: Option<&'a str>,
    object_name: Option<&'a str>,
}

impl Template {
    /// Every placeholder the request must give a value for (not `{actor}`), once each.
    pub fn required(&self) -> Vec<&'static str> {
        self.shape().required()
    }

    fn shape(&self) -> Shape<'static> {
        Shape {
            name: self.name,
            kind: self.kind,
            object_type: self.object_type,
            summary: self.summary,
            content: self.content,
            href: self.href,
            object_name: self.object_name,
        }
    }

    /// Fills the template from `values` (a JSON object of strings) for `actor_name`.
    pub fn fill(
        &'static self,
        actor_name: &str,
        values: &Map<String, Value>,
    ) -> Result<Filled, TemplateError> {
        self.shape().fill(actor_name, values)
    }
}

impl<'a> Shape<'a> {
    /// Every placeholder the request must give a value for (not `{actor}`), once each.
    fn required(&self) -> Vec<&'a str> {
        let mut names: Vec<&'a str> = Vec::new();
        let patterns = [Some(self.summary), self.content, self.object_name];
        for name in patterns
            .into_iter()
            .flatten()
            .flat_map(placeholders)
            .chain(self.href)
        {
            if name != ACTOR && !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    fn fill(&self, actor_name: &str, values: &Map<String, Value>) -> Result<Filled, TemplateError> {
        let required = self.required();
        if let Some(key) = values.keys().find(|k| !required.contains(&k.as_str())) {
            return Err(TemplateError::Unexpected {
                template: self.name.to_owned(),
                key: key.clone(),
            });
        }
        let mut checked: Vec<(&str, String)> = Vec::new();
        for name in required {
            let bad = |problem: &str| TemplateError::BadValue {
                key: name.to_owned(),
                problem: problem.to_owned(),
            };
            let value = match values.get(name) {
                None | Some(Value::Null) => {
                    return Err(TemplateError::Missing {
                        template: self.name.to_owned(),
                        placeholder: name.to_owned(),
                    });
                }
                Some(Value::String(s)) => s.trim().to_owned(),
                Some(_) => return Err(bad("must be a string")),
            };
            if value.is_empty() {
                return Err(bad("must not be empty"));
            }
            let value = if self.href == Some(name) {
                check_link(&format!("values.{name}"), &value).map_err(|_| {
                    bad(&format!(
                        "must be an http or https link (at most {} bytes)",
                        crate::store::activities::MAX_LINK
                    ))
                })?
            } else {
                let max = if self
                    .content
                    .is_some_and(|c| placeholders(c).contains(&name))
                {
                    MAX_MESSAGE
                } else {
                    MAX_LINE
                };
                if value.chars().count() > max {
                    return Err(bad(&format!("is too long (at most {max} characters)")));
                }
                value
            };
            checked.push((name, value));
        }
        let lookup = |name: &str| {
            if name == ACTOR {
                return Some(actor_name.to_owned());
            }
            checked
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
        };
        Ok(Filled {
            template_name: self.name.to_owned(),
            kind: self.kind,
            object_type: self.object_type,
            summary: fill(self.summary, &lookup),
            content: self.content.map(|c| fill(c, &lookup)),
            href: self.href.and_then(&lookup),
            object_name: self.object_name.map(|n| fill(n, &lookup)),
        })
    }
}

/// Fills an app's own template `name` (whose text passed [`check_custom`]): a Link activity
/// when it has `{link}`, else a Note; `{title}` also names the link.
pub fn fill_custom(
    name: &str,
    text: &str,
    actor_name: &str,
    values: &Map<String, Value>,
) -> Result<Filled, TemplateError> {
    let names = placeholders(text);
    let link = names.contains(&"link");
    Shape {
        name,
        kind: if link { "Announce" } else { "Create" },
        object_type: if link { "Link" } else { "Note" },
        summary: text,
        content: None,
        href: link.then_some("link"),
        object_name: (link && names.contains(&"title")).then_some("{title}"),
    }
    .fill(actor_name, values)
}

/// Finds `name` and fills it.
pub fn fill_named(
    name: &str,
    actor_name: &str,
    values: &Map<String, Value>,
) -> Result<Filled, TemplateError> {
    let template = find(name).ok_or_else(|| TemplateError::Unknown {
        name: name.to_owned(),
        known: TEMPLATES
            .iter()
            .map(|t| t.name)
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    template.fill(actor_name, values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn shared_link_fills_summary_and_object() {
        let f = fill_named(
            "shared_link",
            "Alice Anderson",
            &obj(json!({ "url": "https://example.org/x", "title": "{title} & <b>" })),
        )
        .unwrap();
        assert_eq!(f.summary, "Alice Anderson shared a link: {title} & <b>");
        assert_eq!(f.href.as_deref(), Some("https://example.org/x"));
        assert_eq!(f.object_name.as_deref(), Some("{title} & <b>"));
        assert_eq!(f.content, None);
        assert_eq!(f.kind, "Announce");
    }

    #[test]
    fn status_fills_content() {
        let f = fill_named("status", "Bob", &obj(json!({ "message": " hi " }))).unwrap();
        assert_eq!(f.summary, "Bob posted an update");
        assert_eq!(f.content.as_deref(), Some("hi"));
    }

    #[test]
    fn built_in_names_are_known_to_the_app_service() {
        let names: Vec<&str> = TEMPLATES.iter().map(|t| t.name).collect();
        assert_eq!(names, crate::identity::app_templates::BUILT_IN);
    }

    #[test]
    fn every_template_lists_its_placeholders() {
        assert_eq!(find("shared_link").unwrap().required(), ["title", "url"]);
        assert_eq!(find("status").unwrap().required(), ["message"]);
        for t in TEMPLATES {
            assert!(!t.required().is_empty(), "{}", t.name);
        }
    }

    #[test]
    fn errors_name_the_template_or_value() {
        let e = fill_named("nope", "A", &Map::new()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("template: unknown template `nope`")
        );
        let e =
            fill_named("shared_link", "A", &obj(json!({ "url": "https://x.org" }))).unwrap_err();
        assert_eq!(
            e.to_string(),
            "values.title: template `shared_link` needs a value for `{title}`"
        );
        let e = fill_named(
            "shared_link",
            "A",
            &obj(json!({ "url": "javascript:alert(1)", "title": "t" })),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("values.url: must be an http"));
        let e =
            fill_named("status", "A", &obj(json!({ "message": "m", "extra": "x" }))).unwrap_err();
        assert!(e.to_string().starts_with("values.extra:"));
        let e = fill_named("status", "A", &obj(json!({ "message": 3 }))).unwrap_err();
        assert_eq!(e.to_string(), "values.message: must be a string");
    }
}
