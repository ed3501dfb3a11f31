//! `$type=portable`: contacts in the Portable Contacts 1.0 shape
//! (<http://portablecontacts.net/draft-spec.html>), for code written against that format.
//!
//! ```json
//! { "startIndex": 0, "itemsPerPage": 2, "totalResults": 14,
//!   "entry": [ { "id": "contact.…", "displayName": "Bob Baker",
//!                "name": { "formatted": "Bob Baker", "givenName": "Bob", "familyName": "Baker" },
//!                "emails": [ { "value": "bob@example.net", "type": "other", "primary": true } ],
//!                "phoneNumbers": [ { "value": "+1 555 0100", "type": "home" } ],
//!                "updated": "2026-11-23T10:00:00Z" } ] }
//! ```
//!
//! `startIndex` is the 0-based offset (`$skip`), `itemsPerPage` the number of entries in this
//! answer, `totalResults` the number of contacts matching `$filter`. `emails`/`phoneNumbers`
//! are left out when the contact has none; `$filter`, `$orderby`, `$top`, `$skip` apply as
//! for the Live Connect shape (field names are the Live Connect ones).

use serde_json::{Map, Value, json};

/// The Portable Contacts answer for `contacts` (each a contact in the `/v1/me/contacts`
/// shape, every field present).
pub fn collection(contacts: &[Value], start_index: u64, total: i64) -> Value {
    let entry: Vec<Value> = contacts.iter().map(entry).collect();
    json!({
        "startIndex": start_index,
        "itemsPerPage": entry.len(),
        "totalResults": total,
        "entry": entry,
    })
}

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// One contact as a Portable Contacts entry.
pub fn entry(contact: &Value) -> Value {
    let mut e = Map::new();
    let mut put = |k: &str, v: Value| {
        e.insert(k.to_owned(), v);
    };
    if let Some(id) = text(contact, &["id"]) {
        put("id", json!(id));
    }
    let display = text(contact, &["name"]).unwrap_or("");
    put("displayName", json!(display));
    let mut name = Map::new();
    name.insert("formatted".into(), json!(display));
    if let Some(g) = text(contact, &["first_name"]) {
        name.insert("givenName".into(), json!(g));
    }
    if let Some(f) = text(contact, &["last_name"]) {
        name.insert("familyName".into(), json!(f));
    }
    put("name", Value::Object(name));
    if let Some(email) = text(contact, &["emails", "preferred"]) {
        put(
            "emails",
            json!([{ "value": email, "type": "other", "primary": true }]),
        );
    }
    if let Some(phone) = text(contact, &["phones", "personal"]) {
        put(
            "phoneNumbers",
            json!([{ "value": phone, "type": "home", "primary": true }]),
        );
    }
    if let Some(updated) = text(contact, &["updated_time"]) {
        let iso = updated
            .strip_suffix("+0000")
            .map_or_else(|| updated.to_owned(), |t| format!("{t}Z"));
        put("updated", json!(iso));
    }
    if let Some(user) = text(contact, &["user_id"]) {
        put(
            "accounts",
            json!([{ "domain": "wl-connect", "userid": user }]),
        );
    }
    Value::Object(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_and_sparse_entries() {
        let bob = json!({
            "id": "contact.1", "name": "Bob Baker", "first_name": "Bob", "last_name": "Baker",
            "is_friend": true, "is_favorite": false, "user_id": "p1",
            "emails": { "preferred": "bob@example.net" }, "phones": { "personal": null },
            "updated_time": "2026-11-23T10:00:00+0000"
        });
        let only_last = json!({
            "id": "contact.2", "name": "Ng", "first_name": "", "last_name": "Ng",
            "emails": { "preferred": null }, "phones": { "personal": "+1 555 0100" },
            "updated_time": "2026-11-23T10:00:00+0000", "user_id": null
        });
        let v = collection(&[bob, only_last], 4, 9);
        assert_eq!(v["startIndex"], 4);
        assert_eq!(v["itemsPerPage"], 2);
        assert_eq!(v["totalResults"], 9);
        let e = &v["entry"][0];
        assert_eq!(e["displayName"], "Bob Baker");
        assert_eq!(
            e["name"],
            json!({"formatted": "Bob Baker", "givenName": "Bob", "familyName": "Baker"})
        );
        assert_eq!(
            e["emails"],
            json!([{"value": "bob@example.net", "type": "other", "primary": true}])
        );
        assert!(e.get("phoneNumbers").is_none());
        assert_eq!(e["updated"], "2026-11-23T10:00:00Z");
        assert_eq!(e["accounts"][0]["userid"], "p1");
        let e = &v["entry"][1];
        assert_eq!(e["name"], json!({"formatted": "Ng", "familyName": "Ng"}));
        assert!(e.get("emails").is_none());
        assert_eq!(e["phoneNumbers"][0]["value"], "+1 555 0100");
        assert!(e.get("accounts").is_none());
    }
}
