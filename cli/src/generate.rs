//! `unisono gen`: a synthetic catalog, renderings with inconsistencies planted, and the answer key.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use unisono::synthetic::{Plan, Shape};

use crate::atomic::AtomicFile;
use crate::{Failure, write_failure};

pub fn run(
    out: &mut impl Write,
    skus: usize,
    renderings: usize,
    seed: u64,
    dir: &Path,
) -> Result<ExitCode, Failure> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        Failure::Input(format!("{}: {what}: {e}", dir.display()))
    };
    if skus == 0 && renderings > 0 {
        return Err(fail(
            "nothing to render",
            &"--renderings needs at least one product (--skus 0)",
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| fail("cannot create the folder", &e))?;
    let document = unisono::synthetic::catalog(&Shape::new(skus, seed));
    // Each file is written under a temporary name and renamed once whole.
    let file = |name: &str| -> Result<AtomicFile, Failure> {
        let path = dir.join(name);
        AtomicFile::create(&path).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))
    };
    let mut catalog_file = file("catalog.json")?;
    serde_json::to_writer(&mut catalog_file, &document).map_err(|e| fail("catalog.json", &e))?;
    catalog_file
        .write_all(b"\n")
        .and_then(|()| catalog_file.commit())
        .map_err(|e| fail("catalog.json", &e))?;
    let catalog =
        unisono::Catalog::compile(&document).map_err(|e| fail("the generated catalog", &e))?;
    drop(document);

    let (mut lines, mut expected) = (file("renderings.jsonl")?, file("expected.jsonl")?);
    let (mut count, mut planted) = (0_usize, 0_usize);
    for generated in unisono::synthetic::renderings(&catalog, &Plan::new(renderings, seed)) {
        serde_json::to_writer(&mut lines, &generated.rendering)
            .map_err(|e| fail("renderings.jsonl", &e))?;
        lines
            .write_all(b"\n")
            .map_err(|e| fail("renderings.jsonl", &e))?;
        for p in &generated.planted {
            let line = serde_json::json!({"rendering": p.rendering, "rule": p.rule.code()});
            writeln!(expected, "{line}").map_err(|e| fail("expected.jsonl", &e))?;
            planted += 1;
        }
        count += 1;
    }
    lines.commit().map_err(|e| fail("renderings.jsonl", &e))?;
    expected.commit().map_err(|e| fail("expected.jsonl", &e))?;
    writeln!(
        out,
        "{}: {skus} products, {count} renderings, {planted} planted inconsistencies (seed {seed})",
        dir.display()
    )
    .map_err(write_failure)?;
    Ok(ExitCode::SUCCESS)
}
