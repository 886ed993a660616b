//! The case's Bates registry: every Bates number ever given, with the document pages it names.
//!
//! A Bates number is a promise to a hearing officer that it names one page forever. Numbers are
//! therefore kept per case (in the catalog), not per binder or per build: a binder renamed, a
//! prefix switched and back, a document excluded and re-included, a second binder with the same
//! prefix, an export imported into a fresh catalog or an older backup restored all find the
//! numbers already given and keep them. A new page gets numbers after the highest ever given
//! under its prefix; `--renumber` is the only way to stop using numbers, and it retires them
//! (they are never given again, to any page).
//!
//! This module is pure: the catalog stores [`Range`]s, the binder's loader builds a [`Registry`]
//! from them (and from the manifests of binders already made), and the builder records what it
//! gave.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// Consecutive Bates numbers given to one document's pages, first page first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub prefix: String,
    pub first: u64,
    pub last: u64,
    pub sha256: String,
    /// The document's pages when the numbers were given (`last - first + 1`).
    pub pages: u32,
    /// The binder whose build first gave them.
    pub binder: String,
    /// No longer given to this document (`--renumber`), or found to clash with numbers already
    /// given to other pages (two catalogs that each numbered the case): never given again.
    pub retired: bool,
}

impl Range {
    fn overlaps(&self, other: &Range) -> bool {
        self.prefix == other.prefix && self.first <= other.last && other.first <= self.last
    }

    fn same_numbers(&self, other: &Range) -> bool {
        self.prefix == other.prefix
            && self.first == other.first
            && self.last == other.last
            && self.sha256 == other.sha256
    }
}

/// What merging one range into the registry did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merged {
    /// The registry already had it.
    Known,
    /// A range it did not have.
    Added,
    /// Its numbers were already given to other pages: kept, retired, so no page gets them again.
    Clash,
    /// The registry had it, in use; now retired.
    Retired,
}

/// Every range a case has given, in the order they were learnt.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    ranges: Vec<Range>,
    /// prefix → indexes into `ranges`.
    by_prefix: HashMap<String, Vec<usize>>,
}

impl Registry {
    pub fn new(ranges: impl IntoIterator<Item = Range>) -> Registry {
        let mut r = Registry::default();
        for range in ranges {
            r.merge(range);
        }
        r
    }

    pub fn ranges(&self) -> &[Range] {
        &self.ranges
    }

    /// Learns one range: a range already known keeps its place (and is retired if this copy
    /// is); a range whose numbers overlap others' is kept only as retired.
    pub fn merge(&mut self, range: Range) -> Merged {
        let here = self.by_prefix.get(&range.prefix).cloned().unwrap_or_default();
        if let Some(&i) = here.iter().find(|&&i| self.ranges[i].same_numbers(&range)) {
            let known = &mut self.ranges[i];
            if range.retired && !known.retired {
                known.retired = true;
                return Merged::Retired;
            }
            return Merged::Known;
        }
        let clash = here.iter().any(|&i| self.ranges[i].overlaps(&range));
        let merged = if clash { Merged::Clash } else { Merged::Added };
        let range = Range {
            retired: range.retired || clash,
            ..range
        };
        self.by_prefix
            .entry(range.prefix.clone())
            .or_default()
            .push(self.ranges.len());
        self.ranges.push(range);
        merged
    }

    /// The highest number ever given under `prefix` (0: none).
    pub fn high(&self, prefix: &str) -> u64 {
        self.by_prefix
            .get(prefix)
            .map_or(0, |ix| ix.iter().map(|&i| self.ranges[i].last).max().unwrap_or(0))
    }

    /// The first number of the range in use for this document with this many pages.
    pub fn start_of(&self, prefix: &str, sha256: &str, pages: u32) -> Option<u64> {
        let pages = pages.max(1);
        self.by_prefix
            .get(prefix)?
            .iter()
            .map(|&i| &self.ranges[i])
            .filter(|r| {
                !r.retired
                    && r.sha256 == sha256
                    && r.pages == pages
                    && r.last - r.first + 1 == u64::from(pages)
            })
            .map(|r| r.first)
            .min()
    }

    /// The first number in use for this document under `prefix`, whatever its pages.
    pub fn first_number_of(&self, prefix: &str, sha256: &str) -> Option<u64> {
        self.by_prefix
            .get(prefix)?
            .iter()
            .map(|&i| &self.ranges[i])
            .filter(|r| !r.retired && r.sha256 == sha256)
            .map(|r| r.first)
            .min()
    }

    /// Every range in use under `prefix` for these documents (what `--renumber` retires).
    pub fn in_use_for<'a>(
        &'a self,
        prefix: &'a str,
        shas: &'a [String],
    ) -> impl Iterator<Item = &'a Range> + 'a {
        self.by_prefix
            .get(prefix)
            .into_iter()
            .flatten()
            .map(|&i| &self.ranges[i])
            .filter(move |r| !r.retired && shas.contains(&r.sha256))
    }
}

/// "RIVERA-000012" → ("RIVERA", 12).
pub fn split(bates: &str) -> Option<(&str, u64)> {
    let (prefix, n) = bates.rsplit_once('-')?;
    if prefix.is_empty() || n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((prefix, n.parse().ok()?))
}

/// "RIVERA-000001 to RIVERA-000034, RIVERA-000040": numbers retired, as runs.
pub fn runs(ranges: &[&Range], digits: usize) -> String {
    let mut spans: Vec<(&str, u64, u64)> = ranges
        .iter()
        .map(|r| (r.prefix.as_str(), r.first, r.last))
        .collect();
    spans.sort();
    let mut merged: Vec<(&str, u64, u64)> = Vec::new();
    for s in spans {
        match merged.last_mut() {
            Some(m) if m.0 == s.0 && s.1 <= m.2.saturating_add(1) => m.2 = m.2.max(s.2),
            _ => merged.push(s),
        }
    }
    let one = |p: &str, n: u64| format!("{p}-{n:0digits$}");
    merged
        .iter()
        .map(|&(p, a, b)| {
            if a == b {
                one(p, a)
            } else {
                format!("{} to {}", one(p, a), one(p, b))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(prefix: &str, first: u64, last: u64, sha: &str) -> Range {
        Range {
            prefix: prefix.into(),
            first,
            last,
            sha256: sha.into(),
            pages: (last - first + 1) as u32,
            binder: "binder".into(),
            retired: false,
        }
    }

    #[test]
    fn a_range_already_given_is_known_and_a_clashing_one_is_kept_retired() {
        let mut reg = Registry::new([r("RIVERA", 1, 3, "a"), r("RIVERA", 4, 4, "b")]);
        assert_eq!(reg.merge(r("RIVERA", 1, 3, "a")), Merged::Known);
        assert_eq!(reg.merge(r("RIVERA", 3, 5, "c")), Merged::Clash);
        assert_eq!(reg.merge(r("LUSD", 1, 3, "c")), Merged::Added);
        assert_eq!(reg.start_of("RIVERA", "a", 3), Some(1));
        assert_eq!(
            reg.start_of("RIVERA", "c", 3),
            None,
            "a clashing range is never used"
        );
        assert_eq!(reg.start_of("RIVERA", "a", 2), None, "other pages, other numbers");
        assert_eq!(reg.high("RIVERA"), 5, "numbers of a clash are never given again");
        assert_eq!(reg.high("NONE"), 0);
        let mut retired = r("RIVERA", 1, 3, "a");
        retired.retired = true;
        assert_eq!(reg.merge(retired), Merged::Retired);
        assert_eq!(reg.start_of("RIVERA", "a", 3), None);
    }

    #[test]
    fn bates_numbers_split_and_retired_numbers_read_as_runs() {
        assert_eq!(split("RIVERA-000012"), Some(("RIVERA", 12)));
        assert_eq!(split("A-B-0042"), Some(("A-B", 42)));
        assert_eq!(split("RIVERA"), None);
        assert_eq!(split("-0001"), None);
        let (a, b, c) = (r("R", 1, 3, "a"), r("R", 4, 9, "b"), r("R", 12, 12, "c"));
        assert_eq!(runs(&[&c, &a, &b], 4), "R-0001 to R-0009, R-0012");
    }
}
