//! `casebinder config`: show or change the case settings (checked and stored by
//! `case::settings`), and read the documents again when a setting changes what they say.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::case::settings::{KEYS, apply};
use crate::cli::ConfigArgs;
use crate::output;

pub fn run(ctx: &Ctx, args: ConfigArgs) -> Result<u8> {
    let case = ctx.case()?;
    let mut catalog = case.open_catalog()?;
    let mut out = output::stdout();
    if args.json {
        let settings = catalog.settings()?;
        let value = |k: &str| {
            settings
                .get(k)
                .cloned()
                .map_or(serde_json::Value::Null, serde_json::Value::String)
        };
        let json = match &args.key {
            Some(key) => value(&known_key(key)?),
            None => {
                serde_json::Value::Object(KEYS.iter().map(|(k, _)| ((*k).to_string(), value(k))).collect())
            }
        };
        output::write_json(&mut out, &json)?;
        out.flush()?;
        return Ok(0);
    }
    match (&args.key, &args.value, args.unset) {
        (None, _, _) => {
            let settings = catalog.settings()?;
            let rows = KEYS
                .iter()
                .map(|(k, what)| {
                    vec![
                        k.to_string(),
                        settings.get(*k).cloned().unwrap_or_else(|| "-".into()),
                        what.to_string(),
                    ]
                })
                .collect();
            writeln!(
                out,
                "{}",
                output::fit_table(
                    &["setting", "value", "what it is"],
                    rows,
                    ctx.width,
                    output::Fit::Wrap,
                    &[1, 2]
                )
            )?;
            ctx.tip(
                &mut out,
                "Change one: casebinder config KEY VALUE (see casebinder config --help)",
            )?;
        }
        (Some(key), None, false) => {
            let settings = catalog.settings()?;
            writeln!(
                out,
                "{}",
                settings.get(&known_key(key)?).cloned().unwrap_or_default()
            )?;
        }
        (Some(key), value, _) => {
            apply(&catalog, key, value.as_deref())?;
            let n = crate::scan::classify_pending(&mut catalog)?;
            match value {
                Some(v) => writeln!(out, "Set {key} to {v}.")?,
                None => writeln!(out, "Removed {key}.")?,
            }
            if n > 0 {
                writeln!(out, "Read {n} document(s) again with the new settings.")?;
            }
        }
    }
    out.flush()?;
    Ok(0)
}

/// A setting's name as typed, refused with the one meant when it is not a setting.
fn known_key(key: &str) -> Result<String> {
    let key = key.to_ascii_lowercase();
    if KEYS.iter().any(|(k, _)| *k == key) {
        return Ok(key);
    }
    Err(crate::error::user_error(
        format!(
            "\"{key}\" is not a setting.{}",
            crate::error::suggestion(&key, KEYS.iter().map(|(k, _)| *k))
        ),
        format!(
            "The settings are {}. See them all: casebinder config",
            KEYS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
        ),
    ))
}
