//! Embeds fixtures/case (the sample case) into the binary for `casebinder demo`, and builds
//! the PDF text helper (src/extract/poppler/helper.cc) when poppler's headers are installed:
//! without it, each PDF is read by a `pdftotext` process of its own, several times slower.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        if path.is_dir() {
            collect(&path, root, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, path));
        }
    }
}

/// Compiles the poppler text helper into OUT_DIR; the binary embeds it (see
/// src/extract/poppler.rs). A machine without a C++ compiler or poppler's headers builds
/// casebinder all the same: it says so once and reads PDFs with `pdftotext`.
fn build_poppler_helper(out_dir: &Path) {
    println!("cargo:rustc-check-cfg=cfg(poppler_helper)");
    println!("cargo:rerun-if-changed=src/extract/poppler/helper.cc");
    println!("cargo:rerun-if-env-changed=CASEBINDER_BUILD_NO_POPPLER_HELPER");
    println!("cargo:rerun-if-env-changed=CXX");
    if std::env::var_os("CASEBINDER_BUILD_NO_POPPLER_HELPER").is_some() {
        return;
    }
    let why_not = |why: &str| {
        println!(
            "cargo:warning=casebinder will read each PDF with a pdftotext process of its own (slower): {why}. \
             For the faster reader (Debian/Ubuntu): sudo apt install g++ pkg-config libpoppler-private-dev"
        );
    };
    let flags = match Command::new("pkg-config")
        .args(["--cflags", "--libs", "poppler"])
        .output()
    {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        _ => return why_not("pkg-config does not know poppler"),
    };
    let cxx = std::env::var("CXX").unwrap_or_else(|_| "c++".into());
    let target = out_dir.join("casebinder-poppler");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/extract/poppler/helper.cc");
    let built = Command::new(&cxx)
        .args(["-O2", "-std=c++17", "-o"])
        .arg(&target)
        .arg(&source)
        .args(flags.split_whitespace())
        .output();
    match built {
        Ok(out) if out.status.success() => println!("cargo:rustc-cfg=poppler_helper"),
        Ok(out) => {
            let err = String::from_utf8_lossy(&out.stderr);
            let first = err
                .lines()
                .find(|l| l.contains("error"))
                .unwrap_or("it did not compile");
            why_not(&format!("the helper did not compile ({})", first.trim()));
        }
        Err(e) => why_not(&format!("no C++ compiler ({cxx}: {e})")),
    }
}

fn main() {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    build_poppler_helper(&out_dir);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join("case");
    println!("cargo:rerun-if-changed=fixtures/case");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    let mut code = String::from(
        "/// Every file of the sample case: (relative path, bytes).\npub const FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, path) in &files {
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = out_dir.join("sample_files.rs");
    if let Err(e) = fs::write(&out, code) {
        panic!("could not write {}: {e}", out.display());
    }
}
