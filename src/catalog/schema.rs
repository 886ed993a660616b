//! The catalog's schema, as append-only migrations tracked by `PRAGMA user_version`.
//!
//! Never edit a migration that has shipped: add a new one. Each runs inside the exclusive
//! transaction that `Catalog::open` holds, so a half-applied migration cannot exist.

/// Migrations in order; index + 1 is the `user_version` after applying it.
pub const MIGRATIONS: &[&str] = &[
    // 1: documents keyed by content, their locations, source files, pages, full text, user facts.
    r#"
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE documents (
    id                INTEGER PRIMARY KEY,
    sha256            TEXT NOT NULL UNIQUE,
    format            TEXT NOT NULL,
    status            TEXT NOT NULL,
    reason            TEXT,
    pages             INTEGER,
    size              INTEGER NOT NULL,
    ocr               INTEGER NOT NULL DEFAULT 0,
    title             TEXT,
    author            TEXT,
    kind              TEXT,
    kind_confidence   REAL,
    date              TEXT,
    date_source       TEXT,
    message_id        TEXT,
    in_reply_to       TEXT,
    duplicate_of      INTEGER REFERENCES documents(id),
    meta_json         TEXT NOT NULL DEFAULT '{}',
    extractor_version INTEGER NOT NULL
);
CREATE INDEX documents_message_id ON documents(message_id) WHERE message_id IS NOT NULL;

-- Source files on disk, for change detection (size + mtime) and moves (sha256).
CREATE TABLE files (
    path              TEXT PRIMARY KEY,
    size              INTEGER NOT NULL,
    mtime_ns          INTEGER NOT NULL,
    sha256            TEXT NOT NULL,
    missing           INTEGER NOT NULL DEFAULT 0,
    extractor_version INTEGER NOT NULL
);
CREATE INDEX files_sha256 ON files(sha256);

-- Where a document lives: a file, an mbox message (path#N) or an attachment (LOCATOR::NAME).
CREATE TABLE locations (
    locator       TEXT PRIMARY KEY,
    doc_id        INTEGER NOT NULL REFERENCES documents(id),
    file_path     TEXT NOT NULL,
    origin        TEXT NOT NULL CHECK (origin IN ('file', 'mbox_message', 'attachment')),
    parent_doc_id INTEGER REFERENCES documents(id),
    mbox_index    INTEGER,
    byte_offset   INTEGER,
    byte_len      INTEGER,
    missing       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX locations_doc ON locations(doc_id);
CREATE INDEX locations_file ON locations(file_path);

CREATE TABLE pages (
    doc_id  INTEGER NOT NULL REFERENCES documents(id),
    page_no INTEGER NOT NULL,
    text    TEXT NOT NULL,
    ocr     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (doc_id, page_no)
);

CREATE VIRTUAL TABLE fts USING fts5(
    doc_id UNINDEXED,
    page_no UNINDEXED,
    title,
    body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- What the user said, keyed by content so it survives renames, moves and re-scans.
CREATE TABLE corrections (
    sha256   TEXT PRIMARY KEY,
    kind     TEXT,
    date     TEXT,
    title    TEXT,
    author   TEXT,
    excluded INTEGER NOT NULL DEFAULT 0,
    note     TEXT
);

-- Tags by content. source: 'user', 'rule', 'gmail'. A user's removal is kept as removed = 1.
CREATE TABLE tags (
    sha256  TEXT NOT NULL,
    tag     TEXT NOT NULL,
    source  TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (sha256, tag)
);

-- Files casebinder wrote (binders, exports): never scanned as sources.
CREATE TABLE outputs (
    path   TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL
);

CREATE VIEW doc_view AS
SELECT d.id, d.sha256, d.format, d.status, d.reason, d.pages, d.size, d.ocr,
       d.message_id, d.in_reply_to, d.duplicate_of, d.meta_json,
       COALESCE(c.kind, d.kind) AS kind,
       CASE WHEN c.kind IS NOT NULL THEN 'user' WHEN d.kind IS NOT NULL THEN 'rule' END AS kind_source,
       COALESCE(c.date, d.date) AS date,
       CASE WHEN c.date IS NOT NULL THEN 'user' ELSE d.date_source END AS date_source,
       COALESCE(c.title, d.title) AS title,
       COALESCE(c.author, d.author) AS author,
       COALESCE(c.excluded, 0) AS excluded
FROM documents d LEFT JOIN corrections c ON c.sha256 = d.sha256;
"#,
    // 2: what the classifier concluded (with evidence), and a user's "this document has no date".
    r#"
ALTER TABLE documents ADD COLUMN classification TEXT;
ALTER TABLE documents ADD COLUMN classifier_stamp TEXT;
ALTER TABLE documents ADD COLUMN date_confidence REAL;
ALTER TABLE documents ADD COLUMN date_ambiguous INTEGER NOT NULL DEFAULT 0;

DROP VIEW doc_view;
CREATE VIEW doc_view AS
SELECT d.id, d.sha256, d.format, d.status, d.reason, d.pages, d.size, d.ocr,
       d.message_id, d.in_reply_to, d.duplicate_of, d.meta_json,
       COALESCE(c.kind, d.kind) AS kind,
       CASE WHEN c.kind IS NOT NULL THEN 'user' WHEN d.kind IS NOT NULL THEN 'rule' END AS kind_source,
       CASE WHEN c.date = 'none' THEN NULL ELSE COALESCE(c.date, d.date) END AS date,
       CASE WHEN c.date IS NOT NULL THEN 'user' ELSE d.date_source END AS date_source,
       COALESCE(c.title, d.title) AS title,
       COALESCE(c.author, d.author) AS author,
       COALESCE(c.excluded, 0) AS excluded,
       CASE WHEN c.kind IS NOT NULL THEN NULL ELSE d.kind_confidence END AS kind_confidence,
       CASE WHEN c.date IS NOT NULL THEN 0 ELSE d.date_ambiguous END AS date_ambiguous,
       d.classification
FROM documents d LEFT JOIN corrections c ON c.sha256 = d.sha256;
"#,
    // 3: events the user adds (a phone call, a verbal request), with the documents behind them.
    r#"
CREATE TABLE events (
    id     INTEGER PRIMARY KEY,
    date   TEXT NOT NULL,
    kind   TEXT NOT NULL,
    title  TEXT NOT NULL,
    note   TEXT,
    tags   TEXT NOT NULL DEFAULT '[]',
    verbal INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE event_docs (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    sha256   TEXT NOT NULL,
    PRIMARY KEY (event_id, sha256)
);
"#,
    // 4: exhibit labels given by binder builds (kept between builds), and each binder's last build.
    r#"
CREATE TABLE binder_labels (
    binder TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    label  TEXT NOT NULL,
    PRIMARY KEY (binder, sha256)
);
CREATE UNIQUE INDEX binder_labels_unique ON binder_labels(binder, label);
CREATE TABLE binder_builds (
    binder   TEXT PRIMARY KEY,
    manifest TEXT NOT NULL
);
"#,
    // 5: where each line of a page sits (see `layout.rs`), for the classifier's layout reading;
    // the date order each document's own dates show (summed over the case, it settles ambiguity).
    r#"
ALTER TABLE pages ADD COLUMN layout BLOB;
ALTER TABLE documents ADD COLUMN date_order_evidence TEXT;
"#,
    // 6: a turn the user asked for (a photo taken sideways with no EXIF to say so), in degrees
    // clockwise, kept by content like every correction.
    r#"
ALTER TABLE corrections ADD COLUMN rotate INTEGER;
"#,
    // 7: one copy of the text. The search index keeps no copy of its own (contentless) and has
    // one row per document (its rowid is the document's id; its pages joined by form feeds):
    // the best page and the snippet are found among the pages of the documents shown.
    r#"
CREATE VIRTUAL TABLE fts_docs USING fts5(
    title,
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO fts_docs(rowid, title, body)
    SELECT doc_id, MAX(title), group_concat(body, char(10, 12, 10))
    FROM (SELECT doc_id, title, body FROM fts ORDER BY doc_id, page_no)
    GROUP BY doc_id;
DROP TABLE fts;
-- A rescan asks which documents need classifying again without reading the documents.
CREATE INDEX documents_stamp ON documents(classifier_stamp);
"#,
    // 8: the documents still in the folder, counted after every scan from a small index of their
    // ids (not by reading every location).
    r#"
CREATE INDEX locations_present ON locations(doc_id) WHERE missing = 0;
"#,
    // 9: how sure each document's date is (or its "no date of its own"), for `review`: a date
    // the person gave is sure.
    r#"
DROP VIEW doc_view;
CREATE VIEW doc_view AS
SELECT d.id, d.sha256, d.format, d.status, d.reason, d.pages, d.size, d.ocr,
       d.message_id, d.in_reply_to, d.duplicate_of, d.meta_json,
       COALESCE(c.kind, d.kind) AS kind,
       CASE WHEN c.kind IS NOT NULL THEN 'user' WHEN d.kind IS NOT NULL THEN 'rule' END AS kind_source,
       CASE WHEN c.date = 'none' THEN NULL ELSE COALESCE(c.date, d.date) END AS date,
       CASE WHEN c.date IS NOT NULL THEN 'user' ELSE d.date_source END AS date_source,
       COALESCE(c.title, d.title) AS title,
       COALESCE(c.author, d.author) AS author,
       COALESCE(c.excluded, 0) AS excluded,
       CASE WHEN c.kind IS NOT NULL THEN NULL ELSE d.kind_confidence END AS kind_confidence,
       CASE WHEN c.date IS NOT NULL THEN 0 ELSE d.date_ambiguous END AS date_ambiguous,
       d.classification,
       CASE WHEN c.date IS NOT NULL THEN 1.0 ELSE d.date_confidence END AS date_confidence
FROM documents d LEFT JOIN corrections c ON c.sha256 = d.sha256;
"#,
    // 10: a file re-saved in place with the same text: the new version's work came from the old.
    r#"
CREATE TABLE resaved (
    sha256   TEXT PRIMARY KEY,
    replaces TEXT NOT NULL,
    path     TEXT NOT NULL
);
"#,
    // 11: which case this catalog belongs to, made once (its backups carry it): a sibling's
    // backup is never restored into this child's case without being named as such.
    r#"
CREATE TABLE case_identity (
    id TEXT NOT NULL
);
INSERT INTO case_identity(id) VALUES (lower(hex(randomblob(16))));
"#,
    // 12: the case's Bates registry: every number ever given, with the document pages it names,
    // whatever binder gave it; a number is never given to another page (`retired`: not given
    // again at all).
    r#"
CREATE TABLE bates_numbers (
    prefix  TEXT NOT NULL,
    first   INTEGER NOT NULL,
    last    INTEGER NOT NULL,
    sha256  TEXT NOT NULL,
    pages   INTEGER NOT NULL,
    binder  TEXT NOT NULL,
    retired INTEGER NOT NULL DEFAULT 0,
    UNIQUE (prefix, first, last, sha256)
);
"#,
    // 13: copies the family left out by their path (`set PATH --exclude` on a document kept in
    // several places): the document stays in binders from its other places.
    r#"
CREATE TABLE excluded_locations (
    locator TEXT PRIMARY KEY
);
"#,
    // 14: where a document was before its file changed under it (the file now holds a new
    // version), so that the earlier version is still named by its file.
    r#"
CREATE TABLE former_locations (
    doc_id  INTEGER PRIMARY KEY,
    locator TEXT NOT NULL
);
"#,
    // 15: the family's concerns (a disagreement about services, placement…: no deadline shows
    // it, so the family says it), with the documents that show it, by content.
    r#"
CREATE TABLE concerns (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    now          TEXT,
    ask          TEXT,
    could_accept TEXT
);
CREATE TABLE concern_docs (
    concern_id INTEGER NOT NULL REFERENCES concerns(id) ON DELETE CASCADE,
    sha256     TEXT NOT NULL,
    PRIMARY KEY (concern_id, sha256)
);
"#,
    // 16: when each scan finished (the desk's "last scan"), with what it saw.
    r#"
CREATE TABLE scans (
    id          INTEGER PRIMARY KEY,
    finished_at TEXT NOT NULL,
    files_seen  INTEGER NOT NULL,
    documents   INTEGER NOT NULL
);
"#,
    // 17: the case's story as the checks read it, kept for the desk: a counter every change to
    // what the story is made of moves (by triggers, whichever casebinder writes), and the story
    // last read with the counter it was read at.
    r#"
CREATE TABLE story_generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO story_generation VALUES (1, 0);
CREATE TABLE story_cache (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL,
    program    TEXT NOT NULL,
    story      TEXT NOT NULL
);
CREATE TRIGGER story_gen_settings_i AFTER INSERT ON settings BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_settings_u AFTER UPDATE ON settings BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_settings_d AFTER DELETE ON settings BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_documents_i AFTER INSERT ON documents BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_documents_u AFTER UPDATE ON documents BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_documents_d AFTER DELETE ON documents BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_files_i AFTER INSERT ON files BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_files_u AFTER UPDATE ON files BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_files_d AFTER DELETE ON files BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_locations_i AFTER INSERT ON locations BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_locations_u AFTER UPDATE ON locations BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_locations_d AFTER DELETE ON locations BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_pages_i AFTER INSERT ON pages BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_pages_u AFTER UPDATE ON pages BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_pages_d AFTER DELETE ON pages BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_corrections_i AFTER INSERT ON corrections BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_corrections_u AFTER UPDATE ON corrections BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_corrections_d AFTER DELETE ON corrections BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_tags_i AFTER INSERT ON tags BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_tags_u AFTER UPDATE ON tags BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_tags_d AFTER DELETE ON tags BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_events_i AFTER INSERT ON events BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_events_u AFTER UPDATE ON events BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_events_d AFTER DELETE ON events BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_event_docs_i AFTER INSERT ON event_docs BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_event_docs_u AFTER UPDATE ON event_docs BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_event_docs_d AFTER DELETE ON event_docs BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_excluded_locations_i AFTER INSERT ON excluded_locations BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_excluded_locations_u AFTER UPDATE ON excluded_locations BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_excluded_locations_d AFTER DELETE ON excluded_locations BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_former_locations_i AFTER INSERT ON former_locations BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_former_locations_u AFTER UPDATE ON former_locations BEGIN UPDATE story_generation SET n = n + 1; END;
CREATE TRIGGER story_gen_former_locations_d AFTER DELETE ON former_locations BEGIN UPDATE story_generation SET n = n + 1; END;
"#,
    // 18: the case's folders with their times at the last scan: the desk sees a file added,
    // removed or renamed since by a folder's time, without looking at every file.
    r#"
CREATE TABLE folder_times (
    rel      TEXT PRIMARY KEY,
    mtime_ns INTEGER
) WITHOUT ROWID;
"#,
];
