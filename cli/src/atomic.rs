//! Files written whole or not at all: each is written under a temporary name beside its
//! destination and renamed over it once complete, so that a full disk or a failure half-way leaves
//! the old file (or none), never a truncated one that a later step would read as complete.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written; [`AtomicFile::commit`] puts it in place. Dropped without a commit, its
/// temporary file is removed.
pub struct AtomicFile {
    temporary: PathBuf,
    destination: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Starts writing `destination` (as `.destination.partial` in its folder).
    pub fn create(destination: &Path) -> std::io::Result<AtomicFile> {
        let name = destination
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temporary = destination.with_file_name(format!(".{name}.partial"));
        let file = File::create(&temporary)?;
        Ok(AtomicFile {
            temporary,
            destination: destination.to_owned(),
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// Flushes the file to disk and renames it over its destination.
    pub fn commit(mut self) -> std::io::Result<()> {
        if let Some(writer) = self.writer.take() {
            let file = writer.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
        }
        std::fs::rename(&self.temporary, &self.destination)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match &mut self.writer {
            Some(writer) => writer.write(bytes),
            None => Err(std::io::Error::other("the file is already committed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.writer {
            Some(writer) => writer.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            // Not committed: the partial file goes; the destination is untouched.
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AtomicFile;
    use std::io::Write;

    #[test]
    fn a_file_appears_whole_on_commit_and_not_at_all_without() {
        let dir = std::env::temp_dir().join(format!("unisono-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        let path = dir.join("out.json");
        let _ = std::fs::remove_file(&path);
        {
            let mut file = AtomicFile::create(&path).expect("created");
            file.write_all(b"half").expect("written");
            // Dropped without a commit: as if the run had failed half-way.
        }
        assert!(!path.exists());
        assert!(!dir.join(".out.json.partial").exists());
        let mut file = AtomicFile::create(&path).expect("created");
        file.write_all(b"whole").expect("written");
        file.commit().expect("committed");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "whole");
        std::fs::remove_dir_all(&dir).expect("cleaned");
    }
}
