//! Page text as the catalog keeps it: one copy (the search index keeps none), compressed when
//! long. A page's text is stored as TEXT when short and as a zlib BLOB when longer; readers get
//! a `String` either way through [`Stored`], so no query needs to know.

use std::io::{Read, Write};

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
                let mut out = Vec::new();
                flate2::read::ZlibDecoder::new(b)
                    .take(MAX_PAGE_TEXT)
                    .read_to_end(&mut out)
                    .map_err(|e| FromSqlError::Other(Box::new(e)))?;
                Ok(Stored(String::from_utf8_lossy(&out).into_owned()))
            }
            ValueRef::Null => Ok(Stored(String::new())),
            _ => Err(FromSqlError::InvalidType),
        }
    }
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
