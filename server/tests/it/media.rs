//! Photos (`wl.photos`) and calendars (`wl.calendars`, `wl.calendars_update`) over real HTTP:
//! albums and uploads with their checks (type by content, size, dimensions, a decompression
//! bomb), the three sizes and their unguessable URLs, events by date range, their writes and
//! the iCalendar export; each refusal with its code, and nothing saved half-way.
use crate::common::{TestServer, expect_error};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

/// An image of `w` × `h` in `format`, with some detail (so it is not trivially small).
fn image(w: u32, h: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([(x * 7) as u8, (y * 5) as u8, ((x + y) * 3) as u8, 255])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    if format == image::ImageFormat::Jpeg {
        image::DynamicImage::ImageRgba8(img)
            .to_rgb8()
            .write_to(&mut out, format)
            .unwrap();
    } else {
        img.write_to(&mut out, format).unwrap();
    }
    out.into_inner()
}

/// A PNG whose header claims `w` × `h` pixels, with almost no data behind it (a
/// decompression bomb's header).
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

async fn upload(
    api: &crate::common::Api,
    album: &str,
    name: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    api.request(
        Method::POST,
        &format!("/v1/me/albums/{album}/photos?name={name}"),
    )
    .header(header::CONTENT_TYPE, content_type)
    .body(bytes)
    .send()
    .await
    .unwrap()
}

async fn new_album(api: &crate::common::Api, name: &str) -> String {
    let res = api
        .post_json("/v1/me/albums", &json!({ "name": name }))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let album: Value = res.json().await.unwrap();
    assert_eq!(album["name"], name);
    assert_eq!(album["count"], 0.0);
    album["id"].as_str().unwrap().to_owned()
}

fn decoded(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory(bytes).unwrap()
}

#[tokio::test]
async fn photos_upload_in_three_sizes_served_by_unguessable_url() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.photos").await;
    let album = new_album(&api, "Holidays").await;
    assert!(album.starts_with("album."));

    let res = upload(
        &api,
        &album,
        "beach.png",
        "image/png",
        image(600, 400, image::ImageFormat::Png),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let photo: Value = res.json().await.unwrap();
    let id = photo["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("photo."), "{photo}");
    assert_eq!(location, format!("{}/v1/me/photos/{id}", srv.provider()));
    assert_eq!(photo["name"], "beach.png");
    assert_eq!(photo["parent_id"], album.as_str());
    assert_eq!(photo["type"], "photo");
    assert_eq!(photo["mime_type"], "image/png");
    assert_eq!(
        (photo["width"].as_f64(), photo["height"].as_f64()),
        (Some(600.0), Some(400.0))
    );
    assert_eq!(api.json(&location).await, photo);

    // Three sizes, each the right type and size, cached privately, served without a token.
    let anon = reqwest::Client::new();
    for (size, side) in [("full", 600), ("normal", 320), ("thumbnail", 96)] {
        let url = photo["images"][size].as_str().unwrap();
        assert!(
            url.starts_with(&format!("{}/v1/photos/", srv.provider())),
            "{url}"
        );
        let res = anon.get(url).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{size}");
        assert_eq!(res.headers()[header::CONTENT_TYPE], "image/png");
        assert_eq!(
            res.headers()[header::CACHE_CONTROL],
            "private, max-age=31536000, immutable"
        );
        assert_eq!(res.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let img = decoded(&res.bytes().await.unwrap());
        assert_eq!(img.width().max(img.height()), side, "{size}");
    }
    assert_eq!(photo["source"], photo["images"]["full"]);
    assert_eq!(photo["picture"], photo["images"]["thumbnail"]);

    // JPEG stays JPEG; GIF and WebP become PNG. Only the pixels are kept (a JPEG's trailing
    // bytes are not served back).
    let mut jpeg = image(300, 200, image::ImageFormat::Jpeg);
    jpeg.extend_from_slice(b"<script>alert(1)</script>");
    let res = upload(&api, &album, "cat.jpg", "image/jpeg", jpeg).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let cat: Value = res.json().await.unwrap();
    assert_eq!(cat["mime_type"], "image/jpeg");
    let full = anon
        .get(cat["source"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(full.headers()[header::CONTENT_TYPE], "image/jpeg");
    let body = full.bytes().await.unwrap();
    assert!(!body.windows(8).any(|w| w == b"<script>"));
    for (name, format) in [
        ("anim.gif", image::ImageFormat::Gif),
        ("pic.webp", image::ImageFormat::WebP),
    ] {
        let res = upload(
            &api,
            &album,
            name,
            "application/octet-stream",
            image(40, 30, format),
        )
        .await;
        assert_eq!(res.status(), StatusCode::CREATED, "{name}");
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["mime_type"], "image/png", "{name}");
        assert_eq!(p["width"], 40.0);
    }

    // OData on both collections.
    let albums = api.json("/v1/me/albums?$select=name,count").await;
    assert_eq!(albums["data"], json!([{ "name": "Holidays", "count": 4 }]));
    let path = format!("/v1/me/albums/{album}/photos");
    let all = api.json(&format!("{path}?$count=true")).await;
    assert_eq!(all["count"], 4);
    let wide = api
        .json(&format!(
            "{path}?$filter=width gt 100&$orderby=width desc&$select=name,width"
        ))
        .await;
    assert_eq!(
        wide["data"],
        json!([{ "name": "beach.png", "width": 600 }, { "name": "cat.jpg", "width": 300 }])
    );
    let page = api
        .json(&format!("{path}?$orderby=name&$top=1&$skip=1&$select=name"))
        .await;
    assert_eq!(page["data"], json!([{ "name": "beach.png" }]));
    assert!(
        page["paging"]["next"]
            .as_str()
            .unwrap()
            .contains(&format!("/v1/me/albums/{album}/photos?"))
    );
    let msg = expect_error(
        api.get(&format!("{path}?$filter=width gt")).await,
        StatusCode::BAD_REQUEST,
        "request_parameter_invalid",
    )
    .await;
    assert!(msg.contains("$filter"), "{msg}");
    expect_error(
        api.get("/v1/me/albums?$orderby=nope").await,
        StatusCode::BAD_REQUEST,
        "request_parameter_invalid",
    )
    .await;
}

#[tokio::test]
async fn bad_uploads_are_refused_with_their_codes_and_nothing_is_saved() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.photos").await;
    let album = new_album(&api, "Tests").await;
    let alice = srv.person_id("alice");

    // Markup disguised as a JPEG (by name and Content-Type): the content decides.
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec();
    expect_error(
        upload(&api, &album, "x.jpg", "image/jpeg", svg).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "photo_type_unsupported",
    )
    .await;
    // A PDF, a BMP: not accepted types.
    for bytes in [b"%PDF-1.4 ...".to_vec(), b"BM\x36\x00\x00\x00".to_vec()] {
        expect_error(
            upload(&api, &album, "x.jpg", "image/jpeg", bytes).await,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "photo_type_unsupported",
        )
        .await;
    }
    // JPEG magic, then garbage.
    expect_error(
        upload(
            &api,
            &album,
            "x.jpg",
            "image/jpeg",
            b"\xff\xd8\xff\xe0 not a jpeg".to_vec(),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "photo_unreadable",
    )
    .await;
    // A decompression bomb: a few dozen bytes claiming 60,000 × 60,000 pixels, refused at the
    // header; and a real image over the side limit.
    let bomb = png_claiming(60_000, 60_000);
    assert!(bomb.len() < 100);
    let msg = expect_error(
        upload(&api, &album, "bomb.png", "image/png", bomb).await,
        StatusCode::BAD_REQUEST,
        "photo_dimensions_too_large",
    )
    .await;
    assert!(msg.contains("5000"), "{msg}");
    expect_error(
        upload(
            &api,
            &album,
            "wide.png",
            "image/png",
            png_claiming(5001, 10),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "photo_dimensions_too_large",
    )
    .await;
    // Over 10 MB.
    let mut big = image(10, 10, image::ImageFormat::Png);
    big.resize(10 * 1024 * 1024 + 1, 0);
    expect_error(
        upload(&api, &album, "big.png", "image/png", big).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "photo_too_large",
    )
    .await;
    // Empty, and a body that is not an image upload at all.
    expect_error(
        upload(&api, &album, "e.png", "image/png", Vec::new()).await,
        StatusCode::BAD_REQUEST,
        "photo_empty",
    )
    .await;
    expect_error(
        upload(&api, &album, "j", "application/json", b"{}".to_vec()).await,
        StatusCode::BAD_REQUEST,
        "request_body_invalid",
    )
    .await;
    // A name with a control character.
    expect_error(
        upload(
            &api,
            &album,
            "a%07b",
            "image/png",
            image(4, 4, image::ImageFormat::Png),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "request_body_invalid",
    )
    .await;
    assert_eq!(
        srv.sql_i64("SELECT COUNT(*) FROM photos WHERE owner_id = $1", &[&alice])
            .await,
        0,
        "nothing saved half-way"
    );

    // Album bodies.
    for body in [
        json!({}),
        json!({ "name": " " }),
        json!({ "name": 3 }),
        json!({ "name": "x", "id": "album.1" }),
    ] {
        expect_error(
            api.post_json("/v1/me/albums", &body).await,
            StatusCode::BAD_REQUEST,
            "request_body_invalid",
        )
        .await;
    }
    assert_eq!(
        srv.sql_i64("SELECT COUNT(*) FROM albums WHERE owner_id = $1", &[&alice])
            .await,
        1
    );
}

#[tokio::test]
async fn photos_are_the_owners_only() {
    let srv = TestServer::start().await;
    let alice = srv.api("alice", "wl.photos").await;
    let album = new_album(&alice, "Private").await;
    let res = upload(
        &alice,
        &album,
        "me.png",
        "image/png",
        image(50, 50, image::ImageFormat::Png),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let photo: Value = res.json().await.unwrap();
    let id = photo["id"].as_str().unwrap();

    // Bob (a friend, with every scope) sees none of it, by id or by album.
    let bob = srv.api("bob", "wl.photos wl.basic").await;
    for path in [
        format!("/v1/me/albums/{album}/photos"),
        format!("/v1/me/photos/{id}"),
    ] {
        expect_error(
            bob.get(&path).await,
            StatusCode::NOT_FOUND,
            "resource_not_found",
        )
        .await;
    }
    expect_error(
        upload(
            &bob,
            &album,
            "x.png",
            "image/png",
            image(5, 5, image::ImageFormat::Png),
        )
        .await,
        StatusCode::NOT_FOUND,
        "resource_not_found",
    )
    .await;
    assert_eq!(bob.json("/v1/me/albums").await["data"], json!([]));
    // OData cannot widen the collection to another album or person.
    let widened = bob
        .json(&format!(
            "/v1/me/albums?$filter=id eq '{album}' or from/id ne ''"
        ))
        .await;
    assert_eq!(widened["data"], json!([]));
    // Without the scope: 403 naming it.
    let other = srv.api("alice", "wl.basic").await;
    let res = other.get("/v1/me/albums").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(
        res.headers()[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .contains("wl.photos")
    );
    // The image URLs: only the exact key answers.
    let full = photo["images"]["full"].as_str().unwrap();
    let anon = reqwest::Client::new();
    assert_eq!(
        anon.get(full).send().await.unwrap().status(),
        StatusCode::OK
    );
    let key = full.rsplit('/').nth(1).unwrap();
    let mut wrong = key.to_owned().into_bytes();
    wrong[0] = if wrong[0] == b'0' { b'1' } else { b'0' };
    let base = format!("{}/v1/photos", srv.provider());
    for url in [
        format!("{base}/{}/full", String::from_utf8(wrong).unwrap()),
        format!("{base}/{key}/original"),
        format!("{base}/{}/full", key.to_uppercase()),
        format!("{base}/{id}/full"),
        format!("{base}/%25/full"),
        format!("{base}/{key}'%20OR%20'1'='1/full"),
    ] {
        assert_eq!(
            anon.get(&url).send().await.unwrap().status(),
            StatusCode::NOT_FOUND,
            "{url}"
        );
    }
}

#[tokio::test]
async fn calendar_events_by_range_written_and_exported() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.calendars wl.calendars_update").await;
    let cals = api.json("/v1/me/calendars").await;
    let data = cals["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{cals}");
    assert_eq!(data[0]["is_default"], true);
    let cal = data[0]["id"].as_str().unwrap().to_owned();
    let events = format!("/v1/me/calendars/{cal}/events");
    // The demo seed: four events in the coming week.
    let seeded = api.json(&format!("{events}?$count=true")).await;
    assert_eq!(seeded["count"], 4, "{seeded}");

    let res = api
        .post_json(
            &events,
            &json!({
                "name": "Launch, review; retro \\ notes",
                "description": "Line one\nline two",
                "location": "Room 1",
                "start_time": "2030-01-15T10:00:00+01:00",
                "end_time": "2030-01-15T11:30:00+01:00"
            }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let created: Value = res.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("event."));
    assert_eq!(created["start_time"], "2030-01-15T09:00:00+0000");
    assert_eq!(created["end_time"], "2030-01-15T10:30:00+0000");
    assert_eq!(created["calendar_id"], cal.as_str());
    assert_eq!(created["is_all_day_event"], false);
    assert_eq!(api.json(&location).await, created);

    // By date range: overlapping events only.
    let jan = api
        .json(&format!(
            "{events}?start_time=2030-01-15&end_time=2030-01-16&$select=id"
        ))
        .await;
    assert_eq!(jan["data"], json!([{ "id": id }]));
    let edge = api
        .json(&format!(
            "{events}?start_time=2030-01-15T10:30:00Z&$select=id"
        ))
        .await;
    assert_eq!(
        edge["data"],
        json!([]),
        "an event ending at the start is not in the range"
    );
    let inside = api
        .json(&format!(
            "{events}?start_time=2030-01-15T10:29:59Z&end_time=2030-01-15T10:30:00Z&$select=id"
        ))
        .await;
    assert_eq!(inside["data"], json!([{ "id": id }]));
    // The same with OData on start_time.
    let odata = api
        .json(&format!("{events}?$filter=start_time ge '2030-01-01' and start_time lt '2030-02-01'&$select=name"))
        .await;
    assert_eq!(odata["data"][0]["name"], "Launch, review; retro \\ notes");
    let ordered = api
        .json(&format!(
            "{events}?$orderby=start_time desc&$top=1&$select=id"
        ))
        .await;
    assert_eq!(ordered["data"], json!([{ "id": id }]));

    // PATCH changes what it names; PUT replaces all.
    let res = api
        .request(Method::PATCH, &location)
        .json(&json!({ "location": "Room 2" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let patched: Value = res.json().await.unwrap();
    assert_eq!(patched["location"], "Room 2");
    assert_eq!(patched["name"], created["name"]);
    let res = api
        .request(Method::PUT, &location)
        .json(&json!({ "name": "Review", "start_time": "2030-01-16", "end_time": "2030-01-17", "is_all_day_event": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let put: Value = res.json().await.unwrap();
    assert_eq!(put["location"], Value::Null);
    assert_eq!(put["is_all_day_event"], true);

    // iCalendar export.
    let res = api.get(&format!("{events}.ics")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = res.text().await.unwrap();
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{ics}"
    );
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'), "CRLF only");
    assert!(ics.split("\r\n").all(|l| l.len() <= 75));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 5);
    assert!(ics.contains(&format!("UID:{id}@127.0.0.1\r\n")), "{ics}");
    assert!(
        ics.contains("DTSTART;VALUE=DATE:20300116\r\nDTEND;VALUE=DATE:20300117\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains("SUMMARY:Book club: \"Dune\"\\, part 2\r\n"),
        "{ics}"
    );
    assert!(ics.contains("LOCATION:Library\\; back room\r\n"), "{ics}");
    assert!(
        ics.lines()
            .any(|l| l.starts_with("DTSTAMP:") && l.trim_end().ends_with('Z'))
    );

    // DELETE, then it is gone.
    let res = api.request(Method::DELETE, &location).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    expect_error(
        api.get(&location).await,
        StatusCode::NOT_FOUND,
        "resource_not_found",
    )
    .await;
    expect_error(
        api.request(Method::DELETE, &location).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "resource_not_found",
    )
    .await;
}

#[tokio::test]
async fn calendar_refusals_have_codes_and_save_nothing() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.calendars wl.calendars_update").await;
    let cal = api.json("/v1/me/calendars").await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let events = format!("/v1/me/calendars/{cal}/events");
    let alice = srv.person_id("alice");
    let before = srv
        .sql_i64("SELECT COUNT(*) FROM events WHERE owner_id = $1", &[&alice])
        .await;
    let ok = json!({ "name": "x", "start_time": "2030-01-01T10:00:00Z", "end_time": "2030-01-01T11:00:00Z" });
    let with = |k: &str, v: Value| {
        let mut b = ok.clone();
        b[k] = v;
        b
    };
    for (body, field) in [
        (with("end_time", json!("2030-01-01T09:59:59Z")), "end_time"),
        (
            with("start_time", json!("2030-02-30T10:00:00Z")),
            "start_time",
        ),
        (
            with("start_time", json!("2030-01-01T10:00:00")),
            "start_time",
        ),
        (with("start_time", json!("next tuesday")), "start_time"),
        (with("end_time", json!(1_893_492_000)), "end_time"),
        (with("name", json!("")), "name"),
        (with("name", json!("a".repeat(201))), "name"),
        (with("is_all_day_event", json!("yes")), "is_all_day_event"),
        (with("color", json!("red")), "color"),
        (
            json!({ "name": "x", "start_time": "2030-01-01" }),
            "end_time",
        ),
    ] {
        let msg = expect_error(
            api.post_json(&events, &body).await,
            StatusCode::BAD_REQUEST,
            "request_body_invalid",
        )
        .await;
        assert!(msg.starts_with(&format!("{field}: ")), "{field}: {msg}");
    }
    expect_error(
        api.request(Method::POST, &events).send().await.unwrap(),
        StatusCode::BAD_REQUEST,
        "request_parameter_missing",
    )
    .await;
    // Bad ranges and OData.
    for q in [
        "start_time=yesterday",
        "end_time=2030-01-01T25:00:00Z",
        "start_time=2030-01-02&end_time=2030-01-01",
        "start_time=2030-01-01&start_time=2030-01-02",
        "$filter=start_time gt",
        "$orderby=colour",
        "$top=-1",
    ] {
        expect_error(
            api.get(&format!("{events}?{q}")).await,
            StatusCode::BAD_REQUEST,
            "request_parameter_invalid",
        )
        .await;
    }
    assert_eq!(
        srv.sql_i64("SELECT COUNT(*) FROM events WHERE owner_id = $1", &[&alice])
            .await,
        before,
        "nothing saved"
    );

    // A PATCH that would end before the start changes nothing.
    let created: Value = api.post_json(&events, &ok).await.json().await.unwrap();
    let url = format!("/v1/me/events/{}", created["id"].as_str().unwrap());
    expect_error(
        api.request(Method::PATCH, &url)
            .json(&json!({ "end_time": "2029-01-01T00:00:00Z", "name": "changed" }))
            .send()
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
        "request_body_invalid",
    )
    .await;
    assert_eq!(api.json(&url).await, created);

    // Bob's calendar and events are not alice's: 404 for every verb.
    let bob = srv.api("bob", "wl.calendars wl.calendars_update").await;
    let bob_cal = bob.json("/v1/me/calendars").await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let bob_event = bob
        .json(&format!("/v1/me/calendars/{bob_cal}/events"))
        .await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for res in [
        api.get(&format!("/v1/me/calendars/{bob_cal}/events")).await,
        api.get(&format!("/v1/me/calendars/{bob_cal}/events.ics"))
            .await,
        api.post_json(&format!("/v1/me/calendars/{bob_cal}/events"), &ok)
            .await,
        api.get(&format!("/v1/me/events/{bob_event}")).await,
        api.request(Method::PATCH, &format!("/v1/me/events/{bob_event}"))
            .json(&json!({ "name": "mine now" }))
            .send()
            .await
            .unwrap(),
        api.request(Method::DELETE, &format!("/v1/me/events/{bob_event}"))
            .send()
            .await
            .unwrap(),
    ] {
        expect_error(res, StatusCode::NOT_FOUND, "resource_not_found").await;
    }
    assert_eq!(
        bob.json(&format!("/v1/me/events/{bob_event}")).await["id"],
        bob_event.as_str()
    );

    // Read-only tokens cannot write; write-only tokens cannot list.
    let reader = srv.api("alice", "wl.calendars").await;
    assert_eq!(
        reader.json(&events).await["data"].as_array().unwrap().len() as i64,
        before + 1
    );
    for res in [
        reader.post_json(&events, &ok).await,
        reader.request(Method::DELETE, &url).send().await.unwrap(),
    ] {
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(
            res.headers()[header::WWW_AUTHENTICATE]
                .to_str()
                .unwrap()
                .contains("wl.calendars_update")
        );
        expect_error(res, StatusCode::FORBIDDEN, "insufficient_scope").await;
    }
    let writer = srv.api("alice", "wl.calendars_update").await;
    expect_error(
        writer.get(&events).await,
        StatusCode::FORBIDDEN,
        "insufficient_scope",
    )
    .await;
}

#[tokio::test]
async fn the_photo_storage_cap_refuses_and_writes_nothing() {
    let srv = TestServer::start().await;
    let api = srv.api("alice", "wl.photos").await;
    let album = new_album(&api, "Full").await;
    let res = upload(
        &api,
        &album,
        "a.png",
        "image/png",
        image(20, 20, image::ImageFormat::Png),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let alice = srv.person_id("alice");
    // Her stored photo now counts as all of her allowance but one byte.
    let almost = (wl_server::store::photos::MAX_PHOTO_STORAGE - 1).to_string();
    assert_eq!(
        srv.sql_exec(
            "UPDATE photos SET bytes = CAST($1 AS INTEGER) WHERE owner_id = $2",
            &[&almost, &alice]
        )
        .await,
        1
    );
    let msg = expect_error(
        upload(
            &api,
            &album,
            "b.png",
            "image/png",
            image(20, 20, image::ImageFormat::Png),
        )
        .await,
        StatusCode::CONFLICT,
        "resource_quota_exceeded",
    )
    .await;
    assert!(msg.contains("200 MB"), "{msg}");
    assert_eq!(
        srv.sql_i64("SELECT COUNT(*) FROM photos WHERE owner_id = $1", &[&alice])
            .await,
        1
    );
    // Bob's allowance is his own.
    let bob = srv.api("bob", "wl.photos").await;
    let his = new_album(&bob, "Mine").await;
    let res = upload(
        &bob,
        &his,
        "c.png",
        "image/png",
        image(20, 20, image::ImageFormat::Png),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_default_calendar_is_made_once_even_when_asked_at_once() {
    let srv = TestServer::start().await;
    let erin = srv.person_id("erin");
    srv.sql_exec("DELETE FROM events WHERE owner_id = $1", &[&erin])
        .await;
    assert_eq!(
        srv.sql_exec("DELETE FROM calendars WHERE owner_id = $1", &[&erin])
            .await,
        1
    );
    let api = srv.api("erin", "wl.calendars").await;
    let lists = futures_util::future::join_all(
        (0..6).map(|_| api.get("/v1/me/calendars?$select=name,is_default")),
    )
    .await;
    for res in lists {
        assert_eq!(res.status(), StatusCode::OK);
        let v: Value = res.json().await.unwrap();
        assert_eq!(
            v["data"],
            json!([{ "name": "Calendar", "is_default": true }])
        );
    }
    assert_eq!(
        srv.sql_i64(
            "SELECT COUNT(*) FROM calendars WHERE owner_id = $1",
            &[&erin]
        )
        .await,
        1
    );
}
