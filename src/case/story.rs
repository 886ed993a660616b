//! The story of a case: its documents and the family's own events in order (the timeline), and
//! the deadline findings computed from it.
//!
//! This is the only path by which `check`, `gaps`, `timeline`, the binder and every later command
//! get the story, so they can never tell it differently: the same documents, the same events, the
//! same rules (one state resolver), the same day counts.

use anyhow::Result;
use chrono::NaiveDate;

use super::settings::CaseSettings;
use crate::catalog::Catalog;
use crate::checks::{self, Options, Report, gaps};
use crate::query::{self, Field, Query};
use crate::timeline::{self, DocFacts, Event};

/// The documents behind the timeline, and its events in order.
pub struct Story {
    pub docs: Vec<DocFacts>,
    pub events: Vec<Event>,
}

impl Story {
    /// The story as it stood on `day`: nothing dated after it (a document with no date stays).
    /// Every command judges and shows a day's story this one way.
    pub fn until(self, day: NaiveDate) -> Story {
        Story {
            docs: self
                .docs
                .into_iter()
                .filter(|d| d.date.is_none_or(|x| x <= day))
                .collect(),
            events: self.events.into_iter().filter(|e| e.date <= day).collect(),
        }
    }
}

/// The story of the documents a query selects (all of them for an empty query), with every
/// event the family recorded.
pub fn story(catalog: &Catalog, query: &Query) -> Result<Story> {
    let docs = catalog.timeline_docs(query)?;
    let mut events = timeline::build(&docs, &catalog.user_events()?);
    events.retain(|e| e.source != "user" || keep_user_event(e, query));
    Ok(Story { docs, events })
}

/// The whole case's story as it was last read and kept, when nothing it is made of has changed
/// since (and this same program kept it); else read from the records. The desk reads many cases
/// this way without changing any.
pub fn whole_story(catalog: &Catalog) -> Result<Story> {
    if let Some(json) = catalog.kept_story(program())?
        && let Ok(kept) = serde_json::from_str::<Kept>(&json)
    {
        let events = timeline::build(&kept.docs, &kept.user);
        return Ok(Story {
            docs: kept.docs,
            events,
        });
    }
    story(catalog, &Query::default())
}

/// The whole case's story read from the records (`check` reads them every time), and kept for
/// the desk (see [`whole_story`]) when what is kept is not this story already and the catalog
/// can be written.
pub fn whole_story_kept(catalog: &Catalog) -> Result<Story> {
    if catalog.is_read_only() || catalog.story_is_kept(program())? {
        return story(catalog, &Query::default());
    }
    // The counter before the reading: a change during it leaves what is kept unused.
    let generation = catalog.story_generation()?;
    let docs = catalog.timeline_docs(&Query::default())?;
    let user = catalog.user_events()?;
    let kept = Kept { docs, user };
    if let Ok(json) = serde_json::to_string(&kept) {
        catalog.keep_story(generation, program(), &json)?;
    }
    let events = timeline::build(&kept.docs, &kept.user);
    Ok(Story {
        docs: kept.docs,
        events,
    })
}

/// What is kept of a story: its documents' facts and the family's events.
#[derive(serde::Serialize, serde::Deserialize)]
struct Kept {
    docs: Vec<DocFacts>,
    user: Vec<timeline::UserEvent>,
}

/// This program, as the maker of a kept story: its version and its file's size and time (a
/// story kept by another build is read again, as its reading may differ).
fn program() -> &'static str {
    static PROGRAM: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PROGRAM.get_or_init(|| {
        let file = std::env::current_exe()
            .and_then(std::fs::metadata)
            .ok()
            .map(|m| {
                let time = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{}-{time}", m.len())
            })
            .unwrap_or_default();
        format!("{}-{file}", env!("CARGO_PKG_VERSION"))
    })
}

/// User events follow the query when it filters only by date, tag or kind (and words of their
/// titles); any other filter leaves them out.
fn keep_user_event(e: &Event, q: &Query) -> bool {
    q.matches(|leaf| match leaf {
        query::Leaf::Filter(c) => match c.field {
            Field::Date => c.dates.iter().any(|d| d.holds(Some(e.date))),
            Field::Tag => c.values.iter().any(|v| e.tags.iter().any(|t| v.names(t))),
            Field::Kind => c.values.iter().any(|v| v.names(&e.kind)),
            _ => false,
        },
        query::Leaf::Text(t) => e.title.to_lowercase().contains(&t.text.to_lowercase()),
    })
}

/// How the deadline checks run this time.
#[derive(Debug, Clone, Default)]
pub struct CheckRequest<'a> {
    /// The day open deadlines are judged against.
    pub as_of: Option<NaiveDate>,
    /// A state typed for this command (else the case's).
    pub state: Option<&'a str>,
    /// Days before a soft rule is flagged (else the case's setting).
    pub soft_days: Option<i64>,
    pub hearing: Option<NaiveDate>,
}

/// The deadline findings of a story. The rules are resolved once, here: a state casebinder has no
/// rules for is refused the same way for every command.
pub fn findings(story: &Story, settings: &CaseSettings, req: &CheckRequest<'_>) -> Result<Report> {
    let profile = settings.rules(req.state)?;
    let as_of = req.as_of.unwrap_or_else(crate::clock::today);
    // Judged on what had happened by that day: a deadline met later is still open then. The
    // events are in date order, so those are the ones before the first later one.
    let by_then = story.events.partition_point(|e| e.date <= as_of);
    debug_assert!(story.events[by_then..].iter().all(|e| e.date > as_of));
    Ok(checks::check(
        &story.events[..by_then],
        &story.docs,
        &Options {
            as_of,
            profile,
            calendar: settings.calendar(),
            soft_days: req.soft_days.unwrap_or(settings.soft_days).max(1),
            hearing_date: req.hearing,
        },
    ))
}

/// What is missing each school year, with the rules the case is under (for the letter's note).
pub fn missing(
    story: &Story,
    settings: &CaseSettings,
    as_of: NaiveDate,
) -> Result<(Vec<gaps::YearGaps>, Option<String>)> {
    let profile = settings.rules(None)?;
    let events: Vec<Event> = story.events.iter().filter(|e| e.date <= as_of).cloned().collect();
    let years = gaps::gaps(&events, &story.docs, as_of);
    // A state that gives records sooner than the federal 45 days: say so in the letter.
    let fed = settings.rules(Some("federal"))?;
    let note = (profile.records.citation != fed.records.citation).then(|| {
        format!(
            "{} requires access within {} {}",
            profile.records.citation,
            profile.records.days,
            profile.records.day_type.words()
        )
    });
    Ok((years, note))
}
