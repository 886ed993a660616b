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

/// Where each message of a mailbox sits in the file (its bytes after the separator line), found
/// in one streaming read: a binder with a thousand exhibits from one mailbox reads the mailbox
/// once, then each message where it is.
#[derive(Default)]
pub struct MailboxIndex {
    spans: std::sync::Mutex<std::collections::HashMap<String, Spans>>,
}

/// Where each message's bytes start and end in its mailbox.
type Spans = std::sync::Arc<Vec<(u64, u64)>>;

impl MailboxIndex {
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
    fn message(&self, root: &Path, file: &str, index: usize) -> Result<Vec<u8>, String> {
        use std::io::{Read, Seek, SeekFrom};
        let spans = self.spans(root, file)?;
        let &(start, end) = spans
            .get(index)
            .ok_or_else(|| format!("message {index} is no longer in {file}"))?;
        let path = crate::case::locator_path(root, file);
        let mut f = std::fs::File::open(&path).map_err(|e| format!("could not read {file}: {e}"))?;
        f.seek(SeekFrom::Start(start))
            .map_err(|e| format!("could not read {file}: {e}"))?;
        let mut bytes = vec![0u8; end.saturating_sub(start) as usize];
        f.read_exact(&mut bytes)
            .map_err(|e| format!("could not read {file}: {e}"))?;
        Ok(extract::mbox::unescape(&bytes).into_owned())
    }
}

/// [`fetch`], reading mailbox messages through `index` when given.
pub fn fetch_with(root: &Path, locator: &str, index: Option<&MailboxIndex>) -> Result<Vec<u8>, String> {
    if let Some((parent, name)) = locator.rsplit_once("::") {
        let email = fetch_with(root, parent, index)?;
        return extract::attachment_of(&email, name)
            .ok_or_else(|| format!("the attachment \"{name}\" is no longer in {parent}"));
    }
    let whole = crate::case::locator_path(root, locator);
    if whole.is_file() {
        return std::fs::read(&whole).map_err(|e| format!("could not read {locator}: {e}"));
    }
    if let Some((file, at)) = locator.rsplit_once('#')
        && let Ok(at) = at.parse::<usize>()
        && let Some(ix) = index
    {
        return ix.message(root, file, at);
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
    if index.is_some()
        && let Ok(bytes) = fetch_with(root, locator, index)
        && sha256_hex(&bytes) == sha256
    {
        return Ok(bytes);
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
}
