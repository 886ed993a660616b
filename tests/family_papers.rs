//! The family's own papers are not evidence, whatever their shape (issue 21, class 6): a
//! timeline or a summary written for the advocate, a list of questions, the family's notes of a
//! mediation session, a message the mailbox filed as spam or left only in its Trash. Default
//! binders leave each of them out and say why in the manifest; notes of IEP meetings and a signed
//! mediation agreement stay in.
//!
//! The second family (fixtures/second-family) is copied and given papers of these classes in
//! wording of their own, the way another family would write them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;
use std::path::Path;

use common::*;
use serde_json::Value;

const MEDIATION_NOTES: &str = "Mediation — what happened (April 2, 2025)\n\n\
Mediator was Ruth Okafor from the state office. Marco and I sat in one room, the district in the other.\n\
The district first offered 30 minutes a week of OT and nothing on the IEE.\n\
I said we cannot agree without the independent evaluation. The mediator went back and forth twice.\n\
By 3 pm they agreed to pay for the IEE and to meet again in May.\n";

const MEDIATION_AGREEMENT: &str = "MEDIATION AGREEMENT\n\
Cedar Valley School District and the parents of Theo Nakamura\n\n\
The parties met in mediation on April 2, 2025 and agree as follows:\n\
1. The District will fund an independent educational evaluation by a qualified examiner chosen by the parents.\n\
2. The IEP team will meet within 30 days of receiving the report.\n\
This agreement is legally binding and enforceable in any state or federal court.\n\
Discussions that occurred during the mediation process are confidential and may not be used as evidence.\n\n\
Signed: Lena Nakamura, parent    Date: April 2, 2025\n\
Signed: Dana Whitfield, Director of Student Services    Date: April 2, 2025\n";

const IEP_NOTES: &str = "IEP meeting 3/20/2025 - my notes\n\n\
Ms. Alvarez, Mr. Grant (principal) and the OT were there. We went over the goals.\n\
They want to cut reading support to 2 days. I disagreed and asked for data.\n\
Next meeting will be after the reevaluation.\n";

const SUMMARY: &str = "# Summary for our advocate\n\n\
Theo has had an IEP since 2022. Since then the school has cut his OT twice and never answered our IEE request in writing.\n\n\
What we want: OT back to 60 minutes, the IEE paid for, and a reading specialist.\n\n\
Things to bring up: the suspension in December, the missing progress reports, the records we asked for.\n";

const MAILBOX: &str = "From MAILER-DAEMON Mon Jan 06 10:00:00 2025\n\
X-Gmail-Labels: Spam\n\
From: Deals Today <offers@deals.example>\n\
To: lena.nakamura@example.com\n\
Subject: You won a free cruise\n\
Date: Mon, 06 Jan 2025 10:00:00 -0800\n\
Message-ID: <spam-1@deals.example>\n\
\n\
Click here to claim your prize before it expires.\n\
\n\
From MAILER-DAEMON Tue Jan 07 10:00:00 2025\n\
X-Gmail-Labels: Trash\n\
From: Garden Club <news@garden.example>\n\
To: lena.nakamura@example.com\n\
Subject: Spring bulbs are here\n\
Date: Tue, 07 Jan 2025 10:00:00 -0800\n\
Message-ID: <junk-1@garden.example>\n\
\n\
Our spring catalog is out. Tulips, daffodils and more.\n\
\n\
From MAILER-DAEMON Wed Jan 08 10:00:00 2025\n\
X-Gmail-Labels: Inbox,School\n\
From: Dana Whitfield <dwhitfield@cedarvalley.k12.example>\n\
To: lena.nakamura@example.com\n\
Subject: Reevaluation report ready\n\
Date: Wed, 08 Jan 2025 10:00:00 -0800\n\
Message-ID: <cv-1@cedarvalley.k12.example>\n\
\n\
Dear Ms. Nakamura,\n\
Theo's reevaluation report is ready. Please let us know when you can meet to review it.\n\
Dana Whitfield, Director of Student Services\n";

fn case() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    copy_dir(
        &repo_root().join("fixtures").join("second-family").join("case"),
        &case,
    );
    let put = |rel: &str, text: &str| {
        let p = case.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    };
    put("my notes/mediation day.txt", MEDIATION_NOTES);
    put("2024-25/Mediation agreement.txt", MEDIATION_AGREEMENT);
    put("my notes/IEP meeting March 2025.txt", IEP_NOTES);
    put("my notes/summary for advocate.md", SUMMARY);
    put("email/Takeout/All mail Including Spam and Trash.mbox", MAILBOX);
    run_ok(&case, &["init", "--name", "Theo Nakamura"]);
    run_ok(&case, &["scan"]);
    (tmp, case)
}

fn by_locator<'a>(docs: &'a [Value], loc: &str) -> &'a Value {
    doc(docs, loc)
}

fn tags(d: &Value) -> Vec<&str> {
    d["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect()
}

fn binder(case: &Path, purpose: &str) -> Value {
    let out = format!("{purpose}.pdf");
    run_ok(
        case,
        &[
            "binder",
            "--purpose",
            purpose,
            "--date",
            "2025-06-01",
            "--out",
            &out,
        ],
    );
    manifest(&case.join(out))
}

#[test]
fn the_familys_own_papers_are_known_and_left_out_of_binders() {
    let (_tmp, case) = case();
    let docs = list(&case);
    let notes = by_locator(&docs, "my notes/mediation day.txt");
    assert_eq!(notes["kind"], "meeting_notes", "{notes}");
    assert!(tags(notes).contains(&"mediation"), "{notes}");
    let agreement = by_locator(&docs, "2024-25/Mediation agreement.txt");
    assert_eq!(agreement["kind"], "mediation_agreement");
    assert!(!tags(agreement).contains(&"mediation"));
    let iep_notes = by_locator(&docs, "my notes/IEP meeting March 2025.txt");
    assert_eq!(iep_notes["kind"], "meeting_notes");
    assert!(!tags(iep_notes).contains(&"mediation") && !tags(iep_notes).contains(&"work-product"));
    for own in [
        "my notes/summary for advocate.md",
        "my notes/timeline for advocate.md",
        "my notes/Questions for IEP 2025.txt",
    ] {
        assert!(tags(by_locator(&docs, own)).contains(&"work-product"), "{own}");
    }

    for purpose in ["due-process", "state-complaint"] {
        let m = binder(&case, purpose);
        let exhibits: Vec<&str> = m["exhibits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["locator"].as_str().unwrap())
            .collect();
        let left: Vec<(&str, &str)> = m["left_out"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["locator"].as_str().unwrap(), l["reason"].as_str().unwrap()))
            .collect();
        let reason = |loc: &str| left.iter().find(|(l, _)| *l == loc).map(|(_, r)| *r);
        let mbox = "email/Takeout/All mail Including Spam and Trash.mbox";
        for (loc, why) in [
            ("my notes/mediation day.txt", "300.506(b)(6)"),
            ("my notes/summary for advocate.md", "work product"),
            ("my notes/timeline for advocate.md", "work product"),
            ("my notes/Questions for IEP 2025.txt", "work product"),
            (&format!("{mbox}#0"), "spam"),
            (&format!("{mbox}#1"), "Trash"),
        ] {
            assert!(!exhibits.contains(&loc), "{purpose}: {loc} is an exhibit");
            let r =
                reason(loc).unwrap_or_else(|| panic!("{purpose}: {loc} is not named as left out: {left:?}"));
            assert!(r.contains(why), "{purpose}: {loc}: {r}");
        }
        for loc in [
            "2024-25/Mediation agreement.txt",
            "my notes/IEP meeting March 2025.txt",
            &format!("{mbox}#2"),
        ] {
            assert!(
                exhibits.contains(&loc),
                "{purpose}: {loc} is not an exhibit ({:?})",
                reason(loc)
            );
        }
    }
    // Named in the query, a left-out paper is included: the family decides.
    run_ok(
        &case,
        &[
            "binder",
            "tag:mediation",
            "--date",
            "2025-06-01",
            "--out",
            "chosen.pdf",
        ],
    );
    let m = manifest(&case.join("chosen.pdf"));
    assert!(
        m["exhibits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["locator"] == "my notes/mediation day.txt")
    );
}
