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

/// `GET /v1/apps/{id}/stats` is in the route table, so in the document: bearer-only (no scope),
/// its own 400 (`stats_range_invalid`, a code the `Error` schema lists) and 404; and what it
/// answers an owner has every field `AppStats` requires, every day every documented column.
#[tokio::test]
async fn app_stats_answer_what_the_document_describes() {
    let srv = TestServer::start().await;
    {
        let mut c = srv.running.state.db.conn().await.unwrap();
        wl_server::store::apps::add_owner(&mut c, "wl-demo", &srv.person_id("alice"), 0)
            .await
            .unwrap();
    }
    let api = srv.api("alice", "wl.basic").await;
    let doc = api.json("/v1/openapi.json").await;
    let op = &doc["paths"]["/v1/apps/{id}/stats"]["get"];
    assert_eq!(op["operationId"], "getAppStats", "{op}");
    assert_eq!(op["security"][0]["oauth2"], serde_json::json!([]), "{op}");
    for status in ["200", "400", "401", "404"] {
        assert!(op["responses"][status].is_object(), "{status}: {op}");
    }
    assert!(
        op["responses"]["400"]["description"]
            .as_str()
            .unwrap()
            .starts_with("stats_range_invalid"),
        "{op}"
    );
    let codes =
        &doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"];
    assert!(
        codes
            .as_array()
            .unwrap()
            .contains(&Value::from("stats_range_invalid"))
    );

    let schema = &doc["components"]["schemas"]["AppStats"];
    let v = api
        .json("/v1/apps/wl-demo/stats?from=2026-01-01&to=2026-01-03")
        .await;
    let has_all = |value: &Value, schema: &Value| {
        schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| value.get(k.as_str().unwrap()).is_some())
    };
    assert!(has_all(&v, schema), "{v}");
    assert!(
        has_all(&v["totals"], &schema["properties"]["totals"]),
        "{v}"
    );
    let days = v["days"].as_array().unwrap();
    assert_eq!(days.len(), 3, "{v}");
    let day_schema = &schema["properties"]["days"]["items"];
    assert!(days.iter().all(|d| has_all(d, day_schema)), "{v}");
    // No field the schema does not describe.
    let described = |value: &Value, schema: &Value| {
        value
            .as_object()
            .unwrap()
            .keys()
            .all(|k| schema["properties"].get(k).is_some())
    };
    assert!(
        described(&v, schema) && described(&days[0], day_schema),
        "{v}"
    );

    // A bad range: the documented 400 with its code.
    let res = api.get("/v1/apps/wl-demo/stats?from=2026-02-30").await;
    expect_error(res, StatusCode::BAD_REQUEST, "stats_range_invalid").await;
}
