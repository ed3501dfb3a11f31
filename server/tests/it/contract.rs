//! What contract fuzzing (`cargo xtask test`'s Schemathesis step against `/v1/openapi.json`)
//! found, each kept as a regression over real HTTP: every answer has a documented status, a
//! documented content type and a body the documented schema admits.
use crate::common::{TestServer, expect_error};
use reqwest::{StatusCode, header};
use serde_json::Value;

/// The schema names a `$ref`/`anyOf` answer schema stands for.
fn refs(doc: &Value, schema: &Value) -> Vec<String> {
    let name = |v: &Value| {
        v["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .map(str::to_owned)
    };
    let Some(top) = name(schema) else {
        return Vec::new();
    };
    match doc["components"]["schemas"][&top]["anyOf"].as_array() {
        Some(any) => any.iter().filter_map(name).collect(),
        None => vec![top],
    }
}

/// A plain GET of the hub (no WebSocket upgrade headers) got axum's `text/plain` rejection,
/// which the document does not list: now it is the API's JSON error.
#[tokio::test]
async fn a_plain_get_of_the_hub_is_a_documented_json_error() {
    let srv = TestServer::start().await;
    let res = reqwest::get(format!("{}/v1/hub?$format=json", srv.provider()))
        .await
        .unwrap();
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{:?}",
        res.headers()
    );
    let message = expect_error(res, StatusCode::BAD_REQUEST, "request_parameter_invalid").await;
    assert!(message.contains("WebSocket"), "{message}");
    let doc: Value = reqwest::get(format!("{}/v1/openapi.json", srv.provider()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/v1/hub"]["get"]["responses"]["400"].is_object());
}

/// `$type=portable` answers Portable Contacts with the same 200 that was documented as a
/// `ContactCollection` only (`data` is required there), and `/v1/{id}` answers a Contact for
/// contact ids where a Profile was documented: both 200s now name either shape.
#[tokio::test]
async fn each_200_documents_every_shape_it_answers() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.basic wl.contacts").await;
    let doc = api.json("/v1/openapi.json").await;
    let ok = |path: &str| doc["paths"][path]["get"]["responses"]["200"].clone();

    let portable = api.json("/v1/me/contacts?$type=portable").await;
    assert!(portable["entry"].is_array() && portable.get("data").is_none());
    let listed = refs(
        &doc,
        &ok("/v1/me/contacts")["content"]["application/json"]["schema"],
    );
    assert_eq!(listed, ["ContactCollection", "PortableContacts"]);

    let contacts = api.json("/v1/me/contacts").await;
    let id = contacts["data"][0]["id"].as_str().expect("a contact id");
    assert!(id.starts_with("contact."), "{id}");
    let contact = api.json(&format!("/v1/{id}")).await;
    assert_eq!(contact["id"], id);
    let by_id = refs(
        &doc,
        &ok("/v1/{id}")["content"]["application/json"]["schema"],
    );
    assert_eq!(by_id, ["Profile", "Contact"]);
}

/// The activity body was documented as any `template` string with any `values`, so nearly
/// every case the fuzzer drew was a 400 and the write path went untried: the document now
/// names each template's values, and a body built from each variant is written.
#[tokio::test]
async fn each_documented_activity_template_is_accepted() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.basic wl.share").await;
    let doc = api.json("/v1/openapi.json").await;
    let variants = doc["components"]["schemas"]["ActivityInput"]["oneOf"]
        .as_array()
        .expect("one variant per template");
    assert_eq!(
        variants.len(),
        wl_server::api::activities::templates::TEMPLATES.len()
    );
    for variant in variants {
        let template = &variant["properties"]["template"]["const"];
        let values = &variant["properties"]["values"];
        let mut body = serde_json::Map::new();
        for name in values["required"].as_array().unwrap() {
            let name = name.as_str().unwrap();
            let value = if values["properties"][name]["format"] == "uri" {
                "https://example.com/page"
            } else {
                "Hello"
            };
            body.insert(name.to_owned(), Value::from(value));
        }
        let res = api
            .post_json(
                "/v1/me/activities",
                &serde_json::json!({ "template": template, "values": body }),
            )
            .await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{template}: {text}");
    }
}
