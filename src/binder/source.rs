//! Getting a document's bytes back from where the catalog says it lives: a file, a message
//! inside an mbox, or an attachment inside an email (recursively), without writing anything.
//!
//! The binder and `verify` both need the exact bytes that were scanned; the SHA-256 check
//! says when a file changed after the scan.

use std::path::Path;

use crate::extract::{self, sha256_hex};

/// Reads the document at `locator` (relative to the case `root`).
pub fn fetch(root: &Path, locator: &str) -> Result<Vec<u8>, String> {
    fetch_with(root, locator, None)
}

/// Where each message of a mailbox sits in the file. The scan kept each message's place (the
/// offset and length of its separator line and bytes), so a message is read where it sits, and
/// only its own bytes; a mailbox changed since (a message not where the scan saw it) is located
/// again in one streaming read. A binder with a thousand exhibits from one mailbox reads each
/// message once, never the whole mailbox once per exhibit.
#[derive(Default)]
pub struct MailboxIndex {
    spans: std::sync::Mutex<std::collections::HashMap<String, Spans>>,
    /// Locator of a message → (offset of its separator line, bytes from there to its end), as
    /// the scan found it.
    scanned: std::collections::HashMap<String, (u64, u64)>,
}

/// Where each message's bytes start and end in its mailbox.
type Spans = std::sync::Arc<Vec<(u64, u64)>>;

/// Which place of a message to trust.
#[derive(Clone, Copy)]
enum Place {
    /// Where the scan found it.
    Scanned,
    /// Where a streaming read of the mailbox finds it now.
    Located,
}

impl MailboxIndex {
    /// An index that knows where the scan found each message (locator → (offset, length)).
    pub fn from_scan(scanned: std::collections::HashMap<String, (u64, u64)>) -> MailboxIndex {
        MailboxIndex {
            spans: Default::default(),
            scanned,
        }
    }

    /// The spans of the mailbox `file` (relative locator), read once.
    fn spans(&self, root: &Path, file: &str) -> Result<Spans, String> {
        if let Some(s) = self.spans.lock().ok().and_then(|m| m.get(file).cloned()) {
            return Ok(s);
        }
        let path = crate::case::locator_path(root, file);
        let f = std::fs::File::open(&path).map_err(|e| format!("could not read {file}: {e}"))?;
        let mut split = extract::mbox::StreamSplitter::new(std::io::BufReader::with_capacity(1 << 20, f));
        let mut spans = Vec::new();
        while let Some(m) = split
            .next_message()
            .map_err(|e| format!("could not read {file}: {e}"))?
        {
            let start = m.from_line + (m.len - m.bytes.len() as u64);
            spans.push((start, m.from_line + m.len));
        }
        let spans = std::sync::Arc::new(spans);
        if let Ok(mut m) = self.spans.lock() {
            m.insert(file.to_string(), spans.clone());
        }
        Ok(spans)
    }

    /// Message `index` of the mailbox `file`, read from where it sits.
    fn message(&self, root: &Path, file: &str, index: usize, place: Place) -> Result<Vec<u8>, String> {
        use std::io::{Read, Seek, SeekFrom};
        let (start, end, skip_separator) = match place {
            Place::Scanned => {
                let &(at, len) = self
                    .scanned
                    .get(&format!("{file}#{index}"))
                    .ok_or_else(|| format!("the scan did not record where message {index} of {file} is"))?;
                (at, at.saturating_add(len), true)
            }
            Place::Located => {
                let spans = self.spans(root, file)?;
                let &(start, end) = spans
                    .get(index)
                    .ok_or_else(|| format!("message {index} is no longer in {file}"))?;
                (start, end, false)
            }
        };
        let path = crate::case::locator_path(root, file);
        let mut f = std::fs::File::open(&path).map_err(|e| format!("could not read {file}: {e}"))?;
        f.seek(SeekFrom::Start(start))
            .map_err(|e| format!("could not read {file}: {e}"))?;
        // Read as far as the file goes (a length from a catalog is never trusted with memory).
        let mut bytes = Vec::new();
        f.take(end.saturating_sub(start))
            .read_to_end(&mut bytes)
            .map_err(|e| format!("could not read {file}: {e}"))?;
        let bytes = if skip_separator {
            match memchr::memchr(b'\n', &bytes) {
                Some(nl) if bytes.starts_with(b"From ") => bytes[nl + 1..].to_vec(),
                _ => {
                    return Err(format!(
                        "message {index} is no longer where the scan found it in {file}"
                    ));
                }
            }
        } else {
            bytes
        };
        Ok(extract::mbox::unescape(&bytes).into_owned())
    }
}

/// Reads the document at `locator` (relative to the case `root`), finding mailbox messages
/// through `index` when there is one.
pub fn fetch_with(root: &Path, locator: &str, index: Option<&MailboxIndex>) -> Result<Vec<u8>, String> {
    fetch_at(root, locator, index.map(|ix| (ix, Place::Located)))
}

fn fetch_at(root: &Path, locator: &str, index: Option<(&MailboxIndex, Place)>) -> Result<Vec<u8>, String> {
    if let Some((parent, name)) = locator.rsplit_once("::") {
        let email = fetch_at(root, parent, index)?;
        return extract::attachment_of(&email, name)
            .ok_or_else(|| format!("the attachment \"{name}\" is no longer in {parent}"));
    }
    let whole = crate::case::locator_path(root, locator);
    if whole.is_file() {
        return std::fs::read(&whole).map_err(|e| format!("could not read {locator}: {e}"));
    }
    if let Some((file, at)) = locator.rsplit_once('#')
        && let Ok(at) = at.parse::<usize>()
        && let Some((ix, place)) = index
    {
        return ix.message(root, file, at, place);
    }
    if let Some((file, index)) = locator.rsplit_once('#')
        && let Ok(index) = index.parse::<usize>()
    {
        let bytes = std::fs::read(crate::case::locator_path(root, file))
            .map_err(|e| format!("could not read {file}: {e}"))?;
        return extract::mbox_message(&bytes, index)
            .ok_or_else(|| format!("message {index} is no longer in {file}"));
    }
    Err(format!("{locator} is missing"))
}

/// Reads the document and checks it is the one that was scanned.
pub fn fetch_checked(root: &Path, locator: &str, sha256: &str) -> Result<Vec<u8>, String> {
    fetch_checked_with(root, locator, sha256, None)
}

/// [`fetch_checked`] through a mailbox index; a message the index does not give as scanned is
/// read the long way (the whole mailbox split again) before it is called changed.
pub fn fetch_checked_with(
    root: &Path,
    locator: &str,
    sha256: &str,
    index: Option<&MailboxIndex>,
) -> Result<Vec<u8>, String> {
    if let Some(ix) = index {
        for place in [Place::Scanned, Place::Located] {
            if let Ok(bytes) = fetch_at(root, locator, Some((ix, place)))
                && sha256_hex(&bytes) == sha256
            {
                return Ok(bytes);
            }
        }
    }
    let bytes = fetch(root, locator)?;
    if sha256_hex(&bytes) != sha256 {
        return Err(format!("{locator} changed after the last scan"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_attachments_come_back_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let email = b"From: a@b.org\r\nSubject: log\r\nDate: Mon, 4 Dec 2023 10:00:00 -0800\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\n\
Content-Type: text/plain\r\n\r\nSee attached.\r\n--X\r\nContent-Type: text/plain; name=\"log.txt\"\r\n\
Content-Disposition: attachment; filename=\"log.txt\"\r\n\r\nOT minutes\r\n--X--\r\n";
        let mut mbox = b"From x@y Mon Dec  4 10:00:00 2023\n".to_vec();
        mbox.extend_from_slice(email);
        mbox.extend_from_slice(b"\n");
        std::fs::write(dir.path().join("mail.mbox"), &mbox).unwrap();
        std::fs::write(dir.path().join("one.eml"), email).unwrap();
        let msg = fetch(dir.path(), "mail.mbox#0").unwrap();
        assert!(msg.starts_with(b"From: a@b.org"));
        let att = fetch(dir.path(), "one.eml::log.txt").unwrap();
        assert_eq!(String::from_utf8_lossy(&att).trim(), "OT minutes");
        assert!(fetch(dir.path(), "one.eml::other.pdf").is_err());
        assert!(fetch(dir.path(), "gone.pdf").is_err());
        let sha = sha256_hex(email);
        assert!(fetch_checked(dir.path(), "one.eml", &sha).is_ok());
        assert!(fetch_checked(dir.path(), "one.eml", "00").is_err());
    }

    #[test]
    fn a_message_is_read_where_the_scan_found_it_and_found_again_when_it_moved() {
        let dir = tempfile::tempdir().unwrap();
        let message = |n: u32| {
            format!(
                "From: school@district.org\nSubject: Notice {n}\nDate: Mon, 4 Dec 2023 10:00:00 -0800\n\nNotice {n}.\n>From the office.\n"
            )
        };
        let mailbox = |ns: &[u32]| {
            let mut m = String::new();
            for n in ns {
                m.push_str(&format!(
                    "From x@y Mon Dec  4 10:00:00 2023\n{}\n",
                    message(*n).replace("\n>From", "\n>>From")
                ));
            }
            m
        };
        std::fs::write(dir.path().join("mail.mbox"), mailbox(&[1, 2])).unwrap();
        // Where a scan finds each message: the offset of its separator line and its length.
        let bytes = std::fs::read(dir.path().join("mail.mbox")).unwrap();
        let mut split = extract::mbox::StreamSplitter::new(&bytes[..]);
        let mut places = std::collections::HashMap::new();
        let mut shas = Vec::new();
        while let Some(m) = split.next_message().unwrap() {
            places.insert(format!("mail.mbox#{}", places.len()), (m.from_line, m.len));
            shas.push(sha256_hex(&extract::mbox::unescape(&m.bytes)));
        }
        let ix = MailboxIndex::from_scan(places.clone());
        let second = fetch_checked_with(dir.path(), "mail.mbox#1", &shas[1], Some(&ix)).unwrap();
        assert_eq!(String::from_utf8_lossy(&second), message(2));
        assert!(
            ix.spans.lock().unwrap().is_empty(),
            "read where it sits: the mailbox was not located again"
        );
        // A message added at the top: the scan's places are stale, the message is found again.
        std::fs::write(dir.path().join("mail.mbox"), mailbox(&[0, 1, 2])).unwrap();
        let ix = MailboxIndex::from_scan(places);
        assert!(fetch_checked_with(dir.path(), "mail.mbox#1", &shas[1], Some(&ix)).is_err());
        let moved = fetch_checked_with(dir.path(), "mail.mbox#1", &shas[0], Some(&ix)).unwrap();
        assert!(String::from_utf8_lossy(&moved).contains("Notice 1."));
    }
}
