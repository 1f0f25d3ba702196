//! Proof of what a channel showed (CONTRACT §14): where the rendering was read, when, a digest of
//! what was read and a screenshot of it. unisono never reads these; it echoes them in the findings
//! of the rendering, so that a person acting on a finding can see the page as it was.

use serde::{Deserialize, Serialize};

/// A rendering's `"evidence"`: every field an optional string, echoed untouched in its findings.
///
/// ```
/// let r: unisono::Rendering = serde_json::from_str(r#"{"id": "pdp", "channel": "web-it", "sku": "LAPTOP-14",
///   "shown": {"at": "2026-11-28T10:00:00+01:00"},
///   "evidence": {"url": "https://shop.example/p/laptop-14", "fetched_at": "2026-11-28T10:00:03+01:00"}}"#)?;
/// let evidence = r.evidence.expect("the rendering carries evidence");
/// assert_eq!(evidence.url.as_deref(), Some("https://shop.example/p/laptop-14"));
/// assert_eq!(evidence.sha256, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Where the rendering was read (a page's address, a feed's, a file's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was read, as the reader wrote it (RFC 3339 expected, not checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched_at: Option<String>,
    /// A digest of what was read (hex SHA-256 expected, not checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Where a screenshot of it is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screenshot: Option<String>,
}
