//! The OpenAPI 3.1 document of the `/v1` APIs (`GET /v1/openapi.json`), rendered from the
//! route table ([`super::routes::endpoints`]) and the collections' own field sets; the OAuth
//! scopes come from [`crate::identity::scopes::ALL`].
//!
//! Why the route table and not `utoipa`: the table is data the router is *built from* (each
//! entry carries its handler), so a route cannot exist undocumented nor a documented one go
//! unserved. `utoipa` derives the document from attributes on the handlers, and the router is
//! still written separately (or through `utoipa-axum`'s macros); the collection schemas here
//! come from the OData field sets at run time, which attribute macros cannot see. One source
//! either way, but the table keeps that source plain Rust data the tests can walk.

use serde_json::{Map, Value, json};

use super::endpoint::{Answer, Endpoint, FORMAT, In, Param};
use super::{collections, contacts};
use crate::odata::{FieldSet, FieldType};

/// The fields a collection path's `$select` and `$orderby` may name.
fn fields_of(path: &str) -> Option<FieldSet> {
    use crate::store::collections::{FEED_ROWS, OWN_ACTIVITY_ROWS};
    if path == collections::FRIENDS.path {
        Some(collections::friend_fields())
    } else if path == collections::CONTACTS.path {
        Some(collections::contact_fields())
    } else if path == super::activities::handlers::OWN.path {
        Some(OWN_ACTIVITY_ROWS.fields())
    } else if path == super::activities::handlers::FEED.path {
        Some(FEED_ROWS.fields())
    } else {
        super::media_rows(path).map(|source| source.fields())
    }
}

/// A parameter's schema: as exact as JSON Schema can say what the provider accepts, so every
/// value the schema admits is accepted (Schemathesis' `positive_data_acceptance`).
///
/// Not describable, and left a plain string (the fuzzing step excuses exactly these, see
/// `xtask/fuzz/hooks.py`): `$filter`, whose OData grammar nests parentheses to any depth (no
/// regular expression, so no `pattern`, can describe it); and `$orderby`'s rule that two keys
/// may not name one field (`name,name desc`), which JSON Schema cannot state over items that
/// also carry a direction. `$orderby` is still an array of known keys.
fn param_schema(p: &Param, fields: Option<&FieldSet>) -> Value {
    if !p.values.is_empty() {
        return json!({ "type": "string", "enum": p.values });
    }
    let names = || -> Vec<String> {
        fields
            .map(|f| f.iter().map(|(name, _)| name.to_owned()).collect())
            .unwrap_or_default()
    };
    match p.name {
        "$top" => {
            json!({ "type": "integer", "minimum": 0, "maximum": crate::odata::Limits::default().max_top })
        }
        // Any u64 parses; this says less (SQLite's offsets are i64).
        "$skip" => json!({ "type": "integer", "minimum": 0, "maximum": i64::from(i32::MAX) }),
        "$select" if fields.is_some() => json!({
            "type": "array", "minItems": 1, "uniqueItems": true,
            "items": { "type": "string", "enum": names() },
        }),
        "$orderby" if fields.is_some() => {
            let keys: Vec<String> = names()
                .into_iter()
                .flat_map(|n| [n.clone(), format!("{n} asc"), format!("{n} desc")])
                .collect();
            json!({
                "type": "array", "minItems": 1, "uniqueItems": true,
                "items": { "type": "string", "enum": keys },
            })
        }
        "id" => json!({ "type": "string", "minLength": 1 }),
        // A photo's name and description, given in the upload's query.
        "name" => {
            json!({ "type": "string", "pattern": NO_CONTROLS, "maxLength": super::photos::MAX_NAME })
        }
        "description" => {
            json!({ "type": "string", "pattern": NO_CONTROLS, "maxLength": super::photos::MAX_DESCRIPTION })
        }
        // A statistics range's days (`stats::report::range` also refuses `from` after `to`
        // and more than 366 days, which JSON Schema cannot state across two parameters).
        "from" | "to" => json!({ "type": "string", "format": "date", "pattern": DATE }),
        // The messenger history's paging: whole numbers.
        "before" | "limit" => json!({ "type": "string", "pattern": "^[0-9]{1,18}$" }),
        _ => json!({ "type": "string" }),
    }
}

fn param_json(p: &Param, fields: Option<&FieldSet>) -> Value {
    let schema = param_schema(p, fields);
    let mut v = json!({
        "name": p.name,
        "in": match p.location { In::Path => "path", In::Query => "query" },
        "required": p.location == In::Path,
        "description": p.description,
        "schema": schema,
    });
    if v["schema"]["type"] == "array" {
        // Comma-separated, as OData writes them: `$select=name,emails/preferred`.
        v["style"] = json!("form");
        v["explode"] = json!(false);
    }
    v
}

fn answer_json(a: &Answer) -> Value {
    let mut v = json!({ "description": a.description });
    if let Some(s) = a.schema {
        let r = json!({ "schema": { "$ref": format!("#/components/schemas/{s}") } });
        v["content"] = json!({ "application/json": r.clone(), "application/xml": r });
    }
    v
}

fn error_answer(description: &str) -> Value {
    let mut v = answer_json(&Answer {
        status: 0,
        description: "",
        schema: Some("Error"),
    });
    v["description"] = json!(description);
    v
}

fn operation(e: &Endpoint) -> Value {
    let fields = fields_of(e.path);
    let mut params: Vec<Value> = e
        .params
        .iter()
        .map(|p| param_json(p, fields.as_ref()))
        .collect();
    params.push(param_json(&FORMAT, None));
    let mut answers = Map::new();
    for a in e.answers {
        answers.insert(a.status.to_string(), answer_json(a));
    }
    let bad = if e.body.is_some() {
        "request_parameter_invalid ($format), request_parameter_missing (no body) or request_body_invalid (the message names the field)"
    } else {
        "request_parameter_invalid: a parameter that does not parse or fit; the message names the option and the position"
    };
    // An endpoint may document its own 400 (its own codes); otherwise the common one.
    answers.entry("400").or_insert_with(|| error_answer(bad));
    if e.needs_token {
        answers.insert(
            "401".into(),
            error_answer("request_token_invalid or request_token_expired (WWW-Authenticate: Bearer error=\"invalid_token\")"),
        );
    }
    if e.scope.is_some() || !e.id_scopes.is_empty() {
        answers.insert(
            "403".into(),
            error_answer("insufficient_scope (WWW-Authenticate names the scope)"),
        );
    }
    let mut op = json!({
        "operationId": e.operation_id,
        "summary": e.summary,
        "parameters": params,
        "responses": answers,
    });
    if e.needs_token {
        let scopes: Vec<&str> = e.scope.into_iter().collect();
        op["security"] = json!([{ "oauth2": scopes }, { "bearer": [] }]);
    } else {
        op["security"] = json!([]);
    }
    if !e.id_scopes.is_empty() {
        let by_id: Map<String, Value> = e
            .id_scopes
            .iter()
            .map(|s| (s.ids.as_str().to_owned(), json!(s.scope)))
            .collect();
        op["x-wl-id-scopes"] = Value::Object(by_id);
    }
    if e.body == Some("ImageBytes") {
        let bytes = json!({ "schema": { "type": "string", "contentMediaType": "application/octet-stream" } });
        op["requestBody"] = json!({
            "required": true,
            "description": "The image itself (its type is read from its content)",
            "content": { "image/jpeg": bytes, "image/png": bytes, "image/gif": bytes, "image/webp": bytes,
                "application/octet-stream": bytes },
        });
    } else if let Some(s) = e.body {
        op["requestBody"] = json!({
            "required": true,
            "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{s}") } } },
        });
    }
    op
}

/// A JSON Schema object for a collection item, nested paths (`emails/preferred`) as nested
/// objects.
fn item_schema(fields: &FieldSet) -> Value {
    let mut root = Map::new();
    for (path, ty) in fields.iter() {
        let leaf = json!({ "type": [match ty {
            FieldType::String => "string",
            FieldType::Number => "number",
            FieldType::Bool => "boolean",
        }, "null"] });
        let parts: Vec<&str> = path.split('/').collect();
        let mut node = &mut root;
        for (i, part) in parts.iter().enumerate() {
            if i + 1 == parts.len() {
                node.insert((*part).to_owned(), leaf.clone());
            } else {
                let entry = node
                    .entry((*part).to_owned())
                    .or_insert_with(|| json!({ "type": "object", "properties": {} }));
                let Some(props) = entry.get_mut("properties").and_then(Value::as_object_mut) else {
                    break;
                };
                node = props;
            }
        }
    }
    json!({ "type": "object", "properties": root })
}

fn collection_schema(item: &str) -> Value {
    json!({
        "type": "object",
        "required": ["data"],
        "properties": {
            "data": { "type": "array", "items": { "$ref": format!("#/components/schemas/{item}") } },
            "paging": { "type": "object", "properties": { "next": { "type": "string", "format": "uri" } } },
            "count": { "type": "integer", "description": "With $count=true: items matching $filter" },
        },
    })
}

/// `POST /v1/me/activities`'s body: one variant per template, each naming the values its
/// placeholders need (a link for the `href` one), as the handler checks them.
fn activity_input() -> Value {
    use crate::store::activities::{MAX_LINE, MAX_LINK, MAX_MESSAGE};
    let variants: Vec<Value> = super::activities::templates::TEMPLATES
        .iter()
        .map(|t| {
            let required = t.required();
            let values: Map<String, Value> = required
                .iter()
                .map(|name| {
                    let in_content = t.content.is_some_and(|c| c.contains(&format!("{{{name}}}")));
                    let schema = if t.href == Some(*name) {
                        json!({ "type": "string", "format": "uri", "pattern": "^https?://[^/?#\\s]+", "maxLength": MAX_LINK })
                    } else {
                        let max = if in_content { MAX_MESSAGE } else { MAX_LINE };
                        json!({ "type": "string", "pattern": "\\S", "maxLength": max })
                    };
                    ((*name).to_owned(), schema)
                })
                .collect();
            json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["template", "values"],
                "properties": {
                    "template": { "const": t.name },
                    "values": { "type": "object", "additionalProperties": false,
                        "required": required, "properties": values },
                    "to": { "type": "array", "minItems": 1, "items": { "type": "string" }, "description": "Friends' ids (default: every friend)" },
                    "action": action_input(),
                    "via": link_input("The \"via <app>\" link (default: the app's registered site)"),
                },
            })
        })
        .collect();
    json!({ "oneOf": variants, "description": "A named template and a value for each of its placeholders" })
}

/// An absolute http(s) link as `store::activities::check_link` takes it.
fn link_input(description: &str) -> Value {
    use crate::store::activities::MAX_LINK;
    json!({ "type": "string", "format": "uri", "pattern": "^https?://[^/?#\\s]+", "maxLength": MAX_LINK, "description": description })
}

/// An activity's action link in a body: `{ href, name? }`.
fn action_input() -> Value {
    use super::activities::handlers::MAX_ACTION_NAME;
    json!({ "type": "object", "additionalProperties": false, "required": ["href"],
        "description": "The action link people see as a button (counted click-through)",
        "properties": { "href": link_input("Where the action goes"),
            "name": { "type": "string", "maxLength": MAX_ACTION_NAME, "description": "Its label" } } })
}

/// A calendar day as `stats::report::parse_date` reads it (`YYYY-MM-DD`).
const DATE: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

/// `GET /v1/apps/{id}/stats`: [`crate::stats::report::Report::to_json`]'s shape, its day
/// columns from [`crate::stats::report::COLUMNS`] (every one a count, never a person).
fn app_stats() -> Value {
    use crate::stats::report::COLUMNS;
    let count = json!({ "type": "integer", "minimum": 0 });
    let date = json!({ "type": "string", "format": "date" });
    let mut day = Map::new();
    day.insert("date".into(), date.clone());
    let mut totals = Map::new();
    for (name, label, _) in COLUMNS {
        let c = json!({ "type": "integer", "minimum": 0, "description": label });
        day.insert((*name).into(), c.clone());
        if !name.ends_with("_actives") {
            totals.insert((*name).into(), c);
        }
    }
    let day_required: Vec<&str> = day.keys().map(String::as_str).collect();
    let totals_required: Vec<&str> = totals.keys().map(String::as_str).collect();
    json!({
        "type": "object",
        "description": "Counts only, per UTC day of the range (docs/statistics.md says what each counts). Daily and monthly actives are estimates (HyperLogLog) and have no total.",
        "required": ["client_id", "from", "to", "totals", "days", "endpoints", "errors", "scopes"],
        "properties": {
            "client_id": { "type": "string" },
            "from": date, "to": date,
            "totals": { "type": "object", "required": totals_required, "properties": totals },
            "days": { "type": "array", "description": "One per day from `from` to `to`",
                "items": { "type": "object", "required": day_required, "properties": day } },
            "endpoints": { "type": "array", "description": "API calls by route pattern and status class over the range",
                "items": { "type": "object", "required": ["endpoint", "2xx", "3xx", "4xx", "5xx", "total"],
                    "properties": { "endpoint": { "type": "string", "description": "Method and route pattern, e.g. GET /v1/{id}" },
                        "2xx": count, "3xx": count, "4xx": count, "5xx": count, "total": count } } },
            "errors": { "type": "object", "description": "API error answers by stable code over the range",
                "additionalProperties": count },
            "scopes": { "type": "object", "description": "Scopes granted by consents over the range, one count per scope per consent",
                "additionalProperties": count },
        },
    })
}

/// No control character (`char::is_control`: Unicode's Cc, U+0000–U+001F and U+007F–U+009F).
const NO_CONTROLS: &str = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$";

/// No control character but tab, line feed and carriage return (an event's description).
const LINES: &str = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$";

/// A phone number as `contacts::is_phone` takes it: digits, spaces and `+ - ( ) .`, a `+` only
/// first, at least three digits; or empty (not given).
const PHONE: &str = r"^(\+?[0-9 ().-]*[0-9][0-9 ().-]*[0-9][0-9 ().-]*[0-9][0-9 ().-]*)?$";

fn schemas() -> Value {
    use crate::store::activities::{MAX_LINE, MAX_LINK, MAX_MESSAGE};
    let s = json!({ "type": "string" });
    json!({
        "Profile": {
            "type": "object",
            "properties": {
                "id": s, "name": s, "first_name": s, "last_name": s,
                "link": { "type": "string", "format": "uri" }, "locale": s, "updated_time": s,
                "picture": { "type": "string", "format": "uri" },
                "emails": { "type": "object", "description": "With wl.emails or email only",
                    "properties": { "preferred": s, "account": s, "personal": s, "business": { "type": ["string", "null"] } } },
            },
        },
        "Friend": item_schema(&collections::friend_fields()),
        "Contact": item_schema(&collections::contact_fields()),
        "FriendCollection": collection_schema("Friend"),
        "Activity": {
            "type": "object",
            "description": "An ActivityStreams 2.0 activity (@context, type, actor, object, published, to, …)",
            "properties": { "@context": s, "id": s, "type": s, "actor": { "type": "object" },
                "object": { "type": "object" }, "summary": s, "content": s, "published": s,
                "url": { "type": "string", "format": "uri", "description": "The counted click-through to object.href" },
                "to": { "type": "array", "items": s },
                "generator": { "type": "object", "description": "The app that wrote it; href: its site (the \"via\" link), url: the counted click-through to it",
                    "properties": { "type": s, "name": s,
                        "href": { "type": "string", "format": "uri" }, "url": { "type": "string", "format": "uri" } } },
                "action": { "type": "object", "description": "The action link: href, its label (name), url: the counted click-through to it",
                    "properties": { "type": s, "name": s,
                        "href": { "type": "string", "format": "uri" }, "url": { "type": "string", "format": "uri" } } } },
        },
        "ActivityCollection": collection_schema("Activity"),
        "ActivityInput": activity_input(),
        "ShareInput": {
            "type": "object", "required": ["link"], "additionalProperties": false,
            "properties": {
                "link": { "type": "string", "format": "uri", "pattern": "^https?://[^/?#\\s]+", "maxLength": MAX_LINK },
                "message": { "type": "string", "maxLength": MAX_MESSAGE },
                "title": { "type": "string", "maxLength": MAX_LINE },
                "to": { "type": "array", "minItems": 1, "items": s, "description": "Friends' ids (default: every friend)" },
                "action": action_input(),
                "via": link_input("The \"via <app>\" link (default: the app's registered site)") },
        },
        "ContactCollection": collection_schema("Contact"),
        // One status, two shapes: the answer is either (Schemathesis checks every 200 against it).
        "ContactCollectionOrPortable": { "anyOf": [
            { "$ref": "#/components/schemas/ContactCollection" },
            { "$ref": "#/components/schemas/PortableContacts" },
        ] },
        "ProfileOrContact": { "anyOf": [
            { "$ref": "#/components/schemas/Profile" },
            { "$ref": "#/components/schemas/Contact" },
        ] },
        "ContactInput": {
            "type": "object",
            "additionalProperties": false,
            "description": "At least one of first_name and last_name (not blank: strings are trimmed).",
            // Not blank: a non-whitespace character (the server trims); no control character.
            "anyOf": [
                { "required": ["first_name"], "properties": { "first_name": { "pattern": "\\S" } } },
                { "required": ["last_name"], "properties": { "last_name": { "pattern": "\\S" } } },
            ],
            "properties": {
                "first_name": { "type": "string", "maxLength": contacts::MAX_NAME, "pattern": NO_CONTROLS },
                "last_name": { "type": "string", "maxLength": contacts::MAX_NAME, "pattern": NO_CONTROLS },
                "emails": { "type": "object", "additionalProperties": false,
                    "properties": { "preferred": { "type": "string", "format": "email", "maxLength": contacts::MAX_EMAIL } } },
                "phones": { "type": "object", "additionalProperties": false,
                    "properties": { "personal": { "type": "string", "maxLength": contacts::MAX_PHONE, "pattern": PHONE } } },
                "is_favorite": { "type": "boolean" },
            },
        },
        // PATCH /v1/me/contacts/{id}: a JSON Merge Patch of ContactInput's fields (null clears).
        "ContactPatch": {
            "type": "object",
            "additionalProperties": false,
            "description": "JSON Merge Patch (RFC 7396) of the writable fields; the merged contact must still have a first_name or a last_name.",
            "properties": {
                "first_name": { "type": ["string", "null"], "maxLength": contacts::MAX_NAME, "pattern": NO_CONTROLS },
                "last_name": { "type": ["string", "null"], "maxLength": contacts::MAX_NAME, "pattern": NO_CONTROLS },
                "emails": { "type": ["object", "null"], "additionalProperties": false,
                    "properties": { "preferred": { "type": ["string", "null"], "format": "email", "maxLength": contacts::MAX_EMAIL } } },
                "phones": { "type": ["object", "null"], "additionalProperties": false,
                    "properties": { "personal": { "type": ["string", "null"], "maxLength": contacts::MAX_PHONE, "pattern": PHONE } } },
                "is_favorite": { "type": ["boolean", "null"] },
            },
        },
        "Invitation": {
            "type": "object", "required": ["id", "email", "status"],
            "properties": { "id": s, "email": s,
                "status": { "type": "string", "enum": ["pending", "accepted", "declined", "cancelled"] },
                "from": { "type": "object", "properties": { "id": s, "name": s } },
                "created_time": s, "decided_time": { "type": ["string", "null"] } },
        },
        "InvitationCollection": collection_schema("Invitation"),
        "InvitationInput": {
            "type": "object", "required": ["email"], "additionalProperties": false,
            "properties": { "email": { "type": "string", "format": "email", "maxLength": contacts::MAX_EMAIL } },
        },
        "ActivityPatch": {
            "type": "object", "required": ["content"], "additionalProperties": false,
            "properties": { "content": { "type": ["string", "null"], "maxLength": MAX_MESSAGE } },
        },
        "PortableContacts": {
            "type": "object",
            "properties": {
                "startIndex": { "type": "integer" }, "itemsPerPage": { "type": "integer" },
                "totalResults": { "type": "integer" },
                "entry": { "type": "array", "items": { "type": "object", "properties": {
                    "id": s, "displayName": s,
                    "name": { "type": "object", "properties": { "formatted": s, "givenName": s, "familyName": s } },
                    "emails": { "type": "array", "items": { "type": "object" } },
                    "phoneNumbers": { "type": "array", "items": { "type": "object" } },
                    "updated": { "type": "string", "format": "date-time" },
                } } },
            },
        },
        "Presence": {
            "type": "object", "required": ["status", "shown"],
            "properties": {
                "status": { "type": "string", "enum": ["available", "busy", "away", "appear_offline"], "description": "The status the person chose" },
                "shown": { "type": "string", "enum": ["available", "busy", "away", "offline"], "description": "What friends see now" } },
        },
        "PresenceInput": {
            "type": "object", "required": ["status"], "additionalProperties": false,
            "properties": { "status": { "type": "string", "enum": ["available", "busy", "away", "appear_offline"] } },
        },
        "Message": {
            "type": "object", "required": ["id", "from", "to", "text", "sent_at", "status"],
            "properties": {
                "id": { "type": "integer" }, "from": s, "to": s, "text": s,
                "sent_at": { "type": "string", "format": "date-time" },
                "status": { "type": "string", "enum": ["sent", "delivered"] },
                "client_id": { "type": "string", "description": "On the sender's own messages" } },
        },
        "MessageInput": {
            "type": "object", "required": ["text"], "additionalProperties": false,
            "properties": {
                "text": { "type": "string", "minLength": 1,
                    "maxLength": crate::store::messages::MAX_TEXT_CHARS,
                    "pattern": crate::store::messages::TEXT_PATTERN,
                    "description": "Not only white space or control characters" },
                "client_id": { "type": "string", "maxLength": 128 } },
        },
        "MessageCollection": {
            "type": "object", "required": ["data", "more"],
            "properties": {
                "data": { "type": "array", "items": { "$ref": "#/components/schemas/Message" } },
                "more": { "type": "boolean", "description": "There are older messages (page with before)" } },
        },
        "ConversationCollection": {
            "type": "object", "required": ["data"],
            "properties": { "data": { "type": "array", "items": {
                "type": "object", "required": ["friend_id", "last_message", "undelivered"],
                "properties": {
                    "friend_id": s,
                    "last_message": { "$ref": "#/components/schemas/Message" },
                    "undelivered": { "type": "integer" } } } } },
        },
        "AppStats": app_stats(),
        "PictureLocation": {
            "type": "object", "required": ["location"],
            "properties": { "location": { "type": "string", "format": "uri" } },
        },
        "Error": {
            "type": "object", "required": ["error"],
            "properties": { "error": { "type": "object", "required": ["code", "message"], "properties": {
                "code": { "type": "string", "enum": [
                    "request_parameter_invalid", "request_parameter_missing", "request_url_invalid",
                    "request_method_invalid", "request_body_invalid", "resource_not_found",
                    "request_token_expired", "request_token_invalid", "insufficient_scope", "server_error",
                    "resource_quota_exceeded", "photo_empty", "photo_too_large", "photo_type_unsupported",
                    "photo_dimensions_too_large", "photo_unreadable", "precondition_failed",
                    "invitation_not_pending", "resource_conflict", "not_friends", "message_too_long",
                    "rate_limited", "stats_range_invalid"] },
                "message": s,
            } } },
        },
    })
}

/// The schemas of the photo and calendar APIs.
fn media_schemas() -> Value {
    json!({
        "Album": item_schema(&crate::store::photos::ALBUM_ROWS.fields()),
        "AlbumCollection": collection_schema("Album"),
        "AlbumInput": {
            "type": "object", "required": ["name"], "additionalProperties": false,
            "properties": {
                "name": { "type": "string", "pattern": NO_CONTROLS, "allOf": [{ "pattern": "\\S" }], "maxLength": super::photos::MAX_NAME },
                "description": { "type": "string", "pattern": NO_CONTROLS, "maxLength": super::photos::MAX_DESCRIPTION },
            },
        },
        "Photo": item_schema(&crate::store::photos::PHOTO_ROWS.fields()),
        "PhotoCollection": collection_schema("Photo"),
        "Calendar": item_schema(&crate::store::calendars::CALENDAR_ROWS.fields()),
        "CalendarCollection": collection_schema("Calendar"),
        "Event": item_schema(&crate::store::calendars::EVENT_ROWS.fields()),
        "EventCollection": collection_schema("Event"),
        "EventInput": {
            "allOf": [{ "$ref": "#/components/schemas/EventPatch" }],
            "required": ["name", "start_time", "end_time"],
            "description": "A new event, or every field of one (PUT). Times: RFC 3339 with an offset from 1970 on, or a date; end_time not before start_time.",
        },
        "EventPatch": {
            "type": "object", "additionalProperties": false,
            "description": "The fields to change (PATCH); the event must still end after it starts.",
            "properties": {
                "name": { "type": "string", "pattern": NO_CONTROLS, "allOf": [{ "pattern": "\\S" }], "maxLength": super::calendars::MAX_NAME },
                "description": { "type": "string", "pattern": LINES, "maxLength": super::calendars::MAX_DESCRIPTION },
                "location": { "type": "string", "pattern": NO_CONTROLS, "maxLength": super::calendars::MAX_NAME },
                "start_time": { "type": "string", "format": "date-time" },
                "end_time": { "type": "string", "format": "date-time" },
                "is_all_day_event": { "type": "boolean" },
            },
        },
    })
}

/// The OpenAPI 3.1 document for a provider at `issuer`.
pub fn document(issuer: &str, endpoints: &[Endpoint]) -> Value {
    let mut paths = Map::new();
    for e in endpoints {
        let item = paths.entry(e.path.to_owned()).or_insert_with(|| json!({}));
        item[e.method.as_str().to_ascii_lowercase()] = operation(e);
    }
    let scopes: Map<String, Value> = crate::identity::scopes::ALL
        .iter()
        .map(|s| (s.name.to_owned(), json!(s.description)))
        .collect();
    let mut all_schemas = schemas();
    if let (Some(all), Value::Object(media)) = (all_schemas.as_object_mut(), media_schemas()) {
        all.extend(media);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "wl-connect data APIs",
            "version": "1",
            "description": "Live Connect style REST APIs of the wl-connect reference provider. Errors are { error: { code, message } } with the Live Connect codes; every answer is JSON, or XML with $format=xml or Accept: application/xml.",
        },
        "servers": [{ "url": issuer }],
        "paths": paths,
        "components": {
            "schemas": all_schemas,
            "securitySchemes": {
                "oauth2": { "type": "oauth2", "flows": { "authorizationCode": {
                    "authorizationUrl": format!("{issuer}/authorize"),
                    "tokenUrl": format!("{issuer}/token"),
                    "refreshUrl": format!("{issuer}/token"),
                    "scopes": scopes,
                } } },
                "bearer": { "type": "http", "scheme": "bearer", "description": "An access token from /token (or wl-server dev-token), e.g. from a back end" },
            },
        },
    })
}
