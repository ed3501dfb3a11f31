//! The `/v1` route table: one [`Endpoint`] per method and path, from which both the router
//! ([`v1_router`]) and the OpenAPI 3.1 document (`GET /v1/openapi.json`, rendered by
//! [`super::openapi`]) are built, so the two cannot drift.
//!
//! The path and scope of a collection or a write are written once, in its module (a
//! [`collections::Place`]); the table reads them there, and so do the handlers' scope checks.
//! The scopes only some ids of `/v1/{id}` need are written here ([`FRIEND_ID`], [`CONTACT_ID`])
//! and read by [`super::profile`]'s checks.
//!
//! The messenger hub builds its own router (it has its own state); its endpoint is listed here
//! with `handler: None` ("served by the router merged in"), and the server's integration tests
//! check both ways: every documented operation is served, and every `/v1` route served (probed
//! by path and method) is documented.

use axum::Json;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::http::{Method, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, any, delete, get, patch, post, put};

use super::activities::handlers as activities;
use super::endpoint::{Answer, Endpoint, IdKind, IdScope, In, Param};
use super::{calendars, collections, contacts, format, invitations, openapi, photos, profile};
use crate::state::AppState;

/// `/v1/{id}` and `/v1/{id}/picture` for a friend's id: the scope the handlers check.
pub const FRIEND_ID: IdScope = IdScope {
    ids: IdKind::Friend,
    scope: "wl.basic",
};
/// `/v1/{id}` for a contact id (`contact.…`): the contacts' scope.
pub const CONTACT_ID: IdScope = IdScope {
    ids: IdKind::Contact,
    scope: collections::CONTACTS.scope,
};

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
const APP_ID: Param = Param {
    name: "id",
    location: In::Path,
    description: "The app's client id. The token must be one this app was issued for one of its owners.",
    values: &[],
};
const STATS_PARAMS: &[Param] = &[
    APP_ID,
    Param {
        name: "from",
        location: In::Query,
        description: "First UTC day, YYYY-MM-DD, inclusive (default: 29 days before `to`).",
        values: &[],
    },
    Param {
        name: "to",
        location: In::Query,
        description: "Last UTC day, YYYY-MM-DD, inclusive (default: today). At most 366 days from `from`.",
        values: &[],
    },
];
const STATS_ANSWERS: &[Answer] = &[
    ok("AppStats"),
    Answer {
        status: 400,
        description: "stats_range_invalid: a date that is not YYYY-MM-DD, `from` after `to`, or more than 366 days (the message says which); request_parameter_invalid for $format",
        schema: Some("Error"),
    },
    Answer {
        status: 404,
        description: "resource_not_found: no such app, or the token is not this app's token for one of its owners",
        schema: Some("Error"),
    },
];
const ID_PICTURE: &[Param] = &[ID, PICTURE[0], PICTURE[1]];
const ID_PICTURE_ANSWERS: &[Answer] = &[PICTURE_ANSWERS[0], PICTURE_ANSWERS[1], NOT_FOUND];
const ACTIVITIES_OK: &[Answer] = &[ok("ActivityCollection")];
const QUOTA_EXCEEDED: Answer = Answer {
    status: 409,
    description: "resource_quota_exceeded: the person already stores the most allowed; nothing was written",
    schema: Some("Error"),
};
const ACTIVITY_CREATED: &[Answer] = &[
    Answer {
        status: 201,
        description: "Created: the activity",
        schema: Some("Activity"),
    },
    QUOTA_EXCEEDED,
];
const HUB_ANSWERS: &[Answer] = &[Answer {
    status: 101,
    description: "Switching protocols to a WebSocket",
    schema: None,
}];
/// The messenger's REST calls (served by the hub's router, `hub::rest`).
const MESSENGER: &str = "wl.messenger";
const FRIEND_ID_PARAM: Param = Param {
    name: "friend_id",
    location: In::Path,
    description: "A friend's id (any other id: 404 not_friends).",
    values: &[],
};
const HISTORY_PARAMS: &[Param] = &[
    FRIEND_ID_PARAM,
    Param {
        name: "before",
        location: In::Query,
        description: "Only messages with an id below this (paging back).",
        values: &[],
    },
    Param {
        name: "limit",
        location: In::Query,
        description: "How many, 1 to 100 (default 50; larger values are lowered to 100).",
        values: &[],
    },
];
const NOT_FRIENDS: Answer = Answer {
    status: 404,
    description: "not_friends: the id is not a friend of the token's person (or no person)",
    schema: Some("Error"),
};
const FRIEND_ID_ONLY: &[Param] = &[FRIEND_ID_PARAM];
const RATE_LIMITED: Answer = Answer {
    status: 429,
    description: "rate_limited: over the person's frame budget (Retry-After, retry_after_ms)",
    schema: Some("Error"),
};
const PRESENCE_OK: &[Answer] = &[ok("Presence"), RATE_LIMITED];
const CONVERSATIONS_OK: &[Answer] = &[ok("ConversationCollection")];
const MESSAGES_OK: &[Answer] = &[ok("MessageCollection"), NOT_FRIENDS];
const MESSAGE_CREATED: &[Answer] = &[
    Answer {
        status: 201,
        description: "Created: the message (stored and delivered as a hub send)",
        schema: Some("Message"),
    },
    NOT_FRIENDS,
    Answer {
        status: 409,
        description: "resource_quota_exceeded: the person already stores the most messages allowed",
        schema: Some("Error"),
    },
    Answer {
        status: 429,
        description: "rate_limited: over the person's frame budget (Retry-After, retry_after_ms)",
        schema: Some("Error"),
    },
];
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

const ALBUM_ID: Param = Param {
    name: "album_id",
    location: In::Path,
    description: "An album id (`album.…`) of the token's person.",
    values: &[],
};
const PHOTO_ID: Param = Param {
    name: "photo_id",
    location: In::Path,
    description: "A photo id (`photo.…`) of the token's person.",
    values: &[],
};
const CALENDAR_ID: Param = Param {
    name: "calendar_id",
    location: In::Path,
    description: "A calendar id (`calendar.…`) of the token's person.",
    values: &[],
};
const EVENT_ID: Param = Param {
    name: "event_id",
    location: In::Path,
    description: "An event id (`event.…`) of the token's person.",
    values: &[],
};
const ALBUM_PHOTOS_PARAMS: &[Param] = &[
    ALBUM_ID, ODATA[0], ODATA[1], ODATA[2], ODATA[3], ODATA[4], ODATA[5],
];
const UPLOAD_PARAMS: &[Param] = &[
    ALBUM_ID,
    Param {
        name: "name",
        location: In::Query,
        description: "The photo's name (default `Photo`).",
        values: &[],
    },
    Param {
        name: "description",
        location: In::Query,
        description: "The photo's description.",
        values: &[],
    },
];
const IMAGE_PARAMS: &[Param] = &[
    Param {
        name: "key",
        location: In::Path,
        description: "The photo's unguessable key, from its `images` URLs.",
        values: &[],
    },
    Param {
        name: "size",
        location: In::Path,
        description: "Which size.",
        values: &["full", "normal", "thumbnail"],
    },
];
const EVENTS_PARAMS: &[Param] = &[
    CALENDAR_ID,
    Param {
        name: "start_time",
        location: In::Query,
        description: "Only events ending after this (RFC 3339, or a date YYYY-MM-DD).",
        values: &[],
    },
    Param {
        name: "end_time",
        location: In::Query,
        description: "Only events starting before this (RFC 3339, or a date YYYY-MM-DD).",
        values: &[],
    },
    ODATA[0],
    ODATA[1],
    ODATA[2],
    ODATA[3],
    ODATA[4],
    ODATA[5],
];
const CREATED_EVENT: &[Answer] = &[
    Answer {
        status: 201,
        description: "Created; Location is the event's URL",
        schema: Some("Event"),
    },
    NOT_FOUND,
    QUOTA_EXCEEDED,
];
const EVENT_OK: &[Answer] = &[ok("Event"), NOT_FOUND];
const ALBUMS_OK: &[Answer] = &[ok("AlbumCollection")];
const PHOTOS_OK: &[Answer] = &[ok("PhotoCollection"), NOT_FOUND];
const PHOTO_OK: &[Answer] = &[ok("Photo"), NOT_FOUND];
const CALENDARS_OK: &[Answer] = &[ok("CalendarCollection")];
const EVENTS_OK: &[Answer] = &[ok("EventCollection"), NOT_FOUND];
// One contact or activity (`/v1/me/contacts/{id}`, `/v1/me/activities/{id}`): ETags, If-Match.
const ONE_ID: &[Param] = &[Param {
    name: "id",
    location: In::Path,
    description: "The item's id. If-Match (writes) and If-None-Match (GET) take its ETag.",
    values: &[],
}];
const NOT_MODIFIED: Answer = Answer {
    status: 304,
    description: "Not Modified: If-None-Match names the current ETag",
    schema: None,
};
const STALE: Answer = Answer {
    status: 412,
    description: "precondition_failed: If-Match names none of the item's current ETags (sent back in ETag); nothing was written",
    schema: Some("Error"),
};
const DELETED: &[Answer] = &[
    Answer {
        status: 204,
        description: "Deleted",
        schema: None,
    },
    NOT_FOUND,
    STALE,
];
const CONTACT_ONE: &[Answer] = &[ok("Contact"), NOT_MODIFIED, NOT_FOUND];
const CONTACT_WRITTEN: &[Answer] = &[ok("Contact"), NOT_FOUND, STALE];
const CONTACT_PATCHED: &[Answer] = &[
    ok("Contact"),
    NOT_FOUND,
    STALE,
    Answer {
        status: 409,
        description: "resource_conflict: the patch would leave the contact with no name; nothing was written",
        schema: Some("Error"),
    },
];
const ACTIVITY_ONE: &[Answer] = &[ok("Activity"), NOT_MODIFIED, NOT_FOUND];
const ACTIVITY_WRITTEN: &[Answer] = &[ok("Activity"), NOT_FOUND, STALE];
const DIRECTION: &[Param] = &[Param {
    name: "direction",
    location: In::Query,
    description: "sent (default): the invitations you sent; received: pending ones addressed to your e-mail",
    values: &["sent", "received"],
}];
const INVITED: &[Answer] = &[
    Answer {
        status: 201,
        description: "Created: the invitation (Location: its URL)",
        schema: Some("Invitation"),
    },
    Answer {
        status: 200,
        description: "The invitation to that address already pending (nothing new)",
        schema: Some("Invitation"),
    },
    Answer {
        status: 409,
        description: "resource_quota_exceeded: too many pending invitations, or sent today; nothing was written",
        schema: Some("Error"),
    },
];
const INVITATIONS_OK: &[Answer] = &[ok("InvitationCollection")];
const CANCELLED: &[Answer] = &[
    Answer {
        status: 204,
        description: "Cancelled",
        schema: None,
    },
    NOT_FOUND,
    Answer {
        status: 409,
        description: "invitation_not_pending: already accepted, declined or cancelled",
        schema: Some("Error"),
    },
];

/// `GET`/`PUT`/`PATCH`/`DELETE` of one contact, `GET`/`PATCH`/`DELETE` of one own activity,
/// and the invitations.
fn item_endpoints() -> Vec<Endpoint> {
    let one = |method: Method,
               path: &'static str,
               operation_id: &'static str,
               summary: &'static str,
               scope: &'static str,
               body: Option<&'static str>,
               answers: &'static [Answer],
               handler: MethodRouter<AppState>| Endpoint {
        method,
        path,
        operation_id,
        summary,
        scope: Some(scope),
        id_scopes: &[],
        needs_token: true,
        params: ONE_ID,
        body,
        answers,
        handler: Some(handler),
    };
    let (c, a) = (contacts::ONE_PATH, activities::ONE_PATH);
    let cs = collections::CONTACTS.scope;
    vec![
        one(
            Method::GET,
            c,
            "getContact",
            "One contact, with its ETag",
            cs,
            None,
            CONTACT_ONE,
            get(contacts::get_one),
        ),
        one(
            Method::PUT,
            c,
            "replaceContact",
            "Replace a contact's writable fields (If-Match: its ETag)",
            cs,
            Some("ContactInput"),
            CONTACT_WRITTEN,
            put(contacts::put),
        ),
        one(
            Method::PATCH,
            c,
            "updateContact",
            "Merge-patch a contact (RFC 7396; If-Match: its ETag)",
            cs,
            Some("ContactPatch"),
            CONTACT_PATCHED,
            patch(contacts::patch),
        ),
        one(
            Method::DELETE,
            c,
            "deleteContact",
            "Delete a contact (If-Match: its ETag)",
            cs,
            None,
            DELETED,
            delete(contacts::delete),
        ),
        one(
            Method::GET,
            a,
            "getActivity",
            "One of your own activities, with its ETag",
            activities::READ_SCOPE,
            None,
            ACTIVITY_ONE,
            get(activities::get_one),
        ),
        one(
            Method::PATCH,
            a,
            "updateActivity",
            "Change your own words (content) on one of your activities (If-Match: its ETag)",
            activities::WRITE_SCOPE,
            Some("ActivityPatch"),
            ACTIVITY_WRITTEN,
            patch(activities::patch_one),
        ),
        one(
            Method::DELETE,
            a,
            "deleteActivity",
            "Delete one of your own activities (If-Match: its ETag)",
            activities::WRITE_SCOPE,
            None,
            DELETED,
            delete(activities::delete_one),
        ),
        Endpoint {
            params: DIRECTION,
            ..one(
                Method::GET,
                invitations::PATH,
                "listInvitations",
                "Invitations to connect you sent (direction=sent) or pending ones to your address (received)",
                invitations::SCOPE,
                None,
                INVITATIONS_OK,
                get(invitations::list),
            )
        },
        Endpoint {
            params: &[],
            ..one(
                Method::POST,
                invitations::PATH,
                "createInvitation",
                "Invite an e-mail address to connect (the same answer whether or not it is a member's; no e-mail is sent)",
                invitations::SCOPE,
                Some("InvitationInput"),
                INVITED,
                post(invitations::create),
            )
        },
        one(
            Method::DELETE,
            invitations::ONE_PATH,
            "cancelInvitation",
            "Cancel a pending invitation you sent",
            invitations::SCOPE,
            None,
            CANCELLED,
            delete(invitations::cancel),
        ),
    ]
}

/// Every documented `/v1` endpoint, in document order.
pub fn endpoints() -> Vec<Endpoint> {
    let mut all = vec![
        Endpoint {
            method: Method::GET,
            path: "/v1/me",
            operation_id: "getMe",
            summary: "The token's person (emails with wl.emails or email)",
            scope: None,
            id_scopes: &[],
            needs_token: true,
            params: &[],
            body: None,
            answers: PROFILE_OK,
            handler: Some(get(profile::me)),
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/me/picture",
            operation_id: "getMyPicture",
            summary: "The token's person's picture",
            scope: None,
            id_scopes: &[],
            needs_token: true,
            params: PICTURE,
            body: None,
            answers: PICTURE_ANSWERS,
            handler: Some(get(profile::me_picture)),
        },
        Endpoint {
            method: Method::GET,
            path: collections::FRIENDS.path,
            operation_id: "listFriends",
            summary: "The token's person's friends, OData-queryable",
            scope: Some(collections::FRIENDS.scope),
            id_scopes: &[],
            needs_token: true,
            params: ODATA,
            body: None,
            answers: FRIENDS_OK,
            handler: Some(get(collections::friends)),
        },
        Endpoint {
            method: Method::GET,
            path: collections::CONTACTS.path,
            operation_id: "listContacts",
            summary: "The token's person's contacts, OData-queryable ($type=portable for Portable Contacts)",
            scope: Some(collections::CONTACTS.scope),
            id_scopes: &[],
            needs_token: true,
            params: CONTACTS_PARAMS,
            body: None,
            answers: &[Answer {
                status: 200,
                description: "OK: ContactCollection, or PortableContacts with $type=portable",
                schema: Some("ContactCollectionOrPortable"),
            }],
            handler: Some(get(contacts::list)),
        },
        Endpoint {
            method: Method::POST,
            path: collections::CONTACTS.path,
            operation_id: "createContact",
            summary: "Add a contact (400 request_body_invalid names the field at fault)",
            scope: Some(collections::CONTACTS.scope),
            id_scopes: &[],
            needs_token: true,
            params: &[],
            body: Some("ContactInput"),
            answers: &[
                Answer {
                    status: 201,
                    description: "Created; Location is the contact's /v1/{id} URL",
                    schema: Some("Contact"),
                },
                QUOTA_EXCEEDED,
            ],
            handler: Some(post(contacts::create)),
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/{id}",
            operation_id: "getById",
            summary: "A person (yourself, or a friend with wl.basic) or a contact (contact.… ids, wl.contacts)",
            scope: None,
            id_scopes: &[FRIEND_ID, CONTACT_ID],
            needs_token: true,
            params: &[ID],
            body: None,
            answers: &[
                Answer {
                    status: 200,
                    description: "OK: a Profile, or a Contact for contact ids",
                    schema: Some("ProfileOrContact"),
                },
                NOT_FOUND,
            ],
            handler: Some(get(profile::person)),
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/{id}/picture",
            operation_id: "getPicture",
            summary: "Your own picture, or a friend's (wl.basic)",
            scope: None,
            id_scopes: &[FRIEND_ID],
            needs_token: true,
            params: ID_PICTURE,
            body: None,
            answers: ID_PICTURE_ANSWERS,
            handler: Some(get(profile::person_picture)),
        },
        Endpoint {
            method: Method::GET,
            path: activities::OWN.path,
            operation_id: "listActivities",
            summary: "The token's person's own activities (ActivityStreams 2.0), OData-queryable",
            scope: Some(activities::OWN.scope),
            id_scopes: &[],
            needs_token: true,
            params: ODATA,
            body: None,
            answers: ACTIVITIES_OK,
            handler: Some(get(activities::own)),
        },
        Endpoint {
            method: Method::POST,
            path: activities::CREATE.path,
            operation_id: "createActivity",
            summary: "Write an activity from a named template with values",
            scope: Some(activities::CREATE.scope),
            id_scopes: &[],
            needs_token: true,
            params: &[],
            body: Some("ActivityInput"),
            answers: ACTIVITY_CREATED,
            handler: Some(post(activities::create)),
        },
        Endpoint {
            method: Method::GET,
            path: activities::FEED.path,
            operation_id: "listFeed",
            summary: "Friends' activities shared with the token's person, OData-queryable",
            scope: Some(activities::FEED.scope),
            id_scopes: &[],
            needs_token: true,
            params: ODATA,
            body: None,
            answers: ACTIVITIES_OK,
            handler: Some(get(activities::feed)),
        },
        Endpoint {
            method: Method::POST,
            path: activities::SHARE.path,
            operation_id: "share",
            summary: "Share a link with friends, as an activity",
            scope: Some(activities::SHARE.scope),
            id_scopes: &[],
            needs_token: true,
            params: &[],
            body: Some("ShareInput"),
            answers: ACTIVITY_CREATED,
            handler: Some(post(activities::share)),
        },
        Endpoint {
            method: Method::GET,
            path: photos::ALBUMS.path,
            operation_id: "listAlbums",
            summary: "The token's person's photo albums, OData-queryable",
            scope: Some(photos::ALBUMS.scope),
            id_scopes: &[],
            needs_token: true,
            params: ODATA,
            body: None,
            answers: ALBUMS_OK,
            handler: Some(get(photos::list_albums)),
        },
        Endpoint {
            method: Method::POST,
            path: photos::ALBUMS.path,
            operation_id: "createAlbum",
            summary: "Create a photo album",
            scope: Some(photos::ALBUMS.scope),
            id_scopes: &[],
            needs_token: true,
            params: &[],
            body: Some("AlbumInput"),
            answers: &[
                Answer {
                    status: 201,
                    description: "Created: the album",
                    schema: Some("Album"),
                },
                QUOTA_EXCEEDED,
            ],
            handler: Some(post(photos::create_album)),
        },
        Endpoint {
            method: Method::GET,
            path: photos::ALBUM_PHOTOS.path,
            operation_id: "listPhotos",
            summary: "The photos of one of the token's person's albums, OData-queryable",
            scope: Some(photos::ALBUM_PHOTOS.scope),
            id_scopes: &[],
            needs_token: true,
            params: ALBUM_PHOTOS_PARAMS,
            body: None,
            answers: PHOTOS_OK,
            handler: Some(get(photos::list_photos)),
        },
        Endpoint {
            method: Method::POST,
            path: photos::ALBUM_PHOTOS.path,
            operation_id: "uploadPhoto",
            summary: "Upload a photo: the body is the image (JPEG, PNG, GIF or WebP, by content; at most 10 MB and 5000 px a side), re-encoded in three sizes",
            scope: Some(photos::ALBUM_PHOTOS.scope),
            id_scopes: &[],
            needs_token: true,
            params: UPLOAD_PARAMS,
            body: Some("ImageBytes"),
            answers: &[
                Answer {
                    status: 201,
                    description: "Created; Location is the photo's URL",
                    schema: Some("Photo"),
                },
                Answer {
                    status: 413,
                    description: "photo_too_large: more than 10 MB",
                    schema: Some("Error"),
                },
                Answer {
                    status: 415,
                    description: "photo_type_unsupported: not a JPEG, PNG, GIF or WebP by its content",
                    schema: Some("Error"),
                },
                NOT_FOUND,
                QUOTA_EXCEEDED,
            ],
            handler: Some(post(photos::upload).layer(DefaultBodyLimit::max(photos::MAX_UPLOAD))),
        },
        Endpoint {
            method: Method::GET,
            path: photos::PHOTO.path,
            operation_id: "getPhoto",
            summary: "One photo: metadata, source and images (full, normal, thumbnail URLs)",
            scope: Some(photos::PHOTO.scope),
            id_scopes: &[],
            needs_token: true,
            params: &[PHOTO_ID],
            body: None,
            answers: PHOTO_OK,
            handler: Some(get(photos::get_photo)),
        },
        Endpoint {
            method: Method::GET,
            path: photos::IMAGE_PATH,
            operation_id: "getPhotoImage",
            summary: "A photo's image bytes (no token: the unguessable URL from `images` is the capability)",
            scope: None,
            id_scopes: &[],
            needs_token: false,
            params: IMAGE_PARAMS,
            body: None,
            answers: &[
                Answer {
                    status: 200,
                    description: "The image (image/jpeg or image/png)",
                    schema: None,
                },
                NOT_FOUND,
            ],
            handler: Some(get(photos::image)),
        },
        Endpoint {
            method: Method::GET,
            path: calendars::CALENDARS.path,
            operation_id: "listCalendars",
            summary: "The token's person's calendars, OData-queryable",
            scope: Some(calendars::CALENDARS.scope),
            id_scopes: &[],
            needs_token: true,
            params: ODATA,
            body: None,
            answers: CALENDARS_OK,
            handler: Some(get(calendars::list_calendars)),
        },
        Endpoint {
            method: Method::GET,
            path: calendars::EVENTS.path,
            operation_id: "listEvents",
            summary: "A calendar's events, by date range (start_time, end_time) and OData",
            scope: Some(calendars::EVENTS.scope),
            id_scopes: &[],
            needs_token: true,
            params: EVENTS_PARAMS,
            body: None,
            answers: EVENTS_OK,
            handler: Some(get(calendars::list_events)),
        },
        Endpoint {
            method: Method::POST,
            path: calendars::CREATE.path,
            operation_id: "createEvent",
            summary: "Add an event to a calendar (400 request_body_invalid names the field at fault)",
            scope: Some(calendars::CREATE.scope),
            id_scopes: &[],
            needs_token: true,
            params: &[CALENDAR_ID],
            body: Some("EventInput"),
            answers: CREATED_EVENT,
            handler: Some(post(calendars::create_event)),
        },
        Endpoint {
            method: Method::GET,
            path: calendars::ICS.path,
            operation_id: "exportCalendar",
            summary: "A calendar as iCalendar (RFC 5545, text/calendar)",
            scope: Some(calendars::ICS.scope),
            id_scopes: &[],
            needs_token: true,
            params: &[CALENDAR_ID],
            body: None,
            answers: &[
                Answer {
                    status: 200,
                    description: "text/calendar",
                    schema: None,
                },
                NOT_FOUND,
            ],
            handler: Some(get(calendars::export_ics)),
        },
        Endpoint {
            method: Method::GET,
            path: calendars::EVENT.path,
            operation_id: "getEvent",
            summary: "One event",
            scope: Some(calendars::EVENT.scope),
            id_scopes: &[],
            needs_token: true,
            params: &[EVENT_ID],
            body: None,
            answers: EVENT_OK,
            handler: Some(get(calendars::get_event)),
        },
        Endpoint {
            method: Method::PUT,
            path: calendars::EVENT_WRITE.path,
            operation_id: "replaceEvent",
            summary: "Replace an event (every field)",
            scope: Some(calendars::EVENT_WRITE.scope),
            id_scopes: &[],
            needs_token: true,
            params: &[EVENT_ID],
            body: Some("EventInput"),
            answers: EVENT_OK,
            handler: Some(put(calendars::put_event)),
        },
        Endpoint {
            method: Method::PATCH,
            path: calendars::EVENT_WRITE.path,
            operation_id: "updateEvent",
            summary: "Change the fields given of an event",
            scope: Some(calendars::EVENT_WRITE.scope),
            id_scopes: &[],
            needs_token: true,
            params: &[EVENT_ID],
            body: Some("EventPatch"),
            answers: EVENT_OK,
            handler: Some(patch(calendars::patch_event)),
        },
        Endpoint {
            method: Method::DELETE,
            path: calendars::EVENT_WRITE.path,
            operation_id: "deleteEvent",
            summary: "Delete an event",
            scope: Some(calendars::EVENT_WRITE.scope),
            id_scopes: &[],
            needs_token: true,
            params: &[EVENT_ID],
            body: None,
            answers: &[
                Answer {
                    status: 204,
                    description: "Deleted",
                    schema: None,
                },
                NOT_FOUND,
            ],
            handler: Some(delete(calendars::delete_event)),
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/apps/{id}/stats",
            operation_id: "getAppStats",
            summary: "An app's daily usage statistics, counts only, for its owners (docs/statistics.md)",
            scope: None,
            id_scopes: &[],
            needs_token: true,
            params: STATS_PARAMS,
            body: None,
            answers: STATS_ANSWERS,
            handler: Some(get(super::app_stats::json_bearer)),
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/hub",
            operation_id: "messengerHub",
            summary: "The messenger hub's WebSocket (the token goes in the first frame; protocol in docs/messenger.md)",
            scope: None,
            id_scopes: &[],
            needs_token: false,
            params: &[],
            body: None,
            answers: HUB_ANSWERS,
            handler: None,
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/me/presence",
            operation_id: "getMyPresence",
            summary: "The token's person's chosen messenger status and what friends see (docs/messenger.md)",
            scope: Some(MESSENGER),
            id_scopes: &[],
            needs_token: true,
            params: &[],
            body: None,
            answers: PRESENCE_OK,
            handler: None,
        },
        Endpoint {
            method: Method::PUT,
            path: "/v1/me/presence",
            operation_id: "setMyPresence",
            summary: "Set the messenger status, as the bar's presence frame does (friends hear of it)",
            scope: Some(MESSENGER),
            id_scopes: &[],
            needs_token: true,
            params: &[],
            body: Some("PresenceInput"),
            answers: PRESENCE_OK,
            handler: None,
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/me/conversations",
            operation_id: "listConversations",
            summary: "Friends with messages, newest first, with the last message and the undelivered count",
            scope: Some(MESSENGER),
            id_scopes: &[],
            needs_token: true,
            params: &[],
            body: None,
            answers: CONVERSATIONS_OK,
            handler: None,
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/me/conversations/{friend_id}/messages",
            operation_id: "listMessages",
            summary: "A conversation's history, oldest first (as the hub's history frame)",
            scope: Some(MESSENGER),
            id_scopes: &[],
            needs_token: true,
            params: HISTORY_PARAMS,
            body: None,
            answers: MESSAGES_OK,
            handler: None,
        },
        Endpoint {
            method: Method::POST,
            path: "/v1/me/conversations/{friend_id}/messages",
            operation_id: "sendMessage",
            summary: "Send a friend a message, as the hub's send frame (400 message_too_long)",
            scope: Some(MESSENGER),
            id_scopes: &[],
            needs_token: true,
            params: FRIEND_ID_ONLY,
            body: Some("MessageInput"),
            answers: MESSAGE_CREATED,
            handler: None,
        },
        Endpoint {
            method: Method::GET,
            path: "/v1/openapi.json",
            operation_id: "getOpenApi",
            summary: "This document",
            scope: None,
            id_scopes: &[],
            needs_token: false,
            params: &[],
            body: None,
            answers: &[Answer {
                status: 200,
                description: "The OpenAPI 3.1 document",
                schema: None,
            }],
            handler: Some(get(openapi_json)),
        },
    ];
    let at = all
        .iter()
        .position(|e| e.path == "/v1/hub")
        .unwrap_or(all.len());
    all.splice(at..at, item_endpoints());
    all
}

/// The `/v1` router: every [`endpoints`] entry with a handler, 404
/// `request_url_invalid` for other `/v1` paths, 405 `request_method_invalid` for other
/// methods, and the `$format`/`Accept` layer over all of them.
pub fn v1_router() -> Router<AppState> {
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
        .route("/v1", any(profile::url_invalid))
        .route("/v1/", any(profile::url_invalid))
        .route("/v1/{id}/{*rest}", any(profile::url_invalid))
        .method_not_allowed_fallback(profile::method_invalid)
        .layer(middleware::from_fn(format::negotiate))
}

/// `GET /v1/openapi.json`: the OpenAPI 3.1 document of the `/v1` APIs (no token needed).
pub async fn openapi_json(State(state): State<AppState>) -> Response {
    (
        [
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        Json(openapi::document(&state.issuer, &endpoints())),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::openapi::document;

    /// The API Playground reads each call's method, path and scope from `/v1/openapi.json`; its
    /// native tests use a snapshot of the document (`playground/markup/fixtures/openapi.json`),
    /// which must be what the provider serves. `WL_BLESS=1 cargo test -p wl-server
    /// the_playgrounds_openapi_snapshot` rewrites it after a change of the route table.
    #[test]
    fn the_playgrounds_openapi_snapshot_is_the_served_document() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../playground/markup/fixtures/openapi.json");
        let served = document("http://127.0.0.1:8081", &endpoints());
        if std::env::var_os("WL_BLESS").is_some() {
            let text = serde_json::to_string_pretty(&served).expect("JSON") + "\n";
            std::fs::write(&path, text).expect("the snapshot is writable");
        }
        let snapshot: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("the snapshot exists"))
                .expect("the snapshot parses");
        assert!(
            snapshot == served,
            "playground/markup/fixtures/openapi.json is not the served document: rerun with WL_BLESS=1"
        );
    }

    #[test]
    fn every_endpoint_is_documented_once() {
        let doc = document("http://127.0.0.1:8081", &endpoints());
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
