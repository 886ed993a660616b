//! Splitting an mbox (Gmail Takeout's "All mail Including Spam and Trash.mbox" above all).
//!
//! No maintained crate gives byte offsets, so this is a small mboxrd splitter: a line starting
//! with `From ` begins a message only at the start of the file or after a blank line; one `>` is
//! removed from `>From ` lines of the body. Each message is then read like an .eml.

/// Where one message sits in the mbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageSpan {
    /// Offset of its `From ` separator line.
    pub from_line: usize,
    /// First byte after the separator line.
    pub start: usize,
    /// One past the last byte (the blank line before the next separator is left out).
    pub end: usize,
}

/// True when the file starts like an mbox.
pub fn looks_like_mbox(bytes: &[u8]) -> bool {
    bytes.starts_with(b"From ")
}

/// The messages of an mbox, in file order.
pub fn split(bytes: &[u8]) -> Vec<MessageSpan> {
    let mut seps: Vec<(usize, usize)> = Vec::new(); // (separator offset, body start)
    let mut pos = 0usize;
    let mut prev_blank = true;
    while pos < bytes.len() {
        let line_end = match bytes[pos..].iter().position(|&b| b == b'\n') {
            Some(i) => pos + i + 1,
            None => bytes.len(),
        };
        let line = &bytes[pos..line_end];
        if prev_blank && line.starts_with(b"From ") {
            seps.push((pos, line_end));
        }
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        prev_blank = content.is_empty();
        pos = line_end;
    }
    let mut spans = Vec::with_capacity(seps.len());
    for (i, &(from_line, start)) in seps.iter().enumerate() {
        let mut end = seps.get(i + 1).map_or(bytes.len(), |&(next, _)| next);
        // Drop the single blank line that separates messages.
        if end > start && bytes[..end].ends_with(b"\r\n\r\n") {
            end -= 2;
        } else if end > start && bytes[..end].ends_with(b"\n\n") {
            end -= 1;
        }
        spans.push(MessageSpan {
            from_line,
            start,
            end: end.max(start),
        });
    }
    spans
}

/// Removes one `>` from lines that match `^>+From ` (mboxrd quoting).
pub fn unescape(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len());
    let mut at_line_start = true;
    let mut i = 0;
    while i < message.len() {
        if at_line_start && message[i] == b'>' {
            let rest = &message[i..];
            let quotes = rest.iter().take_while(|&&b| b == b'>').count();
            if rest[quotes..].starts_with(b"From ") {
                i += 1; // skip one '>'
                at_line_start = false;
                continue;
            }
        }
        let b = message[i];
        out.push(b);
        at_line_start = b == b'\n';
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_only_after_blank_lines() {
        let mbox = b"From a@b Mon Jan 1 00:00:00 2024\nSubject: one\n\nbody\nFrom inside a line\n\nFrom c@d Tue Jan 2 00:00:00 2024\nSubject: two\n\n>From me\n";
        let spans = split(mbox);
        assert_eq!(spans.len(), 2);
        let first = &mbox[spans[0].start..spans[0].end];
        assert!(first.ends_with(b"From inside a line\n"));
        let second = unescape(&mbox[spans[1].start..spans[1].end]);
        assert!(second.ends_with(b"\nFrom me\n"));
        assert_eq!(
            Some(spans[1].from_line),
            crate::extract::memfind(mbox, b"From c@d")
        );
    }

    #[test]
    fn empty_or_foreign_files_have_no_messages() {
        assert!(split(b"").is_empty());
        assert!(split(b"hello\nworld\n").is_empty());
    }

    #[test]
    fn quoted_from_lines_lose_one_quote() {
        assert_eq!(
            unescape(b">>From x\n>From y\n> From z\n"),
            b">From x\nFrom y\n> From z\n"
        );
    }
}
