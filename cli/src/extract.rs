//! `unisono extract text|html|feed` and `unisono validate --html`: renderings from what channels
//! publish, read by the library's `extract` module.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use unisono::extract::html::{Context, Extracted, Unread};
use unisono::extract::{feed, html, text};

use super::{
    Failure, Format, display_name, load_catalog, load_policy, read, render_report, write_failure,
};

/// What to read.
#[derive(clap::Subcommand)]
pub(crate) enum What {
    /// Claims in text, one text a line: prints one JSON line `{"claims": [...], "unread": [...]}` per
    /// input line.
    Text {
        /// How numbers and words are written (`it-IT`, `en`, `de-DE`, `fr`, `es`); without it, an
        /// ambiguous `1.299 €` is left unread.
        #[arg(long)]
        locale: Option<String>,
        /// The day that decides the year of dates written without one (`2026-11-22`).
        #[arg(long)]
        today: Option<String>,
        /// The text file (`-`, the default, for standard input).
        #[arg(default_value = "-")]
        file: PathBuf,
    },
    /// The offers of a web page (schema.org JSON-LD, microdata, RDFa; OpenGraph): one rendering a
    /// line (JSON Lines, ready for `validate --renderings -`); what is not read goes to stderr.
    Html {
        /// The HTML file (`-` for standard input).
        file: PathBuf,
        #[command(flatten)]
        shown: Shown,
    },
    /// The items of a Google Merchant Center feed (RSS 2.0 / Atom with `g:` attributes, or TSV):
    /// one rendering a line; what is not read goes to stderr.
    Feed {
        /// The feed file (`-` for standard input).
        file: PathBuf,
        #[command(flatten)]
        shown: Shown,
    },
}

/// What the markup does not say: the channel, the instant, the ids.
#[derive(clap::Args)]
pub(crate) struct Shown {
    /// The channel that shows it (the renderings' `channel`).
    #[arg(long)]
    channel: String,
    /// The instant it is shown, RFC 3339 with an offset (`2026-11-28T10:00:00+01:00`).
    #[arg(long)]
    at: String,
    /// The page's name in rendering ids (`NAME#offer-1`); default the file name.
    #[arg(long)]
    id: Option<String>,
}

/// `validate --html`'s options: the page is one product's, on one channel, at one instant.
#[derive(clap::Args)]
pub(crate) struct Page {
    /// With `--html`: the channel the page is shown on.
    #[arg(long, requires = "html")]
    channel: Option<String>,
    /// With `--html`: the SKU the page sells (offers marked with other SKUs are left out).
    #[arg(long, requires = "html")]
    sku: Option<String>,
    /// With `--html`: the instant, RFC 3339 with an offset.
    #[arg(long, requires = "html")]
    at: Option<String>,
}

pub(crate) fn run(out: &mut impl Write, what: What) -> Result<ExitCode, Failure> {
    match what {
        What::Text {
            locale,
            today,
            file,
        } => run_text(out, locale.as_deref(), today.as_deref(), &file),
        What::Html { file, shown } => {
            let read = read_with(&file, &shown, html::extract)?;
            print_renderings(out, &file, &read)
        }
        What::Feed { file, shown } => {
            let read = read_with(&file, &shown, feed::extract)?;
            print_renderings(out, &file, &read)
        }
    }
}

fn run_text(
    out: &mut impl Write,
    locale: Option<&str>,
    today: Option<&str>,
    file: &Path,
) -> Result<ExitCode, Failure> {
    let locale = locale
        .map(|l| l.parse::<text::Locale>())
        .transpose()
        .map_err(|e| Failure::Input(format!("--locale: {e}")))?;
    let today = today
        .map(unisono::time::parse_local_date)
        .map(|d| d.ok_or_else(|| Failure::Input("--today: expected a date like 2026-11-22".into())))
        .transpose()?;
    let name = display_name(file);
    let input = super::open(file)?;
    for (n, line) in input.lines().enumerate() {
        let line = line.map_err(|e| Failure::Input(format!("{name}:{}: {e}", n + 1)))?;
        let read = match today {
            Some(today) => text::extract_at(&line, locale.as_ref(), today),
            None => text::extract(&line, locale.as_ref()),
        };
        let json = serde_json::to_string(&read).map_err(|e| Failure::Input(e.to_string()))?;
        writeln!(out, "{json}").map_err(write_failure)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn read_with(
    file: &Path,
    shown: &Shown,
    extract: fn(&str, &Context) -> Extracted,
) -> Result<Extracted, Failure> {
    let at = unisono::time::parse_instant(&shown.at)
        .map_err(|e| Failure::Input(format!("--at: {e}")))?;
    let text = read(file)?;
    let page = shown.id.clone().unwrap_or_else(|| page_name(file));
    Ok(extract(&text, &Context::at(&page, &shown.channel, at)))
}

/// A file's name without its folders: ids should not depend on where the file was saved.
fn page_name(file: &Path) -> String {
    if file == Path::new("-") {
        return display_name(file);
    }
    file.file_name()
        .map_or_else(|| display_name(file), |n| n.to_string_lossy().into_owned())
}

fn print_renderings(
    out: &mut impl Write,
    file: &Path,
    read: &Extracted,
) -> Result<ExitCode, Failure> {
    warn_unread(file, &read.unread);
    for rendering in &read.renderings {
        let json = serde_json::to_string(rendering).map_err(|e| Failure::Input(e.to_string()))?;
        writeln!(out, "{json}").map_err(write_failure)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn warn_unread(file: &Path, unread: &[Unread]) {
    let name = display_name(file);
    for u in unread {
        if u.text.is_empty() {
            eprintln!("warning: {name}: {}: {}", u.source, u.reason);
        } else {
            eprintln!("warning: {name}: {}: {:?}: {}", u.source, u.text, u.reason);
        }
    }
}

/// `validate --html FILE --channel CH --sku S --at T`: the page's offers for that SKU, checked as
/// `validate` checks renderings (same report, same exit status).
pub(crate) fn validate_page(
    out: &mut impl Write,
    catalog_path: &Path,
    page_path: &Path,
    policy_path: Option<&Path>,
    format: Format,
    page: &Page,
) -> Result<ExitCode, Failure> {
    let missing = |option: &str| Failure::Input(format!("--html needs {option}"));
    let channel = page
        .channel
        .as_deref()
        .ok_or_else(|| missing("--channel"))?;
    let sku = page.sku.as_deref().ok_or_else(|| missing("--sku"))?;
    let at = page.at.as_deref().ok_or_else(|| missing("--at"))?;
    if catalog_path == Path::new("-") && page_path == Path::new("-") {
        return Err(Failure::Input(
            "--catalog and --html cannot both read standard input".to_owned(),
        ));
    }
    let shown = Shown {
        channel: channel.to_owned(),
        at: at.to_owned(),
        id: None,
    };
    let read = read_with(page_path, &shown, html::extract)?;
    let catalog = load_catalog(catalog_path)?;
    let policy = load_policy(policy_path)?;
    warn_unread(page_path, &read.unread);
    let renderings = of_sku(read.renderings, sku);
    if renderings.is_empty() {
        return Err(Failure::Input(format!(
            "{}: no offer found: the page has no schema.org Offer or Product, and no OpenGraph product tags",
            display_name(page_path)
        )));
    }
    let validator = unisono::Validator::new(&catalog, &policy);
    let report = validator.validate_all(&renderings);
    let (text, has_errors) = render_report(&report, format, &renderings, &catalog);
    out.write_all(text.as_bytes()).map_err(write_failure)?;
    Ok(if has_errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The renderings marked with `sku`; if none is, every rendering, as the page of `sku`.
fn of_sku(renderings: Vec<unisono::Rendering>, sku: &str) -> Vec<unisono::Rendering> {
    if renderings.iter().any(|r| r.sku.as_deref() == Some(sku)) {
        return renderings
            .into_iter()
            .filter(|r| r.sku.as_deref() == Some(sku))
            .collect();
    }
    renderings
        .into_iter()
        .map(|mut r| {
            r.sku = Some(sku.to_owned());
            r
        })
        .collect()
}
