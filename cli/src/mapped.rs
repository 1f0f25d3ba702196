//! The catalog file read in place, from a memory map: the kernel's page cache is the buffer, with
//! no copy of the file into the process and no read calls.
//!
//! `benches/README.md` measures the readers this chose between: over the map, the library's
//! streaming reader (`Catalog::from_reader_sized`), against `serde_json::from_slice` into a
//! `CatalogDocument` then `Catalog::compile`.

use std::fs::File;

use memmap2::Mmap;
use unisono::{Catalog, CatalogError};

/// Reads and compiles the catalog in `file`: from a memory map when it is a regular file that can
/// be mapped, else read as a stream (a pipe, a terminal, a special file).
pub(crate) fn catalog(file: File) -> Result<Catalog, CatalogError> {
    match map(&file) {
        Some(map) => Catalog::from_reader_sized(&map[..], map.len() as u64),
        // The length sizes the compiled tables; without it they grow as the entries come.
        None => match file.metadata() {
            Ok(metadata) if metadata.len() > 0 => Catalog::from_reader_sized(file, metadata.len()),
            _ => Catalog::from_reader(file),
        },
    }
}

/// A read-only map of the whole of `file`, if it is a regular file that can be mapped.
fn map(file: &File) -> Option<Mmap> {
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    // SAFETY: the map is only read, and assumes that no one changes the file while it is mapped
    // (the catalog is read in well under a minute). If someone does, the reader sees the bytes
    // as they are when it reaches them: a mix of old and new text, which compiles to a wrong
    // catalog or fails as bad JSON; if the file is truncated meanwhile, reading past its new end
    // kills the process with SIGBUS. Copying the file first (or reading it as a stream, as for
    // standard input) is the way to avoid both, at the cost of the copy.
    unsafe { Mmap::map(file) }.ok()
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::path::{Path, PathBuf};

    use unisono::{Catalog, CatalogError};

    const DEMO: &str = include_str!("../../examples/data/catalog.json");

    /// A file named `name` in a fresh scratch directory, holding `text`.
    fn scratch(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("unisono-cli-mapped-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
        let path = dir.join(name);
        std::fs::File::create(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .expect("the scratch file is written");
        path
    }

    fn read(path: &Path) -> Result<Catalog, CatalogError> {
        super::catalog(std::fs::File::open(path).expect("the scratch file opens"))
    }

    /// What a catalog is for the comparison: its products, channels and lints.
    fn summary(catalog: &Catalog) -> (Vec<String>, Vec<String>, usize) {
        (
            catalog.products().iter().map(|p| p.sku.clone()).collect(),
            catalog.channels().iter().map(|c| c.id.clone()).collect(),
            catalog.lints().len(),
        )
    }

    #[test]
    fn a_mapped_file_compiles_to_the_catalog_of_its_text() {
        let path = scratch("demo.json", DEMO);
        assert!(super::map(&std::fs::File::open(&path).expect("opens")).is_some());
        let mapped = read(&path).expect("the demo compiles");
        let from_text = Catalog::from_json(DEMO).expect("the demo compiles");
        assert_eq!(summary(&mapped), summary(&from_text));
        assert_eq!(mapped.products().len(), 10);
    }

    #[test]
    fn a_mapped_file_fails_as_its_stream_does() {
        for (name, text) in [
            ("broken.json", "{\"markets\": [}"),
            ("empty.json", ""),
            ("unknown.json", "{\"markets\": [], \"colours\": []}"),
        ] {
            let path = scratch(name, text);
            let mapped = read(&path).err().map(|e| e.to_string());
            // As the file read as a stream (the CLI's reader before the map) fails.
            let streamed = Catalog::from_reader(text.as_bytes())
                .err()
                .map(|e| e.to_string());
            assert!(mapped.is_some(), "{name} is not a catalog");
            assert_eq!(mapped, streamed, "{name}");
        }
    }

    /// A named pipe cannot be mapped: it is read as a stream, to the same catalog.
    #[cfg(unix)]
    #[test]
    fn a_pipe_is_read_as_a_stream() {
        let path = scratch("pipe.json", "").with_extension("fifo");
        let _ = std::fs::remove_file(&path);
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let writer = {
            let path = path.clone();
            std::thread::spawn(move || std::fs::write(path, DEMO))
        };
        let file = std::fs::File::open(&path).expect("the pipe opens");
        assert!(super::map(&file).is_none(), "a pipe is not mapped");
        let piped = super::catalog(file).expect("the demo compiles");
        writer
            .join()
            .expect("the writer ends")
            .expect("the pipe is written");
        let from_text = Catalog::from_json(DEMO).expect("the demo compiles");
        assert_eq!(summary(&piped), summary(&from_text));
    }
}
