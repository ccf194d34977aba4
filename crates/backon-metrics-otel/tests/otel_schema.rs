//! The README's instrument table is what the SDK exports: names, kinds,
//! units and attributes.

mod export;

use backon_metrics_support::{
    Row, Units, hedge_a_few, recorded, retry_each_ending, trip_a_breaker,
};
use export::{Export, Harness, Kind};
use std::collections::BTreeSet;

const README: &str = include_str!("../README.md");

/// Exports after one call of each ending, so that every instrument has a
/// data point, hedges and a breaker included: the SDK exports only
/// instruments that recorded something.
fn everything_once() -> Export {
    let otel = Harness::new();
    retry_each_ending(otel.metrics.listener("op"));
    hedge_a_few(otel.metrics.listener("op"));
    trip_a_breaker(otel.metrics.listener("op"));

    otel.collect()
}

/// The README's table, its units written as `code`.
fn instrument_table(readme: &str) -> Vec<Row> {
    backon_metrics_support::instrument_table(readme, Units::Code)
}

#[test]
fn the_table_lists_exactly_the_exported_instruments() {
    let rows = instrument_table(README);
    let exported: BTreeSet<String> = everything_once()
        .instruments
        .iter()
        .map(|i| i.name.clone())
        .collect();

    assert_eq!(exported, recorded(&rows));
    for row in rows.iter().filter(|r| !r.recorded) {
        assert!(!exported.contains(&row.name), "{} is exported", row.name);
    }
}

#[test]
fn kinds_units_and_attributes_match_the_table() {
    let rows = instrument_table(README);

    for instrument in &everything_once().instruments {
        let row = rows
            .iter()
            .find(|r| r.name == instrument.name)
            .unwrap_or_else(|| panic!("{} is not in the table", instrument.name));

        let kind = match instrument.kind {
            Kind::Counter => "counter",
            Kind::Histogram => "histogram",
            Kind::Gauge => "gauge",
        };
        assert_eq!(kind, row.kind, "{}", instrument.name);
        assert_eq!(instrument.unit, row.unit, "{}", instrument.name);
        assert!(!instrument.description.is_empty(), "{}", instrument.name);

        let keys: BTreeSet<String> = instrument
            .points
            .iter()
            .flat_map(|p| p.attributes.keys().cloned())
            .collect();
        let table: BTreeSet<String> = row.labels.iter().cloned().collect();
        assert_eq!(keys, table, "{}", instrument.name);
    }
}

#[test]
fn the_table_names_follow_opentelemetry_conventions() {
    for row in instrument_table(README) {
        assert!(row.name.starts_with("backon."), "{}", row.name);
        assert!(
            row.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.'),
            "{}",
            row.name
        );
        assert!(
            !row.name.ends_with("_total") && !row.name.ends_with("seconds"),
            "{}",
            row.name
        );
        if row.kind == "histogram" {
            assert_eq!(row.unit, "s", "{}", row.name);
        } else {
            assert!(
                row.unit.starts_with('{') && row.unit.ends_with('}'),
                "{}",
                row.name
            );
        }
    }
}
