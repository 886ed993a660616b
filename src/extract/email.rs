//! Email (.eml, one mbox message, an attached message/rfc822): headers, readable body, attachments.
//!
//! The body is the plain-text part, or the HTML part turned into text. Every part that has a
//! file name or is marked as an attachment is handed back as an [`Attachment`] (bytes in memory
//! only), to become a document of its own. The Date header gives the sender's own calendar date:
//! no time-zone shift, so a mail sent at 23:40 -0800 stays on its day.

use chrono::{DateTime, NaiveDate};
use mailparse::{DispositionType, MailHeaderMap, ParsedMail};

use super::{Attachment, EmailMeta, Extracted, Extractor, Format, Input, Status};

pub struct EmailExtractor;

/// The most of a header's raw value that is decoded: longer values (a hostile Subject of
/// hundreds of thousands of encoded words) are cut first, so decoding takes bounded time.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// A header's decoded value, from at most [`MAX_HEADER_BYTES`] of its raw value.
fn bounded_value(h: &mailparse::MailHeader<'_>) -> String {
    let raw = h.get_value_raw();
    if raw.len() <= MAX_HEADER_BYTES {
        return h.get_value();
    }
    // Cut at a space, so no encoded word is split.
    let cut = raw[..MAX_HEADER_BYTES]
        .iter()
        .rposition(|b| b.is_ascii_whitespace())
        .unwrap_or(MAX_HEADER_BYTES);
    let mut line = h.get_key().into_bytes();
    line.extend_from_slice(b": ");
    line.extend_from_slice(&raw[..cut]);
    line.extend_from_slice(b"\r\n");
    match mailparse::parse_header(&line) {
        Ok((short, _)) => format!("{}…", short.get_value()),
        Err(_) => String::from_utf8_lossy(&raw[..cut]).into_owned(),
    }
}

/// Limit on how many parts of one message are visited (a hostile message can nest many).
const MAX_PARTS: usize = 2000;

impl Extractor for EmailExtractor {
    fn format(&self) -> Format {
        Format::Email
    }

    fn extract(&self, input: &Input<'_>) -> Extracted {
        let parsed = match mailparse::parse_mail(input.bytes) {
            Ok(p) => p,
            Err(err) => {
                return Extracted::failed(
                    Format::Email,
                    Status::Corrupt,
                    format!(
                        "This email is damaged and cannot be read ({err}). Export it again from the mail program."
                    ),
                );
            }
        };
        let headers = &parsed.headers;
        let get = |name: &str| {
            headers
                .get_first_header(name)
                .map(bounded_value)
                .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|v| !v.is_empty())
        };
        let mut meta = EmailMeta {
            from: get("From"),
            to: get("To"),
            cc: get("Cc"),
            subject: get("Subject"),
            date_raw: get("Date"),
            message_id: get("Message-ID").map(|m| normalize_message_id(&m)),
            in_reply_to: get("In-Reply-To"),
            ..EmailMeta::default()
        };
        meta.date = meta
            .date_raw
            .as_deref()
            .and_then(parse_email_date)
            .map(|d| d.format("%Y-%m-%d").to_string());
        if let Some(labels) = get("X-Gmail-Labels") {
            meta.labels = gmail_labels(&labels);
        }

        let mut body = Body::default();
        let mut attachments = Vec::new();
        let mut visited = 0usize;
        walk(&parsed, &mut body, &mut attachments, &mut visited);

        let text = if !body.plain.trim().is_empty() {
            body.plain
        } else if !body.html.trim().is_empty() {
            super::html::html_to_text(body.html.as_bytes())
        } else {
            String::new()
        };

        let mut out = Extracted::new(Format::Email);
        out.pages.push(render_page(&meta, &text, &attachments));
        out.title = meta.subject.clone();
        out.author = meta.from.clone();
        if meta.from.is_none() && meta.subject.is_none() && meta.date_raw.is_none() {
            out.status = Status::Corrupt;
            out.reason = Some(
                "This does not look like an email: it has no From, Subject or Date. Export it again from the mail program."
                    .into(),
            );
        } else if meta.date_raw.is_some() && meta.date.is_none() {
            out.set_meta("date_unreadable", true);
        }
        if visited >= MAX_PARTS {
            out.reason = Some(format!(
                "Only the first {MAX_PARTS} parts of this email were read."
            ));
        }
        out.attachments = attachments;
        out.email = Some(meta);
        out
    }
}

#[derive(Default)]
struct Body {
    plain: String,
    html: String,
}

fn walk(part: &ParsedMail<'_>, body: &mut Body, atts: &mut Vec<Attachment>, visited: &mut usize) {
    *visited += 1;
    if *visited > MAX_PARTS {
        return;
    }
    let mime = part.ctype.mimetype.to_ascii_lowercase();
    let disposition = part.get_content_disposition();
    let filename = disposition
        .params
        .get("filename")
        .or_else(|| part.ctype.params.get("name"))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if mime.starts_with("multipart/") {
        for sub in &part.subparts {
            walk(sub, body, atts, visited);
        }
        return;
    }
    let is_attachment = filename.is_some()
        || disposition.disposition == DispositionType::Attachment
        || mime == "message/rfc822";
    if is_attachment {
        let bytes = part.get_body_raw().unwrap_or_default();
        let name = filename.unwrap_or_else(|| default_name(&mime, atts.len() + 1));
        atts.push(Attachment { name, bytes });
        return;
    }
    if mime == "text/plain" && body.plain.is_empty() {
        body.plain = decoded_body(part);
    } else if mime == "text/html" && body.html.is_empty() {
        body.html = decoded_body(part);
    } else if mime.is_empty() && body.plain.is_empty() {
        body.plain = decoded_body(part);
    }
}

fn decoded_body(part: &ParsedMail<'_>) -> String {
    match part.get_body() {
        Ok(s) => s.replace("\r\n", "\n"),
        Err(_) => String::from_utf8_lossy(&part.get_body_raw().unwrap_or_default()).replace("\r\n", "\n"),
    }
}

fn default_name(mime: &str, n: usize) -> String {
    let ext = match mime {
        "message/rfc822" => "eml",
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "text/plain" => "txt",
        "text/html" => "html",
        "text/calendar" => "ics",
        _ => "bin",
    };
    if ext == "eml" {
        format!("attached message {n}.eml")
    } else {
        format!("attachment {n}.{ext}")
    }
}

/// The page a person reads: header block, body, attachment list.
fn render_page(meta: &EmailMeta, body: &str, atts: &[Attachment]) -> String {
    let mut page = String::new();
    for (label, value) in [
        ("From", &meta.from),
        ("To", &meta.to),
        ("Cc", &meta.cc),
        ("Date", &meta.date_raw),
        ("Subject", &meta.subject),
    ] {
        if let Some(v) = value {
            page.push_str(label);
            page.push_str(": ");
            page.push_str(v);
            page.push('\n');
        }
    }
    page.push('\n');
    page.push_str(body.trim_end());
    if !atts.is_empty() {
        page.push_str("\n\nAttachments:\n");
        for a in atts {
            page.push_str("  ");
            page.push_str(&super::sanitize_name(&a.name));
            page.push('\n');
        }
    }
    page.trim_end().to_string()
}

/// `<ABC@host>` → `ABC@host` (comparison is on the bare id).
pub fn normalize_message_id(raw: &str) -> String {
    raw.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_string()
}

/// Gmail labels, comma-separated with quoting, as tags; system labels are left out.
pub fn gmail_labels(raw: &str) -> Vec<String> {
    let mut labels = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in raw.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => labels.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    labels.push(current);
    let mut tags: Vec<String> = labels
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .filter(|l| {
            let lower = l.to_ascii_lowercase();
            !matches!(lower.as_str(), "opened" | "unread" | "important") && !lower.starts_with("category ")
        })
        .map(crate::classify::tags::normalize_tag)
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

/// The calendar date of an RFC 5322 Date header, in the sender's own offset.
///
/// Tolerates what real mail carries: `(EDT)` comments, no seconds, two-digit years, zone names.
/// Years outside 1970–2100 are not believed.
pub fn parse_email_date(raw: &str) -> Option<NaiveDate> {
    let cleaned = strip_comments(raw);
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let date = DateTime::parse_from_rfc2822(&cleaned)
        .map(|dt| dt.date_naive())
        .ok()
        .or_else(|| parse_loose(&cleaned))?;
    let year = chrono::Datelike::year(&date);
    (1970..=2100).contains(&year).then_some(date)
}

fn strip_comments(raw: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in raw.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Day, month name and year from a header chrono rejects (e.g. a missing or odd zone).
fn parse_loose(s: &str) -> Option<NaiveDate> {
    let tokens: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    let month_of = |t: &str| -> Option<u32> {
        let t = t.get(..3)?.to_ascii_lowercase();
        let months = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        months.iter().position(|m| *m == t).map(|i| i as u32 + 1)
    };
    for (i, t) in tokens.iter().enumerate() {
        if let Some(month) = month_of(t) {
            let day: Option<u32> = i.checked_sub(1).and_then(|j| tokens[j].parse().ok());
            let year: Option<i32> = tokens.get(i + 1).and_then(|y| y.parse().ok());
            if let (Some(day), Some(mut year)) = (day, year) {
                if year < 100 {
                    year += if year < 50 { 2000 } else { 1900 };
                }
                return NaiveDate::from_ymd_opt(year, month, day);
            }
        }
    }
    None
}

/// True when the first bytes look like an RFC 5322 header block.
pub fn looks_like_email(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let mut header_lines = 0;
    for line in text.lines().take(20) {
        if line.is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if [
            "from:",
            "to:",
            "subject:",
            "date:",
            "message-id:",
            "received:",
            "return-path:",
            "mime-version:",
        ]
        .iter()
        .any(|h| lower.starts_with(h))
        {
            header_lines += 1;
        }
    }
    header_lines >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        parse_email_date(s).map(|d| d.format("%Y-%m-%d").to_string())
    }

    #[test]
    fn dates_stay_on_the_senders_day() {
        assert_eq!(d("Tue, 9 Jan 2001 23:40:00 -0800").as_deref(), Some("2001-01-09"));
        assert_eq!(
            d("Mon, 2 Oct 2023 08:15:00 +0000 (UTC)").as_deref(),
            Some("2023-10-02")
        );
        assert_eq!(d("5 Mar 2024 14:22 EST").as_deref(), Some("2024-03-05"));
        assert_eq!(
            d("Fri, 20 Apr 01 19:35:02 -0400 (EDT)").as_deref(),
            Some("2001-04-20")
        );
        assert_eq!(d("Whenever"), None);
        assert_eq!(d("Sat, 1 Jan 1900 00:00:00 +0000"), None);
    }

    #[test]
    fn gmail_system_labels_are_dropped() {
        assert_eq!(
            gmail_labels("Inbox,Important,Opened,Category Personal,\"IEP, 2023\",School/Speech"),
            vec!["iep-2023", "inbox", "school-speech"]
        );
    }

    #[test]
    fn attachments_are_returned_not_written() {
        let raw = b"From: a@example.org\r\nSubject: files\r\nDate: Tue, 3 Oct 2023 10:00:00 -0400\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n\
--X\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"../../etc/passwd\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--X--\r\n";
        let e = EmailExtractor.extract(&Input {
            bytes: raw,
            name: "x.eml",
        });
        assert_eq!(e.status, Status::Ok);
        assert_eq!(e.attachments.len(), 1);
        assert_eq!(e.attachments[0].bytes, b"%PDF-1.4\n");
        assert!(e.pages[0].contains("See attached."));
        assert_eq!(
            e.email.as_ref().and_then(|m| m.date.clone()).as_deref(),
            Some("2023-10-03")
        );
    }
}
