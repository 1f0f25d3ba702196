//! One reader over files that `unisono gen` wrote, chosen by name: a program to run under
//! `valgrind --tool=callgrind`, whose instruction counts do not depend on what else the machine
//! runs (criterion's wall-clock figures do). `benches/callgrind.sh` runs every alternative and
//! prints instructions per line and per product; `benches/README.md` has the figures.
//!
//! ```sh
//! cargo bench --bench readers --no-run            # then, with the executable it names:
//! valgrind --tool=callgrind readers-HASH lines-serde DIR
//! ```
//!
//! Without arguments (as `cargo test --benches` runs it) it lists the alternatives and exits.

#[path = "common/borrowed.rs"]
mod borrowed;

use std::fs::File;
use std::path::Path;

use unisono::catalog::CatalogDocument;
use unisono::{Catalog, Rendering};

/// The alternatives: name, what it does.
const ALTERNATIVES: &[(&str, &str)] = &[
    (
        "lines-read",
        "reads renderings.jsonl and splits it into lines (the base of the lines-*)",
    ),
    (
        "lines-hand",
        "unisono::rendering::parse_line on each line (hand-written reader, owned)",
    ),
    (
        "lines-hand-stream",
        "unisono::validate::parse_lines on 1 thread (validate's path: blocks, reused memory)",
    ),
    ("lines-serde", "serde_json::from_str into Rendering"),
    ("lines-sonic", "sonic_rs::from_str into Rendering"),
    (
        "lines-borrowed",
        "serde_json::from_str into a borrowed mirror (Cow<str> strings)",
    ),
    (
        "lines-borrowed-sonic",
        "sonic_rs::from_str into the borrowed mirror",
    ),
    (
        "validate-hand",
        "the catalog (as catalog-hand), then Validator::validate_lines on 1 thread: the CLI's path",
    ),
    (
        "validate-hand-all",
        "the same, lines read by parse_line into a vector, then validate_all (no SKU glance)",
    ),
    (
        "validate-serde",
        "the same, lines read by serde_json::from_str into a vector, then validate_all (no hand-written reading)",
    ),
    (
        "catalog-read",
        "maps catalog.json (the base of the catalog-*)",
    ),
    (
        "catalog-hand",
        "Catalog::from_reader_sized over the file (what the CLI did: tape, chunks, borrowed mirrors)",
    ),
    (
        "catalog-hand-slice",
        "Catalog::from_reader_sized over the memory-mapped file",
    ),
    (
        "catalog-hand-str",
        "Catalog::from_json over the text (compiled while serde reads it)",
    ),
    (
        "catalog-serde",
        "serde_json::from_slice into CatalogDocument, then Catalog::compile",
    ),
    (
        "catalog-serde-parse",
        "serde_json::from_slice into CatalogDocument only",
    ),
    (
        "catalog-sonic",
        "sonic_rs::from_slice into CatalogDocument, then Catalog::compile",
    ),
];

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [alternative, dir] = args.as_slice() else {
        eprintln!("usage: readers ALTERNATIVE DIR (DIR as `unisono gen --out DIR` writes it)");
        for (name, what) in ALTERNATIVES {
            eprintln!("  {name:<22} {what}");
        }
        return;
    };
    let dir = Path::new(dir);
    match run(alternative, dir) {
        Ok(count) => println!("{alternative}: {count}"),
        Err(e) => {
            eprintln!("readers: {alternative}: {e}");
            std::process::exit(1);
        }
    }
}

type Outcome = Result<usize, Box<dyn std::error::Error + Send + Sync>>;

fn run(alternative: &str, dir: &Path) -> Outcome {
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    if let Some(reader) = alternative.strip_prefix("validate-") {
        return one_thread.install(|| validate(reader, dir));
    }
    if let Some(reader) = alternative.strip_prefix("lines-") {
        let text = std::fs::read_to_string(dir.join("renderings.jsonl"))?;
        if reader == "hand-stream" {
            return Ok(one_thread.install(|| unisono::validate::parse_lines(text.as_bytes()))?);
        }
        let lines = text.lines().filter(|l| !l.trim().is_empty());
        return lines.enumerate().try_fold(0, |claims, (n, line)| {
            Ok(claims + read_line(reader, line, n + 1)?)
        });
    }
    let path = dir.join("catalog.json");
    let catalog = match alternative {
        "catalog-hand" => {
            let file = File::open(&path)?;
            let size = file.metadata()?.len();
            Catalog::from_reader_sized(file, size)?
        }
        other => {
            let file = File::open(&path)?;
            // SAFETY: nothing modifies the generated file while this program reads it (the CLI's
            // map, in cli/src/main.rs, says what a concurrent change would do).
            let map = unsafe { memmap2::Mmap::map(&file)? };
            let bytes: &[u8] = &map;
            match other {
                "catalog-read" => return Ok(bytes.len()),
                "catalog-hand-slice" => Catalog::from_reader_sized(bytes, bytes.len() as u64)?,
                "catalog-hand-str" => Catalog::from_json(std::str::from_utf8(bytes)?)?,
                "catalog-serde" | "catalog-serde-parse" => {
                    let document: CatalogDocument = serde_json::from_slice(bytes)?;
                    if other == "catalog-serde-parse" {
                        return Ok(document.products.len());
                    }
                    Catalog::compile(&document)?
                }
                "catalog-sonic" => {
                    let document: CatalogDocument = sonic_rs::from_slice(bytes)?;
                    Catalog::compile(&document)?
                }
                _ => return Err(format!("no alternative {other:?}").into()),
            }
        }
    };
    let products = catalog.products().len();
    // As the CLI does: the process ends, and gives the memory back at once.
    std::mem::forget(catalog);
    Ok(products)
}

/// Validates the generated renderings against the generated catalog, the lines read by `reader`;
/// the number of findings.
fn validate(reader: &str, dir: &Path) -> Outcome {
    let file = File::open(dir.join("catalog.json"))?;
    let size = file.metadata()?.len();
    let catalog = Catalog::from_reader_sized(file, size)?;
    let validator = unisono::Validator::new(&catalog, &unisono::Policy::default());
    let text = std::fs::read_to_string(dir.join("renderings.jsonl"))?;
    let report = if reader == "hand" {
        validator.validate_lines(text.as_bytes())?
    } else {
        let lines = text.lines().filter(|l| !l.trim().is_empty());
        let renderings = lines
            .enumerate()
            .map(
                |(n, line)| -> Result<Rendering, Box<dyn std::error::Error + Send + Sync>> {
                    Ok(match reader {
                        "hand-all" => unisono::rendering::parse_line(line, n + 1)?,
                        "serde" => serde_json::from_str(line)?,
                        other => return Err(format!("no alternative validate-{other}").into()),
                    })
                },
            )
            .collect::<Result<Vec<_>, _>>()?;
        validator.validate_all(&renderings)
    };
    let findings = report.findings.len();
    std::mem::forget((report, catalog));
    Ok(findings)
}

/// Reads one line with `reader`; its claim count.
fn read_line(reader: &str, line: &str, number: usize) -> Outcome {
    Ok(match reader {
        "read" => usize::from(!line.is_empty()),
        "hand" => unisono::rendering::parse_line(line, number)?.claims.len(),
        "serde" => serde_json::from_str::<Rendering>(line)?.claims.len(),
        "sonic" => sonic_rs::from_str::<Rendering>(line)?.claims.len(),
        "borrowed" => serde_json::from_str::<borrowed::RenderingRef>(line)?.claim_count(),
        "borrowed-sonic" => sonic_rs::from_str::<borrowed::RenderingRef>(line)?.claim_count(),
        other => return Err(format!("no alternative lines-{other}").into()),
    })
}
