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

/// Reads the messages of an mbox from a stream, one at a time, with the same rules as
/// [`split`]: a mailbox of any size is read with memory for one message.
pub struct StreamSplitter<R: std::io::BufRead> {
    reader: R,
    /// Bytes read so far.
    pos: u64,
    /// The separator line of the message being gathered: (offset, length).
    sep: Option<(u64, u64)>,
    body: Vec<u8>,
    prev_blank: bool,
    done: bool,
}

/// One message read from a stream: where its separator starts, and its bytes (after the
/// separator line, before the blank line that ends it).
pub struct StreamedMessage {
    pub from_line: u64,
    /// Bytes from the separator to the end of the message.
    pub len: u64,
    pub bytes: Vec<u8>,
}

impl<R: std::io::BufRead> StreamSplitter<R> {
    pub fn new(reader: R) -> Self {
        StreamSplitter {
            reader,
            pos: 0,
            sep: None,
            body: Vec::new(),
            prev_blank: true,
            done: false,
        }
    }

    /// Bytes read so far.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// The reader (once every message is read).
    pub fn into_inner(self) -> R {
        self.reader
    }

    fn finish(&mut self) -> Option<StreamedMessage> {
        let (from_line, sep_len) = self.sep.take()?;
        let mut body = std::mem::take(&mut self.body);
        if body.ends_with(b"\r\n\r\n") {
            body.truncate(body.len() - 2);
        } else if body.ends_with(b"\n\n") {
            body.truncate(body.len() - 1);
        }
        Some(StreamedMessage {
            from_line,
            len: sep_len + body.len() as u64,
            bytes: body,
        })
    }

    /// The next message, or an I/O error.
    pub fn next_message(&mut self) -> std::io::Result<Option<StreamedMessage>> {
        let mut line = Vec::new();
        loop {
            if self.done {
                return Ok(None);
            }
            line.clear();
            let n = self.reader.read_until(b'\n', &mut line)?;
            if n == 0 {
                self.done = true;
                return Ok(self.finish());
            }
            let at = self.pos;
            self.pos += n as u64;
            let is_sep = self.prev_blank && line.starts_with(b"From ");
            let content = line.strip_suffix(b"\n").unwrap_or(&line);
            let content = content.strip_suffix(b"\r").unwrap_or(content);
            self.prev_blank = content.is_empty();
            if is_sep {
                let done = self.finish();
                self.sep = Some((at, n as u64));
                if done.is_some() {
                    return Ok(done);
                }
            } else if self.sep.is_some() {
                self.body.extend_from_slice(&line);
            }
        }
    }
}

/// Removes one `>` from lines that match `^>+From ` (mboxrd quoting).
pub fn unescape(message: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    // Only a line that starts with '>' can be escaped: they are found with memmem (a base64
    // attachment has none), and the bytes between them copied whole, or not at all.
    let first = (message.first() == Some(&b'>')).then_some(0);
    let line_starts = first
        .into_iter()
        .chain(memchr::memmem::find_iter(message, b"\n>").map(|i| i + 1));
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    for at in line_starts {
        let rest = &message[at..];
        let quotes = rest.iter().take_while(|&&b| b == b'>').count();
        if rest[quotes..].starts_with(b"From ") {
            let buf = out.get_or_insert_with(|| Vec::with_capacity(message.len()));
            buf.extend_from_slice(&message[copied..at]);
            copied = at + 1; // one '>' fewer
        }
    }
    match out {
        Some(mut buf) => {
            buf.extend_from_slice(&message[copied..]);
            std::borrow::Cow::Owned(buf)
        }
        None => std::borrow::Cow::Borrowed(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_splitter_finds_what_split_finds() {
        let mbox = b"From a@x Mon Jan  1 00:00:00 2024\nSubject: one\n\nFrom the start\n>From quoted\n\nFrom b@x Tue Jan  2 00:00:00 2024\r\nSubject: two\r\n\r\nbody\r\n\r\nFrom c@x Wed\nSubject: three\n\nlast";
        let spans = split(mbox);
        let mut s = StreamSplitter::new(std::io::BufReader::with_capacity(7, &mbox[..]));
        let mut got = Vec::new();
        while let Some(m) = s.next_message().unwrap() {
            got.push(m);
        }
        assert_eq!(got.len(), spans.len());
        for (m, sp) in got.iter().zip(&spans) {
            assert_eq!(m.from_line as usize, sp.from_line);
            assert_eq!(m.bytes, &mbox[sp.start..sp.end]);
            assert_eq!(m.len as usize, sp.end - sp.from_line);
        }
        assert_eq!(s.position() as usize, mbox.len());
    }

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
            &*unescape(b">>From x\n>From y\n> From z\n"),
            b">From x\nFrom y\n> From z\n"
        );
        // Nothing quoted: the message itself, not a copy.
        assert!(matches!(
            unescape(b"a\n>quoted\nFrom x\n"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(&*unescape(b">From a\n"), b"From a\n");
        assert_eq!(&*unescape(b"x\n>>>From a\n>From"), b"x\n>>From a\n>From");
    }
}
