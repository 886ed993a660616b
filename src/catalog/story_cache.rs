//! The case's story kept in its catalog for the desk, which reads many cases and changes none:
//! a counter that triggers move on every change to what the story is made of (documents, their
//! pages and corrections, tags, the family's events, settings), and the story as last read with
//! the counter it was read at and the program that read it. A story whose counter or program
//! differs is not used: the desk reads the records instead, as `check` always does.

use anyhow::Result;
use rusqlite::OptionalExtension;

use super::Catalog;

/// The kept story, when it was kept at the counter where it stands now by the program `?1`.
const CURRENT: &str = "FROM story_cache, story_generation g
     WHERE story_cache.id = 1 AND g.id = 1 AND story_cache.generation = g.n
       AND story_cache.program = ?1";

impl Catalog {
    /// Where the counter of changes to the story stands.
    pub fn story_generation(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT n FROM story_generation WHERE id = 1", [], |r| r.get(0))?)
    }

    /// The story kept at the counter where it stands now, by this program; none otherwise.
    pub fn kept_story(&self, program: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(&format!("SELECT story {CURRENT}"), [program], |r| r.get(0))
            .optional()?)
    }

    /// Whether a story is kept at the counter where it stands now, by this program.
    pub fn story_is_kept(&self, program: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(&format!("SELECT 1 {CURRENT}"), [program], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Keeps the story read when the counter stood at `generation` (a change since leaves it
    /// unused). Nothing on a catalog opened for reading.
    pub fn keep_story(&self, generation: i64, program: &str, story: &str) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        self.conn.execute(
            "INSERT OR REPLACE INTO story_cache(id, generation, program, story) VALUES (1, ?1, ?2, ?3)",
            rusqlite::params![generation, program, story],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use crate::catalog::Catalog;

    #[test]
    fn a_kept_story_is_used_until_anything_it_is_made_of_changes() {
        let dir = tempfile::tempdir().unwrap();
        let c = Catalog::create(&dir.path().join("catalog.sqlite")).unwrap();
        let g = c.story_generation().unwrap();
        c.keep_story(g, "p1", "{}").unwrap();
        assert_eq!(c.kept_story("p1").unwrap().as_deref(), Some("{}"));
        assert!(c.story_is_kept("p1").unwrap());
        // Another program does not use it.
        assert_eq!(c.kept_story("p2").unwrap(), None);
        // Keeping it changes nothing it is made of.
        assert_eq!(c.story_generation().unwrap(), g);
        // A setting, an event: the story kept is no longer used.
        c.conn
            .execute("INSERT INTO settings(key, value) VALUES ('state', 'CA')", [])
            .unwrap();
        assert!(c.story_generation().unwrap() > g);
        assert_eq!(c.kept_story("p1").unwrap(), None);
        assert!(!c.story_is_kept("p1").unwrap());
    }
}
