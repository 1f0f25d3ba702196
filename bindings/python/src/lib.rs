//! `unisono._unisono`: the native half of the Python package `unisono` (the Python half, in
//! `python/unisono/`, holds the exception classes, the stubs and the conversion of dicts to JSON).
//!
//! Every call that does real work (compiling a catalog, validating) releases the GIL: other Python
//! threads run meanwhile, and several threads may validate against one catalog at once.

mod arrow;
mod catalog;
mod errors;
mod report;
mod validator;

use pyo3::prelude::*;

#[pymodule]
fn _unisono(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<catalog::Catalog>()?;
    m.add_class::<catalog::Offer>()?;
    m.add_class::<validator::Policy>()?;
    m.add_class::<validator::Validator>()?;
    m.add_class::<report::Report>()?;
    m.add_class::<report::Summary>()?;
    m.add_class::<report::Finding>()?;
    Ok(())
}
