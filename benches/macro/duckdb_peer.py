#!/usr/bin/env python3
"""The peer of `unisono validate`: the same core checks, written in SQL for DuckDB.

This is the benchmark's point of comparison: what a team without unisono would write to check
what its channels show against its catalog, with an analytical database and an afternoon.
It reads the catalog (CONTRACT §2, one JSON document) and the renderings (CONTRACT §3, JSON
Lines) with DuckDB's JSON reader, flattens them into tables, and computes in SQL, for every
rendering at its instant `shown.at` (or `shown.from`):

(a) the public price: the regular price (a channel-specific price entry before a market-wide
    one), then the promotions for `everyone` active at the instant on the rendering's channel
    (`markets` / `channels` null = all) that target the product by SKU or by category (a
    category covers its sub-categories), walked by priority (high first) then id: an exclusive
    one applies only if nothing applied before it and then stops the walk; a fixed price applies
    only below the current price; each step rounds half away from zero to the currency's minor
    unit; never below one minor unit; multi-buys do not change the price. The walk is a
    recursive CTE, one step per promotion.
(b) the prior price (Omnibus, CONTRACT §8) for renderings with a `reference_price` claim: the
    public price is evaluated at every change point of the (product, channel) pair (price
    entries and promotions starting or ending), which gives its price history as segments; the
    reduction's start S is the start of the uninterrupted run of segments below the regular
    price that holds the instant (window functions, ASOF JOIN); the prior price is the lowest
    public price of the segments overlapping [max(S - D calendar days in the market's zone,
    launched), S).
(c) the stock available to the channel: for each of the channel's locations, the latest
    snapshot at or before the instant (ASOF JOIN), max(0, on_hand - reserved), summed; a
    location never counted gives 0.

and flags (rule codes of CONTRACT §7, so that the result can be compared with unisono's):
  price.mismatch             a `price` claim differs from the public price (or there is none)
  price.currency_mismatch    a `price` / `reference_price` claim in another currency
  reference.not_lowest_prior a `reference_price` differs from the prior price, or is shown while
                             no reduction is in progress (markets with reference_price_days)
  reference.no_history       (warning) a reduction without any public price in its lookback
  reference.mismatch         markets without the rule: the reference is not the regular price
  stock.false_scarcity       `stock_quantity` below the available units; `low_stock` above 5
  stock.overstated           `stock_quantity` above the available units
  stock.unavailable          `in_stock` / `low_stock` with nothing available; `pickup_at` a
                             location with nothing available
  stock.understated          `out_of_stock` while some is available
  stock.bait_advertising     a tv/radio/print/email/social rendering with a price claim and
                             nothing available at the instant

What is simplified, as a team would (and why unisono can still disagree):
  * One instant per rendering: `shown.at`, or the start of a `shown` window. unisono checks
    every instant of a window (every change point inside it); on renderings shown over a window
    the peer misses a claim that turns false after `shown.from`. `unisono gen` writes mostly
    `{"at": ...}` renderings, where both check the same thing.
  * Only the checks above. Identity is a join: a rendering whose channel or product is unknown
    (the product named by `sku`, or by `gtin` compared as GTIN-14), or not in the channel's
    assortment, is skipped, as unisono skips its claims. No member prices, percent/amount off,
    validity, promotions, unit prices, GTIN/title or cross-channel checks.
  * The default policy is hard-coded (low_stock threshold 5, min_advertised_stock 1,
    reference_scope "channel"); no policy file.
  * Money is integer minor units with a small table of currencies that are not 2-decimal
    (JPY, KRW, … 0; BHD, KWD, … 3); the catalog is trusted to compile (no validation of it).
  * A price claim is compared with the public price and a reference with the prior price; the
    peer does not say what is expected, nor why, nor the first failing instant.

Usage:
  duckdb_peer.py --catalog C --renderings R.jsonl [--threads N] [--findings OUT.jsonl]

Prints one JSON object: counts (renderings, claims checked, findings per rule) and timings in
seconds (load_catalog, load_renderings, load, checks, total, and the checks' steps).
`--findings` also writes each finding as {"rendering", "claim", "rule"} per line, ordered like
unisono's report, for `compare.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import duckdb

# ISO 4217 currencies whose minor unit is not 2 (the others are read as 2-decimal).
MINOR_UNITS = {
    **dict.fromkeys("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
}

LOW_STOCK_THRESHOLD = 5  # CONTRACT §6 default
MIN_ADVERTISED_STOCK = 1  # CONTRACT §6 default
BAIT_KINDS = ("tv", "radio", "print", "email", "social")

# ---------------------------------------------------------------------------------------------
# Loading: the JSON documents into flat tables.
# ---------------------------------------------------------------------------------------------

# The catalog is one JSON object; only the fields the checks need are read (DuckDB ignores the
# others). Instants stay text until flattened, because bare local dates ("2026-11-30") are
# allowed where a market fixes the zone.
CATALOG_COLUMNS = {
    "markets": "STRUCT(id VARCHAR, currency VARCHAR, time_zone VARCHAR, reference_price_days INTEGER)[]",
    "channels": "STRUCT(id VARCHAR, kind VARCHAR, market VARCHAR, locations VARCHAR[])[]",
    "products": "STRUCT(sku VARCHAR, gtin VARCHAR, category VARCHAR, launched VARCHAR,"
    " perishable BOOLEAN, channels VARCHAR[])[]",
    "prices": 'STRUCT(sku VARCHAR, market VARCHAR, channels VARCHAR[], amount VARCHAR, "from" VARCHAR,'
    ' "until" VARCHAR)[]',
    "promotions": 'STRUCT(id VARCHAR, markets VARCHAR[], channels VARCHAR[], skus VARCHAR[],'
    ' categories VARCHAR[], "from" VARCHAR, "until" VARCHAR, mechanic JSON, audience VARCHAR,'
    ' priority INTEGER, "exclusive" BOOLEAN)[]',
    "stock": "STRUCT(sku VARCHAR, location VARCHAR, on_hand BIGINT, reserved BIGINT, as_of VARCHAR)[]",
}

RENDERING_COLUMNS = {
    "id": "VARCHAR",
    "channel": "VARCHAR",
    "sku": "VARCHAR",
    "gtin": "VARCHAR",
    "shown": 'STRUCT("at" VARCHAR, "from" VARCHAR, "until" VARCHAR)',
    "claims": "STRUCT(price VARCHAR, reference_price VARCHAR, stock_quantity BIGINT,"
    " availability VARCHAR, pickup_at VARCHAR)[]",
}


def duck_map(columns: dict[str, str]) -> str:
    return "{" + ", ".join(f"'{k}': '{v}'" for k, v in columns.items()) + "}"


def sql_string(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


MACROS = f"""
-- 10^minor unit of the currencies that are not 2-decimal; the others are 100.
CREATE TABLE currency_scale AS
SELECT * FROM (VALUES {", ".join(f"('{c}', {10 ** m})" for c, m in MINOR_UNITS.items())}) AS t(code, scale);
-- "899.00 EUR" -> 899.00 and 'EUR'. A rendering's amount is read as written ("719.2 EUR").
CREATE MACRO money_amount(s) AS CAST(split_part(s, ' ', 1) AS DECIMAL(18, 6));
CREATE MACRO money_currency(s) AS split_part(s, ' ', 2);
-- An RFC 3339 instant, or a bare local date in `zone`: as a start its midnight, as an end the next.
CREATE MACRO start_instant(s, zone) AS CASE WHEN length(s) = 10
    THEN timezone(zone, CAST(CAST(s AS DATE) AS TIMESTAMP)) ELSE CAST(s AS TIMESTAMPTZ) END;
CREATE MACRO end_instant(s, zone) AS CASE WHEN length(s) = 10
    THEN timezone(zone, CAST(CAST(s AS DATE) + 1 AS TIMESTAMP)) ELSE CAST(s AS TIMESTAMPTZ) END;
"""


def load_catalog(con: duckdb.DuckDBPyConnection, path: str) -> None:
    size = os.path.getsize(path)
    con.execute(f"""
        CREATE TEMP TABLE doc AS
        SELECT * FROM read_json({sql_string(path)}, format = 'unstructured',
                                columns = {duck_map(CATALOG_COLUMNS)},
                                maximum_object_size = {max(size + 1024, 16 << 20)})""")
    con.execute("""
        CREATE TABLE market AS
        SELECT m.id, m.currency, m.time_zone AS zone, m.reference_price_days AS ref_days,
               coalesce(c.scale, 100) AS scale
        FROM (SELECT unnest(markets) AS m FROM doc) LEFT JOIN currency_scale c ON c.code = m.currency""")
    con.execute("""
        CREATE TABLE channel AS
        SELECT c.id, c.kind, c.market FROM (SELECT unnest(channels) AS c FROM doc)""")
    con.execute("""
        CREATE TABLE channel_location AS
        SELECT c.id AS channel, unnest(c.locations) AS location
        FROM (SELECT unnest(channels) AS c FROM doc)""")
    con.execute("""
        CREATE TABLE product AS
        SELECT p.sku, lpad(p.gtin, 14, '0') AS gtin14, p.category,
               CAST(p.launched AS TIMESTAMPTZ) AS launched,
               coalesce(p.perishable, false) AS perishable, p.channels
        FROM (SELECT unnest(products) AS p FROM doc)""")
    # One row per price entry and channel it is specific to; channel NULL: market-wide. Price
    # windows are mostly bare local dates, a few hundred distinct ones: each is converted once.
    con.execute("CREATE TEMP TABLE price_raw AS SELECT p.* FROM (SELECT unnest(prices) AS p FROM doc)")
    con.execute("""
        CREATE TEMP TABLE price_bound AS
        WITH b AS (SELECT DISTINCT market, "from" AS text FROM price_raw
                   UNION SELECT DISTINCT market, "until" FROM price_raw WHERE "until" IS NOT NULL)
        SELECT b.market, b.text, start_instant(b.text, m.zone) AS as_start, end_instant(b.text, m.zone) AS as_end
        FROM b JOIN market m ON m.id = b.market""")
    con.execute("""
        CREATE TABLE price_entry AS
        SELECT p.sku, p.market, unnest(coalesce(p.channels, [NULL])) AS channel,
               CAST(money_amount(p.amount) * m.scale AS BIGINT) AS cents,
               f.as_start AS valid_from, u.as_end AS valid_until
        FROM price_raw p
        JOIN market m ON m.id = p.market
        JOIN price_bound f ON f.market = p.market AND f.text = p."from"
        LEFT JOIN price_bound u ON u.market = p.market AND u.text = p."until"
        """)
    con.execute("DROP TABLE price_raw")
    con.execute("DROP TABLE price_bound")
    # Promotions that can change the public price: audience everyone, not a multi-buy.
    con.execute("""
        CREATE TABLE promo AS
        WITH p AS (SELECT unnest(promotions) AS p FROM doc),
        m AS (SELECT p, json_extract_string(p.mechanic, '$.amount_off') AS amount_off,
                        json_extract_string(p.mechanic, '$.fixed_price') AS fixed_price FROM p)
        SELECT p.id, p.markets, p.channels, coalesce(p.priority, 0) AS priority,
               coalesce(p."exclusive", false) AS "exclusive",
               start_instant(p."from", z.zone) AS valid_from,
               end_instant(p."until", z.zone) AS valid_until,
               CASE WHEN json_exists(p.mechanic, '$.percent_off') THEN 'percent_off'
                    WHEN json_exists(p.mechanic, '$.amount_off') THEN 'amount_off'
                    WHEN json_exists(p.mechanic, '$.fixed_price') THEN 'fixed_price' END AS kind,
               CAST(json_extract_string(p.mechanic, '$.percent_off') AS DECIMAL(9, 4)) AS pct,
               CAST(money_amount(amount_off) * coalesce(c1.scale, 100) AS BIGINT) AS off_minor,
               CAST(money_amount(fixed_price) * coalesce(c2.scale, 100) AS BIGINT) AS fixed_minor,
               p.skus, p.categories
        FROM m
        LEFT JOIN currency_scale c1 ON c1.code = money_currency(amount_off)
        LEFT JOIN currency_scale c2 ON c2.code = money_currency(fixed_price)
        -- Bare dates are read in the zone of the promotion's (first) market.
        LEFT JOIN market z ON z.id = coalesce(p.markets[1], (SELECT min(id) FROM market))
        WHERE coalesce(p.audience, 'everyone') = 'everyone'
          AND NOT json_exists(p.mechanic, '$.multi_buy')""")
    con.execute("""
        CREATE TABLE stock AS
        SELECT s.sku, s.location, CAST(s.as_of AS TIMESTAMPTZ) AS as_of,
               greatest(0, s.on_hand - coalesce(s.reserved, 0)) AS avail
        FROM (SELECT unnest(stock) AS s FROM doc)""")
    con.execute("DROP TABLE doc")


def load_renderings(con: duckdb.DuckDBPyConnection, path: str) -> None:
    # rid: the input order (DuckDB keeps insertion order of one scan).
    con.execute(f"""
        CREATE TABLE rendering_raw AS
        SELECT row_number() OVER () AS rid, *
        FROM read_json({sql_string(path)}, format = 'newline_delimited',
                       columns = {duck_map(RENDERING_COLUMNS)})""")


# ---------------------------------------------------------------------------------------------
# The checks.
# ---------------------------------------------------------------------------------------------


def public_price(con: duckdb.DuckDBPyConnection, probes: str, out: str) -> None:
    """`out`(pid, regular, public) for every probe of `probes`(pid, sku, channel, instant) that has a
    regular price; probes without one are absent."""
    # The regular price: the entry covering the instant, channel-specific before market-wide.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {out}_regular AS
        SELECT q.pid, e.cents AS regular
        FROM {probes} q
        JOIN channel c ON c.id = q.channel
        JOIN price_entry e ON e.sku = q.sku AND e.market = c.market
                          AND (e.channel IS NULL OR e.channel = q.channel)
                          AND e.valid_from <= q.instant AND (e.valid_until IS NULL OR q.instant < e.valid_until)
        QUALIFY row_number() OVER (PARTITION BY q.pid ORDER BY e.channel IS NULL) = 1""")
    # The promotions in force, in the order of the walk. The product's promotions first (an
    # equi-join), then their windows: left to itself, DuckDB's planner joins every probe with
    # every promotion running at its instant (a range join) before looking at the product.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {out}_eligible AS
        WITH candidate AS MATERIALIZED (
            SELECT q.pid, q.channel, q.instant, pp.promo
            FROM {probes} q JOIN promo_product pp ON pp.sku = q.sku)
        SELECT q.pid,
               row_number() OVER (PARTITION BY q.pid ORDER BY p.priority DESC, p.id) AS k,
               p.kind, p.pct, p.off_minor, p.fixed_minor, p."exclusive"
        FROM candidate q
        JOIN channel c ON c.id = q.channel
        JOIN promo p ON p.id = q.promo
        WHERE p.valid_from <= q.instant AND (p.valid_until IS NULL OR q.instant < p.valid_until)
          AND (p.markets IS NULL OR list_contains(p.markets, c.market))
          AND (p.channels IS NULL OR list_contains(p.channels, q.channel))""")
    # The walk: step k applies promotion k to the price after step k - 1.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {out} AS
        WITH RECURSIVE walk(pid, k, cents, applied, stopped) AS (
            SELECT pid, 0, regular, false, false FROM {out}_regular
            UNION ALL
            SELECT pid, k,
                   CASE WHEN applies THEN greatest(1, new_cents) ELSE cents END,
                   applied OR applies,
                   applies AND "exclusive"
            FROM (
                SELECT w.pid, e.k, w.cents, w.applied, e."exclusive",
                       NOT (e."exclusive" AND w.applied)
                           AND (e.kind <> 'fixed_price' OR e.fixed_minor < w.cents) AS applies,
                       CASE e.kind
                           WHEN 'percent_off' THEN
                               CAST(round(CAST(w.cents AS DECIMAL(18, 0)) * (100 - e.pct) * 0.01, 0) AS BIGINT)
                           WHEN 'amount_off' THEN w.cents - e.off_minor
                           ELSE e.fixed_minor END AS new_cents
                FROM walk w JOIN {out}_eligible e ON e.pid = w.pid AND e.k = w.k + 1
                WHERE NOT w.stopped
            )
        )
        SELECT r.pid, r.regular, w.public
        FROM {out}_regular r
        JOIN (SELECT pid, arg_max(cents, k) AS public FROM walk GROUP BY pid) w USING (pid)""")
    con.execute(f"DROP TABLE {out}_regular")
    con.execute(f"DROP TABLE {out}_eligible")


def run_checks(con: duckdb.DuckDBPyConnection, steps: dict[str, float]) -> None:
    def step(name: str, sql: str) -> None:
        t = time.perf_counter()
        con.execute(sql)
        steps[name] = steps.get(name, 0.0) + time.perf_counter() - t

    # Which products each public promotion targets: by SKU, or by category and its sub-categories.
    step("targets", """
        CREATE TEMP TABLE promo_product AS
        SELECT id AS promo, unnest(skus) AS sku FROM promo WHERE skus IS NOT NULL
        UNION
        SELECT p.id, d.sku
        FROM (SELECT id, unnest(categories) AS category FROM promo WHERE categories IS NOT NULL) p
        JOIN product d ON d.category = p.category OR starts_with(d.category, p.category || '/')""")

    # The claims the checks look at, with their amounts parsed, and what each rendering claims.
    step("claims", """
        CREATE TEMP TABLE claim AS
        SELECT rid, idx, money_amount(c.price) AS price, money_currency(c.price) AS price_currency,
               money_amount(c.reference_price) AS reference, money_currency(c.reference_price) AS reference_currency,
               c.stock_quantity, c.availability, c.pickup_at
        FROM (SELECT rid, unnest(claims) AS c, generate_subscripts(claims, 1) - 1 AS idx FROM rendering_raw)
        WHERE c.price IS NOT NULL OR c.reference_price IS NOT NULL OR c.stock_quantity IS NOT NULL
           OR c.availability IS NOT NULL OR c.pickup_at IS NOT NULL""")
    # The renderings the checks apply to: known channel, known product listed on it.
    step("renderings", """
        CREATE TEMP TABLE r AS
        WITH claims AS (
            SELECT rid, bool_or(price IS NOT NULL) AS has_price,
                   bool_or(reference IS NOT NULL) AS has_reference,
                   bool_or(stock_quantity IS NOT NULL OR availability IS NOT NULL) AS has_stock
            FROM claim GROUP BY rid)
        SELECT x.rid, x.channel, c.kind, c.market, m.currency, m.ref_days, m.zone, m.scale,
               p.sku, p.perishable, p.launched,
               CAST(coalesce(x.shown."at", x.shown."from") AS TIMESTAMPTZ) AS instant,
               k.has_price, k.has_reference, k.has_stock
        FROM rendering_raw x
        JOIN claims k ON k.rid = x.rid
        JOIN channel c ON c.id = x.channel
        JOIN market m ON m.id = c.market
        LEFT JOIN product ps ON ps.sku = x.sku
        LEFT JOIN product pg ON x.sku IS NULL AND pg.gtin14 = lpad(x.gtin, 14, '0')
        JOIN product p ON p.sku = coalesce(ps.sku, pg.sku)
        WHERE p.channels IS NULL OR list_contains(p.channels, x.channel)""")

    # (a) The public price at the instant of every rendering with a price or reference claim.
    step("price_probes", """
        CREATE TEMP TABLE price_probe AS
        SELECT rid AS pid, sku, channel, instant FROM r WHERE has_price OR has_reference""")
    t = time.perf_counter()
    public_price(con, "price_probe", "price_now")
    steps["price"] = time.perf_counter() - t

    # (b) The prior price, for reference claims on a reduction in progress (public < regular).
    step("prior_pairs", """
        CREATE TEMP TABLE reduced AS
        SELECT r.rid, r.sku, r.channel, r.market, r.instant, r.zone, r.ref_days, r.launched
        FROM r JOIN price_now n ON n.pid = r.rid
        WHERE r.has_reference AND n.public < n.regular AND r.ref_days IS NOT NULL AND NOT r.perishable""")
    # Every instant the public price of a pair may change, up to its last rendering.
    step("prior_change_points", """
        CREATE TEMP TABLE change_point AS
        WITH pair AS (SELECT sku, channel, any_value(market) AS market, max(instant) AS last
                      FROM reduced GROUP BY sku, channel),
        points AS (
            SELECT q.sku, q.channel, q.last, unnest([e.valid_from, e.valid_until]) AS instant
            FROM pair q JOIN price_entry e ON e.sku = q.sku AND e.market = q.market
                                          AND (e.channel IS NULL OR e.channel = q.channel)
            UNION ALL
            SELECT q.sku, q.channel, q.last, unnest([p.valid_from, p.valid_until])
            FROM pair q JOIN promo_product pp ON pp.sku = q.sku JOIN promo p ON p.id = pp.promo
            WHERE (p.markets IS NULL OR list_contains(p.markets, q.market))
              AND (p.channels IS NULL OR list_contains(p.channels, q.channel)))
        SELECT row_number() OVER () AS pid, sku, channel, instant
        FROM (SELECT DISTINCT sku, channel, instant FROM points WHERE instant IS NOT NULL AND instant <= last)""")
    t = time.perf_counter()
    public_price(con, "change_point", "price_history")
    steps["prior_history_prices"] = time.perf_counter() - t
    # Segments [start, end) of constant price; runs of segments below the regular price.
    step("prior_segments", """
        CREATE TEMP TABLE segment AS
        WITH s AS (
            SELECT cp.sku, cp.channel, cp.instant AS start,
                   lead(cp.instant) OVER (PARTITION BY cp.sku, cp.channel ORDER BY cp.instant) AS "end",
                   h.public, coalesce(h.public < h.regular, false) AS below
            FROM change_point cp LEFT JOIN price_history h USING (pid)),
        g AS (
            SELECT *, sum(CASE WHEN below THEN 0 ELSE 1 END)
                          OVER (PARTITION BY sku, channel ORDER BY start ROWS UNBOUNDED PRECEDING) AS run
            FROM s)
        SELECT sku, channel, start, "end", public,
               CASE WHEN below THEN min(CASE WHEN below THEN start END)
                                    OVER (PARTITION BY sku, channel, run) END AS reduction_start
        FROM g""")
    # S: the start of the reduction holding the instant; then the lowest public price of the
    # D calendar days before it (not before launch).
    step("prior_price", """
        CREATE TEMP TABLE prior AS
        WITH s AS (
            SELECT d.rid, d.sku, d.channel, g.reduction_start AS s,
                   greatest(timezone(d.zone, timezone(d.zone, g.reduction_start) - to_days(d.ref_days)),
                            coalesce(d.launched, '-infinity'::TIMESTAMPTZ)) AS lo
            FROM reduced d ASOF JOIN segment g
              ON g.sku = d.sku AND g.channel = d.channel AND d.instant >= g.start)
        SELECT s.rid, min(g.public) AS prior
        FROM s LEFT JOIN segment g
          ON g.sku = s.sku AND g.channel = s.channel AND g.start < s.s
         AND coalesce(g."end", 'infinity'::TIMESTAMPTZ) > s.lo AND g.public IS NOT NULL
        GROUP BY s.rid""")

    # (c) Stock available to the channel, and at a pickup location, at the instant.
    step("stock", f"""
        CREATE TEMP TABLE stock_now AS
        WITH q AS (
            SELECT r.rid, r.sku, r.instant, cl.location, false AS pickup
            FROM r JOIN channel_location cl ON cl.channel = r.channel
            WHERE r.has_stock OR (r.has_price AND r.kind IN {BAIT_KINDS})
            UNION ALL
            SELECT r.rid, r.sku, r.instant, c.pickup_at, true
            FROM r JOIN claim c USING (rid) WHERE c.pickup_at IS NOT NULL)
        SELECT q.rid, q.location, q.pickup, coalesce(s.avail, 0) AS avail
        FROM q ASOF LEFT JOIN stock s
          ON s.sku = q.sku AND s.location = q.location AND q.instant >= s.as_of""")
    step("stock", """
        CREATE TEMP TABLE available AS
        SELECT rid, sum(avail) FILTER (WHERE NOT pickup) AS channel_units FROM stock_now GROUP BY rid""")

    # The findings, one per failing claim.
    step("flags", f"""
        CREATE TEMP TABLE finding AS
        -- price
        SELECT c.rid, c.idx,
               CASE WHEN c.price_currency <> r.currency THEN 'price.currency_mismatch'
                    ELSE 'price.mismatch' END AS rule
        FROM claim c JOIN r USING (rid) LEFT JOIN price_now n ON n.pid = c.rid
        WHERE c.price IS NOT NULL
          AND (c.price_currency <> r.currency OR n.public IS NULL OR c.price * r.scale <> n.public)
        UNION ALL
        -- reference price
        SELECT c.rid, c.idx,
               CASE WHEN c.reference_currency <> r.currency THEN 'price.currency_mismatch'
                    WHEN r.ref_days IS NULL THEN 'reference.mismatch'
                    WHEN n.public < n.regular AND p.prior IS NULL THEN 'reference.no_history'
                    ELSE 'reference.not_lowest_prior' END
        FROM claim c JOIN r USING (rid) LEFT JOIN price_now n ON n.pid = c.rid
        LEFT JOIN prior p ON p.rid = c.rid
        WHERE c.reference IS NOT NULL
          AND (c.reference_currency <> r.currency
               OR (r.ref_days IS NULL AND NOT r.perishable
                   AND c.reference * r.scale IS DISTINCT FROM n.regular)
               OR (r.ref_days IS NOT NULL AND NOT r.perishable
                   AND (coalesce(n.public >= n.regular, true)           -- no reduction in progress
                        OR p.prior IS NULL                              -- no history
                        OR c.reference * r.scale <> p.prior)))
        UNION ALL
        -- stock quantity and availability
        SELECT c.rid, c.idx,
               CASE WHEN c.stock_quantity < u THEN 'stock.false_scarcity'
                    WHEN c.stock_quantity > u THEN 'stock.overstated'
                    WHEN c.availability IN ('in_stock', 'low_stock') AND u = 0 THEN 'stock.unavailable'
                    WHEN c.availability = 'out_of_stock' AND u > 0 THEN 'stock.understated'
                    WHEN c.availability = 'low_stock' AND u > {LOW_STOCK_THRESHOLD} THEN 'stock.false_scarcity'
               END
        FROM claim c
        JOIN (SELECT r.rid, coalesce(a.channel_units, 0) AS u
              FROM r LEFT JOIN available a USING (rid)) a USING (rid)
        WHERE (c.stock_quantity IS NOT NULL AND c.stock_quantity <> u)
           OR (c.availability IN ('in_stock', 'low_stock') AND u = 0)
           OR (c.availability = 'out_of_stock' AND u > 0)
           OR (c.availability = 'low_stock' AND u > {LOW_STOCK_THRESHOLD})
        UNION ALL
        -- pickup at a location with nothing (or not in the catalog)
        SELECT c.rid, c.idx, 'stock.unavailable'
        FROM claim c LEFT JOIN stock_now s ON s.rid = c.rid AND s.pickup AND s.location = c.pickup_at
        WHERE c.pickup_at IS NOT NULL AND coalesce(s.avail, 0) = 0
        UNION ALL
        -- bait advertising: a price advertised on a mass channel with nothing to sell
        SELECT c.rid, min(c.idx), 'stock.bait_advertising'
        FROM claim c JOIN r USING (rid) LEFT JOIN available a USING (rid)
        WHERE c.price IS NOT NULL AND r.kind IN {BAIT_KINDS}
          AND coalesce(a.channel_units, 0) < {MIN_ADVERTISED_STOCK}
        GROUP BY c.rid""")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--catalog", required=True)
    ap.add_argument("--renderings", required=True, help="JSON Lines")
    ap.add_argument("--threads", type=int, default=os.cpu_count(), help="DuckDB threads (default: all cores)")
    ap.add_argument("--findings", help="write the findings here, one JSON object per line")
    ap.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 8GB (default: DuckDB's, 80%% of RAM)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET threads = {int(args.threads)}")
    con.execute("SET TimeZone = 'UTC'")
    if args.memory_limit:
        con.execute(f"SET memory_limit = {sql_string(args.memory_limit)}")
    con.execute(MACROS)
    timings: dict[str, float] = {}

    t = time.perf_counter()
    load_catalog(con, args.catalog)
    timings["load_catalog"] = time.perf_counter() - t
    t = time.perf_counter()
    load_renderings(con, args.renderings)
    timings["load_renderings"] = time.perf_counter() - t

    steps: dict[str, float] = {}
    t = time.perf_counter()
    run_checks(con, steps)
    timings["checks"] = time.perf_counter() - t

    if args.findings:
        t = time.perf_counter()
        con.execute(f"""
            COPY (SELECT x.id AS rendering, f.idx AS claim, f.rule
                  FROM finding f JOIN rendering_raw x USING (rid)
                  ORDER BY f.rid, f.idx, f.rule)
            TO {sql_string(args.findings)} (FORMAT json)""")
        timings["write_findings"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    timings["load"] = timings["load_catalog"] + timings["load_renderings"]

    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    result = {
        "duckdb": duckdb.__version__,
        "threads": int(args.threads),
        "renderings": one("SELECT count(*) FROM rendering_raw"),
        "renderings_checked": one("SELECT count(*) FROM r"),
        "claims_checked": {
            "price": one("SELECT count(*) FROM claim WHERE price IS NOT NULL"),
            "reference_price": one("SELECT count(*) FROM claim WHERE reference IS NOT NULL"),
            "reference_on_reduction": one("SELECT count(*) FROM reduced"),
            "stock_quantity": one("SELECT count(*) FROM claim WHERE stock_quantity IS NOT NULL"),
            "availability": one("SELECT count(*) FROM claim WHERE availability IS NOT NULL"),
            "pickup_at": one("SELECT count(*) FROM claim WHERE pickup_at IS NOT NULL"),
        },
        "price_history_points": one("SELECT count(*) FROM change_point"),
        "findings": dict(con.execute("SELECT rule, count(*) FROM finding GROUP BY rule ORDER BY rule").fetchall()),
        "timings_s": {k: round(v, 4) for k, v in timings.items()},
        "check_steps_s": {k: round(v, 4) for k, v in steps.items()},
    }
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
