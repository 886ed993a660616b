//! Page text as the catalog keeps it: one copy (the search index keeps none), compressed when
//! long. A page's text is stored as TEXT when short and as a zlib BLOB when longer; readers get
//! a `String` either way through [`Stored`], so no query needs to know.

use std::io::Write;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, Value, ValueRef};

/// Text shorter than this is kept as it is (compression would not pay).
const PACK_FROM: usize = 512;

/// The most text one page's BLOB may inflate to (a torn or hostile BLOB cannot fill memory).
const MAX_PAGE_TEXT: u64 = 64 << 20;

/// A page's text read back from the catalog, whichever way it was stored.
pub struct Stored(pub String);

impl FromSql for Stored {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Text(t) => Ok(Stored(String::from_utf8_lossy(t).into_owned())),
            ValueRef::Blob(b) => {
                let out = inflate(b).map_err(|e| FromSqlError::Other(e.into()))?;
                Ok(Stored(String::from_utf8(out).unwrap_or_else(|e| {
                    String::from_utf8_lossy(e.as_bytes()).into_owned()
                })))
            }
            ValueRef::Null => Ok(Stored(String::new())),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

thread_local! {
    /// One inflater per thread, reset for each page (a search reads a few pages of each of the
    /// documents it shows; making an inflater and its buffers each time was most of that).
    static INFLATER: std::cell::RefCell<flate2::Decompress> = std::cell::RefCell::new(flate2::Decompress::new(true));
}

/// A zlib BLOB's bytes, at most `MAX_PAGE_TEXT` of them; an error for a torn or damaged BLOB.
fn inflate(packed: &[u8]) -> Result<Vec<u8>, String> {
    INFLATER.with_borrow_mut(|z| {
        z.reset(true);
        let mut out: Vec<u8> = Vec::with_capacity(packed.len().saturating_mul(4).clamp(64, 1 << 20));
        loop {
            let read = usize::try_from(z.total_in()).unwrap_or(usize::MAX);
            let (in_before, out_before) = (z.total_in(), z.total_out());
            let status = z
                .decompress_vec(
                    packed.get(read..).unwrap_or(&[]),
                    &mut out,
                    flate2::FlushDecompress::None,
                )
                .map_err(|e| format!("damaged page text: {e}"))?;
            if status == flate2::Status::StreamEnd {
                return Ok(out);
            }
            if out.len() as u64 >= MAX_PAGE_TEXT {
                return Err("page text longer than casebinder reads".into());
            }
            if out.len() == out.capacity() {
                out.reserve(out.len());
            } else if z.total_in() == in_before && z.total_out() == out_before {
                return Err("page text cut short".into());
            }
        }
    })
}

/// The value to store for a page's text.
pub fn pack(text: &str) -> ToSqlOutput<'_> {
    if text.len() >= PACK_FROM {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        if z.write_all(text.as_bytes()).is_ok()
            && let Ok(packed) = z.finish()
            && packed.len() < text.len()
        {
            return ToSqlOutput::Owned(Value::Blob(packed));
        }
    }
    ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn long_text_is_stored_compressed_and_read_back_whole() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE p(t)").unwrap();
        let long = "The district did not provide the OT minutes. ".repeat(100);
        for t in ["short", long.as_str(), ""] {
            conn.execute("INSERT INTO p(t) VALUES (?1)", [pack(t)]).unwrap();
        }
        let kinds: Vec<String> = conn
            .prepare("SELECT typeof(t) FROM p")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(kinds, ["text", "blob", "text"]);
        let back: Vec<String> = conn
            .prepare("SELECT t FROM p")
            .unwrap()
            .query_map([], |r| r.get::<_, Stored>(0))
            .unwrap()
            .map(|s| s.unwrap().0)
            .collect();
        assert_eq!(back, ["short", long.as_str(), ""]);
        // A torn BLOB is an error for that row, not a crash.
        conn.execute("INSERT INTO p(t) VALUES (x'789c0102')", []).unwrap();
        let torn = conn.query_row("SELECT t FROM p WHERE rowid = 4", [], |r| r.get::<_, Stored>(0));
        assert!(torn.is_err());
    }
}
