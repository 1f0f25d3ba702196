//! The Node.js package `unisono` (napi-rs): `Catalog`, `Policy`, `Validator`, with `validateAsync`
//! computing on the libuv thread pool. Data objects (offers, reports) keep the contract's field names
//! (`regular_price`, `prior_price`), so `JSON.stringify(report)` is CONTRACT §4's document; methods
//! are camelCase as JavaScript expects.

mod errors;
mod report;

use std::sync::Arc;

use napi::JsDate;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use errors::{Origin, input_error};
pub use report::{Finding, Offer, Report, Summary};

/// The canonical catalog (CONTRACT §2), compiled once; immutable.
#[napi]
pub struct Catalog {
    inner: Arc<unisono::Catalog>,
}

#[napi]
impl Catalog {
    /// Compiles a catalog from its JSON text. Throws an Error with `code` `UNISONO_CATALOG`,
    /// `problems` (`{path, kind, message}`), and `line`, `column`, `path` for bad JSON.
    #[napi(factory)]
    pub fn from_json(env: Env, text: String) -> Result<Catalog> {
        unisono::Catalog::from_json(&text)
            .map(|c| Catalog { inner: Arc::new(c) })
            .map_err(|e| errors::catalog_error(&env, &e, None))
    }

    /// Compiles the catalog in the JSON file at `path`, reading it as it compiles.
    #[napi(factory)]
    pub fn from_path(env: Env, path: String) -> Result<Catalog> {
        let file =
            std::fs::File::open(&path).map_err(|e| Error::from_reason(format!("{path}: {e}")))?;
        let compiled = match file.metadata() {
            Ok(metadata) => unisono::Catalog::from_reader_sized(file, metadata.len()),
            Err(_) => unisono::Catalog::from_reader(file),
        };
        compiled
            .map(|c| Catalog { inner: Arc::new(c) })
            .map_err(|e| errors::catalog_error(&env, &e, Some(&path)))
    }

    /// The canonical offer of `sku` on `channel` at `at` (a `Date`, or an RFC 3339 string with an
    /// offset) as CONTRACT §5 prints it. Throws `UNISONO_OFFER` (with `reason`) when there is none.
    #[napi(ts_return_type = "Offer")]
    pub fn offer(
        &self,
        env: Env,
        sku: String,
        channel: String,
        at: Either<String, JsDate<'_>>,
    ) -> Result<serde_json::Value> {
        let at = match at {
            Either::A(text) => unisono::time::parse_instant(&text)
                .map_err(|e| Error::new(Status::InvalidArg, format!("at: {e}")))?,
            Either::B(date) => {
                let millis = date.value_of()?;
                // A Date holds whole milliseconds as a float; NaN is an invalid Date.
                #[allow(clippy::cast_possible_truncation)]
                let at = (millis.is_finite())
                    .then(|| chrono::DateTime::from_timestamp_millis(millis as i64))
                    .flatten();
                at.ok_or_else(|| Error::new(Status::InvalidArg, "at: an invalid Date"))?
            }
        };
        let offer = self
            .inner
            .offer(&sku, &channel, at)
            .map_err(|e| errors::offer_error(&env, &e))?;
        // The contract's JSON as it is: its field names, nulls and instants in the market's zone.
        serde_json::to_value(&offer).map_err(|e| Error::from_reason(format!("offer: {e}")))
    }
}

/// How findings are weighed (CONTRACT §6). `new Policy()` is the default policy.
#[napi]
pub struct Policy {
    inner: unisono::Policy,
}

#[napi]
impl Policy {
    /// The default policy.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Policy {
        Policy {
            inner: unisono::Policy::default(),
        }
    }

    /// A policy from its JSON text. Throws `UNISONO_POLICY` with `line`, `column`, `path`.
    #[napi(factory)]
    pub fn from_json(env: Env, text: String) -> Result<Policy> {
        unisono::Policy::from_json(&text)
            .map(|inner| Policy { inner })
            .map_err(|e| errors::policy_error(&env, &e))
    }
}

/// Checks renderings against one catalog under one policy.
#[napi]
pub struct Validator {
    catalog: Arc<unisono::Catalog>,
    policy: unisono::Policy,
    /// Where the library spreads its work: this validator's own threads.
    pool: Arc<rayon::ThreadPool>,
}

#[napi]
impl Validator {
    /// A validator of `catalog` under `policy` (the default when omitted). `threads` parse and
    /// validate JSON Lines (default: every core, as the CLI does).
    #[napi(constructor)]
    pub fn new(
        catalog: &Catalog,
        policy: Option<&Policy>,
        threads: Option<u32>,
    ) -> Result<Validator> {
        let threads = threads
            .and_then(|t| usize::try_from(t).ok())
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
            .max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::from_reason(format!("cannot start {threads} threads: {e}")))?;
        Ok(Validator {
            catalog: Arc::clone(&catalog.inner),
            policy: policy.map(|p| p.inner.clone()).unwrap_or_default(),
            pool: Arc::new(pool),
        })
    }

    /// Validates `renderings` (CONTRACT §3) on this thread and returns `{summary, findings}`.
    /// Throws `UNISONO_INPUT` with `line`, `column` (text) and `path` (`[index]...` for an array
    /// of objects) at the first rendering that cannot be read.
    #[napi]
    pub fn validate(
        &self,
        env: Env,
        renderings: Either<String, Vec<serde_json::Value>>,
    ) -> Result<Report> {
        let job = self.job(renderings)?;
        match job.run() {
            Ok(report) => Ok(Report::from(report)),
            Err(e) => Err(input_error(&env, job.origin, &e)),
        }
    }

    /// As `validate`, computed on the libuv thread pool: the event loop stays free. The promise
    /// rejects with an Error whose `code` is `InvalidArg` and whose message names the line,
    /// column and path.
    #[napi(ts_return_type = "Promise<Report>")]
    pub fn validate_async(
        &self,
        renderings: Either<String, Vec<serde_json::Value>>,
    ) -> Result<AsyncTask<Validation>> {
        Ok(AsyncTask::new(self.job(renderings)?))
    }
}

impl Validator {
    /// The text to validate; objects are written as JSON Lines here, on the JavaScript thread.
    fn job(&self, renderings: Either<String, Vec<serde_json::Value>>) -> Result<Validation> {
        let (text, origin) = match renderings {
            Either::A(text) => (text, Origin::Text),
            Either::B(items) => {
                let mut text = String::new();
                for item in &items {
                    let line = serde_json::to_string(item)
                        .map_err(|e| Error::from_reason(e.to_string()))?;
                    text.push_str(&line);
                    text.push('\n');
                }
                (text, Origin::Items)
            }
        };
        Ok(Validation {
            catalog: Arc::clone(&self.catalog),
            policy: self.policy.clone(),
            pool: Arc::clone(&self.pool),
            text,
            origin,
        })
    }
}

/// One validation, movable to a worker thread.
pub struct Validation {
    catalog: Arc<unisono::Catalog>,
    policy: unisono::Policy,
    pool: Arc<rayon::ThreadPool>,
    text: String,
    origin: Origin,
}

/// Why renderings could not be read: the library's error, in input order.
type ReadFailure = unisono::InputError;

impl Validation {
    fn run(&self) -> std::result::Result<unisono::Report, ReadFailure> {
        // A rendering that cannot be read is an UNISONO_INPUT error here (strict), as a caller's
        // mistake, rather than an input.malformed finding as on the command line.
        let validator = unisono::Validator::new(&self.catalog, &self.policy).strict(true);
        // Objects are always one JSON line each, whatever they hold.
        if matches!(self.origin, Origin::Text) && self.text.trim_start().starts_with('[') {
            unisono::rendering::read_renderings(&self.text).map(|r| validator.validate_all(&r))
        } else {
            self.pool
                .install(|| validator.validate_lines(self.text.as_bytes()))
        }
    }
}

impl Task for Validation {
    type Output = unisono::Report;
    type JsValue = Report;

    fn compute(&mut self) -> Result<Self::Output> {
        self.run()
            .map_err(|e| Error::new(Status::InvalidArg, errors::describe(self.origin, &e)))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(Report::from(output))
    }
}
