//! Exhibit labels: `P-1`, `D-1`, `Exhibit A`, `Tab 1`… and keeping them stable.
//!
//! Once a binder has been shared, its labels are how everyone refers to the evidence ("P-12 at
//! page 3"). So a rebuild keeps every label given before; a newcomer is slotted in after the
//! exhibit it follows in time, as `P-12.1`, and nothing is renumbered unless asked.

use std::collections::{BTreeMap, BTreeSet};

/// A label template: the text before the counter, and whether the counter is a number or letters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Style {
    pub prefix: String,
    pub letters: bool,
}

impl serde::Serialize for Style {
    /// As its first label (`P-1`, `Exhibit A`), the way it was chosen.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label(1))
    }
}

impl std::fmt::Display for Style {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label(1))
    }
}

impl Style {
    /// `P-1`, `Exhibit A`, `Tab 1`, `S-1`… (the example of a first label).
    pub fn parse(first: &str) -> Option<Style> {
        let first = first.trim();
        let last = first.chars().last()?;
        let prefix = first[..first.len() - last.len_utf8()].to_string();
        if prefix.chars().any(|c| c.is_control()) || prefix.chars().count() > 20 {
            return None;
        }
        match last {
            '1' => Some(Style {
                prefix,
                letters: false,
            }),
            'A' | 'a' => Some(Style {
                prefix,
                letters: true,
            }),
            _ => None,
        }
    }

    /// The n-th label (1-based).
    pub fn label(&self, n: u64) -> String {
        format!("{}{}", self.prefix, self.counter(n))
    }

    fn counter(&self, n: u64) -> String {
        if !self.letters {
            return n.to_string();
        }
        // 1 → A, 26 → Z, 27 → AA
        let mut n = n;
        let mut s = Vec::new();
        while n > 0 {
            let r = ((n - 1) % 26) as u8;
            s.push(char::from(b'A' + r));
            n = (n - 1) / 26;
        }
        s.iter().rev().collect()
    }

    /// The label of the k-th attachment (1-based) that follows exhibit `parent`.
    pub fn sub(&self, parent: &str, k: u64) -> String {
        if self.letters {
            format!("{parent}-{k}")
        } else {
            let letter = Style {
                prefix: String::new(),
                letters: true,
            }
            .counter(k)
            .to_lowercase();
            format!("{parent}{letter}")
        }
    }

    /// Sort key of a label of this style: (counter, insertion number), or None if foreign.
    pub fn rank(&self, label: &str) -> Option<(u64, u64)> {
        let rest = label.strip_prefix(&self.prefix)?;
        let (main, ins) = match rest.split_once('.') {
            Some((m, i)) => (m, i.parse::<u64>().ok()?),
            None => (rest, 0),
        };
        let main = if self.letters {
            if main == "0" {
                0
            } else {
                let mut n: u64 = 0;
                for c in main.chars() {
                    if !c.is_ascii_uppercase() {
                        return None;
                    }
                    n = n.checked_mul(26)?.checked_add(u64::from(c as u8 - b'A') + 1)?;
                }
                n
            }
        } else {
            main.parse::<u64>().ok()?
        };
        Some((main, ins))
    }

    fn main_part(&self, n: u64) -> String {
        if n == 0 { "0".into() } else { self.counter(n) }
    }
}

/// Labels for `order` (document SHA-256s, oldest first): kept ones stay, newcomers are slotted
/// in. Returns (sha, label, new) in binder order.
pub fn assign(
    style: &Style,
    order: &[String],
    kept: &BTreeMap<String, String>,
) -> Vec<(String, String, bool)> {
    let usable: BTreeMap<&String, (u64, u64)> = kept
        .iter()
        .filter_map(|(sha, label)| style.rank(label).map(|r| (sha, r)))
        .collect();
    if usable.is_empty() {
        return order
            .iter()
            .enumerate()
            .map(|(i, sha)| (sha.clone(), style.label(i as u64 + 1), false))
            .collect();
    }
    // Every rank ever given in this binder stays taken, even for exhibits no longer in it.
    let mut taken: BTreeSet<(u64, u64)> = kept.values().filter_map(|l| style.rank(l)).collect();
    let mut out: Vec<((u64, u64), String, String, bool)> = Vec::new();
    let mut anchor: u64 = 0;
    for sha in order {
        if let Some(rank) = usable.get(sha) {
            anchor = anchor.max(rank.0);
            out.push((*rank, sha.clone(), kept[sha].clone(), false));
            continue;
        }
        let mut k = 1;
        while taken.contains(&(anchor, k)) {
            k += 1;
        }
        taken.insert((anchor, k));
        let label = format!("{}{}.{k}", style.prefix, style.main_part(anchor));
        out.push(((anchor, k), sha.clone(), label, true));
    }
    out.sort_by_key(|a| a.0);
    out.into_iter()
        .map(|(_, sha, label, new)| (sha, label, new))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shas(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("sha{i:02}")).collect()
    }

    #[test]
    fn templates_give_the_usual_series() {
        let p = Style::parse("P-1").unwrap();
        assert_eq!(p.label(12), "P-12");
        assert_eq!(p.sub("P-12", 1), "P-12a");
        let e = Style::parse("Exhibit A").unwrap();
        assert_eq!(e.label(1), "Exhibit A");
        assert_eq!(e.label(27), "Exhibit AA");
        assert_eq!(e.rank("Exhibit AA"), Some((27, 0)));
        assert_eq!(Style::parse("Tab 1").unwrap().label(3), "Tab 3");
        assert!(Style::parse("P-x").is_none());
        assert_eq!(p.rank("P-12.1"), Some((12, 1)));
        assert_eq!(p.rank("D-3"), None);
    }

    #[test]
    fn a_first_build_numbers_in_order() {
        let p = Style::parse("P-1").unwrap();
        let got = assign(&p, &shas(3), &BTreeMap::new());
        let labels: Vec<&str> = got.iter().map(|g| g.1.as_str()).collect();
        assert_eq!(labels, ["P-1", "P-2", "P-3"]);
    }

    #[test]
    fn a_newcomer_is_slotted_in_without_renumbering() {
        let p = Style::parse("P-1").unwrap();
        let s = shas(4);
        let kept: BTreeMap<String, String> = [(&s[0], "P-1"), (&s[1], "P-2"), (&s[3], "P-3")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        // s[2] is new and falls between P-2 and P-3 in time; a new oldest document comes first.
        let mut order = vec!["oldest".to_string()];
        order.extend(s.iter().cloned());
        let got = assign(&p, &order, &kept);
        let labels: Vec<&str> = got.iter().map(|g| g.1.as_str()).collect();
        assert_eq!(labels, ["P-0.1", "P-1", "P-2", "P-2.1", "P-3"]);
        assert!(got[3].2 && got[0].2 && !got[1].2);
        // A label once given is never given again, even after its exhibit left.
        let mut kept2 = kept.clone();
        kept2.insert("gone".into(), "P-2.1".into());
        let got = assign(&p, &order, &kept2);
        assert_eq!(got[3].1, "P-2.2");
    }
}
