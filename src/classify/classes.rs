//! Regression tests, one per class of error seen on folders nobody here wrote (the accuracy
//! issue's list). Each test is written for the class, with wording of its own, not for the file
//! where the class was seen.

use super::*;
use crate::layout::{PageLayout, Rect};

fn run_in(text: &str, name: &str, format: &str, settings: &Settings) -> Classification {
    classify_text(text, name, format, settings)
}

fn run(text: &str, name: &str) -> Classification {
    run_in(text, name, "pdf", &Settings::default())
}

/// A page laid out from (text, x0, y0, x1, y1) cells, one per line, in the order given.
fn laid_out(cells: &[(&str, f32, f32, f32, f32)], name: &str) -> Classification {
    let pages = vec![cells.iter().map(|c| c.0).collect::<Vec<_>>().join("\n")];
    let layout = vec![Some(PageLayout {
        width: 612.0,
        height: 792.0,
        lines: cells
            .iter()
            .map(|c| Rect {
                x0: c.1,
                y0: c.2,
                x1: c.3,
                y1: c.4,
            })
            .collect(),
    })];
    let meta = serde_json::json!({});
    classify(
        &Input {
            format: "pdf",
            pages: &pages,
            layout: &layout,
            ocr: false,
            file_name: name,
            meta: &meta,
            parent_email_date: None,
        },
        &Settings::default(),
    )
}

fn role_of<'a>(c: &'a Classification, date: &str) -> Vec<&'a str> {
    c.candidates
        .iter()
        .filter(|d| d.date == date)
        .map(|d| d.role.as_str())
        .collect()
}

#[test]
fn class_1_a_date_quoted_from_another_document_never_wins() {
    let c = run(
        "Westbrook Public Schools\nDate: 04/02/2024\nDear Mr. Osei,\n\
         Thank you for your note. As the neurologist's letter dated 01/22/2024 explains, Kofi needs breaks.\n\
         The team reviewed the BIP dated 11/03/2023 and the IEP of 10/10/2023.\n\
         I have not seen a progress report since 12/15/2023, and the report is dated 02/14/2024.\n\
         Sincerely,\nDana Wu, Special Education Coordinator",
        "reply.pdf",
    );
    assert_eq!(c.date.as_deref(), Some("2024-04-02"), "{:#?}", c.candidates);
    for quoted in [
        "2024-01-22",
        "2023-11-03",
        "2023-10-10",
        "2023-12-15",
        "2024-02-14",
    ] {
        assert_eq!(role_of(&c, quoted), vec!["reference"], "{quoted}");
    }
    // A notice's list of records reviewed names other papers' dates.
    let n = run(
        "Prior Written Notice\nDate of Notice: 05/20/2024\nRecords used:\n• Evaluation report dated 03/15/2024\n- IEP 10/10/2023\n",
        "pwn.pdf",
    );
    assert_eq!(n.date.as_deref(), Some("2024-05-20"));
    assert_eq!(role_of(&n, "2024-03-15"), vec!["reference"]);
}

#[test]
fn class_2_a_label_and_its_value_in_different_cells_pair_up_and_supports_add_up() {
    // The label in one cell, its date in the next: pdftotext puts another cell between them.
    let c = laid_out(
        &[
            ("INDIVIDUALIZED EDUCATION PROGRAM", 150.0, 40.0, 460.0, 55.0),
            ("Date of IEP Meeting:", 40.0, 80.0, 150.0, 90.0),
            ("Student:", 320.0, 80.0, 370.0, 90.0),
            ("Ana Ruiz", 380.0, 80.0, 440.0, 90.0),
            ("03/07/2024", 160.0, 80.0, 215.0, 90.0),
        ],
        "scan 17.pdf",
    );
    assert_eq!(c.date.as_deref(), Some("2024-03-07"), "{:#?}", c.candidates);
    assert!(c.date_why.contains("beside it"), "{}", c.date_why);
    // A header box: the caption above, the value below.
    let b = laid_out(
        &[
            ("NOTICE OF MEETING", 200.0, 40.0, 400.0, 55.0),
            ("DATE OF NOTICE", 40.0, 80.0, 110.0, 86.0),
            ("04/16/2024", 40.0, 92.0, 100.0, 104.0),
        ],
        "n.pdf",
    );
    assert_eq!(b.date.as_deref(), Some("2024-04-16"), "{:#?}", b.candidates);
    // The same date as file name, signature and in the text adds up against a lone generic field.
    let s = run(
        "Meeting summary\nDate: 01/09/2024\nWe discussed the goals set on 02/05/2024 and met again on 02/05/2024.\nSigned: J. Park  Date signed: 02/05/2024",
        "2024-02-05 notes.pdf",
    );
    assert_eq!(s.date.as_deref(), Some("2024-02-05"), "{:#?}", s.candidates);
}

#[test]
fn class_3_review_due_and_header_dates_are_event_dates() {
    let b = run(
        "Behavior Intervention Plan\nDate of Plan: 09/12/2023\nBIP Review Date: 01/12/2024\nReplacement behavior: ask for a break",
        "bip.pdf",
    );
    assert_eq!(b.date.as_deref(), Some("2023-09-12"));
    assert_eq!(role_of(&b, "2024-01-12"), vec!["event"]);
    // A fax header a day later, with its time, is not the letter's date.
    let f = run(
        "OCT-06-2023 08:41  FROM: RIVERSIDE SPED  P.1/2\nRiverside Unified School District\nOctober 5, 2023\nDear Ms. Kaur,\nWe write about the schedule.\nSincerely,\nT. Lam, Director",
        "fax.pdf",
    );
    assert_eq!(f.date.as_deref(), Some("2023-10-05"), "{:#?}", f.candidates);
    // "IEP Date:" on a progress report names the IEP's date, not the report's.
    let p = run(
        "IEP Progress Report\nIEP Date: 10/02/2023\nStudent: Sam Cole\nDate: 01/26/2024\nGoal 1: sufficient progress",
        "pr.pdf",
    );
    assert_eq!(p.date.as_deref(), Some("2024-01-26"), "{:#?}", p.candidates);
}

#[test]
fn class_4_titles_come_from_the_heading_never_letterhead_bullets_or_list_items() {
    let c = run(
        "Special Education Department | 45 Mill Road, Avon, OH 44011 | (440) 555-0142\nPrior Written Notice\nDate of Notice: 02/02/2024\n• Provided the parents with required procedural safeguards notices\n3. annual IEP before the end of the year",
        "x.pdf",
    );
    assert_eq!(c.kind, "prior_written_notice");
    assert_eq!(c.title.as_deref(), Some("Prior Written Notice"));
    let i = run(
        "Avon Local Schools\nINDIVIDUALIZED EDUCATION PROGRAM\nMeeting Date: 01/16/2023\n[X] Annual Review [ ] Initial\nPresent levels of academic achievement and functional performance",
        "x.pdf",
    );
    assert_eq!(i.title.as_deref(), Some("IEP — annual review, 2023-01-16"));
    // A list item does not decide the kind either.
    let l = run(
        "Notes for the advocate\n- 3. annual IEP before May\n• Prior written notice never came",
        "x.txt",
    );
    assert_ne!(l.kind, "iep");
    assert_ne!(l.kind, "prior_written_notice");
}

#[test]
fn class_5_real_forms_own_titles_decide_the_kind() {
    let cases = [
        (
            "Team Evaluation Summary Report and Written Prior Notice of Eligibility Determination",
            "eligibility",
        ),
        // AZ, DE and MA print "Evaluation Summary Report" on the team's eligibility paper.
        ("Evaluation Summary Report", "eligibility"),
        ("Academic Observation Report", "evaluation"),
        ("Notice of Meeting", "meeting_notice"),
        (
            "Written Prior Notice of Change of Placement",
            "prior_written_notice",
        ),
        ("Revocation of Consent for Special Education Services", "consent"),
        ("Consent for Disclosure of Student Records", "consent"),
        ("Authorization for Release of Information", "consent"),
        ("Notice/Consent for Formal Individual Evaluation", "consent"),
        ("Periodic Report on Progress", "progress_report"),
    ];
    for (title, kind) in cases {
        // Body words of other kinds (an IEP's, a consent's) cannot overrule the heading.
        let text = format!(
            "{title}\nStudent: ______  Date: ______\nThe IEP team reviewed the individualized education program, \
             the consent, the evaluation and the present levels of academic achievement and functional performance."
        );
        assert_eq!(run(&text, "form.pdf").kind, kind, "{title}");
    }
    // A state complaint decision that mentions section 504 is a decision.
    let d = run(
        "IDEA Complaint Decision 19-042\nOn May 1, 2019 the department received a complaint. This decision does not address section 504.",
        "d.txt",
    );
    assert_eq!(d.kind, "decision");
    // A complaint about missing consent is a complaint, not a consent.
    let s = run(
        "Formal Complaint\nTo the State Department of Education\nThe district tested my son without my consent. Consent was never signed.",
        "c.txt",
    );
    assert_eq!(s.kind, "state_complaint");
}

#[test]
fn class_6_district_form_letters_are_the_districts() {
    let c = run(
        "March 3, 2024\nDear Parent/Guardian of Lee Park:\nThis letter is to let you know that your child's reevaluation is due. \
         Please sign and return the enclosed form.\nSincerely,\nM. Gold\nSchool Psychologist",
        "letter.pdf",
    );
    assert_eq!(c.kind, "district_letter", "{:?}", c.cues);
    let p = run(
        "March 3, 2024\nDear Ms. Gold,\nI am writing about my daughter Lee. I request a copy of her file.\nSincerely,\nJin Park",
        "letter.pdf",
    );
    assert_eq!(p.kind, "parent_letter", "{:?}", p.cues);
}

#[test]
fn class_7_a_parents_notes_timelines_and_questions() {
    let text = |t: &str, name: &str| run_in(t, name, "text", &Settings::default());
    let n = text(
        "IEP mtg 2/3/22 - notes\n- they said no to OT\n- next meeting in May",
        "notes.txt",
    );
    assert_eq!(n.kind, "meeting_notes");
    assert_eq!(n.date.as_deref(), Some("2022-02-03"));
    let call = text(
        "Spoke with Mr. Diaz today, March 4, 2024\nI asked about the speech minutes. He said he'd check.",
        "call.txt",
    );
    assert_eq!(call.kind, "meeting_notes");
    let t = text(
        "What happened\n09/01/2021 asked for an evaluation\n10/06/2021 signed assessment plan\n12/01/2021 eval meeting\n01/05/2022 IEP",
        "timeline.md",
    );
    assert_eq!(t.kind, "other");
    assert_eq!(t.date, None, "a timeline has no date of its own");
    let q = text(
        "Questions for IEP\nWhy no OT?\nWho writes the goals?\nCan he have a keyboard?\nWhen is the next meeting?",
        "questions.txt",
    );
    assert_eq!(q.kind, "other");
}

#[test]
fn class_8_decisions_complaint_reports_and_service_logs_are_kinds() {
    let d = run(
        "BEFORE THE OFFICE OF ADMINISTRATIVE HEARINGS\nIn the Matter of:\nPARENT ON BEHALF OF STUDENT,\nv.\nHILLTOP SCHOOL DISTRICT.\nCase No. 2024-0113\nDECISION\nThe hearing was held on March 4, 2024.",
        "d.pdf",
    );
    assert_eq!(d.kind, "decision");
    let r = run(
        "Complaint Investigation Report\nComplaint No. 23-77\nFindings of fact\nCorrective action",
        "r.pdf",
    );
    assert_eq!(r.kind, "decision");
    let l = run(
        "Speech Therapy Service Log\nDate Minutes Provider\n09/05/2023 30 K. Lane\n09/12/2023 0 missed",
        "log.pdf",
    );
    assert_eq!(l.kind, "service_log");
    assert!(kinds::KINDS.contains(&"decision") && kinds::KINDS.contains(&"service_log"));
}

/// Issue 21, class 7: dates quoted from law or rules are not events of the case.
#[test]
fn class_7_dates_quoted_from_rules_are_not_events() {
    let booklet = run(
        "Notice of Procedural Safeguards\nRights of Parents of Children with Disabilities\n\
         These rights are explained in the federal regulations effective October 13, 2006, and in State rules.\n\
         You may request mediation at any time.",
        "rights.pdf",
    );
    assert_eq!(booklet.kind, "procedural_safeguards");
    assert!(booklet.events.is_empty(), "{:?}", booklet.events);
    let consent = run(
        "Consent for Initial Evaluation\nStudent: ______  Date: ______\n\
         When the district receives this consent, the 60-day timeline ends on the date the evaluation is complete; \
         for this referral it ends on March 30, 2024.\nParent signature ______",
        "consent.pdf",
    );
    assert_eq!(consent.kind, "consent");
    assert!(
        consent
            .events
            .iter()
            .all(|e| e.event != "iep_end" && e.event != "iep_start"),
        "{:?}",
        consent.events
    );
    // An IEP's own fields still are.
    let iep = run(
        "Individualized Education Program\nIEP Meeting Date: 10/04/2022\nIEP Start Date: 10/05/2022\nIEP End Date: 10/03/2023",
        "iep.pdf",
    );
    assert!(
        iep.events
            .iter()
            .any(|e| e.event == "iep_start" && e.date == "2022-10-05")
    );
    assert!(
        iep.events
            .iter()
            .any(|e| e.event == "iep_end" && e.date == "2023-10-03")
    );
}

/// Issue 21, class 8: an IEE is funded only by words that fund it, and a parent's IEE request
/// that names the district's duty to "file for due process" is the parent's letter.
#[test]
fn class_8_only_funding_words_fund_an_iee() {
    let settings = Settings {
        districts: vec!["lakeside unified school district".into()],
        ..Settings::default()
    };
    let vague = run_in(
        "Lakeside Unified School District\nMarch 3, 2024\nDear Mr. and Mrs. Rivera,\n\
         The district has approved your request for a meeting on March 20. We received your letter about an \
         independent educational evaluation and will respond after the meeting.\nSincerely,\nMargaret Hale, Director",
        "letter.pdf",
        "pdf",
        &settings,
    );
    assert_eq!(vague.kind, "district_letter");
    assert!(
        !vague.tags.contains(&"iee-funded".to_string()),
        "{:?}",
        vague.tag_cues
    );
    let funds = run_in(
        "Lakeside Unified School District\nMarch 28, 2024\nDear Mr. and Mrs. Rivera,\n\
         After reviewing your request, the district agrees to fund an independent educational evaluation by an examiner you choose.\n\
         Sincerely,\nMargaret Hale, Director",
        "letter.pdf",
        "pdf",
        &settings,
    );
    assert!(
        funds.tags.contains(&"iee-funded".to_string()),
        "{:?}",
        funds.tag_cues
    );
    let ask = run_in(
        "Ana Rivera\n55 Willow Lane\nMay 2, 2024\nDear Director,\n\
         I disagree with the district's evaluation of my daughter and I am requesting an independent educational \
         evaluation at public expense. Under 34 CFR 300.502 the district must either pay for it or file for due \
         process to show its evaluation is appropriate.\nSincerely,\nAna Rivera",
        "iee request.docx",
        "docx",
        &settings,
    );
    assert_eq!(ask.kind, "parent_letter", "{:?}", ask.cues);
    assert!(ask.tags.contains(&"iee-request".to_string()), "{:?}", ask.tags);
}

/// Issue 21, class 4: a label that names the document's own date wins over the end of a range
/// printed on the same line ("Testing Window: April 15 - May 17, 2024 Report Date: August 1, 2024").
#[test]
fn class_4b_a_labelled_own_date_beats_a_range_on_its_line() {
    for text in [
        "Psychoeducational Evaluation Report\nStudent: Kim Lee\nTesting Window: April 15 - May 17, 2024 Report Date: August 1, 2024\nReason for Referral",
        "Speech-Language Evaluation\nDates of Testing: 3/4/2024 - 3/18/2024    Date of Report: 4/2/2024\nTests Administered: CELF-5",
        "Evaluation Report\nAssessment period: January 8 through February 2, 2024; report completed February 20, 2024.\nReason for Referral",
    ] {
        let c = run(text, "report.pdf");
        assert_eq!(c.kind, "evaluation", "{text}");
        let want = if text.contains("August") {
            "2024-08-01"
        } else if text.contains("4/2/2024") {
            "2024-04-02"
        } else {
            "2024-02-20"
        };
        assert_eq!(c.date.as_deref(), Some(want), "{text}\n{:#?}", c.candidates);
    }
}

/// Issue 21, classes 1 and 2: other states' and vendors' titles, under a form's label lines and
/// its code in a corner.
#[test]
fn class_1_titles_in_other_words_under_label_lines_and_codes() {
    let cases = [
        (
            "Written Prior Notice of Change of Placement",
            "prior_written_notice",
        ),
        ("Amendment to IEP", "iep_amendment"),
        ("BEHAVIOR INTERVENTION PLAN", "bip"),
        ("Release of Student Records", "consent"),
        ("Consent for Agency Invitation to Transition Meeting", "consent"),
        (
            "Notice of Rights of Students and Parents under Section 504",
            "procedural_safeguards",
        ),
        (
            "Notice to Parents and Students Regarding Age of Majority Rights",
            "procedural_safeguards",
        ),
        (
            "Notice of Section 504 Meeting to Review Evaluation Results",
            "meeting_notice",
        ),
        ("Student Transfer Checklist", "other"),
        ("Referral for Special Education Evaluation", "other"),
    ];
    for (title, kind) in cases {
        for text in [
            format!(
                "Student Name ______________________ Date __________\nSpEd 7b 09.14\n{title}\nGrade ____ School ____________\nThe team will consider the following."
            ),
            format!(
                "Date\nStudent Name\n{}\nDOB\nThe team will consider the following.",
                title.to_uppercase()
            ),
        ] {
            let c = run(&text, "form 12.pdf");
            assert_eq!(c.kind, kind, "{text}\n{:?}", c.cues);
            let t = c.title.unwrap_or_default().to_lowercase();
            assert!(
                !matches!(t.as_str(), "date" | "student name" | "dob" | "sped 7b 09.14"),
                "the title is a label: {t}"
            );
        }
    }
}

/// Issue 21, class 3: what the paper is (a letter from the parent) comes before what it talks
/// about (an IEE, a prior written notice, due process, a principal in its copies).
#[test]
fn class_3b_a_letters_form_comes_before_its_topic() {
    let cases = [
        (
            "Sample Letter: Requesting an Independent Educational Evaluation\n[Date]\n[Your Name]\n[Address]\n\
             Dear [Director of Special Education],\nI am the parent of [child's name]. I disagree with the school's \
             evaluation and I request an independent educational evaluation at public expense.\nSincerely,\n[Your Name]",
            "parent_letter",
        ),
        (
            "June 3, 2024\nDear Ms. Grant,\nRe: your prior written notice of May 20\nI received the prior written notice \
             about my son's speech services. I do not agree that his minutes should be cut and I ask for a meeting.\n\
             Sincerely,\nKeisha Moore",
            "parent_letter",
        ),
        (
            "Ten-Day Written Notice of Unilateral Placement\nAugust 12, 2024\nDear Dr. Patel, Director of Special Education:\n\
             This is our ten-day written notice. We reject the placement offered in the IEP and intend to enroll our \
             daughter at Brookside Academy at public expense.\nSincerely,\nDavid and Ruth Cohen",
            "parent_letter",
        ),
        (
            "Sam Ortega\n12 Pine Road\nSeptember 9, 2024\nDear Mrs. Lee,\nI am writing to request a full evaluation of my \
             son for special education. He is failing reading.\nSincerely,\nSam Ortega\ncc: Mr. Hall, Principal",
            "parent_letter",
        ),
    ];
    for (text, kind) in cases {
        let c = run(text, "letter.docx");
        assert_eq!(c.kind, kind, "{text}\n{:?}", c.cues);
    }
}

/// Courts' and agencies' papers, as case-law and agency sites keep them: a case citation or a
/// court's caption over a complaint's name is a decision, dated when it was decided (not argued),
/// or on the day it was signed; an agency's letter of findings is a decision.
#[test]
fn class_5b_court_and_agency_papers() {
    let opinion = run(
        "Doe v. Hillside Sch. Dist., No. 19-2211 (4th Cir. 2020)\nAnnotate this Case\n\
         Argued: March 3, 2020\nDecided: June 9, 2020\nBefore the panel. The parents appeal the district court's judgment.",
        "opinion.txt",
    );
    assert_eq!(opinion.kind, "decision", "{:?}", opinion.cues);
    assert_eq!(
        opinion.date.as_deref(),
        Some("2020-06-09"),
        "{:#?}",
        opinion.candidates
    );
    let court = run(
        "In re Special Education Complaint 21-114C\nCourt of Appeals of Minnesota\nA21-0456\n\
         The school district appeals the department's decision on a special education complaint. We affirm.\n\
         Dated this 14th day of March, 2022.",
        "appeal.txt",
    );
    assert_eq!(court.kind, "decision", "{:?}", court.cues);
    assert_eq!(
        court.date.as_deref(),
        Some("2022-03-14"),
        "{:#?}",
        court.candidates
    );
    let ocr = run(
        "U.S. Department of Education, Office for Civil Rights, Region IV\nMay 2, 2019\nRE: OCR Complaint No. 04-18-1234\n\
         Dear Superintendent Ames: This letter is to notify you of the disposition of the above-referenced complaint. \
         Based on its investigation, OCR makes the following findings.",
        "ocr.txt",
    );
    assert_eq!(ocr.kind, "decision", "{:?}", ocr.cues);
}

/// Issue 21, class 3: a letter's heading that names its topic ("Letter Re: Prior Written
/// Notice") is a letter; a general report heading over an FBA's parts is the FBA; an evaluation
/// without a report date is dated by its last day of testing.
#[test]
fn class_3c_letter_headings_fba_parts_and_testing_dates() {
    let letter = run(
        "Letter Re: Prior Written Notice of March 2\nApril 4, 2023\nDear Director,\nWe disagree with the notice refusing \
         our son's evaluation and ask you to reconsider.\nSincerely,\nTom and Ann Price",
        "letter.docx",
    );
    assert_eq!(letter.kind, "parent_letter", "{:?}", letter.cues);
    let fba = run(
        "Assessment Report\nStudent: Kevin  Grade: 7\nFunctional Behavior Assessment\nTarget behavior: leaving the classroom.\n\
         Antecedents: transitions. Operational definition of the target behavior: ... Hypothesis of behavioral function: escape.\n\
         ABC data collected over ten days.",
        "report.pdf",
    );
    assert_eq!(fba.kind, "fba", "{:?}", fba.cues);
    let eval = run(
        "Psychoeducational Evaluation\nName: Lee, Sam  Date of Birth: 02/03/2015\nDates of Testing: 09/12/2023, 09/19/2023\n\
         Tests Administered: WISC-V, WIAT-4\nReason for Referral",
        "eval.pdf",
    );
    assert_eq!(eval.date.as_deref(), Some("2023-09-19"), "{:#?}", eval.candidates);
}

/// Held-out round of 2026-12-07 (sets of district forms and of letters, decisions and pages
/// gathered by other hands): one test per class, in wording of its own.
mod december_round {
    use super::*;

    #[test]
    fn a_court_that_decides_a_complaint_writes_a_decision_not_a_complaint() {
        let opinion = "In re Special Education Complaint 19-101C ex rel. A.B.\nCourt of Appeals of the State.\n\
Opinion\nSPECIAL EDUCATION COMPLAINT 19-101C ON BEHALF OF A.B. from Lakeview ISD.\n\
Jo Fry (for relator Lakeview School District); Al Kim (for respondent State Department of Education)\n\
Considered and decided by Ames, Presiding Judge; Bell, Judge.\nOPINION\n\
In this case the parent filed a special education complaint with the state. The state complaint \
alleged the district failed to implement the IEP, and the department required compensatory services.\n";
        assert_eq!(run(opinion, "opinion.txt").kind, "decision");
        // The complaint itself, with its caption, is still the complaint.
        let complaint = "Before the State Department of Education\nPetitioner: Parent\nRespondent: Lakeview School District\n\
Special education complaint\nThe parent files this state complaint alleging the district failed to implement the IEP.\n";
        assert_eq!(run(complaint, "complaint.txt").kind, "state_complaint");
    }

    #[test]
    fn a_page_that_presents_a_letter_under_a_topic_heading_is_the_letter() {
        // A topic heading ("Consent Revocation", a real form's title), then the letter it
        // presents: the page is the family's letter, whatever its topic.
        let page = "Consent Revocation\n\nLetter to Revoke Consent for Special Education Services\n\n\
Use this if you decide to withdraw your child from special education. Understand the consequences first.\n\n\
Legal Basis\n34 CFR 300.300(b)(4): parents may revoke consent at any time.\n\nThe Letter Template\n\n\
Dear [Special Education Director],\n\nI am writing to formally revoke my consent for the continued provision of \
special education and related services for my child, [Child's Full Name].\n\nSincerely,\n[Your Name]\n";
        assert_eq!(run(page, "revoke consent letter.txt").kind, "parent_letter");
        // A heading naming a letter to someone (not what it asks) says nothing of the sort.
        let form = "Revocation of Consent for Special Education Services\nLetter to Parents\n\
Student: ________ School: ________\nI revoke my consent for special education and related services.\n\
Parent signature: ________ Date: ________\n";
        assert_eq!(run(form, "revocation.txt").kind, "consent");
    }

    #[test]
    fn a_letter_whose_date_line_leaves_the_year_blank_is_a_sample_and_undated() {
        let page = "Mon. Mar 4th, 2024\n\nAre you a parent whose child needs an evaluation? Read on.\n\n\
Ms. Gray\nDirector of Special Education\nRiver Valley School District\n\nDate: May 2, 20___\n\n\
Dear Ms. Gray:\n\nI am writing to request an independent educational evaluation of my son at public expense.\n\n\
Sincerely,\nParent\n";
        let r = run(page, "letter.txt");
        assert_eq!(r.kind, "parent_letter");
        assert_eq!(r.date, None, "{:?}", r.date);
    }

    #[test]
    fn a_web_pages_posting_stamp_never_dates_the_paper_it_shows() {
        let page = "Notice of Procedural Safeguards for Parents of Students with Disabilities\n\
Date post: 03-Feb-2021\nRevised September 2017\n\
Procedural safeguards: your rights under the Individuals with Disabilities Education Act: prior written \
notice, parental consent, independent educational evaluations, state complaints, due process.\n";
        let r = run(page, "safeguards.txt");
        assert_eq!(r.kind, "procedural_safeguards");
        assert_eq!(r.date.as_deref(), Some("2017-09-01"), "{:?}", r.date_source);
    }

    #[test]
    fn a_rule_number_in_a_file_name_is_no_date() {
        let form = "Prior Written Notice\nThe district proposes to change the student's placement.\n\
Reason for the action: the team reviewed the evaluation.\nOptions considered and rejected: none.\n";
        let r = run(form, "PWN form - ARSD 24-05-30.txt");
        assert_ne!(r.date.as_deref(), Some("2030-05-24"));
        // A month-first short date in a name still dates the paper.
        let r = run(form, "PWN 05-24-23.txt");
        assert_eq!(r.date.as_deref(), Some("2023-05-24"));
    }

    #[test]
    fn a_notice_of_rights_is_dated_by_the_edition_printed_with_its_title() {
        let booklet = "Procedural Safeguards Notice: Parent Rights in Special Education March 2021 Lakes Region Education Cooperative Table of Contents \
Prior Written Notice .......... 2 Parental Consent .......... 3\nProcedural safeguards: independent educational \
evaluation, state complaints, due process hearings, mediation.\n";
        let r = run(booklet, "rights.txt");
        assert_eq!(r.kind, "procedural_safeguards");
        assert_eq!(r.date.as_deref(), Some("2021-03-01"), "{}", r.date_why);
        // A month named in the body's sentences is no edition.
        let prose = "Notice of Procedural Safeguards\nIn March 2021 the state updated this notice of procedural \
safeguards: independent educational evaluation, state complaints, due process hearings, mediation.\n";
        assert_ne!(run(prose, "rights.txt").date.as_deref(), Some("2021-03-01"));
    }

    #[test]
    fn a_request_that_opens_with_hello_and_signs_off_is_a_letter() {
        let letter = "{{date}}\n\nTo: {{school}} Special Education Office\n\nSubject: Request for an evaluation of {{child}}\n\n\
Hello,\n\nI am requesting a full and individual evaluation of {{child}} for special education services.\n\
Please reply in writing by {{reply_by}}.\n\nSincerely,\n{{parent}}\n";
        let r = run(letter, "request.md");
        assert_eq!(r.kind, "parent_letter", "{}", r.kind_confidence_why);
    }

    #[test]
    fn a_forms_own_name_a_few_lines_down_beats_a_section_label_above_it() {
        let form = "Student\nIEP Date\nArea of Need\nMeasurable Annual Goals\nBaseline\nProgress Report\n\
Reporting period 1\nProgress code\nComment\nReporting period 2\nProgress code\nComment\n\
Codes: 1 No progress 2 Some progress 3 Goal met\n";
        let r = run(form, "goal page.pdf");
        assert_eq!(r.kind, "progress_report", "{}", r.kind_confidence_why);
        // An IEP's goals page with no other name stays the IEP's.
        let iep = "Student\nIEP Date\nArea of Need\nMeasurable Annual Goals\nBaseline\nShort-term objectives\n\
Special education services\nLeast restrictive environment\n";
        assert_eq!(run(iep, "goal page.pdf").kind, "iep");
    }

    #[test]
    fn an_agencys_answer_to_a_question_about_the_law_is_guidance_not_correspondence() {
        let letter = "U.S. Department of Education\nOffice of Special Education Programs\nMarch 3, 2016\n\
Ms. Jane Roe\n12 Elm Street\nDear Ms. Roe:\nThis is in response to your letter asking whether a district \
may require parental consent before it provides a prior written notice. You ask whether the notice may wait \
until the meeting.\nThe regulations at 34 CFR 300.503 require the notice a reasonable time before the district \
proposes or refuses an action.\nSincerely,\nDirector, Office of Special Education Programs\n";
        let r = run(letter, "letter.pdf");
        assert_eq!(r.kind, "other", "{}", r.kind_confidence_why);
        // A district's own letter to a family that answers the family is still its letter.
        let district = "Lakeview School District\nMarch 3, 2016\nDear Ms. Roe:\nThis is in response to your letter \
of February 20 about Sam's reading services. We will meet on March 10 to review them.\nSincerely,\nPat Lee, \
Director of Special Education\n";
        assert_eq!(run(district, "letter.pdf").kind, "district_letter");
    }

    #[test]
    fn a_page_headed_with_its_kind_in_the_plural_lists_papers_and_is_none_of_them() {
        let page = "Home > Dispute Resolution\nState Complaint Investigations\n\
Summaries of the complaints investigated are posted below with personally identifiable information removed.\n\
Case 21-004: Student v. Hillside School District. The hearing officer found the district denied FAPE.\n\
Case 21-009: Student v. Brook Valley Schools. The hearing officer found for the district.\n";
        let r = run(page, "page.html");
        assert_eq!(r.kind, "other", "{}", r.kind_confidence_why);
        // One decision, headed in the singular, is the decision.
        let one = "Before the Office of Administrative Hearings\nStudent v. Hillside School District\nCase No. 21-004\n\
Due Process Hearing Decision\nThe hearing officer finds that the district denied the student a FAPE.\nIT IS SO ORDERED.\n";
        assert_eq!(run(one, "decision.pdf").kind, "decision");
    }

    #[test]
    fn a_summary_of_the_case_file_for_the_advocate_is_the_familys_working_paper() {
        let summary = "RIVERS FAMILY: SPECIAL EDUCATION CASE\nCase Summary and Rights Review\nPrepared: March 4, 2025\n\
Student: Ana Rivers\n\nDOCUMENTS IN THIS CASE FILE\n1. Behavior Intervention Plan (January 2025)\n\
What it is: the behavior intervention plan the team wrote after the functional behavior assessment\n\
Key evidence: no reinforcement schedule; no crisis plan\n2. Suspension notice (February 20, 2025)\n\
What it is: the principal's notice of a five-day suspension\nKey evidence: no manifestation determination held\n";
        let r = run_in(summary, "summary.txt", "text", &Settings::default());
        assert_eq!(r.kind, "other", "{}", r.kind_confidence_why);
        assert!(
            r.tags.iter().any(|t| t == crate::classify::tags::WORK_PRODUCT),
            "{:?}",
            r.tags
        );
        assert_eq!(r.date.as_deref(), Some("2025-03-04"), "{}", r.date_why);
    }
}

/// Held-out round of 2026-12-08 (a state agency's and its districts' forms and letters; a second
/// round of decisions, letters and pages from other sources): one test per class, in wording of
/// its own, never a sample file's.
mod second_december_round {
    use super::*;

    #[test]
    fn a_note_to_families_without_a_salutation_is_the_districts_letter() {
        // It opens the way a letter does, and speaks of the family's child.
        let opening = "We are writing to let you know how your child's speech therapy will continue while \
the buildings are closed. Therapists will call each family this week to set a time for video sessions.\n";
        let r = run(opening, "note.txt");
        assert_eq!(r.kind, "district_letter", "{:?}", r.cues);
        // No closing word, but signed at its end with a name and a staff title.
        let signed = "The state review of our programs includes a short survey for families. If you have \
worked with our special education team this year, please take ten minutes to answer it.\n\nThank you!\n\n\
Rosa Delgado\nDirector of Student Services\n";
        let r = run(signed, "survey note.txt");
        assert_eq!(r.kind, "district_letter", "{:?}", r.cues);
        // A long report that ends with its writer's name and title is still the report.
        let report = format!(
            "Psychoeducational Evaluation\nName: Sam Lee   Date of Birth: 02/03/2015\nReason for Referral\n{}\n\
Rosa Delgado\nSchool Psychologist\n",
            "Sam was referred because of concerns with reading fluency and you may see the scores below. "
                .repeat(40)
        );
        assert_eq!(run(&report, "eval.txt").kind, "evaluation");
    }

    #[test]
    fn a_table_of_contents_or_a_named_publisher_makes_a_publication() {
        let manual = "District Handbook for Special Education Forms\nTable of Contents\n\
Notice of Meeting . . . . . . . . . . 3\nConsent for Evaluation . . . . . . . . . . 5\n\
Individualized Education Program . . . . . . . . . . 9\nThe consent for evaluation form is sent with the notice.\n";
        let r = run(manual, "forms.txt");
        assert_eq!(r.kind, "other", "{}", r.kind_confidence_why);
        let guide = "Writing Letters to Your Child's School\nA publication of the Parent Information Center\n\
Dear Principal,\nI am writing to ask for a meeting about my son's reading.\nSincerely,\nA Parent\n\
Keep a copy of every letter you send.\n";
        let r = run(guide, "guide.txt");
        assert_eq!(r.kind, "other", "{}", r.kind_confidence_why);
        // A notice of rights with its contents listed is still the notice.
        let rights = "Notice of Procedural Safeguards\nTable of Contents\nPrior Written Notice .......... 2\n\
Parental Consent .......... 3\nIndependent Educational Evaluation .......... 4\nProcedural safeguards \
notice: your rights under IDEA, due process hearings, state complaints and mediation.\n";
        assert_eq!(run(rights, "rights.txt").kind, "procedural_safeguards");
    }

    #[test]
    fn a_blank_forms_heading_that_cites_its_rule_is_the_form() {
        let form = "State Special Education Rules (Chapter 7.2) Individualized Education Program\n\
Student Name: Date of Birth: Grade: School: Case Manager: Date of Meeting:\nPresent Levels\n";
        let r = run(form, "form.txt");
        assert_eq!(r.kind, "iep", "{}", r.kind_confidence_why);
        // A page about the rules for the program is not one.
        let page = "State Special Education Rules on the Individualized Education Program\n\
The rules say the team reviews the program at least once a year and whenever a parent asks.\n";
        assert_ne!(run(page, "page.txt").kind, "iep");
    }

    #[test]
    fn amendment_of_records_is_a_records_right_not_an_iep_amendment() {
        let notice = "The Family Educational Rights and Privacy Act gives parents and students over eighteen \
certain rights over the student's education records, as set out below for every family in the district.\n\
Amendment of Records\nParents may ask the school to correct records they believe are inaccurate. The request \
must be in writing to the principal.\n";
        assert_ne!(run(notice, "records.txt").kind, "iep_amendment");
        let amendment = "Amendment to the IEP\nStudent: Sam Lee   Date: 03/04/2024\nThe team agreed to add 30 \
minutes of reading support weekly.\n";
        assert_eq!(run(amendment, "amend.txt").kind, "iep_amendment");
    }

    #[test]
    fn an_agencys_resolution_letter_is_its_decision_on_the_complaint() {
        let letter = "Resolution Letter\nOctober 3, 2023\nDirector of Pupil Services\nRiver Schools\n\
Dear Dr. Moss:\nThis letter is to notify you of the disposition of the complaint filed with the U.S. Department of \
Education, Office for Civil Rights, alleging discrimination on the basis of disability. The complaint alleged \
the school did not follow the student's plan. OCR's investigation found the district agreed to resolve it.\n\
Sincerely,\nAnn Cole, Team Leader\n";
        assert_eq!(run(letter, "ocr.txt").kind, "decision");
    }

    #[test]
    fn a_sentence_is_never_a_heading() {
        let page = "Short-Term Suspension\nOnly the principal can suspend a student for ten days or less.\n\
Make sure that you or your child asks for any homework they might miss\nThe superintendent can shorten it.\n";
        assert_ne!(run(page, "page.txt").kind, "work_sample");
    }

    #[test]
    fn a_row_of_options_is_never_a_heading() {
        let form = "Student: / Date of Birth: / Meeting Date:\nTEAM MEETING COVER PAGE\n\
Current School: / Grade: / Case Manager: / Home Phone:\n\
Review Referral / Develop IEP / Annual Review / Manifestation Determination / Other (specify)\n\
Primary Disability: / Autism / Other Health Impairment / Specific Learning Disability\n";
        let r = run(form, "cover.txt");
        assert_ne!(r.kind, "manifestation_determination", "{:?}", r.cues);
    }

    #[test]
    fn an_email_pasted_as_text_is_an_email() {
        let pasted = "Subject: Notes from today's meeting\n\nHello,\n\nThank you for meeting with us today about \
the reading plan. Please tell me if I missed anything.\n\nSincerely,\nMaria\n";
        assert_eq!(run(pasted, "note.txt").kind, "email");
        let quoted = "Yesterday I got the following email from the chairperson.\n\nDear Ms. Park,\n\
I cannot schedule a program review this month.\nJ. Stone\n";
        assert_eq!(run(quoted, "post.txt").kind, "email");
        // A dated letter with a subject line is a letter.
        let letter = "March 4, 2024\nSubject: Request for records\nHello,\nI request copies of my son's records.\n\
Sincerely,\nMaria Park\n";
        assert_eq!(run(letter, "letter.txt").kind, "parent_letter");
    }

    #[test]
    fn a_forms_kind_from_words_alone_in_prose_is_unsure() {
        let prose = "Speaker notes for slide 13. Remember that the prior written notice comes before the district \
acts, not after. Teams sometimes leave out the other options considered, so say them aloud at the meeting \
and write them down; the parent should never have to guess what the district decided.\n";
        let r = run(prose, "slide notes.txt");
        assert!(
            r.kind != "prior_written_notice" || r.kind_confidence < crate::classify::LOW_CONFIDENCE,
            "{} {}",
            r.kind,
            r.kind_confidence_why
        );
    }

    #[test]
    fn a_labelled_date_spaced_from_its_label_is_the_documents_date() {
        let letter = "Sample Letter\n\nDate:      January 15, 2016\n\nTo: Principal\n\nDear Principal:\n\
I am writing to request an evaluation for my daughter.\nSincerely,\nA Parent\n";
        assert_eq!(run(letter, "letter.txt").date.as_deref(), Some("2016-01-15"));
        // A policy's adoption date is not its date.
        let form = "Physician's Statement\nPhysician signature: ____________\nDate: ____________\n\
Date Adopted:  March 2, 2015\n";
        assert_ne!(run(form, "form.txt").date.as_deref(), Some("2015-03-02"));
    }

    #[test]
    fn a_notice_is_dated_by_the_day_it_went_to_the_parent() {
        let notice = "Prior Written Notice\nDate of Team Meeting: 3-4-24\nDate Written Notice Sent to Parent: 3-6-24\n\
Description of the action proposed or refused: the team proposes speech services.\n\
Explanation of why the district proposes the action: the evaluation shows a need.\n";
        assert_eq!(run(notice, "notice.txt").date.as_deref(), Some("2024-03-06"));
    }

    #[test]
    fn decisions_and_evaluations_are_known_by_their_own_words_without_a_file_name() {
        let complaint = "On March 2, 2023, the Department received a complaint under state and federal special \
education law from the parent against the River School District. This is the department's decision \
regarding that complaint. The issue is whether the district responded to the parent's request for an \
independent educational evaluation.\n";
        assert_eq!(run(complaint, "scan0007.txt").kind, "decision");
        let hearing = "COMMONWEALTH\nBureau of Special Education Appeals\nIn Re: Hill Public Schools\n\
BSEA # 2301234\nDECISION\nThis decision is issued pursuant to the Individuals with Disabilities Education Act \
and Section 504 of the Rehabilitation Act of 1973.\n";
        assert_eq!(run(hearing, "scan0008.txt").kind, "decision");
        let eval = "Name: Lee, Sam\nDate of Birth: 02/03/2015\nDate of Testing: 04/20/2023\nExaminer: Dana Cole\n\
TESTS ADMINISTERED\nWJ III Tests of Achievement\nTEST SESSION OBSERVATIONS\nSam worked steadily.\n";
        assert_eq!(run(eval, "scan0009.txt").kind, "evaluation");
    }

    #[test]
    fn decision_and_eligibility_words_name_their_papers() {
        let sro = "Application of the BOARD OF EDUCATION for review of a determination of a hearing officer \
relating to the provision of educational services to a child with a disability\nAppearances:\nDecision\n\
The district appeals from an impartial hearing officer decision. The appeal must be dismissed.\n";
        assert_eq!(run(sro, "appeal.txt").kind, "decision");
        let elig = "Part A\nName of Student\nAreas of Assessment\nPart B\nInitial Evaluation or Reevaluation?\n\
Disability Determination\nBasis for Eligibility Determination\nSignature Block\n";
        assert_eq!(run(elig, "form.txt").kind, "eligibility");
    }
}

/// Classes seen on two folders gathered this round (district web pages and forms of four
/// states; a family's kinds of papers from nineteen): written for the class, in words of their
/// own.
mod web_pages_and_stories {
    use super::*;

    #[test]
    fn a_web_page_about_a_kind_of_paper_is_not_one() {
        // Site navigation around a district's page about its 504 plans.
        let page = "Skip to main content\nSection 504\nA Section 504 plan lists the accommodations a \
student with a disability receives at school.\nStudents are referred by a parent or a teacher, and a team \
meets to decide.\nBack to top\n";
        let r = run(page, "page.txt");
        assert_eq!(r.kind, "other", "{}", r.kind_confidence_why);
        // A news story under its dateline, about a settlement the board approved.
        let news = "Board settles autism suit\nSPRINGFIELD -- The school board voted Tuesday to pay $40,000 \
to end a lawsuit brought by the parents of a student with autism. We met with the family's lawyer after the \
hearing, the superintendent said, and the district called the mediation a success.\n";
        let r = run(news, "story.txt");
        assert_eq!(r.kind, "other", "{}", r.kind_confidence_why);
        // A letter to a newspaper's editor is not the family's letter to the school.
        let editor = "Services need a diagnosis\nTo the editor:\nI am the parent of two boys with autism, and \
our district would not evaluate them until a doctor wrote a diagnosis.\nJane Roe, Cape Town\n";
        assert_eq!(run(editor, "letter.txt").kind, "other");
        // A decision published on a site is still the decision.
        let decision = "Skip to main content\nSTATE REVIEW OFFICER\nApplication of the PARENTS, for review of a \
determination of a hearing officer relating to the provision of educational services by the Board of \
Education.\nThe impartial hearing officer found that the district offered the student a free appropriate \
public education. The appeal must be dismissed.\nTHE APPEAL IS DISMISSED.\n";
        assert_eq!(run(decision, "sro.txt").kind, "decision");
        // A page with its "Printer-friendly Version" link, deep in a site's menus.
        let article = "Parents Hub\nHome  News  Find Help  Advocacy\nArticle of Interest\nPrinter-friendly \
Version\nExamples of Accommodations in 504 Plans\nThis document lists accommodations a 504 team may \
consider: extended time, preferential seating, work samples sent home weekly.\n";
        assert_eq!(run(article, "article.txt").kind, "other");
    }

    #[test]
    fn prose_that_sends_its_reader_on_explains_forms_and_is_none() {
        let protocol = "Referral steps\nOnce the coordinator receives a request, the school will ask for the \
parent's consent to evaluate and will schedule the evaluation within a few weeks of the parent's consent.\n\
Please contact your building principal with any question about consent.\n";
        let r = run(protocol, "steps.txt");
        assert_eq!(r.kind, "other", "{:?}", r.cues);
        // The same words on a form with its fields stay the form.
        let form = "Parent Consent for Evaluation\nStudent: ____________  Date of Birth: ________\n\
School: ____________  Grade: ____\nI give consent for the school to evaluate my child.\n\
Parent signature: ____________  Date: ________\nPlease contact the school psychologist with questions.\n";
        assert_eq!(run(form, "consent.txt").kind, "consent");
    }

    #[test]
    fn a_story_told_in_paragraphs_is_no_notes_of_a_meeting() {
        let paragraph = "We drove to the school right after lunch, and I could tell from the principal's face \
that the meeting would be hard. We met with the assistant principal, the counselor and the special education \
teacher for almost two hours, and they explained that the suspension would stand until a manifestation \
review was held later in the week, which surprised us a great deal.";
        let post = format!("A very long week\n{paragraph}\n{paragraph}\n");
        let r = run_in(&post, "post.txt", "text", &Settings::default());
        assert_ne!(r.kind, "meeting_notes", "{}", r.kind_confidence_why);
        // Jotted notes of a call stay the family's notes.
        let notes = "Call with Mr. Park 3/4/25\nHe called me back about the bus.\nI asked about the OT \
minutes - he said he would check.\nNothing in writing yet.\n";
        let r = run_in(notes, "call.txt", "text", &Settings::default());
        assert_eq!(r.kind, "meeting_notes", "{}", r.kind_confidence_why);
    }

    #[test]
    fn who_signs_on_the_closing_line_and_a_clinicians_voice_say_who_wrote_it() {
        let principal = "Letter home\nDear Mr. and Mrs. Diaz,\nI am writing to follow up on our talk this \
morning about the fight on the bus. He may return to school on Monday.\nSincerely, Principal\n";
        assert_eq!(run(principal, "letter.txt").kind, "district_letter");
        let doctor = "Letter for School\nTo Whom It May Concern:\nI am writing about Ana, a 10-year-old girl \
under my care for epilepsy. She needs rest breaks and a seizure plan at school.\nSincerely,\nR. Iyer\n";
        assert_eq!(run(doctor, "doctor.txt").kind, "medical");
        let therapist = "Letter for School\nTo whom it may concern,\nJo, born 2014, has been my client in \
play therapy since March. I am currently seeing him twice a month for anxiety.\nSincerely,\nK. Obi\n";
        assert_eq!(run(therapist, "therapist.txt").kind, "medical");
        // A district's form letter with its blanks: the parent greeted by a placeholder.
        let form_letter = "[School Letterhead]\n[Parent Name]\n[Address]\nDear [Parent's Name]:\nThis \
letter is to inform you that [Student's Name] has been suspended from school for three days for fighting, a \
violation of the code of conduct, pending a hearing to consider expulsion.\nSincerely,\n[Name]\n";
        assert_eq!(run(form_letter, "letter.txt").kind, "discipline");
        // Addressed to the parent's placeholder at its top: the district's form letter.
        let notice = "Parent Name\nStreet Address\nCity, State ZIP Code\nThe district has received your \
written request to end speech services for your child. We will meet to talk about it.\nSincerely,\n\
Director\n";
        assert_eq!(run(notice, "notice.txt").kind, "district_letter");
    }

    #[test]
    fn a_label_line_or_a_bullet_item_is_never_the_title() {
        // "Legal Name of Child" heads an eligibility form: the body's criteria decide.
        let form = "Legal Name of Child\nState Child ID\nThe team has addressed each statement below. \
(Answer must be yes in order for the child to be eligible for services.)\nTo be eligible as a child with \
a Speech or Language Impairment, there must be evidence of the following criterion.\n";
        let r = run(form, "form.txt");
        assert_ne!(r.title.as_deref(), Some("Legal Name of Child"));
        assert_eq!(r.kind, "eligibility", "{:?}", r.cues);
        // An item of a list under its bullet names what a referral needs, not the page.
        let page = "Referral Process\nThe team must show evidence of:\n-\nattendance records\n-\nclassroom work \
samples\n-\nparent contact logs\n";
        assert_ne!(run(page, "page.txt").kind, "work_sample");
    }

    #[test]
    fn the_laws_name_makes_no_504_plan() {
        // A district's statement against discrimination names the law, its coordinators and
        // its duty to find children: no plan for any student.
        let statement = "Notice of Nondiscrimination\nThe district does not discriminate on the basis of \
disability in its programs.\nPursuant to Section 504 of the Rehabilitation Act of 1973, the district has a \
duty to identify and evaluate students who may need services.\nSection 504 Coordinator\n12 Main Street\n\
Lakeview, KS 67000\n(555) 555-0100\n";
        assert_ne!(run(statement, "statement.txt").kind, "plan_504");
        // A plan names its accommodations.
        let plan = "Section 504 Plan\nStudent: Lee Park   Grade: 4   Date: 09/12/2024\nImpairment that \
substantially limits a major life activity: type 1 diabetes\nAccommodations to be provided: snacks in \
class, blood sugar checks, rest breaks\n";
        assert_eq!(run(plan, "plan.txt").kind, "plan_504");
    }

    #[test]
    fn a_sheet_that_explains_under_its_own_questions_is_a_guide() {
        let sheet = "Behavior Intervention Plans\nOffice of Student Support\nWhat is a behavior intervention \
plan?\nA behavior intervention plan describes the supports a team puts in place to teach a student new \
behaviors.\nWho writes it?\nThe team writes it after a functional behavioral assessment.\n";
        let r = run(sheet, "sheet.txt");
        assert_eq!(r.kind, "other", "{}", r.kind_confidence_why);
    }

    #[test]
    fn every_date_in_a_forms_list_of_revisions_is_a_revision() {
        let text = "Student Name Date of Birth School Grade Rev. 12/17/10; July 2012; 11/14/13; 6/12/2015 \
Parent Name Address Phone";
        let c = run(text, "iep form.txt");
        for d in ["2010-12-17", "2013-11-14", "2015-06-12"] {
            assert_eq!(role_of(&c, d), ["revision"], "{d}: {:?}", c.candidates);
        }
    }
}
