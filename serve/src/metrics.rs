//! Counters for `GET /metrics`, in Prometheus' text format: requests by route and status,
//! latencies by route, findings by rule, the catalog generation and swaps.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use unisono::Rule;

/// The routes measured; any other path counts as `other`.
pub(crate) const ROUTES: [&str; 9] = [
    "/v1/validate",
    "/v1/offer",
    "/v1/extract/html",
    "/v1/extract/text",
    "/v1/catalog",
    "/healthz",
    "/metrics",
    "/openapi.json",
    "other",
];

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 16] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0,
];

/// A latency histogram: counts per bucket (the last is +Inf), the sum in nanoseconds.
#[derive(Debug, Default)]
struct Histogram {
    buckets: [AtomicU64; BUCKETS.len() + 1],
    sum_nanos: AtomicU64,
}

/// Every counter of the server.
#[derive(Debug)]
pub(crate) struct Metrics {
    /// (route index, status) → requests. A lock held for one increment: uncontended, it costs
    /// tens of nanoseconds, and the output comes out sorted.
    requests: Mutex<BTreeMap<(usize, u16), u64>>,
    latencies: [Histogram; ROUTES.len()],
    findings: Vec<AtomicU64>,
    generation: AtomicU64,
    swaps: AtomicU64,
    refused_catalogs: AtomicU64,
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        Metrics {
            requests: Mutex::new(BTreeMap::new()),
            latencies: Default::default(),
            findings: Rule::ALL.iter().map(|_| AtomicU64::new(0)).collect(),
            generation: AtomicU64::new(0),
            swaps: AtomicU64::new(0),
            refused_catalogs: AtomicU64::new(0),
        }
    }

    /// The index of `path` in [`ROUTES`].
    pub(crate) fn route(path: &str) -> usize {
        ROUTES
            .iter()
            .position(|r| *r == path)
            .unwrap_or(ROUTES.len() - 1)
    }

    pub(crate) fn record(&self, route: usize, status: u16, elapsed: Duration) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((route, status)).or_insert(0) += 1;
        }
        if let Some(histogram) = self.latencies.get(route) {
            let seconds = elapsed.as_secs_f64();
            let bucket = BUCKETS
                .iter()
                .position(|b| seconds <= *b)
                .unwrap_or(BUCKETS.len());
            if let Some(b) = histogram.buckets.get(bucket) {
                b.fetch_add(1, Ordering::Relaxed);
            }
            let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
            histogram.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
        }
    }

    pub(crate) fn count_findings(&self, findings: &[unisono::Finding]) {
        for finding in findings {
            if let Some(i) = Rule::ALL.iter().position(|r| *r == finding.rule)
                && let Some(counter) = self.findings.get(i)
            {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    pub(crate) fn set_generation(&self, generation: u64) {
        if generation > 1 {
            self.swaps.fetch_add(1, Ordering::Relaxed);
        }
        self.generation.store(generation, Ordering::Relaxed);
    }

    pub(crate) fn refused_catalog(&self) {
        self.refused_catalogs.fetch_add(1, Ordering::Relaxed);
    }

    /// Everything, in Prometheus' text exposition format 0.0.4.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) -> std::fmt::Result {
        writeln!(
            out,
            "# HELP unisono_requests_total Requests answered, by route and HTTP status."
        )?;
        writeln!(out, "# TYPE unisono_requests_total counter")?;
        let requests = self.requests.lock().map(|r| r.clone()).unwrap_or_default();
        for ((route, status), n) in &requests {
            let route = ROUTES.get(*route).copied().unwrap_or("other");
            writeln!(
                out,
                "unisono_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            )?;
        }
        writeln!(
            out,
            "# HELP unisono_request_duration_seconds Time from a request's headers to its response."
        )?;
        writeln!(out, "# TYPE unisono_request_duration_seconds histogram")?;
        for (route, histogram) in ROUTES.iter().zip(&self.latencies) {
            let counts: Vec<u64> = histogram
                .buckets
                .iter()
                .map(|b| b.load(Ordering::Relaxed))
                .collect();
            let total: u64 = counts.iter().sum();
            if total == 0 {
                continue;
            }
            let mut cumulative = 0;
            for (bound, count) in BUCKETS.iter().zip(&counts) {
                cumulative += count;
                writeln!(
                    out,
                    "unisono_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                )?;
            }
            writeln!(
                out,
                "unisono_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {total}"
            )?;
            let sum = histogram.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
            writeln!(
                out,
                "unisono_request_duration_seconds_sum{{route=\"{route}\"}} {sum}"
            )?;
            writeln!(
                out,
                "unisono_request_duration_seconds_count{{route=\"{route}\"}} {total}"
            )?;
        }
        writeln!(
            out,
            "# HELP unisono_findings_total Findings reported by /v1/validate, by rule."
        )?;
        writeln!(out, "# TYPE unisono_findings_total counter")?;
        for (rule, counter) in Rule::ALL.iter().zip(&self.findings) {
            let n = counter.load(Ordering::Relaxed);
            writeln!(
                out,
                "unisono_findings_total{{rule=\"{}\"}} {n}",
                rule.code()
            )?;
        }
        writeln!(
            out,
            "# HELP unisono_catalog_generation The catalog generation in force (1 at start)."
        )?;
        writeln!(out, "# TYPE unisono_catalog_generation gauge")?;
        writeln!(
            out,
            "unisono_catalog_generation {}",
            self.generation.load(Ordering::Relaxed)
        )?;
        writeln!(
            out,
            "# HELP unisono_catalog_swaps_total Catalogs put in force by PUT /v1/catalog."
        )?;
        writeln!(out, "# TYPE unisono_catalog_swaps_total counter")?;
        writeln!(
            out,
            "unisono_catalog_swaps_total {}",
            self.swaps.load(Ordering::Relaxed)
        )?;
        writeln!(
            out,
            "# HELP unisono_catalog_refusals_total Catalogs refused by PUT /v1/catalog."
        )?;
        writeln!(out, "# TYPE unisono_catalog_refusals_total counter")?;
        writeln!(
            out,
            "unisono_catalog_refusals_total {}",
            self.refused_catalogs.load(Ordering::Relaxed)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_fall_in_cumulative_buckets() {
        let metrics = Metrics::new();
        let route = Metrics::route("/v1/offer");
        metrics.record(route, 200, Duration::from_micros(80));
        metrics.record(route, 200, Duration::from_millis(3));
        metrics.record(route, 404, Duration::from_secs(20));
        let text = metrics.render();
        assert!(text.contains("unisono_requests_total{route=\"/v1/offer\",status=\"200\"} 2\n"));
        assert!(text.contains("unisono_requests_total{route=\"/v1/offer\",status=\"404\"} 1\n"));
        assert!(text.contains(
            "unisono_request_duration_seconds_bucket{route=\"/v1/offer\",le=\"0.0001\"} 1\n"
        ));
        assert!(text.contains(
            "unisono_request_duration_seconds_bucket{route=\"/v1/offer\",le=\"0.005\"} 2\n"
        ));
        assert!(text.contains(
            "unisono_request_duration_seconds_bucket{route=\"/v1/offer\",le=\"10\"} 2\n"
        ));
        assert!(text.contains(
            "unisono_request_duration_seconds_bucket{route=\"/v1/offer\",le=\"+Inf\"} 3\n"
        ));
        assert_eq!(Metrics::route("/nowhere"), Metrics::route("other"));
    }
}
