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
    /// The separator line of the message being gathered: (offset, length, its last bytes).
    sep: Option<Sep>,
    body: Vec<u8>,
    prev_blank: bool,
    done: bool,
    /// The start of a line whose end is not read yet (a line across two reads).
    partial: Vec<u8>,
}

/// A separator line: where it is, its length, and its last two bytes (a message's closing blank
/// line is found as `split` finds it, across the separator's line end when the body is short).
type Sep = (u64, u64, ([u8; 2], usize));

/// The last two bytes of a line (fewer for a shorter line), and how many there are.
fn tail(line: &[u8]) -> ([u8; 2], usize) {
    match line {
        [.., a, b] => ([*a, *b], 2),
        [b] => ([*b, 0], 1),
        [] => ([0, 0], 0),
    }
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
            partial: Vec::new(),
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
        finish(&mut self.sep, &mut self.body)
    }

    /// One whole line at offset `at` (a line that came in two reads): the message it ends, if
    /// it is a separator.
    fn one_line(&mut self, at: u64, line: &[u8]) -> Option<StreamedMessage> {
        let is_sep = self.prev_blank && line.starts_with(b"From ");
        self.prev_blank = is_blank(line);
        if is_sep {
            let done = self.finish();
            self.sep = Some((at, line.len() as u64, tail(line)));
            done
        } else {
            if self.sep.is_some() {
                self.body.extend_from_slice(line);
            }
            None
        }
    }

    /// The next message, or an I/O error. The reader's buffer is scanned for line ends (not
    /// read line by line), and the lines of a message are copied in runs: one copy of each
    /// byte, a few instructions per line.
    pub fn next_message(&mut self) -> std::io::Result<Option<StreamedMessage>> {
        loop {
            if self.done {
                return Ok(None);
            }
            let buf = match self.reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                // The end: a last line without a line feed, then the last message.
                if !self.partial.is_empty() {
                    let line = std::mem::take(&mut self.partial);
                    let at = self.pos - line.len() as u64;
                    if let Some(m) = self.one_line(at, &line) {
                        return Ok(Some(m));
                    }
                    continue;
                }
                self.done = true;
                return Ok(self.finish());
            }
            if !self.partial.is_empty() {
                // The rest of a line begun in the last read.
                let (take, whole) = match memchr::memchr(b'\n', buf) {
                    Some(i) => (i + 1, true),
                    None => (buf.len(), false),
                };
                self.partial.extend_from_slice(&buf[..take]);
                self.reader.consume(take);
                self.pos += take as u64;
                if whole {
                    let line = std::mem::take(&mut self.partial);
                    let at = self.pos - line.len() as u64;
                    if let Some(m) = self.one_line(at, &line) {
                        return Ok(Some(m));
                    }
                }
                continue;
            }
            let mut line_start = 0;
            // The start of the lines of the current message not copied yet.
            let mut run = 0;
            let mut found = None;
            for nl in memchr::memchr_iter(b'\n', buf) {
                let line = &buf[line_start..=nl];
                let is_sep = self.prev_blank && line.starts_with(b"From ");
                self.prev_blank = is_blank(line);
                if is_sep {
                    if self.sep.is_some() {
                        self.body.extend_from_slice(&buf[run..line_start]);
                    }
                    let done = finish(&mut self.sep, &mut self.body);
                    self.sep = Some((self.pos + line_start as u64, line.len() as u64, tail(line)));
                    line_start = nl + 1;
                    run = line_start;
                    if done.is_some() {
                        found = done;
                        break;
                    }
                } else {
                    line_start = nl + 1;
                }
            }
            let consumed = if found.is_some() {
                line_start
            } else {
                if self.sep.is_some() {
                    self.body.extend_from_slice(&buf[run..line_start]);
                }
                // A line that goes on in the next read.
                self.partial.extend_from_slice(&buf[line_start..]);
                buf.len()
            };
            self.reader.consume(consumed);
            self.pos += consumed as u64;
            if found.is_some() {
                return Ok(found);
            }
        }
    }
}

/// True for an empty line (its line feed and a carriage return before it left out).
fn is_blank(line: &[u8]) -> bool {
    let content = line.strip_suffix(b"\n").unwrap_or(line);
    content.strip_suffix(b"\r").unwrap_or(content).is_empty()
}

/// The message gathered so far (its separator and body), without the blank line that ends it.
fn finish(sep: &mut Option<Sep>, body: &mut Vec<u8>) -> Option<StreamedMessage> {
    let (from_line, sep_len, sep_tail) = sep.take()?;
    let mut body = std::mem::take(body);
    // The end of the separator and the body, as `split` sees them in the file.
    let mut end: Vec<u8> = sep_tail.0[..sep_tail.1].to_vec();
    end.extend_from_slice(&body[body.len().saturating_sub(4)..]);
    let cut = if end.ends_with(b"\r\n\r\n") {
        2
    } else if end.ends_with(b"\n\n") {
        1
    } else {
        0
    };
    body.truncate(body.len() - cut.min(body.len()));
    Some(StreamedMessage {
        from_line,
        len: sep_len + body.len() as u64,
        bytes: body,
    })
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

    /// Mailboxes of every shape (separators after blank lines or not, CRLF, quoted lines, no
    /// final line feed, text before the first message), read in pieces of every size: the
    /// stream gives what `split` gives.
    #[test]
    fn the_stream_splitter_agrees_with_split_in_reads_of_any_size() {
        let lines: [&[u8]; 10] = [
            b"From a@x Mon Jan  1 00:00:00 2024\n",
            b"Subject: s\n",
            b"\n",
            b"\r\n",
            b"From inside\n",
            b">From quoted\n",
            b"body text here\r\n",
            b"From b@y Tue\r\n",
            b"x",
            b"From",
        ];
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for case in 0..400 {
            let mut mbox = Vec::new();
            if case % 3 == 0 {
                mbox.extend_from_slice(b"From first@x\n");
            }
            for _ in 0..next() % 30 {
                mbox.extend_from_slice(lines[next() % lines.len()]);
            }
            let spans = split(&mbox);
            for cap in [1usize, 2, 3, 5, 8, 13, 64, 1 << 20] {
                let mut s = StreamSplitter::new(std::io::BufReader::with_capacity(cap, &mbox[..]));
                let mut got = Vec::new();
                while let Some(m) = s.next_message().unwrap() {
                    got.push(m);
                }
                assert_eq!(
                    got.len(),
                    spans.len(),
                    "{:?} in reads of {cap}",
                    String::from_utf8_lossy(&mbox)
                );
                for (m, sp) in got.iter().zip(&spans) {
                    assert_eq!(m.from_line as usize, sp.from_line);
                    assert_eq!(m.bytes, &mbox[sp.start..sp.end]);
                    assert_eq!(m.len as usize, sp.end - sp.from_line);
                }
                assert_eq!(s.position() as usize, mbox.len());
            }
        }
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
