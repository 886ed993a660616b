//! Which documents a binder holds: for a due-process binder every document; for a state
//! complaint those of the one-year window; for mediation a working set (the current IEPs, the
//! latest evaluations and progress reports, notices and letters). Pure: catalog rows in, rows out.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::{LeftOut, Purpose, Settings};
use crate::catalog::DocRow;
use crate::classify::tags::{MEDIATION, WORK_PRODUCT};

/// A message kept only in the mailbox's Trash, with nothing that ties it to the case: no other
/// mailbox label (Inbox, Sent, Starred, a label of the family's) and no tag of a service or a
/// request.
fn trash_only_junk(r: &DocRow) -> bool {
    if r.format != "email" || !r.tags.iter().any(|t| t == "trash") {
        return false;
    }
    r.tags.iter().all(|t| {
        matches!(
            t.as_str(),
            "trash" | "archived" | "opened" | "unread" | "important"
        ) || t.starts_with("category-")
            || (t.starts_with("sy") && t[2..].chars().all(|c| c.is_ascii_digit() || c == '-'))
    })
}

/// The documents for this purpose, and those left out with the reason.
pub fn select(rows: Vec<DocRow>, s: &Settings, query_given: bool) -> (Vec<DocRow>, Vec<LeftOut>) {
    let mut chosen = Vec::new();
    let mut left = Vec::new();
    let mut out = |r: &DocRow, reason: String| {
        left.push(LeftOut {
            locator: r.path.clone(),
            reason,
        })
    };
    let date_of = |r: &DocRow| r.date.as_deref().and_then(|d| crate::day::parse(d).ok());
    // E-mails left out take their attachments with them, unless an attachment is chosen itself
    // (by the query).
    let excluded_emails: HashSet<i64> = rows
        .iter()
        .filter(|r| r.excluded && r.format == "email")
        .map(|r| r.id)
        .collect();
    let only_attached = |r: &DocRow| !r.locations.is_empty() && r.locations.iter().all(|l| l.contains("::"));
    let mut candidates = Vec::new();
    for r in rows {
        if r.excluded {
            out(&r, "left out of binders on purpose (set --exclude)".into());
        } else if !query_given
            && only_attached(&r)
            && r.parent_ids.iter().any(|p| excluded_emails.contains(p))
        {
            out(&r, "attached to an e-mail that is left out of binders".into());
        } else if let Some(d) = date_of(&r).filter(|d| *d > s.date) {
            out(&r, format!("dated {d}, after the binder's date ({})", s.date));
        } else if !query_given && r.tags.iter().any(|t| t == WORK_PRODUCT) {
            out(
                &r,
                "the family's own working paper (a timeline, questions or a draft): work product, not evidence; name it in the query to include it".into(),
            );
        } else if !query_given && r.format == "email" && r.tags.iter().any(|t| t == "spam") {
            out(
                &r,
                "a message the mailbox filed as spam: not evidence; name it in the query to include it"
                    .into(),
            );
        } else if !query_given && trash_only_junk(&r) {
            out(
                &r,
                "a message only in the mailbox's Trash, about nothing in the case; name it in the query to include it".into(),
            );
        } else if !query_given
            && r.kind.as_deref() == Some("meeting_notes")
            && r.tags.iter().any(|t| t == MEDIATION)
        {
            out(
                &r,
                "notes of a mediation session: what is said in mediation may not be used as evidence in a later hearing (34 CFR 300.506(b)(6)); name it in the query to include it".into(),
            );
        } else if let Some(d) = r.duplicate_of {
            out(&r, format!("the same document as {d}, which is included once"));
        } else if r.status == "unsupported" {
            out(
                &r,
                "casebinder cannot read or draw this kind of file; save it as PDF to include it".into(),
            );
        } else {
            candidates.push(r);
        }
    }
    if query_given || s.purpose == Purpose::DueProcess {
        return (candidates, left);
    }
    if let Some((from, to)) = s.window() {
        for r in candidates {
            match date_of(&r) {
                Some(d) if d >= from && d <= to => chosen.push(r),
                // What a complaint's allegation cites (the IEP whose review was missed).
                _ if s.cited.contains(&r.sha256) => chosen.push(r),
                Some(_) => out(&r, format!("dated outside the one-year window ({from} to {to})")),
                None => out(
                    &r,
                    "undated: give it a date (casebinder set ID --date …) to include it".into(),
                ),
            }
        }
        return (chosen, left);
    }
    // Mediation: a working set. The current and prior IEP (and amendments since), the latest
    // evaluations, the latest school year's progress reports and discipline records, and the
    // notices and letters.
    let latest = |kinds: &[&str]| {
        candidates
            .iter()
            .filter(|r| r.kind.as_deref().is_some_and(|k| kinds.contains(&k)))
            .filter_map(date_of)
            .max()
    };
    let iep_dates: Vec<NaiveDate> = {
        let mut v: Vec<NaiveDate> = candidates
            .iter()
            .filter(|r| r.kind.as_deref() == Some("iep"))
            .filter_map(date_of)
            .collect();
        v.sort();
        v
    };
    let prior_iep = iep_dates
        .len()
        .checked_sub(2)
        .and_then(|i| iep_dates.get(i))
        .copied();
    let latest_eval = latest(&["evaluation", "iee", "eligibility", "fba"]);
    let latest_progress = latest(&["progress_report", "report_card", "service_log"]);
    let latest_discipline = latest(&["discipline"]);
    for r in candidates {
        let kind = r.kind.clone().unwrap_or_default();
        let d = date_of(&r);
        let keep = match kind.as_str() {
            "iep" | "iep_amendment" => match (d, prior_iep.or(iep_dates.first().copied())) {
                (Some(d), Some(p)) => d >= p,
                (Some(_), None) => true,
                _ => false,
            },
            "evaluation" | "iee" | "eligibility" | "fba" | "bip" | "plan_504" => {
                matches!((d, latest_eval), (Some(d), Some(l)) if (l - d).num_days() <= 3 * 365)
            }
            "progress_report" | "report_card" | "service_log" => {
                matches!((d, latest_progress), (Some(d), Some(l)) if (l - d).num_days() <= 365)
            }
            // The latest year's incidents: the data a mediator asks for when behavior is at issue.
            "discipline" => {
                matches!((d, latest_discipline), (Some(d), Some(l)) if (l - d).num_days() <= 365)
            }
            "prior_written_notice"
            | "parent_letter"
            | "district_letter"
            | "medical"
            | "mediation_request" => true,
            _ => false,
        };
        if keep || s.cited.contains(&r.sha256) {
            chosen.push(r);
        } else {
            out(
                &r,
                "not part of a mediation working set (name it in the query to add it)".into(),
            );
        }
    }
    (chosen, left)
}
