//! What changed between the last build of a binder and the plan of the next one: new and
//! removed exhibits, labels given anew, pages changed, exhibits moved to other Bates numbers.
//!
//! Returns data; the command prints it (or prints it as JSON).

use std::collections::HashMap;

use serde::Serialize;

use super::outputs::{Manifest, ManifestExhibit};

/// An exhibit that now has another label.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Relabelled {
    pub was: String,
    pub now: String,
}

/// An exhibit whose source has another number of pages.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Resized {
    pub exhibit: String,
    pub pages: u32,
    pub was: u32,
}

/// An exhibit that now sits on other pages and Bates numbers.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Moved {
    pub exhibit: String,
    pub bates_start: String,
    pub bates_end: String,
    pub was_start: String,
    pub was_end: String,
}

/// The changes since a build.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Diff {
    /// The date printed on the last build.
    pub built: String,
    /// The last build's file name.
    pub file: String,
    pub new: Vec<ManifestExhibit>,
    pub removed: Vec<ManifestExhibit>,
    pub relabelled: Vec<Relabelled>,
    pub resized: Vec<Resized>,
    pub moved: Vec<Moved>,
}

impl Diff {
    /// The same exhibits, labels, pages and Bates numbers.
    pub fn is_empty(&self) -> bool {
        self.new.is_empty()
            && self.removed.is_empty()
            && self.relabelled.is_empty()
            && self.resized.is_empty()
            && self.moved.is_empty()
    }
}

/// Compares the last build's manifest with the exhibits planned now (matched by SHA-256).
pub fn diff(prev: &Manifest, now: &[ManifestExhibit]) -> Diff {
    let before: HashMap<&str, &ManifestExhibit> =
        prev.exhibits.iter().map(|e| (e.sha256.as_str(), e)).collect();
    let after: HashMap<&str, &ManifestExhibit> = now.iter().map(|e| (e.sha256.as_str(), e)).collect();
    let mut d = Diff {
        built: prev
            .settings
            .get("date")
            .and_then(|d| d.as_str())
            .unwrap_or("the last build")
            .to_string(),
        file: prev.binder.file.clone(),
        new: now
            .iter()
            .filter(|e| !before.contains_key(e.sha256.as_str()))
            .cloned()
            .collect(),
        removed: prev
            .exhibits
            .iter()
            .filter(|e| !after.contains_key(e.sha256.as_str()))
            .cloned()
            .collect(),
        relabelled: Vec::new(),
        resized: Vec::new(),
        moved: Vec::new(),
    };
    for e in now {
        let Some(p) = before.get(e.sha256.as_str()) else {
            continue;
        };
        if p.exhibit != e.exhibit {
            d.relabelled.push(Relabelled {
                was: p.exhibit.clone(),
                now: e.exhibit.clone(),
            });
        }
        if p.pages != e.pages {
            d.resized.push(Resized {
                exhibit: e.exhibit.clone(),
                pages: e.pages,
                was: p.pages,
            });
        } else if p.bates_start != e.bates_start {
            // Bates numbers are what the other side cites; a page that only sits elsewhere in
            // the PDF (a longer index before it) has not moved for them.
            d.moved.push(Moved {
                exhibit: e.exhibit.clone(),
                bates_start: e.bates_start.clone(),
                bates_end: e.bates_end.clone(),
                was_start: p.bates_start.clone(),
                was_end: p.bates_end.clone(),
            });
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::super::outputs::ManifestBinder;
    use super::*;

    fn ex(label: &str, sha: &str, pages: u32, start: u32) -> ManifestExhibit {
        ManifestExhibit {
            exhibit: label.into(),
            date: None,
            kind: "iep".into(),
            title: "IEP".into(),
            author: None,
            pages,
            binder_first_page: start,
            binder_last_page: start + pages - 1,
            bates_start: format!("X-{start:03}"),
            bates_end: format!("X-{:03}", start + pages - 1),
            locator: format!("{sha}.pdf"),
            sha256: sha.into(),
            tab_page: None,
            placeholder: false,
            page_map: Vec::new(),
            note: None,
            scaled_pages: Vec::new(),
        }
    }

    fn manifest(exhibits: Vec<ManifestExhibit>) -> Manifest {
        Manifest {
            casebinder: "0".into(),
            bates_high_water: 0,
            settings: serde_json::json!({"date": "2024-05-01"}),
            binder: ManifestBinder {
                file: "b.pdf".into(),
                sha256: String::new(),
                pages: 0,
                bytes: 0,
                front_pages: 0,
                fonts: Vec::new(),
            },
            exhibits,
            left_out: Vec::new(),
        }
    }

    #[test]
    fn new_removed_relabelled_resized_and_moved_exhibits_are_told_apart() {
        let prev = manifest(vec![
            ex("P-1", "a", 2, 3),
            ex("P-2", "b", 1, 5),
            ex("P-3", "c", 1, 6),
        ]);
        let now = vec![ex("P-1", "a", 3, 3), ex("P-1.1", "n", 1, 6), ex("P-4", "c", 1, 7)];
        let d = diff(&prev, &now);
        assert_eq!(d.built, "2024-05-01");
        assert_eq!(
            d.new.iter().map(|e| e.exhibit.as_str()).collect::<Vec<_>>(),
            ["P-1.1"]
        );
        assert_eq!(
            d.removed.iter().map(|e| e.exhibit.as_str()).collect::<Vec<_>>(),
            ["P-2"]
        );
        assert_eq!(
            d.relabelled,
            [Relabelled {
                was: "P-3".into(),
                now: "P-4".into()
            }]
        );
        assert_eq!(d.resized.len(), 1);
        assert_eq!(d.moved.len(), 1);
        assert_eq!(d.moved[0].was_start, "X-006");
        assert!(!d.is_empty());
        assert!(diff(&prev, &prev.exhibits).is_empty());
    }
}
