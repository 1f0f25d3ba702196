//! The catalogs and renderings of tests/scenarios, read once at run time (the structured targets pick
//! among them so that markets without the prior-price rule, JPY prices, perishables... are reached).

#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

use unisono::{Catalog, Rendering};

pub struct Scenario {
    pub catalog_text: String,
    pub catalog: Catalog,
    pub renderings: Vec<Rendering>,
}

/// The demo catalog first, then every scenario that has its own catalog.
pub fn scenarios() -> &'static [Scenario] {
    static ALL: OnceLock<Vec<Scenario>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut out = vec![Scenario {
            catalog_text: super::common::DEMO_CATALOG.to_owned(),
            catalog: super::common::demo_catalog().clone(),
            renderings: super::common::demo_renderings().to_vec(),
        }];
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
        let mut dirs: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        dirs.sort();
        for d in dirs {
            let Ok(catalog_text) = std::fs::read_to_string(d.join("catalog.json")) else {
                continue;
            };
            let Ok(catalog) = Catalog::from_json(&catalog_text) else {
                continue;
            };
            let renderings = std::fs::read_to_string(d.join("renderings.json"))
                .ok()
                .and_then(|t| unisono::rendering::read_renderings(&t).ok())
                .unwrap_or_default();
            out.push(Scenario {
                catalog_text,
                catalog,
                renderings,
            });
        }
        out
    })
}
