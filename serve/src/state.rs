//! What every request reads: the current catalog generation, swapped atomically, and the metrics.

use std::sync::Arc;

use arc_swap::ArcSwap;

use crate::metrics::Metrics;
use crate::{Limits, Token};

/// One catalog as compiled, with the policy it is checked under and its generation number.
/// A request takes one `Arc<Generation>` at its start and computes everything on it: a swap in
/// the meantime does not touch it, and it is freed when the last request on it ends.
#[derive(Debug)]
pub(crate) struct Generation {
    pub(crate) catalog: unisono::Catalog,
    pub(crate) policy: unisono::Policy,
    /// 1 for the catalog the server started with, then one more at each accepted `PUT`.
    pub(crate) number: u64,
}

/// The server's shared state.
#[derive(Debug)]
pub(crate) struct Shared {
    current: ArcSwap<Generation>,
    /// Serializes swaps, so that generation numbers follow the order of replacement.
    swapping: std::sync::Mutex<()>,
    pub(crate) metrics: Metrics,
    pub(crate) token: Option<Token>,
    pub(crate) limits: Limits,
}

impl Shared {
    pub(crate) fn new(
        catalog: unisono::Catalog,
        policy: unisono::Policy,
        token: Option<Token>,
        limits: Limits,
    ) -> Shared {
        let metrics = Metrics::new();
        metrics.set_generation(1);
        Shared {
            current: ArcSwap::from_pointee(Generation {
                catalog,
                policy,
                number: 1,
            }),
            swapping: std::sync::Mutex::new(()),
            metrics,
            token,
            limits,
        }
    }

    /// The generation in force now.
    pub(crate) fn current(&self) -> Arc<Generation> {
        self.current.load_full()
    }

    /// Puts `catalog` in force, under the current policy; returns its generation number.
    pub(crate) fn replace(&self, catalog: unisono::Catalog) -> u64 {
        // A poisoned lock only means another swap panicked; the swap itself is one store.
        let _swapping = self
            .swapping
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let old = self.current.load();
        let number = old.number + 1;
        self.current.store(Arc::new(Generation {
            catalog,
            policy: old.policy.clone(),
            number,
        }));
        self.metrics.set_generation(number);
        number
    }
}
