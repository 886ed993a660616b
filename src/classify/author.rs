//! Who wrote or issued a document: an email's sender, a letter's signer, an evaluator named
//! in the report, the district named in the letterhead, or the file's own author field.

use super::{Input, Settings, clip, fold};

pub fn author(
    input: &Input<'_>,
    pages: &[String],
    zone: &[String],
    kind: &str,
    settings: &Settings,
) -> Option<String> {
    if input.format == "email" {
        let from = input.meta.pointer("/email/from").and_then(|v| v.as_str())?;
        let name = from
            .split('<')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"')
            .trim();
        return Some(if name.is_empty() {
            from.trim_matches(['<', '>']).to_string()
        } else {
            name.to_string()
        });
    }
    let labelled = |labels: &[&str]| -> Option<String> {
        for line in pages.iter().flat_map(|p| p.lines()).take(200) {
            let l = line.trim();
            for lab in labels {
                if l.len() > lab.len()
                    && l.get(..lab.len()).is_some_and(|h| h.eq_ignore_ascii_case(lab))
                    && let Some(rest) = l.get(lab.len()..)
                {
                    let v = rest.trim().trim_end_matches(',');
                    if v.chars().filter(|c| c.is_alphabetic()).count() >= 3 {
                        return Some(clip(v));
                    }
                }
            }
        }
        None
    };
    let signature = || -> Option<String> {
        let all: Vec<&str> = pages.iter().flat_map(|p| p.lines()).collect();
        for (i, l) in all.iter().enumerate() {
            if [
                "sincerely",
                "respectfully",
                "yours truly",
                "best regards",
                "regards",
                "thank you,",
            ]
            .iter()
            .any(|s| super::folded_starts_with(l, s))
                && let Some(name) = all[i + 1..]
                    .iter()
                    .take(4)
                    .map(|s| s.trim())
                    .find(|s| !s.is_empty())
                && name.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && name.len() < 80
            {
                return Some(clip(name));
            }
        }
        None
    };
    let district = || -> Option<String> {
        for line in zone.iter().take(6) {
            let folded = fold(line);
            if let Some(d) = settings
                .districts
                .iter()
                .find(|d| !d.is_empty() && folded.contains(d.as_str()))
            {
                // Keep the district's name as written.
                if let Some(pos) = folded.find(d.as_str()) {
                    return line.get(pos..pos + d.len()).map(clip).or_else(|| Some(clip(d)));
                }
            }
            for cue in ["school district", "public schools", "independent school district"] {
                if let Some(pos) = folded.find(cue) {
                    let end = pos + cue.len();
                    let start = folded[..pos].rfind(['-', ',', '|']).map_or(0, |i| i + 1);
                    if let Some(v) = line.get(start..end) {
                        return Some(clip(v.trim()));
                    }
                }
            }
        }
        None
    };
    let letterhead_person = || -> Option<String> {
        for line in zone.iter().take(6) {
            let f = fold(line);
            if ["ph.d.", "psy.d.", "m.d.", "phd", "psyd"]
                .iter()
                .any(|c| f.contains(c))
            {
                let name = line
                    .split("  ")
                    .next()
                    .unwrap_or(line)
                    .split(" - ")
                    .next()
                    .unwrap_or(line);
                return Some(clip(name.trim()));
            }
        }
        None
    };
    let meta_author = || {
        input
            .meta
            .get("author")
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|a| {
                let f = fold(a);
                !f.is_empty()
                    && ![
                        "user",
                        "owner",
                        "admin",
                        "administrator",
                        "seis",
                        "windows user",
                        "microsoft office user",
                    ]
                    .contains(&f.as_str())
            })
            .map(clip)
    };
    match kind {
        "parent_letter" | "district_letter" | "medical" => signature().or_else(district).or_else(meta_author),
        "evaluation" => labelled(&[
            "evaluator:",
            "examiner:",
            "school psychologist:",
            "psychologist:",
            "prepared by:",
        ])
        .or_else(district)
        .or_else(meta_author),
        "iee" => letterhead_person()
            .or_else(|| labelled(&["evaluator:", "examiner:", "prepared by:"]))
            .or_else(meta_author),
        "other" | "meeting_notes" | "work_sample" => meta_author().or_else(signature).or_else(district),
        _ => district()
            .or_else(|| labelled(&["prepared by:", "case manager:"]))
            .or_else(meta_author),
    }
}
