//! `PUT /v1/catalog` swaps atomically: while catalogs A and B are put in force one after the
//! other, every answer is exactly the answer of the one generation it names, never a mix.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};

use common::{Ask, Expected, bearer, catalog_a, catalog_b, client, start};
use unisono_serve::Limits;

#[test]
fn every_answer_is_computed_on_one_generation() {
    let server = start(true, Limits::default());
    let expected = Expected::new();
    let done = AtomicBool::new(false);
    let swaps = 20;
    let (a, b) = (catalog_a(), catalog_b());
    std::thread::scope(|scope| {
        let askers: Vec<_> = [Ask::Validate, Ask::Offer]
            .into_iter()
            .map(|ask| {
                let (server, expected, done) = (&server, &expected, &done);
                scope.spawn(move || {
                    let mut client = client(server);
                    let (path, body) = Expected::request(ask);
                    let mut seen = std::collections::BTreeSet::new();
                    let mut answers = 0;
                    // Bounded in count, whatever the speed of the machine.
                    while !done.load(Ordering::Relaxed) && answers < 200_000 {
                        let response = client
                            .request("POST", path, &[bearer()], body.as_bytes())
                            .expect("the server answers");
                        seen.insert(expected.check(ask, &response).unwrap());
                        answers += 1;
                    }
                    (answers, seen)
                })
            })
            .collect();
        let mut client = client(&server);
        for swap in 0..swaps {
            let catalog = if swap % 2 == 0 { &b } else { &a };
            let response = client
                .request("PUT", "/v1/catalog", &[bearer()], catalog.as_bytes())
                .unwrap();
            assert_eq!(response.status, 200, "{}", response.text());
            let accepted: serde_json::Value = serde_json::from_str(&response.text()).unwrap();
            assert_eq!(accepted["generation"], swap + 2);
        }
        done.store(true, Ordering::Relaxed);
        for asker in askers {
            let (answers, seen) = asker.join().unwrap();
            assert!(answers > 0);
            assert!(seen.iter().all(|g| (1..=swaps + 1).contains(g)), "{seen:?}");
        }
    });
    // After the last swap (A), the answer is A's.
    let mut client = client(&server);
    let (path, body) = Expected::request(Ask::Validate);
    let response = client
        .request("POST", path, &[bearer()], body.as_bytes())
        .unwrap();
    assert_eq!(expected.check(Ask::Validate, &response), Ok(swaps + 1));
}
