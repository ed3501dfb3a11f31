//! An iCalendar (RFC 5545) writer for a calendar's events: `GET
//! /v1/me/calendars/{calendar_id}/events.ics`.
//!
//! What the RFC asks of a writer, and this one does: lines end with CRLF (§3.1); a content
//! line longer than 75 octets is folded, CRLF then one space, never inside a UTF-8 character
//! (§3.1); `TEXT` values escape `\` `;` `,` and newlines (§3.3.11); `DTSTAMP`, `DTSTART` and
//! `DTEND` are UTC date-times (`…Z`, §3.3.5), all-day events `VALUE=DATE` dates; every event
//! has a `UID` (its id at the provider's host) and a `DTSTAMP` (§3.6.1).

use crate::clock::civil;
use crate::store::calendars::StoredEvent;

/// `TEXT` escaping (RFC 5545 §3.3.11): `\` → `\\`, `;` → `\;`, `,` → `\,`, newline → `\n`
/// (a CR of a CRLF is dropped); other control characters are dropped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (continuations start with a space, which counts
/// toward their 75), with its CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 74 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

/// Unix seconds as an RFC 5545 UTC date-time (`20261203T101500Z`).
pub fn utc(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

fn date(secs: i64) -> String {
    let (y, mo, d, ..) = civil(secs);
    format!("{y:04}{mo:02}{d:02}")
}

/// The `VCALENDAR` of `events`, named `name`; `host` makes the `UID`s globally unique, `now`
/// is the `DTSTAMP`.
pub fn calendar(name: &str, events: &[StoredEvent], host: &str, now: i64) -> String {
    let mut out = String::new();
    let mut line = |l: String| out.push_str(&fold(&l));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//wl-connect//Calendar export//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!("X-WR-CALNAME:{}", escape_text(name)));
    for e in events {
        let f = &e.fields;
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}@{}", e.id, host));
        line(format!("DTSTAMP:{}", utc(now)));
        if f.is_all_day {
            line(format!("DTSTART;VALUE=DATE:{}", date(f.start_time)));
            // DTEND of a date is exclusive: the day after the last day.
            let last = f.end_time.max(f.start_time + 1) - 1;
            line(format!("DTEND;VALUE=DATE:{}", date(last + 86_400)));
        } else {
            line(format!("DTSTART:{}", utc(f.start_time)));
            line(format!("DTEND:{}", utc(f.end_time)));
        }
        line(format!("SUMMARY:{}", escape_text(&f.name)));
        if let Some(d) = &f.description {
            line(format!("DESCRIPTION:{}", escape_text(d)));
        }
        if let Some(l) = &f.location {
            line(format!("LOCATION:{}", escape_text(l)));
        }
        line(format!("CREATED:{}", utc(e.created_at)));
        line(format!("LAST-MODIFIED:{}", utc(e.updated_at)));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::calendars::EventFields;

    #[test]
    fn escapes_text() {
        assert_eq!(
            escape_text("a,b;c\\d\ne\r\nf\tg"),
            "a\\,b\\;c\\\\d\\ne\\nfg"
        );
        assert_eq!(escape_text("plain: text"), "plain: text");
    }

    #[test]
    fn folds_at_75_octets_not_inside_a_character() {
        let short = "SUMMARY:short";
        assert_eq!(fold(short), "SUMMARY:short\r\n");
        let long = format!("DESCRIPTION:{}", "x".repeat(200));
        let folded = fold(&long);
        let lines: Vec<&str> = folded.split("\r\n").collect();
        assert_eq!(lines.last(), Some(&""));
        for l in &lines[..lines.len() - 1] {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert_eq!(lines[0].len(), 75);
        assert!(lines[1..lines.len() - 1].iter().all(|l| l.starts_with(' ')));
        // Unfolding (drop every CRLF + space) gives the line back.
        assert_eq!(folded.replace("\r\n ", "").trim_end_matches("\r\n"), long);
        // Multi-byte characters are never split.
        let accents = format!("SUMMARY:{}", "é".repeat(100));
        let folded = fold(&accents);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75);
            assert!(std::str::from_utf8(l.as_bytes()).is_ok());
        }
        assert_eq!(
            folded.replace("\r\n ", "").trim_end_matches("\r\n"),
            accents
        );
        // No bare LF anywhere.
        assert!(!folded.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn writes_a_calendar() {
        let e = StoredEvent {
            id: "event.1".into(),
            calendar_id: "calendar.1".into(),
            fields: EventFields {
                name: "Lunch, then; talk".into(),
                description: Some("Line one\nline two".into()),
                location: None,
                start_time: 1_796_292_000, // 2026-12-03T10:00:00Z
                end_time: 1_796_295_600,
                is_all_day: false,
            },
            created_at: 0,
            updated_at: 0,
        };
        let ics = calendar("Work", std::slice::from_ref(&e), "127.0.0.1", 1_796_292_000);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("\r\nUID:event.1@127.0.0.1\r\n"));
        assert!(ics.contains("\r\nDTSTAMP:20261203T100000Z\r\n"));
        assert!(ics.contains("\r\nDTSTART:20261203T100000Z\r\nDTEND:20261203T110000Z\r\n"));
        assert!(ics.contains("\r\nSUMMARY:Lunch\\, then\\; talk\r\n"));
        assert!(ics.contains("\r\nDESCRIPTION:Line one\\nline two\r\n"));
        assert!(ics.contains("\r\nCREATED:19700101T000000Z\r\n"));
        let mut all_day = e;
        all_day.fields.is_all_day = true;
        all_day.fields.start_time = 1_796_256_000; // 2026-12-03T00:00:00Z
        all_day.fields.end_time = all_day.fields.start_time + 86_400;
        let ics = calendar("Work", &[all_day], "h", 0);
        assert!(ics.contains("DTSTART;VALUE=DATE:20261203\r\nDTEND;VALUE=DATE:20261204\r\n"));
    }
}
