//! Getting a document's bytes back from where the catalog says it lives: a file, a message
//! inside an mbox, or an attachment inside an email (recursively), without writing anything.
//!
//! The binder and `verify` both need the exact bytes that were scanned; the SHA-256 check
//! says when a file changed after the scan.

use std::path::Path;

use crate::extract::{self, sha256_hex};

/// Reads the document at `locator` (relative to the case `root`).
pub fn fetch(root: &Path, locator: &str) -> Result<Vec<u8>, String> {
    if let Some((parent, name)) = locator.rsplit_once("::") {
        let email = fetch(root, parent)?;
        return extract::attachment_of(&email, name)
            .ok_or_else(|| format!("the attachment \"{name}\" is no longer in {parent}"));
    }
    let whole = crate::case::locator_path(root, locator);
    if whole.is_file() {
        return std::fs::read(&whole).map_err(|e| format!("could not read {locator}: {e}"));
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
