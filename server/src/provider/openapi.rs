//! The `/v1` route table: one [`Endpoint`] per method and path, from which both the router
//! ([`v1_router`]) and the OpenAPI 3.1 document (`GET /v1/openapi.json`, [`document`]) are
//! built, so the two cannot drift. The collection schemas come from the collections' own
//! field sets, and the OAuth scopes from [`crate::scopes::ALL`].
//!
//! Two `/v1` modules build their own routers (activities, the messenger hub); their endpoints
//! are listed here with `handler: None` ("served by the router merged in"), and
//! `server/tests/data_formats.rs` checks both ways: every documented operation is served, and
//! every `/v1` route served (probed by path and method) is documented.

use axum::Router;
use axum::http::Method;
use axum::middleware;
use axum::routing::{MethodRouter, any, get, post};
use serde_json::{Map, Value, json};

use super::{api, contacts, data, format};
use crate::odata::{FieldSet, FieldType};
use crate::state::AppState;

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    /// In the path (`{id}`).
    Path,
    /// In the query string.
    Query,
}

/// One documented parameter.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Its name (`$filter`, `id`, …).
    pub name: &'static str,
    /// Where it goes.
    pub location: In,
    /// What it does.
    pub description: &'static str,
    /// Allowed values, when they are a fixed list.
    pub values: &'static [&'static str],
}

/// One documented answer.
#[derive(Debug, Clone, Copy)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// What it means.
    pub description: &'static str,
    /// The `components.schemas` entry of its JSON body, if it has one.
    pub schema: Option<&'static str>,
}

/// One method on one `/v1` path: its documentation and its handler.
pub struct Endpoint {
    /// The method.
    pub method: Method,
    /// The path, in axum/OpenAPI template syntax (`/v1/{id}`).
    pub path: &'static str,
    /// The OpenAPI `operationId`.
    pub operation_id: &'static str,
    /// One line.
    pub summary: &'static str,
    /// The scope a token needs (`None`: any valid token, or no token for public documents).
    pub scope: Option<&'static str>,
    /// False for documents anyone may read (no bearer token).
    pub needs_token: bool,
    /// Parameters besides `$format` (added to every endpoint).
    pub params: &'static [Param],
    /// The `components.schemas` entry of the JSON request body.
    pub body: Option<&'static str>,
    /// Answers besides the common errors (added from `needs_token`, `scope` and `params`).
    pub answers: &'static [Answer],
    /// The handler; `None` when another module's router (merged into [`v1_router`]) serves it.
    pub handler: Option<MethodRouter<AppState>>,
}

const ID: Param = Param {
    name: "id",
    location: In::Path,
    description: "A person id (the token's person or a friend), or a contact id (`contact.…`).",
    values: &[],
};
const ODATA: &[Param] = &[
    Param {
        name: "$filter",
        location: In::Query,
        description: "OData filter: eq ne gt ge lt le, and or not, parentheses, contains/startswith/endswith, string/number/bool/null literals.",
        values: &[],
    },
    Param {
        name: "$select",
        location: In::Query,
        description: "Comma-separated fields to return (nested fields as a/b).",
        values: &[],
    },
    Param {
        name: "$orderby",
        location: In::Query,
        description: "Comma-separated sort keys, each optionally followed by asc or desc.",
        values: &[],
    },
    Param {
        name: "$top",
        location: In::Query,
        description: "Page size, 0 to 1000 (default 50).",
        values: &[],
    },
    Param {
        name: "$skip",
        location: In::Query,
        description: "Items to skip.",
        values: &[],
    },
    Param {
        name: "$count",
        location: In::Query,
        description: "true: include `count`, the number of items matching $filter.",
        values: &["true", "false"],
    },
];
const PICTURE: &[Param] = &[
    Param {
        name: "suppress_redirects",
        location: In::Query,
        description: "true: answer { location } instead of redirecting.",
        values: &["true", "false"],
    },
    Param {
        name: "type",
        location: In::Query,
        description: "Picture size (every size is the same scalable image).",
        values: &["small", "medium", "large"],
    },
];
const FORMAT: Param = Param {
    name: "$format",
    location: In::Query,
    description: "Answer format (default json, or from Accept: application/xml / text/xml).",
    values: &["json", "xml"],
};
const TYPE: Param = Param {
    name: "$type",
    location: In::Query,
    description: "portable: answer in the Portable Contacts shape ($select not allowed).",
    values: &["portable"],
};

const CONTACTS_PARAMS: &[Param] = &[
    ODATA[0], ODATA[1], ODATA[2], ODATA[3], ODATA[4], ODATA[5], TYPE,
];

const fn ok(schema: &'static str) -> Answer {
    Answer {
        status: 200,
        description: "OK",
        schema: Some(schema),
    }
}
const NOT_FOUND: Answer = Answer {
    status: 404,
    description: "resource_not_found: no such id, or not one the token's person may see",
    schema: Some("Error"),
};
const ID_PICTURE: &[Param] = &[ID, PICTURE[0], PICTURE[1]];
const ID_PICTURE_ANSWERS: &[Answer] = &[PICTURE_ANSWERS[0], PICTURE_ANSWERS[1], NOT_FOUND];
const ACTIVITIES_OK: &[Answer] = &[ok("ActivityCollection")];
const ACTIVITY_CREATED: &[Answer] = &[Answer {
    status: 201,
    description: "Created: the activity",
    schema: Some("Activity"),
}];
const HUB_ANSWERS: &[Answer] = &[Answer {
    status: 101,
    description: "Switching protocols to a WebSocket",
    schema: None,
}];
const PROFILE_OK: &[Answer] = &[ok("Profile")];
const FRIENDS_OK: &[Answer] = &[ok("FriendCollection")];
const PICTURE_ANSWERS: &[Answer] = &[
    Answer {
        status: 302,
        description: "Redirect to the picture (an image anyone may load)",
        schema: None,
    },
    Answer {
        status: 200,
        description: "With suppress_redirects=true: where the picture is",
        schema: Some("PictureLocation"),
    },
];

/// Every documented `/v1` endpoint, in document order.
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: Method::GET,
            path: "/v1/me",
            operation_id: "getMe",
            summary: "The token's person (emails with wl.emails or email)",
            scope: None,
            needs_token: true,
            params: &[],
            body: None,
            answers: PROFILE_OK,
            handler: Some(get(api::me)),
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/me/picture",
            operation_id: "getMyPicture",
            summary: "The token's person's picture",
            scope: None,
            needs_token: true,
            params: PICTURE,
            body: None,
            answers: PICTURE_ANSWERS,
            handler: Some(get(api::me_picture)),
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/me/friends",
            operation_id: "listFriends",
            summary: "The token's person's friends, OData-queryable",
            scope: Some("wl.basic"),
            needs_token: true,
            params: ODATA,
            body: None,
            answers: FRIENDS_OK,
            handler: Some(get(data::friends)),
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/me/contacts",
            operation_id: "listContacts",
            summary: "The token's person's contacts, OData-queryable ($type=portable for Portable Contacts)",
            scope: Some("wl.contacts"),
            needs_token: true,
            params: CONTACTS_PARAMS,
            body: None,
            answers: &[Answer {
                status: 200,
                description: "OK: ContactCollection, or PortableContacts with $type=portable",
                schema: Some("ContactCollection"),
            }],
            handler: Some(get(data::contacts)),
        },
        Endpoint {
            method: Method::POST,
            path: "/v1/me/contacts",
            operation_id: "createContact",
            summary: "Add a contact (400 request_body_invalid names the field at fault)",
            scope: Some(contacts::SCOPE),
            needs_token: true,
            params: &[],
            body: Some("ContactInput"),
            answers: &[Answer {
                status: 201,
                description: "Created; Location is the contact's /v1/{id} URL",
                schema: Some("Contact"),
            }],
            handler: Some(post(contacts::create)),
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/{id}",
            operation_id: "getById",
            summary: "A person (yourself, or a friend with wl.basic) or a contact (contact.… ids, wl.contacts)",
            scope: None,
            needs_token: true,
            params: &[ID],
            body: None,
            answers: &[
                Answer {
                    status: 200,
                    description: "OK: a Profile, or a Contact for contact ids",
                    schema: Some("Profile"),
                },
                NOT_FOUND,
            ],
            handler: Some(get(api::person)),
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/{id}/picture",
            operation_id: "getPicture",
            summary: "Your own picture, or a friend's (wl.basic)",
            scope: None,
            needs_token: true,
            params: ID_PICTURE,
            body: None,
            answers: ID_PICTURE_ANSWERS,
            handler: Some(get(api::person_picture)),
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/me/activities",
            operation_id: "listActivities",
            summary: "The token's person's own activities (ActivityStreams 2.0), OData-queryable",
            scope: Some("wl.basic"),
            needs_token: true,
            params: ODATA,
            body: None,
            answers: ACTIVITIES_OK,
            handler: None,
        },
        Endpoint {
            method: Method::POST,
            path: "/v1/me/activities",
            operation_id: "createActivity",
            summary: "Write an activity from a named template with values",
            scope: Some("wl.share"),
            needs_token: true,
            params: &[],
            body: Some("ActivityInput"),
            answers: ACTIVITY_CREATED,
            handler: None,
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/me/feed",
            operation_id: "listFeed",
            summary: "Friends' activities shared with the token's person, OData-queryable",
            scope: Some("wl.basic"),
            needs_token: true,
            params: ODATA,
            body: None,
            answers: ACTIVITIES_OK,
            handler: None,
        },
        Endpoint {
            method: Method::POST,
            path: "/v1/me/share",
            operation_id: "share",
            summary: "Share a link with friends, as an activity",
            scope: Some("wl.share"),
            needs_token: true,
            params: &[],
            body: Some("ShareInput"),
            answers: ACTIVITY_CREATED,
            handler: None,
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/hub",
            operation_id: "messengerHub",
            summary: "The messenger hub's WebSocket (the token goes in the first frame; protocol in docs/messenger.md)",
            scope: None,
            needs_token: false,
            params: &[],
            body: None,
            answers: HUB_ANSWERS,
            handler: None,
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/openapi.json",
            operation_id: "getOpenApi",
            summary: "This document",
            scope: None,
            needs_token: false,
            params: &[],
            body: None,
            answers: &[Answer {
                status: 200,
                description: "The OpenAPI 3.1 document",
                schema: None,
            }],
            handler: Some(get(api::openapi)),
        },
    ]
}

/// The `/v1` router: every [`endpoints`] entry, the routes of other `/v1` modules, 404
/// `request_url_invalid` for other `/v1` paths, 405 `request_method_invalid` for other
/// methods, and the `$format`/`Accept` layer over all of them.
pub fn v1_router(extra: Router<AppState>) -> Router<AppState> {
    let mut paths: Vec<(&'static str, Vec<Option<MethodRouter<AppState>>>)> = Vec::new();
    for e in endpoints() {
        match paths.iter_mut().find(|(p, _)| *p == e.path) {
            Some((_, handlers)) => handlers.push(e.handler),
            None => paths.push((e.path, vec![e.handler])),
        }
    }
    let paths = paths
        .into_iter()
        .map(|(p, hs)| (p, hs.into_iter().flatten().collect::<Vec<_>>()));
    let mut router = Router::new();
    for (path, handlers) in paths {
        if let Some(mr) = handlers.into_iter().reduce(MethodRouter::merge) {
            router = router.route(path, mr);
        }
    }
    router
        .merge(extra)
        .route("/v1", any(api::url_invalid))
        .route("/v1/", any(api::url_invalid))
        .route("/v1/{id}/{*rest}", any(api::url_invalid))
        .method_not_allowed_fallback(api::method_invalid)
        .layer(middleware::from_fn(format::negotiate))
}

fn param_json(p: &Param) -> Value {
    let mut schema = json!({ "type": "string" });
    if !p.values.is_empty() {
        schema["enum"] = json!(p.values);
    }
    json!({
        "name": p.name,
        "in": match p.location { In::Path => "path", In::Query => "query" },
        "required": p.location == In::Path,
        "description": p.description,
        "schema": schema,
    })
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
    let mut params: Vec<Value> = e.params.iter().map(param_json).collect();
    params.push(param_json(&FORMAT));
    let mut answers = Map::new();
    for a in e.answers {
        answers.insert(a.status.to_string(), answer_json(a));
    }
    let bad = if e.body.is_some() {
        "request_parameter_invalid ($format), request_parameter_missing (no body) or request_body_invalid (the message names the field)"
    } else {
        "request_parameter_invalid: a parameter that does not parse or fit; the message names the option and the position"
    };
    answers.insert("400".into(), error_answer(bad));
    if e.needs_token {
        answers.insert(
            "401".into(),
            error_answer("request_token_invalid or request_token_expired (WWW-Authenticate: Bearer error=\"invalid_token\")"),
        );
    }
    if e.scope.is_some() || e.path.contains("{id}") {
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
    if let Some(s) = e.body {
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

fn schemas() -> Value {
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
        "Friend": item_schema(&data::friend_fields()),
        "Contact": item_schema(&data::contact_fields()),
        "FriendCollection": collection_schema("Friend"),
        "Activity": {
            "type": "object",
            "description": "An ActivityStreams 2.0 activity (@context, type, actor, object, published, to, …)",
            "properties": { "@context": s, "id": s, "type": s, "actor": { "type": "object" },
                "object": { "type": "object" }, "summary": s, "content": s, "published": s,
                "to": { "type": "array", "items": s } },
        },
        "ActivityCollection": collection_schema("Activity"),
        "ActivityInput": {
            "type": "object", "required": ["template"],
            "properties": { "template": s, "values": { "type": "object", "additionalProperties": s },
                "to": { "type": "array", "items": s, "description": "Friends' ids (default: every friend)" } },
        },
        "ShareInput": {
            "type": "object", "required": ["link"],
            "properties": { "link": { "type": "string", "format": "uri" }, "message": s, "title": s,
                "to": { "type": "array", "items": s, "description": "Friends' ids (default: every friend)" } },
        },
        "ContactCollection": collection_schema("Contact"),
        "ContactInput": {
            "type": "object",
            "additionalProperties": false,
            "description": "At least one of first_name and last_name.",
            "properties": {
                "first_name": { "type": "string", "maxLength": contacts::MAX_NAME },
                "last_name": { "type": "string", "maxLength": contacts::MAX_NAME },
                "emails": { "type": "object", "additionalProperties": false,
                    "properties": { "preferred": { "type": "string", "format": "email", "maxLength": contacts::MAX_EMAIL } } },
                "phones": { "type": "object", "additionalProperties": false,
                    "properties": { "personal": { "type": "string", "maxLength": contacts::MAX_PHONE } } },
                "is_favorite": { "type": "boolean" },
            },
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
                    "request_token_expired", "request_token_invalid", "insufficient_scope", "server_error"] },
                "message": s,
            } } },
        },
    })
}

/// The OpenAPI 3.1 document for a provider at `issuer`.
pub fn document(issuer: &str) -> Value {
    let mut paths = Map::new();
    for e in endpoints() {
        let item = paths.entry(e.path.to_owned()).or_insert_with(|| json!({}));
        item[e.method.as_str().to_ascii_lowercase()] = operation(&e);
    }
    let scopes: Map<String, Value> = crate::scopes::ALL
        .iter()
        .map(|s| (s.name.to_owned(), json!(s.description)))
        .collect();
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
            "schemas": schemas(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_is_documented_once() {
        let doc = document("http://127.0.0.1:8081");
        let mut seen = std::collections::HashSet::new();
        for e in endpoints() {
            assert!(
                seen.insert((e.method.clone(), e.path)),
                "{} {}",
                e.method,
                e.path
            );
            let op = &doc["paths"][e.path][e.method.as_str().to_ascii_lowercase()];
            assert_eq!(op["operationId"], e.operation_id);
            let names: Vec<&str> = op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            assert!(names.contains(&"$format"), "{}", e.path);
            for p in e.path.split('/').filter(|s| s.starts_with('{')) {
                assert!(
                    names.contains(&p.trim_matches(['{', '}'])),
                    "{} {p}",
                    e.path
                );
            }
        }
        // Every $ref points at a schema that exists.
        let text = doc.to_string();
        for r in text.split("#/components/schemas/").skip(1) {
            let name = r.split('"').next().unwrap();
            assert!(doc["components"]["schemas"].get(name).is_some(), "{name}");
        }
        let contact = &doc["components"]["schemas"]["Contact"]["properties"];
        assert_eq!(
            contact["emails"]["properties"]["preferred"]["type"][0],
            "string"
        );
        assert_eq!(contact["is_favorite"]["type"][0], "boolean");
    }
}
