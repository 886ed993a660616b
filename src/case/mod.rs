//! Finding and creating a case: a folder of documents plus `.casebinder/catalog.sqlite`.
//!
//! Like git, every command finds its case by walking up from the current directory, unless
//! `--case DIR` or `CASEBINDER_CASE` names it. Creating a case makes the private folder
//! (0700) and the catalog (0600) and nothing else: source files are never touched.
//!
//! The case also owns its settings ([`settings`]: typed, checked, one state resolver) and its
//! story ([`story`]: the timeline and the findings every command gets the same way).

pub mod outputs;
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

/// Inside the private folder of a case kept off its documents (`init --catalog`): the absolute
/// path of the folder that holds the documents.
pub const ROOT_FILE: &str = "documents-folder";

/// A located case.
#[derive(Debug, Clone)]
pub struct Case {
    /// The folder that holds the documents (absolute).
    pub root: PathBuf,
    /// The folder that holds `.casebinder` and, by default, `Binders`: the documents' folder,
    /// or another one when the documents are on a disk casebinder should not write to (a CD, a
    /// USB stick).
    pub home: PathBuf,
}

impl Case {
    /// A case whose catalog lives beside its documents.
    pub fn at(root: PathBuf) -> Case {
        Case {
            home: root.clone(),
            root,
        }
    }

    pub fn private_dir(&self) -> PathBuf {
        self.home.join(DIR_NAME)
    }

    /// True when the catalog is kept off the documents' folder.
    pub fn is_detached(&self) -> bool {
        self.home != self.root
    }

    /// The case whose private folder is in `home`: its documents are there too, unless the
    /// private folder names another folder.
    fn in_home(home: PathBuf) -> Result<Case> {
        let pointer = home.join(DIR_NAME).join(ROOT_FILE);
        match fs::read_to_string(&pointer) {
            Ok(text) => {
                let root = PathBuf::from(text.trim_end_matches(['\n', '\r']));
                // (Written as the path's bytes; a name that is not UTF-8 is read back the same way.)
                #[cfg(unix)]
                let root = match fs::read(&pointer) {
                    Ok(bytes) => {
                        use std::os::unix::ffi::OsStrExt;
                        let end = bytes.iter().rposition(|b| *b != b'\n').map_or(0, |i| i + 1);
                        PathBuf::from(std::ffi::OsStr::from_bytes(&bytes[..end]))
                    }
                    Err(_) => root,
                };
                if !root.is_dir() {
                    return Err(user_error(
                        format!(
                            "The documents of this case are in {}, which cannot be found now.",
                            root.display()
                        ),
                        "Plug in or mount the disk that holds them, then run the command again.",
                    ));
                }
                Ok(Case { root, home })
            }
            Err(_) => Ok(Case::at(home)),
        }
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
            if root.join(DIR_NAME).join(CATALOG_NAME).exists() {
                return Case::in_home(root);
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
            if d.join(DIR_NAME).join(CATALOG_NAME).exists() {
                return Case::in_home(d.to_path_buf());
            }
            // A catalog (or its folder) that is a link to a place not there now: this is the
            // case, and its catalog is what cannot be found.
            if let Some((link, to)) =
                dangling(&d.join(DIR_NAME)).or_else(|| dangling(&d.join(DIR_NAME).join(CATALOG_NAME)))
            {
                return Err(user_error(
                    format!(
                        "This case's catalog {} is a link to {}, which cannot be found now.",
                        link.display(),
                        to.display()
                    ),
                    "Plug in or mount the disk that holds it, then run the command again; if it is lost, \
                     make the catalog again (move the link away, then casebinder init and casebinder scan) \
                     and bring back your work with casebinder import or casebinder restore FILE.",
                ));
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

/// `path` is a link whose target is not there: (the link, where it points).
fn dangling(path: &Path) -> Option<(PathBuf, PathBuf)> {
    let meta = fs::symlink_metadata(path).ok()?;
    (meta.file_type().is_symlink() && !path.exists())
        .then(|| (path.to_path_buf(), fs::read_link(path).unwrap_or_default()))
}

/// What `init` did.
#[derive(Debug)]
pub enum InitOutcome {
    Created(Case),
    AlreadyExists(Case),
}

/// Creates a case for the documents in `dir` (which must exist), or reports that one already
/// exists there. `home` keeps the catalog in another folder (for documents on a read-only disk).
/// Settings are stored afterwards, through [`settings::apply`].
pub fn init(dir: &Path, home: Option<&Path>) -> Result<InitOutcome> {
    if !dir.is_dir() {
        return Err(user_error(
            format!("The folder {} does not exist.", dir.display()),
            "Check the spelling, or create the folder first and put the documents in it.",
        ));
    }
    let root =
        fs::canonicalize(dir).with_context(|| format!("could not resolve the folder {}", dir.display()))?;
    let case = match home {
        None => Case::at(root),
        Some(h) => {
            fs::create_dir_all(h).with_context(|| format!("could not create the folder {}", h.display()))?;
            let home = fs::canonicalize(h)
                .with_context(|| format!("could not resolve the folder {}", h.display()))?;
            if home.starts_with(&root) && home != root {
                return Err(user_error(
                    "The catalog folder cannot be inside the documents' folder.",
                    "Choose a folder elsewhere (for example in your home folder), or leave out --catalog.",
                ));
            }
            Case { root, home }
        }
    };
    if case.catalog_path().exists() {
        let existing = Case::in_home(case.home.clone())?;
        if existing.root != case.root {
            return Err(user_error(
                format!(
                    "{} already holds the catalog of the documents in {}.",
                    case.home.display(),
                    existing.root.display()
                ),
                "Choose another folder for this case's catalog.",
            ));
        }
        return Ok(InitOutcome::AlreadyExists(existing));
    }
    let private = case.private_dir();
    create_private_dir(&private)?;
    if case.is_detached() {
        let pointer = private.join(ROOT_FILE);
        #[cfg(unix)]
        let bytes = {
            use std::os::unix::ffi::OsStrExt;
            let mut b = case.root.as_os_str().as_bytes().to_vec();
            b.push(b'\n');
            b
        };
        #[cfg(not(unix))]
        let bytes = format!("{}\n", case.root.display()).into_bytes();
        fs::write(&pointer, bytes).with_context(|| format!("could not write {}", pointer.display()))?;
    }
    Catalog::create(&case.catalog_path())?;
    Ok(InitOutcome::Created(case))
}

/// Creates a folder readable by its owner only (0700), or tightens an existing one.
/// Creates `path` as a new, owner-only file for casebinder to write, never through a link: a
/// link or a stale file left at that name (a temporary name from a build that was cut short, or
/// one planted there) is removed first, and the file is then made new (`O_EXCL`, `O_NOFOLLOW`), so
/// a link that appears in between makes the open fail instead of redirecting the write onto a
/// document.
pub fn create_private_file(path: &Path) -> std::io::Result<fs::File> {
    if let Ok(meta) = fs::symlink_metadata(path) {
        let kind = meta.file_type();
        if kind.is_file() || kind.is_symlink() {
            fs::remove_file(path)?;
        } else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "something that is not a file is in the way",
            ));
        }
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

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

/// `root/a/b.pdf` → `a/b.pdf`: the locator the catalog keeps. A name that is not UTF-8 (an old
/// disk, another system) keeps its bytes: each byte that is not UTF-8 is written `%XX` (and `%`
/// itself `%25`) in that name, so [`locator_path`] finds the file again.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| name_of(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

/// One name of a path as the catalog writes it (not UTF-8: escaped, never lost).
pub fn name_of(name: &std::ffi::OsStr) -> String {
    spell(name, false)
}

/// [`name_of`] with the odd bytes in lower-case hex: for a name whose usual spelling is
/// another file's literal name in the same folder.
pub fn name_of_lower(name: &std::ffi::OsStr) -> String {
    spell(name, true)
}

fn spell(name: &std::ffi::OsStr, lower: bool) -> String {
    if let Some(s) = name.to_str() {
        return s.to_string();
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(&chunk.valid().replace('%', "%25"));
            for b in chunk.invalid() {
                if lower {
                    out.push_str(&format!("%{b:02x}"));
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned()
    }
}

/// The file a locator names under `root` (the locator's file part, before any `#` or `::`):
/// as written, or with the `%XX` bytes of a name that is not UTF-8 restored.
pub fn locator_path(root: &Path, rel: &str) -> PathBuf {
    let plain = root.join(rel);
    if plain.exists() || !rel.contains('%') {
        return plain;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut path = root.to_path_buf();
        for part in rel.split('/') {
            let bytes = part.as_bytes();
            let mut out = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
                    (b'%', Some(b)) => {
                        out.push(b);
                        i += 3;
                    }
                    (b, _) => {
                        out.push(b);
                        i += 1;
                    }
                }
            }
            path.push(std::ffi::OsStr::from_bytes(&out));
        }
        path
    }
    #[cfg(not(unix))]
    plain
}
