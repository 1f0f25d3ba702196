//! Synthetic catalogs.
