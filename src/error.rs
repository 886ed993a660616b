//! Errors a person can act on.
//!
//! Every failure that reaches the user is printed once, as `error: …` followed by `hint: …`
//! saying what to do next. Stages return [`UserError`] (through `anyhow`) when they know
//! the remedy; `main` prints the chain and the hint.

use std::fmt;

/// A failure with a plain-language message and, where we know one, the next step.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// Builds an error with a message and a hint.
pub fn user_error(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UserError {
        message: message.into(),
        hint: Some(hint.into()),
    })
}

/// The candidate closest to what was typed, when it is close enough to be a typo (an edit
/// distance of at most a third of its length, and at most 3). Case and `-`/`_` are ignored.
pub fn did_you_mean<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let norm = |s: &str| s.to_lowercase().replace(['-', ' '], "_");
    let t = norm(typed);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&t, &norm(c)), c))
        .filter(|(d, c)| *d > 0 && *d <= 3 && *d * 3 <= c.chars().count().max(3))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Edit distance on characters, a swap of two neighbours counting as one edit (`kidn` → `kind`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// " Did you mean X?" when a candidate is close, else nothing.
pub fn suggestion<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(typed, candidates).map_or_else(String::new, |c| format!(" Did you mean \"{c}\"?"))
}

/// True when the error chain holds a closed pipe (`casebinder list | head`): that is success.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// True when the error says the catalog's file is damaged (SQLite finds it malformed or not a
/// database).
pub fn is_damaged_catalog(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<rusqlite::Error>(),
            Some(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
        )
    })
}

/// The hint carried anywhere in the chain, if any.
pub fn hint_of(err: &anyhow::Error) -> Option<&str> {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<UserError>())
        .and_then(|u| u.hint.as_deref())
}

/// Plain words and a next step for the low-level failures a person can still act on: a full
/// disk, a read-only or locked catalog, a permission refused. `None` for anything else.
pub fn explain(err: &anyhow::Error) -> Option<(&'static str, &'static str)> {
    use rusqlite::ErrorCode as C;
    for cause in err.chain() {
        if let Some(rusqlite::Error::SqliteFailure(e, _)) = cause.downcast_ref::<rusqlite::Error>() {
            return match e.code {
                C::DiskFull => Some((
                    "The disk is full: casebinder could not save to its catalog. Nothing saved before is lost.",
                    "Free some space (or move the case to a disk with room), then run the command again.",
                )),
                C::ReadOnly => Some((
                    "The catalog is read-only, so casebinder cannot save to it. Nothing was changed.",
                    "Check that you own the case folder and can write to .casebinder/catalog.sqlite \
                     (for example: chmod u+w .casebinder/catalog.sqlite), or that the disk is not read-only.",
                )),
                C::CannotOpen | C::PermissionDenied => Some((
                    "casebinder cannot open the case's catalog.",
                    "Check that you own the case folder and its .casebinder folder and can read and write them.",
                )),
                C::SystemIoFailure => Some((
                    "The disk refused a write to the catalog (it may be full or failing). Nothing saved before is lost.",
                    "Free some space or check the disk, then run the command again.",
                )),
                C::DatabaseBusy | C::DatabaseLocked => Some((
                    "Another casebinder command kept the catalog busy for too long.",
                    "Wait for the other command (a scan or a binder build) to finish, then run this one again.",
                )),
                _ => None,
            };
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ReadOnlyFilesystem {
                return Some((
                    "The disk is read-only: casebinder can read this case but cannot change it.",
                    "Reading works (list, search, check, timeline, gaps, export, binder --out FILE elsewhere). \
                     To scan or correct it, copy the case folder to a disk you can write to, or keep its \
                     catalog elsewhere: casebinder init FOLDER --catalog DIR",
                ));
            }
            if io.kind() == std::io::ErrorKind::StorageFull || io.raw_os_error() == Some(27) {
                return Some((
                    "The disk is full (or a file size limit was reached): casebinder could not write.",
                    "Free some space (or choose another disk with --out), then run the command again.",
                ));
            }
            if io.kind() == std::io::ErrorKind::PermissionDenied {
                return Some((
                    "Permission denied: casebinder may not write there.",
                    "Check that you own the case folder (or the --out folder) and can write to it.",
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_suggested_and_far_ones_are_not() {
        let kinds = ["iep", "evaluation", "prior_written_notice", "consent"];
        assert_eq!(did_you_mean("evalaution", kinds), Some("evaluation"));
        assert_eq!(
            did_you_mean("prior-written-notice", kinds),
            None,
            "the same, not a typo"
        );
        assert_eq!(
            did_you_mean("prior written notise", kinds),
            Some("prior_written_notice")
        );
        assert_eq!(did_you_mean("iepp", kinds), Some("iep"));
        assert_eq!(did_you_mean("banana", kinds), None);
        assert_eq!(suggestion("consnt", kinds), " Did you mean \"consent\"?");
    }
}
