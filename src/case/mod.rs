//! Finding and creating a case: a folder of documents plus `.casebinder/catalog.sqlite`.
//!
//! Like git, every command finds its case by walking up from the current directory, unless
//! `--case DIR` or `CASEBINDER_CASE` names it. Creating a case makes the private folder
//! (0700) and the catalog (0600) and nothing else: source files are never touched.
//!
//! The case also owns its settings ([`settings`]: typed, checked, one state resolver) and its
//! story ([`story`]: the timeline and the findings every command gets the same way).

pub mod settings;
pub mod story;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::catalog::Catalog;
use crate::error::user_error;

/// Name of the private folder inside a case.
pub const DIR_NAME: &str = ".casebinder";
/// Name of the catalog file inside the private folder.
pub const CATALOG_NAME: &str = "catalog.sqlite";
/// Name of the ignore file at the case root (gitignore syntax).
pub const IGNORE_NAME: &str = ".casebinderignore";

/// A located case.
#[derive(Debug, Clone)]
pub struct Case {
    /// The case folder (absolute).
    pub root: PathBuf,
}

impl Case {
    pub fn private_dir(&self) -> PathBuf {
        self.root.join(DIR_NAME)
    }

    pub fn catalog_path(&self) -> PathBuf {
        self.private_dir().join(CATALOG_NAME)
    }

    /// Opens the catalog of this case.
    pub fn open_catalog(&self) -> Result<Catalog> {
        Catalog::open(&self.catalog_path())
    }

    /// Finds the case: the explicit folder if given, else the nearest ancestor of `cwd` with a catalog.
    pub fn find(explicit: Option<&Path>, cwd: &Path) -> Result<Case> {
        if let Some(dir) = explicit {
            let root = absolute(dir, cwd);
            if root.join(DIR_NAME).join(CATALOG_NAME).is_file() {
                return Ok(Case { root });
            }
            return Err(user_error(
                format!(
                    "{} is not a casebinder case (it has no {DIR_NAME} folder).",
                    root.display()
                ),
                format!("Create the case first: casebinder init \"{}\"", root.display()),
            ));
        }
        let mut dir = Some(cwd);
        while let Some(d) = dir {
            if d.join(DIR_NAME).join(CATALOG_NAME).is_file() {
                return Ok(Case {
                    root: d.to_path_buf(),
                });
            }
            dir = d.parent();
        }
        Err(user_error(
            "This folder is not inside a casebinder case.",
            "Go to your case folder (the folder that holds the documents) and run `casebinder init`, \
             or name the case with --case DIR. To try casebinder on a sample case, run `casebinder demo`.",
        ))
    }
}

/// What `init` did.
#[derive(Debug)]
pub enum InitOutcome {
    Created(Case),
    AlreadyExists(Case),
}

/// Creates a case in `dir` (which must exist), or reports that one already exists there.
/// Settings are stored afterwards, through [`settings::apply`].
pub fn init(dir: &Path) -> Result<InitOutcome> {
    if !dir.is_dir() {
        return Err(user_error(
            format!("The folder {} does not exist.", dir.display()),
            "Check the spelling, or create the folder first and put the documents in it.",
        ));
    }
    let root =
        fs::canonicalize(dir).with_context(|| format!("could not resolve the folder {}", dir.display()))?;
    let case = Case { root };
    if case.catalog_path().exists() {
        return Ok(InitOutcome::AlreadyExists(case));
    }
    let private = case.private_dir();
    create_private_dir(&private)?;
    Catalog::create(&case.catalog_path())?;
    Ok(InitOutcome::Created(case))
}

/// Creates a folder readable by its owner only (0700), or tightens an existing one.
pub fn create_private_dir(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        if !path.exists() {
            fs::DirBuilder::new()
                .mode(0o700)
                .recursive(true)
                .create(path)
                .with_context(|| format!("could not create {}", path.display()))?;
        }
        fs::set_permissions(path, fs::Permissions::from_mode(0o700))
            .with_context(|| format!("could not make {} private", path.display()))?;
    }
    #[cfg(not(unix))]
    {
        fs::create_dir_all(path).with_context(|| format!("could not create {}", path.display()))?;
    }
    Ok(())
}

/// `dir` made absolute against `cwd`, without requiring it to exist.
pub fn absolute(dir: &Path, cwd: &Path) -> PathBuf {
    let joined = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        cwd.join(dir)
    };
    fs::canonicalize(&joined).unwrap_or(joined)
}
