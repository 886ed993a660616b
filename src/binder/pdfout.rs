//! Writes the binder PDF object by object, straight to disk, hashing as it goes (on a thread
//! of its own, beside the one making the objects).
//!
//! Merging with an in-memory `lopdf::Document` holds every source at once (DEPS.md measured
//! 390 MB for a 16 MB merge). Here each source PDF is loaded, its objects copied out under new
//! numbers, and then dropped, so memory stays near the largest single source. Objects are
//! serialized with `lopdf::Writer::write_object`, the same bytes `Document::save` writes.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use lopdf::{Dictionary, Object, ObjectId, Writer};
use sha2::{Digest, Sha256};

/// Where a binder can be written: a file, or memory in tests; handed to the writing thread.
pub trait Sink: Write + Send + 'static {}
impl<T: Write + Send + 'static> Sink for T {}

/// Bytes gathered before they go to the writing thread.
const CHUNK: usize = 1 << 20;

/// Chunks in flight between the builder and the writing thread.
const IN_FLIGHT: usize = 8;

/// What the writing thread hands back: the destination and the SHA-256 of every byte, or the
/// first error it met.
type Written<W> = std::io::Result<(W, Sha256)>;

/// A file being written: where each object starts. The bytes are hashed and written on a thread
/// of their own (a 60 MB binder spends a fifth of its build hashing and writing), while the
/// objects after them are made.
pub struct PdfOut<W: Sink> {
    pos: u64,
    offsets: Vec<u64>,
    pending: Vec<u8>,
    tx: Option<SyncSender<Vec<u8>>>,
    worker: Option<JoinHandle<Written<W>>>,
}

fn write_all<W: Write>(mut w: W, rx: Receiver<Vec<u8>>) -> Written<W> {
    let mut hasher = Sha256::new();
    for chunk in rx {
        hasher.update(&chunk);
        w.write_all(&chunk)?; // on an error the channel closes and the builder stops
    }
    w.flush()?;
    Ok((w, hasher))
}

impl<W: Sink> PdfOut<W> {
    pub fn new(inner: W) -> std::io::Result<PdfOut<W>> {
        let (tx, rx) = sync_channel::<Vec<u8>>(IN_FLIGHT);
        let worker = std::thread::Builder::new()
            .name("binder-writer".into())
            .spawn(move || write_all(inner, rx))?;
        let mut out = PdfOut {
            pos: 0,
            offsets: vec![0],
            pending: Vec::with_capacity(CHUNK + 4096),
            tx: Some(tx),
            worker: Some(worker),
        };
        out.raw(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(out)
    }

    /// The writing thread's error, once it has stopped.
    fn stopped(&mut self) -> std::io::Error {
        self.tx = None;
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(Err(e))) => e,
            _ => std::io::Error::other("the binder's writing thread stopped"),
        }
    }

    /// Sends what is gathered when there is enough of it (or `all`).
    fn ship(&mut self, all: bool) -> std::io::Result<()> {
        if self.pending.len() < CHUNK && !all || self.pending.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.pending, Vec::with_capacity(CHUNK + 4096));
        let sent = self.tx.as_ref().map(|tx| tx.send(chunk).is_ok());
        if sent == Some(true) {
            Ok(())
        } else {
            Err(self.stopped())
        }
    }

    fn raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.pending.extend_from_slice(bytes);
        self.pos += bytes.len() as u64;
        self.ship(false)
    }

    /// A new object number, to be written later with [`PdfOut::write`].
    pub fn alloc(&mut self) -> u32 {
        self.offsets.push(0);
        (self.offsets.len() - 1) as u32
    }

    pub fn write(&mut self, id: u32, object: &Object) -> std::io::Result<()> {
        if let Some(slot) = self.offsets.get_mut(id as usize) {
            *slot = self.pos;
        }
        let before = self.pending.len();
        let buf = &mut self.pending;
        write!(buf, "{id} 0 obj")?;
        if Writer::need_separator(object) {
            buf.push(b' ');
        }
        Writer::write_object(buf, object).map_err(std::io::Error::other)?;
        if Writer::need_end_separator(object) {
            buf.push(b' ');
        }
        buf.extend_from_slice(b"endobj\n");
        self.pos += (self.pending.len() - before) as u64;
        self.ship(false)
    }

    /// Writes the cross-reference table and trailer; returns the SHA-256, the size and `W`.
    pub fn finish(mut self, root: u32, info: u32, file_id: &[u8]) -> std::io::Result<(String, u64, W)> {
        let xref = self.pos;
        let mut buf = Vec::with_capacity(self.offsets.len() * 20 + 256);
        writeln!(buf, "xref\n0 {}", self.offsets.len())?;
        buf.extend_from_slice(b"0000000000 65535 f \n");
        for off in &self.offsets[1..] {
            if *off == 0 {
                buf.extend_from_slice(b"0000000000 65535 f \n");
            } else {
                writeln!(buf, "{off:010} 00000 n ")?;
            }
        }
        let id = hex::encode(file_id);
        write!(
            buf,
            "trailer\n<< /Size {} /Root {root} 0 R /Info {info} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len()
        )?;
        self.raw(&buf)?;
        self.ship(true)?;
        self.tx = None;
        let (inner, hasher) = match self.worker.take().map(JoinHandle::join) {
            Some(Ok(written)) => written?,
            _ => return Err(std::io::Error::other("the binder's writing thread stopped")),
        };
        Ok((hex::encode(hasher.finalize()), self.pos, inner))
    }
}

impl<W: Sink> Drop for PdfOut<W> {
    /// A build that stops early lets its writing thread finish before the file is removed.
    fn drop(&mut self) {
        self.tx = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// Copies objects of a loaded source PDF into the output under new numbers.
pub struct Copier<'a> {
    pub doc: &'a lopdf::Document,
    pub map: HashMap<ObjectId, u32>,
    queue: VecDeque<ObjectId>,
}

impl<'a> Copier<'a> {
    pub fn new(doc: &'a lopdf::Document) -> Copier<'a> {
        Copier {
            doc,
            map: HashMap::new(),
            queue: VecDeque::new(),
        }
    }

    /// The new number of a source object, queuing it to be copied.
    pub fn id_of<W: Sink>(&mut self, out: &mut PdfOut<W>, old: ObjectId) -> u32 {
        if let Some(id) = self.map.get(&old) {
            return *id;
        }
        let id = out.alloc();
        self.map.insert(old, id);
        self.queue.push_back(old);
        id
    }

    /// Gives `old` a number chosen by the caller (a page that is rewritten, not copied).
    pub fn claim(&mut self, old: ObjectId, new: u32) {
        self.map.insert(old, new);
    }

    /// Rewrites every reference inside `obj` to the new numbers.
    pub fn renumber<W: Sink>(&mut self, out: &mut PdfOut<W>, obj: &mut Object) {
        match obj {
            Object::Reference(r) => {
                if self.doc.objects.contains_key(r) {
                    let id = self.id_of(out, *r);
                    *r = (id, 0);
                } else {
                    *obj = Object::Null;
                }
            }
            Object::Array(items) => {
                for item in items {
                    self.renumber(out, item);
                }
            }
            Object::Dictionary(d) => self.renumber_dict(out, d),
            Object::Stream(s) => self.renumber_dict(out, &mut s.dict),
            _ => {}
        }
    }

    pub fn renumber_dict<W: Sink>(&mut self, out: &mut PdfOut<W>, d: &mut Dictionary) {
        for (_, v) in d.iter_mut() {
            self.renumber(out, v);
        }
    }

    /// Writes every queued object (and what they reach).
    pub fn drain<W: Sink>(&mut self, out: &mut PdfOut<W>) -> std::io::Result<()> {
        while let Some(old) = self.queue.pop_front() {
            let Some(id) = self.map.get(&old).copied() else {
                continue;
            };
            let mut obj = match self.doc.objects.get(&old) {
                Some(o) => o.clone(),
                None => Object::Null,
            };
            // A page reached through a link or annotation of a page not in the binder: keep
            // the object but cut it from the source's page tree.
            if let Object::Dictionary(d) = &mut obj
                && d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Pages".as_slice())
            {
                obj = Object::Null;
            }
            self.renumber(out, &mut obj);
            // The length written is always the content's own (a source's may be missing or wrong).
            if let Object::Stream(st) = &mut obj {
                st.dict.set("Length", st.content.len() as i64);
            }
            out.write(id, &obj)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cross_reference_points_at_each_object() {
        let mut out = PdfOut::new(Vec::new()).unwrap();
        let a = out.alloc();
        let b = out.alloc();
        out.write(b, &Object::Integer(7)).unwrap();
        out.write(a, &Object::Name(b"X".to_vec())).unwrap();
        let (sha, _, bytes) = out.finish(a, b, b"0123456789abcdef").unwrap();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let at = |needle: &[u8]| bytes.windows(needle.len()).position(|w| w == needle).unwrap();
        let (a_at, b_at) = (at(b"1 0 obj"), at(b"2 0 obj"));
        assert!(text.contains(&format!("{a_at:010} 00000 n")));
        assert!(text.contains(&format!("{b_at:010} 00000 n")));
        assert_eq!(sha, hex::encode(Sha256::digest(&bytes)));
    }
}
