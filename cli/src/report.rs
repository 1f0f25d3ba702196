//! `unisono report --html` and `unisono diff`: reports read back, drawn as a page or compared across
//! runs (CONTRACT §14). The work is the library's (`unisono::report`); this reads the files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use unisono::report::{HtmlOptions, ReportDocument, Showing};

use crate::{Failure, display_name, load_catalog, read, write_failure};

/// Forms of the diff.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DiffFormat {
    /// Sections new, persisting, resolved; one line a finding.
    Human,
    /// JSON: `summary`, `new`, `persisting` (with `first_seen`), `resolved`.
    Json,
    /// JUnit XML: new and persisting errors fail.
    Junit,
}

/// A report file (CONTRACT §4), or a diff's JSON.
fn load_report(path: &Path) -> Result<ReportDocument, Failure> {
    ReportDocument::from_json(&read(path)?)
        .map_err(|e| Failure::Input(format!("{}:{e}", display_name(path))))
}

/// The HTML page of `report`: with `catalog`, timeline strips too, placed from `renderings` when
/// given, else from the findings.
pub(crate) fn html(
    out: &mut impl Write,
    report: &Path,
    catalog: Option<&Path>,
    renderings: Option<&PathBuf>,
    title: Option<String>,
    generated: Option<String>,
) -> Result<ExitCode, Failure> {
    let doc = load_report(report)?;
    let catalog = catalog.map(load_catalog).transpose()?;
    let showings = match (renderings, &catalog) {
        (Some(path), Some(catalog)) => {
            let renderings = unisono::rendering::read_renderings(&read(path)?)
                .map_err(|e| Failure::Input(format!("{}:{e}", display_name(path))))?;
            Showing::of_renderings(&renderings, Some(catalog))
        }
        (Some(_), None) => {
            return Err(Failure::Input(
                "--renderings places the timeline strips, which need --catalog".to_owned(),
            ));
        }
        (None, _) => Vec::new(),
    };
    let mut options = HtmlOptions {
        catalog: catalog.as_ref(),
        showings,
        generated,
        ..HtmlOptions::default()
    };
    if let Some(title) = title {
        options.title = title;
    }
    out.write_all(unisono::report::html(&doc, &options).as_bytes())
        .map_err(write_failure)?;
    Ok(ExitCode::SUCCESS)
}

/// Compares two reports; exits 1 when a finding of severity error is new.
pub(crate) fn diff(
    out: &mut impl Write,
    before: &Path,
    after: &Path,
    format: DiffFormat,
) -> Result<ExitCode, Failure> {
    let d = unisono::report::diff(&load_report(before)?, &load_report(after)?);
    let text = match format {
        DiffFormat::Human => unisono::report::diff_human(&d),
        DiffFormat::Json => unisono::report::diff_json(&d),
        DiffFormat::Junit => unisono::report::diff_junit(&d),
    };
    out.write_all(text.as_bytes()).map_err(write_failure)?;
    Ok(if d.has_new_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
