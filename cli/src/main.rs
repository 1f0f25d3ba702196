//! `unisono`: the command line of the unisono library. The only place that touches files and the
//! terminal; everything it prints is computed by the library.

mod demo;
mod extract;
mod generate;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use unisono::{Catalog, CatalogError};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        #[arg(long, required_unless_present = "html", conflicts_with = "html")]
        renderings: Option<PathBuf>,
        /// Instead of renderings, one web page: its offers as `extract html` reads them, with
        /// `--channel`, `--sku` and `--at`.
        #[arg(long, requires_all = ["channel", "sku", "at"])]
        html: Option<PathBuf>,
        #[command(flatten)]
        page: extract::Page,
        /// A policy JSON file (CONTRACT §6); defaults apply without one.
        #[arg(long)]
        policy: Option<PathBuf>,
        /// How to print the report.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Threads that parse and validate JSON Lines (default: every core).
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Generate a synthetic catalog and renderings with inconsistencies planted, and the answer key.
    Gen {
        /// Products in the catalog.
        #[arg(long)]
        skus: usize,
        /// Renderings to generate.
        #[arg(long)]
        renderings: usize,
        /// Seed: the same seed gives the same files.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Where to write catalog.json, renderings.jsonl and expected.jsonl.
        #[arg(long)]
        out: PathBuf,
    },
    /// Parse JSON Lines renderings and count them, checking nothing: the floor of `validate`.
    #[command(hide = true)]
    Parse {
        /// The renderings, JSON Lines (`-` for standard input).
        #[arg(long)]
        renderings: PathBuf,
        /// Threads (default: every core).
        #[arg(long)]
        jobs: Option<usize>,
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
    /// Read renderings from what channels publish: text, web pages, merchant feeds.
    Extract {
        #[command(subcommand)]
        what: extract::What,
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
            html: Some(html),
            policy,
            format,
            page,
            ..
        } => extract::validate_page(&mut out, &catalog, &html, policy.as_deref(), format, &page),
        Command::Validate {
            catalog,
            renderings,
            policy,
            format,
            jobs,
            ..
        } => validate(
            &mut out,
            &catalog,
            &renderings.unwrap_or_default(),
            policy.as_deref(),
            format,
            jobs_or_cores(jobs),
        ),
        Command::Gen {
            skus,
            renderings,
            seed,
            out: dir,
        } => generate::run(&mut out, skus, renderings, seed, &dir),
        Command::Parse { renderings, jobs } => parse(&mut out, &renderings, jobs_or_cores(jobs)),
        Command::Offer {
            catalog,
            sku,
            channel,
            at,
        } => offer(&mut out, &catalog, &sku, &channel, &at),
        Command::Lint { catalog } => lint(&mut out, &catalog),
        Command::Extract { what } => extract::run(&mut out, what),
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
    // Compiled as it is read: neither the text nor the parsed document is ever held whole.
    let catalog = if path == Path::new("-") {
        Catalog::from_reader(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
        // The length sizes the compiled tables; without it they grow as the entries come.
        match file.metadata() {
            Ok(metadata) => Catalog::from_reader_sized(file, metadata.len()),
            Err(_) => Catalog::from_reader(file),
        }
    };
    catalog.map_err(|e| catalog_failure(path, &e))
}

/// The policy at `path`, or the default one.
fn load_policy(path: Option<&Path>) -> Result<unisono::Policy, Failure> {
    let Some(path) = path else {
        return Ok(unisono::Policy::default());
    };
    unisono::Policy::from_json(&read(path)?).map_err(|e| {
        Failure::Input(format!(
            "{}:{}:{}: {}: {}",
            display_name(path),
            e.line,
            e.column,
            e.path,
            e.message
        ))
    })
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
    jobs: usize,
) -> Result<ExitCode, Failure> {
    if catalog_path == Path::new("-") && renderings_path == Path::new("-") {
        return Err(Failure::Input(
            "--catalog and --renderings cannot both read standard input".to_owned(),
        ));
    }
    let catalog = load_catalog(catalog_path)?;
    let policy = load_policy(policy_path)?;
    let validator = unisono::Validator::new(&catalog, &policy);
    let name = display_name(renderings_path);
    let mut input = open(renderings_path)?;
    let text = if format != Format::Junit
        && !starts_with_bracket(&mut input).map_err(|e| Failure::Input(format!("{name}: {e}")))?
    {
        // JSON Lines: streamed, a chunk at a time, on `jobs` threads.
        let report = on_pool(jobs, || validator.validate_lines(input))?
            .map_err(|e| Failure::Input(format!("{name}:{e}")))?;
        render_report(&report, format, &[])
    } else {
        let mut text = String::new();
        input
            .read_to_string(&mut text)
            .map_err(|e| Failure::Input(format!("{name}: {e}")))?;
        let renderings = unisono::rendering::read_renderings(&text)
            .map_err(|e| Failure::Input(format!("{name}:{e}")))?;
        let report = validator.validate_all(&renderings);
        render_report(&report, format, &renderings)
    };
    let (text, has_errors) = text;
    out.write_all(text.as_bytes()).map_err(write_failure)?;
    Ok(if has_errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn render_report(
    report: &unisono::Report,
    format: Format,
    renderings: &[unisono::Rendering],
) -> (String, bool) {
    let text = match format {
        Format::Human => unisono::report::human(report, colour()),
        Format::Json => unisono::report::json(report),
        Format::Junit => unisono::report::junit(report, renderings),
    };
    (text, report.has_errors())
}

/// The threads to use: `--jobs`, at most the cores this process may use (more only contend; a
/// warning says so), every core without it.
fn jobs_or_cores(jobs: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    match jobs {
        Some(jobs) if jobs > cores => {
            eprintln!(
                "warning: --jobs {jobs} is more than the {cores} cores available; using {cores}"
            );
            cores
        }
        Some(jobs) => jobs.max(1),
        None => cores,
    }
}

/// Runs `work` on a rayon pool of `jobs` threads, where the library spreads its work.
fn on_pool<T: Send>(jobs: usize, work: impl FnOnce() -> T + Send) -> Result<T, Failure> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| Failure::Input(format!("cannot start {jobs} threads: {e}")))?;
    Ok(pool.install(work))
}

/// A buffered reader of a file, or of standard input for `-`.
fn open(path: &Path) -> Result<Box<dyn BufRead + Send>, Failure> {
    if path == Path::new("-") {
        return Ok(Box::new(BufReader::with_capacity(
            1 << 20,
            std::io::stdin(),
        )));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
    Ok(Box::new(BufReader::with_capacity(1 << 20, file)))
}

/// Whether the first character that is not white space is `[` (a JSON array, not JSON Lines).
fn starts_with_bracket(input: &mut dyn BufRead) -> std::io::Result<bool> {
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(false);
        }
        match buffer.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(at) => return Ok(buffer.get(at) == Some(&b'[')),
            None => {
                let n = buffer.len();
                input.consume(n);
            }
        }
    }
}

fn parse(out: &mut impl Write, renderings_path: &Path, jobs: usize) -> Result<ExitCode, Failure> {
    let name = display_name(renderings_path);
    let input = open(renderings_path)?;
    let count = on_pool(jobs, || unisono::validate::parse_lines(input))?
        .map_err(|e| Failure::Input(format!("{name}:{e}")))?;
    writeln!(out, "{count} renderings").map_err(write_failure)?;
    Ok(ExitCode::SUCCESS)
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
    // The process ends here, and gives its memory back at once: freeing the catalog's millions of
    // allocations one by one first would take a noticeable part of the run on a large catalog.
    std::mem::forget(catalog);
    Ok(ExitCode::SUCCESS)
}
