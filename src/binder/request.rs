//! What a binder is asked to be: the person's choices (already typed where the command line was
//! read) and the case's facts become the binder's [`Settings`], with each purpose's defaults.
//!
//! Pure: no catalog, no disk, no clock. The build date is one of the choices.

use chrono::NaiveDate;

use super::labels::Style;
use super::{DocxMode, PaperSize, Purpose, Settings};

/// The choices a person made (a `None` takes the purpose's default).
#[derive(Clone, Debug)]
pub struct Choices {
    pub purpose: Purpose,
    /// The binder's name (the file stem); labels and builds are kept per name.
    pub name: String,
    /// The filters as typed, or empty for the purpose's selection.
    pub query: String,
    pub labels: Style,
    /// Checked where it was typed ([`check_prefix`]); `None`: from the student's name.
    pub bates_prefix: Option<String>,
    pub bates_digits: usize,
    pub bates_start: u64,
    pub paper: PaperSize,
    pub tabs: Option<bool>,
    pub chronology: Option<bool>,
    pub findings: Option<bool>,
    /// The picture of the case on a time axis before the chronology.
    pub timeline_page: Option<bool>,
    /// The build date printed on the cover; the same date gives the same file.
    pub date: NaiveDate,
    pub hearing_date: Option<NaiveDate>,
    pub prepared_by: Option<String>,
    /// A state's code for this binder's findings (already resolved), else the case's.
    pub state: Option<String>,
}

impl Choices {
    /// The defaults of a purpose, built on `date`, named `<purpose>-binder`.
    pub fn new(purpose: Purpose, date: NaiveDate) -> Choices {
        Choices {
            purpose,
            name: default_name(purpose),
            query: String::new(),
            labels: Style {
                prefix: "P-".into(),
                letters: false,
            },
            bates_prefix: None,
            bates_digits: 6,
            bates_start: 1,
            paper: PaperSize::Letter,
            tabs: None,
            chronology: None,
            findings: None,
            timeline_page: None,
            date,
            hearing_date: None,
            prepared_by: None,
            state: None,
        }
    }
}

/// `due-process-binder`: the name of a purpose's binder when none is given.
pub fn default_name(purpose: Purpose) -> String {
    format!("{}-binder", purpose.name())
}

/// The name of a binder when none is given: `due-process-binder`, or for a binder chosen by a
/// query `due-process-binder-kind-iep-evaluation`, so that it keeps labels and Bates numbers of its
/// own instead of borrowing the full binder's.
pub fn name_for(purpose: Purpose, query: &str) -> String {
    let slug: String = query
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .take(48)
        .collect();
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        default_name(purpose)
    } else {
        format!("{}-{slug}", default_name(purpose))
    }
}

/// The facts of the case a binder prints.
#[derive(Clone, Debug, Default)]
pub struct CaseFacts {
    pub student: Option<String>,
    pub district: Option<String>,
    /// The case's state code, if any.
    pub state: Option<String>,
    /// The case folder's name (a title and prefix when the student's name is not set).
    pub folder: String,
}

impl CaseFacts {
    /// The facts of the case in `root`, from its settings.
    pub fn of(s: &crate::case::settings::CaseSettings, root: &std::path::Path) -> CaseFacts {
        CaseFacts {
            student: s.student.clone(),
            district: (!s.districts.is_empty()).then(|| s.districts.join("; ")),
            state: s.state.clone(),
            folder: root
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_default(),
        }
    }
}

/// The binder's settings: the choices, with each purpose's defaults filled in.
pub fn settings(c: Choices, case: &CaseFacts, docx: DocxMode) -> Settings {
    let bates_prefix = c
        .bates_prefix
        .clone()
        .unwrap_or_else(|| default_prefix(case.student.as_deref(), &case.folder));
    let case_title = case.student.clone().unwrap_or_else(|| {
        if case.folder.is_empty() {
            "Case".into()
        } else {
            case.folder.clone()
        }
    });
    Settings {
        name: c.name,
        purpose: c.purpose,
        query: c.query,
        labels: c.labels,
        bates_prefix,
        bates_digits: c.bates_digits,
        bates_start: c.bates_start,
        paper: c.paper,
        tabs: c.tabs.unwrap_or(c.purpose == Purpose::DueProcess),
        chronology: c.chronology.unwrap_or(true),
        findings: c.findings.unwrap_or(c.purpose == Purpose::StateComplaint),
        timeline_page: c.timeline_page.unwrap_or(c.purpose == Purpose::Mediation),
        date: c.date,
        hearing_date: c.hearing_date,
        prepared_by: c.prepared_by.filter(|p| !p.trim().is_empty()),
        case_title,
        student: case.student.clone(),
        district: case.district.clone(),
        state: c.state.or_else(|| case.state.clone()),
        docx,
        cited: Vec::new(),
    }
}

/// The Bates prefix from the case: the student's last name, else the folder name, in capitals.
pub fn default_prefix(student: Option<&str>, folder: &str) -> String {
    let clean = |s: &str| -> String { plain_capitals(s).chars().take(12).collect() };
    if let Some(last) = student.and_then(|n| n.split_whitespace().last())
        && !clean(last).is_empty()
    {
        return clean(last);
    }
    let folder = clean(folder);
    if folder.is_empty() { "CASE".into() } else { folder }
}

/// `s` in plain capital letters and digits: accented Latin letters lose their marks (Núñez → NUNEZ,
/// Łukasik → LUKASIK, Strauß → STRAUSS), anything else that is not a letter or digit is dropped.
pub fn plain_capitals(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
            continue;
        }
        let plain = match c.to_lowercase().next().unwrap_or(c) {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "A",
            'æ' => "AE",
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "C",
            'ď' | 'đ' | 'ð' => "D",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "E",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => "G",
            'ĥ' | 'ħ' => "H",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "I",
            'ĵ' => "J",
            'ķ' => "K",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "L",
            'ñ' | 'ń' | 'ņ' | 'ň' => "N",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "O",
            'œ' => "OE",
            'ŕ' | 'ŗ' | 'ř' => "R",
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "S",
            'ß' => "SS",
            'ţ' | 'ť' | 'ŧ' | 'ț' => "T",
            'þ' => "TH",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "U",
            'ŵ' => "W",
            'ý' | 'ÿ' | 'ŷ' => "Y",
            'ź' | 'ż' | 'ž' => "Z",
            _ => "",
        };
        out.push_str(plain);
    }
    out
}

/// A Bates prefix typed by a person, checked: up to 20 letters, digits, `-` or `_`.
pub fn check_prefix(typed: &str) -> Result<String, String> {
    let p = typed.trim().trim_end_matches('-').to_string();
    if p.is_empty()
        || p.len() > 20
        || !p
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(format!(
            "\"{typed}\" cannot be a Bates prefix: use up to 20 letters, digits, - or _, for example RIVERA or LUSD"
        ));
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::day::parse(s).unwrap()
    }

    #[test]
    fn each_purpose_has_its_defaults() {
        let case = CaseFacts {
            student: Some("Maya Rivera".into()),
            district: Some("Lakeside USD".into()),
            state: Some("CA".into()),
            folder: "rivera".into(),
        };
        let dp = settings(
            Choices::new(Purpose::DueProcess, day("2024-05-01")),
            &case,
            DocxMode::Text,
        );
        assert!(dp.tabs && dp.chronology && !dp.findings);
        assert_eq!(dp.bates_prefix, "RIVERA");
        assert_eq!(dp.name, "due-process-binder");
        assert_eq!(dp.window(), None);
        let sc = settings(
            Choices::new(Purpose::StateComplaint, day("2024-05-01")),
            &case,
            DocxMode::Text,
        );
        assert!(!sc.tabs && sc.findings);
        assert_eq!(sc.window(), Some((day("2023-05-01"), day("2024-05-01"))));
        assert_eq!(sc.state.as_deref(), Some("CA"));
        let mut c = Choices::new(Purpose::Mediation, day("2024-05-01"));
        c.tabs = Some(true);
        c.state = Some("TX".into());
        c.hearing_date = Some(day("2024-06-03"));
        let m = settings(c, &case, DocxMode::Text);
        assert!(m.tabs && !m.findings);
        assert_eq!(m.state.as_deref(), Some("TX"));
        // Five business days before Monday 3 June 2024, Memorial Day (27 May) not counted.
        assert_eq!(m.disclosure_deadline(), Some(day("2024-05-24")));
    }

    #[test]
    fn a_binder_chosen_by_a_query_has_a_name_of_its_own() {
        assert_eq!(name_for(Purpose::DueProcess, ""), "due-process-binder");
        assert_eq!(
            name_for(Purpose::Mediation, "kind:iep,evaluation after:2023-01-01"),
            "mediation-binder-kind-iep-evaluation-after-2023-01-01"
        );
    }

    #[test]
    fn prefixes_come_from_the_name_or_the_folder() {
        assert_eq!(default_prefix(Some("Maya  O'Brien"), "x"), "OBRIEN");
        assert_eq!(default_prefix(None, "case 2024"), "CASE2024");
        assert_eq!(default_prefix(None, ""), "CASE");
        assert_eq!(default_prefix(Some("Sofía Núñez-O'Connor"), "x"), "NUNEZOCONNOR");
        assert_eq!(default_prefix(Some("Zoë Łukasik"), "x"), "LUKASIK");
        assert_eq!(default_prefix(Some("Ana Strauß Øre"), "x"), "ORE");
        assert_eq!(plain_capitals("Strauß-Øre"), "STRAUSSORE");
        assert_eq!(check_prefix(" LUSD- ").unwrap(), "LUSD");
        assert!(check_prefix("a b").is_err());
        assert!(check_prefix("").is_err());
    }
}
