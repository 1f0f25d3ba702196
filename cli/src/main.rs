//! `unisono`: the command line of the unisono library. The only place that touches files and the
//! terminal; everything it prints is computed by the library.

mod demo;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use unisono::{Catalog, CatalogError};

/// Keep every sales channel in unison with one canonical catalog.
#[derive(Parser)]
#[command(name = "unisono", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the bundled demo: an Italian retailer's Black Friday on web, app, email, TV, print and
    /// shelf labels, with planted mistakes.
    Demo {
        /// Print the canonical offers instead: every product on every channel at three instants.
        #[arg(long)]
        offers: bool,
    },
    /// Check what channels show against the catalog. Exit 0: no error finding; 1: some; 2: bad input.
    Validate {
        /// The catalog JSON file (`-` for standard input).
        #[arg(long)]
        catalog: PathBuf,
        /// The renderings: a JSON array or JSON Lines (`-` for standard input).
        #[arg(long)]
        renderings: PathBuf,
        /// A policy JSON file (CONTRACT §6); defaults apply without one.
        #[arg(long)]
        policy: Option<PathBuf>,
        /// How to print the report.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print the canonical offer of a product on a channel at an instant, as JSON.
    Offer {
        /// The catalog JSON file (`-` for standard input).
        #[arg(long)]
        catalog: PathBuf,
        /// The product's SKU.
        #[arg(long)]
        sku: String,
        /// The channel's id.
        #[arg(long)]
        channel: String,
        /// The instant, RFC 3339 with an offset (`2026-11-28T10:00:00+01:00`).
        #[arg(long)]
        at: String,
    },
    /// Check a catalog: every load problem with its JSON path (exit 2), then advice.
    Lint {
        /// The catalog JSON file (`-` for standard input).
        #[arg(long)]
        catalog: PathBuf,
    },
}

/// Forms of the report.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// For people, like compiler diagnostics (coloured on a terminal).
    Human,
    /// CONTRACT §4's JSON.
    Json,
    /// JUnit XML, one test case per rendering.
    Junit,
}

/// A failure of the command itself: bad input or usage, exit status 2; or a reader that closed our
/// output early (`unisono demo | head`), which ends the command quietly as SIGPIPE would (141).
enum Failure {
    Input(String),
    ClosedOutput,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = std::io::stdout().lock();
    let result = match cli.command {
        Command::Demo { offers: true } => demo::offers(&mut out),
        Command::Demo { offers: false } => demo::run(&mut out),
        Command::Validate {
            catalog,
            renderings,
            policy,
            format,
        } => validate(&mut out, &catalog, &renderings, policy.as_deref(), format),
        Command::Offer {
            catalog,
            sku,
            channel,
            at,
        } => offer(&mut out, &catalog, &sku, &channel, &at),
        Command::Lint { catalog } => lint(&mut out, &catalog),
    };
    match result {
        Ok(code) => code,
        Err(Failure::Input(message)) => {
            let _ = out.flush();
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::ClosedOutput) => ExitCode::from(141),
    }
}

fn read(path: &Path) -> Result<String, Failure> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::Input(format!("standard input: {e}")))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))
}

fn load_catalog(path: &Path) -> Result<Catalog, Failure> {
    let text = read(path)?;
    Catalog::from_json(&text).map_err(|e| catalog_failure(path, &e))
}

fn catalog_failure(path: &Path, error: &CatalogError) -> Failure {
    let name = if path == Path::new("-") {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    };
    match error {
        CatalogError::Syntax {
            path: json_path,
            line,
            column,
            message,
        } => Failure::Input(format!("{name}:{line}:{column}: {json_path}: {message}")),
        CatalogError::Invalid { .. } => Failure::Input(format!("{name}: {error}")),
    }
}

fn write_failure(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Failure::ClosedOutput
    } else {
        Failure::Input(format!("standard output: {e}"))
    }
}

/// Whether to colour the human report: standard output is a terminal and NO_COLOR is not set.
fn colour() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}

fn validate(
    out: &mut impl Write,
    catalog_path: &Path,
    renderings_path: &Path,
    policy_path: Option<&Path>,
    format: Format,
) -> Result<ExitCode, Failure> {
    if catalog_path == Path::new("-") && renderings_path == Path::new("-") {
        return Err(Failure::Input(
            "--catalog and --renderings cannot both read standard input".to_owned(),
        ));
    }
    let catalog = load_catalog(catalog_path)?;
    let policy = match policy_path {
        Some(path) => unisono::Policy::from_json(&read(path)?).map_err(|e| {
            Failure::Input(format!(
                "{}:{}:{}: {}: {}",
                display_name(path),
                e.line,
                e.column,
                e.path,
                e.message
            ))
        })?,
        None => unisono::Policy::default(),
    };
    let text = read(renderings_path)?;
    let renderings = unisono::rendering::read_renderings(&text)
        .map_err(|e| Failure::Input(format!("{}:{e}", display_name(renderings_path))))?;
    let report = unisono::Validator::new(&catalog, &policy).validate_all(&renderings);
    let text = match format {
        Format::Human => unisono::report::human(&report, colour()),
        Format::Json => unisono::report::json(&report),
        Format::Junit => unisono::report::junit(&report, &renderings),
    };
    out.write_all(text.as_bytes()).map_err(write_failure)?;
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn offer(
    out: &mut impl Write,
    catalog_path: &Path,
    sku: &str,
    channel: &str,
    at: &str,
) -> Result<ExitCode, Failure> {
    let at = unisono::time::parse_instant(at).map_err(|e| Failure::Input(format!("--at: {e}")))?;
    let catalog = load_catalog(catalog_path)?;
    let offer = catalog
        .offer(sku, channel, at)
        .map_err(|e| Failure::Input(e.to_string()))?;
    let json = serde_json::to_string_pretty(&offer).map_err(|e| Failure::Input(e.to_string()))?;
    writeln!(out, "{json}").map_err(write_failure)?;
    Ok(ExitCode::SUCCESS)
}

fn lint(out: &mut impl Write, catalog_path: &Path) -> Result<ExitCode, Failure> {
    let catalog = load_catalog(catalog_path)?;
    let name = catalog_path.display();
    for lint in catalog.lints() {
        writeln!(out, "warning: {name}: {lint}").map_err(write_failure)?;
    }
    let lints = catalog.lints().len();
    writeln!(
        out,
        "{name}: ok: {} markets, {} channels, {} products, {} promotions; {lints} warning{}",
        catalog.markets().len(),
        catalog.channels().len(),
        catalog.products().len(),
        catalog.promotions().len(),
        if lints == 1 { "" } else { "s" }
    )
    .map_err(write_failure)?;
    Ok(ExitCode::SUCCESS)
}
