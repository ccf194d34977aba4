//! The README's instrument table is what the registry holds: names, kinds,
//! units and labels.

mod exposition;

use backon_metrics_support::{
    Row, Units, hedge_a_few, recorded, retry_each_ending, trip_a_breaker,
};
use exposition::{registry, scrape};
use std::collections::BTreeSet;

const README: &str = include_str!("../README.md");

/// The README's table, its units written as words.
fn instrument_table(readme: &str) -> Vec<Row> {
    backon_metrics_support::instrument_table(readme, Units::Words)
}

/// The name a scrape shows for a family: counters' samples end in `_total`.
fn scraped_name(family: &exposition::Family) -> String {
    match family.kind.as_str() {
        "counter" => format!("{}_total", family.name),
        _ => family.name.clone(),
    }
}

#[test]
fn the_table_lists_exactly_the_registered_instruments() {
    let rows = instrument_table(README);
    let (registry, metrics) = registry();

    // A family shows in a scrape once it has a series: a listener makes
    // every series of its operation but the hedge winners' and the
    // breaker's states and transitions.
    hedge_a_few(metrics.listener("op"));
    trip_a_breaker(metrics.listener("op"));
    let registered: BTreeSet<String> = scrape(&registry)
        .families
        .iter()
        .map(scraped_name)
        .collect();

    assert_eq!(registered, recorded(&rows));
}

#[test]
fn pending_instruments_are_not_registered_yet() {
    let rows = instrument_table(README);
    let (registry, metrics) = registry();
    hedge_a_few(metrics.listener("op"));
    trip_a_breaker(metrics.listener("op"));
    let registered: BTreeSet<String> = scrape(&registry)
        .families
        .iter()
        .map(scraped_name)
        .collect();

    let pending: Vec<&Row> = rows.iter().filter(|r| !r.recorded).collect();
    for row in pending {
        assert!(
            !registered.contains(&row.name),
            "{} is registered",
            row.name
        );
    }
}

#[test]
fn kinds_units_and_labels_match_the_table() {
    let rows = instrument_table(README);
    let (registry, metrics) = registry();

    // One call of each ending, so that every histogram has a series.
    retry_each_ending(metrics.listener("op"));
    hedge_a_few(metrics.listener("op"));
    trip_a_breaker(metrics.listener("op"));

    let scraped = scrape(&registry);
    assert_eq!(scraped.families.len(), recorded(&rows).len());
    for family in &scraped.families {
        let name = scraped_name(family);
        let row = rows
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("{name} is not in the table"));

        assert_eq!(family.kind, row.kind, "{name}");
        let unit = if row.kind == "histogram" {
            Some(row.unit.clone())
        } else {
            None
        };
        assert_eq!(
            family.unit, unit,
            "{name}: only histograms carry a unit in the name"
        );

        let mut labels: BTreeSet<String> = family
            .samples
            .iter()
            .flat_map(|s| s.labels.keys().cloned())
            .filter(|k| k != "le")
            .collect();
        labels.remove("le");
        let table: BTreeSet<String> = row.labels.iter().cloned().collect();
        assert_eq!(labels, table, "{name}");
        assert!(!family.help.is_empty(), "{name} has help text");
    }
}

#[test]
fn the_table_names_follow_prometheus_conventions() {
    for row in instrument_table(README) {
        assert!(row.name.starts_with("backon_"), "{}", row.name);
        assert!(
            row.name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{}",
            row.name
        );
        match row.kind.as_str() {
            "counter" => assert!(row.name.ends_with("_total"), "{}", row.name),
            "histogram" => assert!(row.name.ends_with("_seconds"), "{}", row.name),
            "gauge" => assert!(!row.name.ends_with("_total"), "{}", row.name),
            other => panic!("unknown kind {other}"),
        }
        assert!(
            row.labels.contains(&"operation".to_string()),
            "{}",
            row.name
        );
    }
}

#[test]
fn the_parser_is_strict() {
    let good = "# HELP a_b A.\n# TYPE a_b counter\na_b_total{x=\"1\"} 2\n# EOF\n";
    assert_eq!(
        exposition::parse(good).unwrap().families[0].samples[0].value,
        2.0
    );

    for bad in [
        "# HELP a_b A.\n# TYPE a_b counter\na_b_total{x=\"1\"} 2\n",
        "# HELP a_b A.\n# TYPE a_b counter\na_b{x=\"1\"} 2\n# EOF\n",
        "# HELP a_b A.\n# TYPE a_b counter\nc_total 2\n# EOF\n",
        "# HELP a_b A.\n# TYPE a_b counter\na_b_total{x=\"1\" 2\n# EOF\n",
        "# HELP a_b A.\n# TYPE a_b counter\na_b_total{x=\"1\",x=\"2\"} 2\n# EOF\n",
        "# HELP a_b A.\n# TYPE a_b counter\na_b_total two\n# EOF\n",
        "# HELP a_b A.\n# TYPE a_b summary\na_b_total 2\n# EOF\n",
        "# TYPE a_b counter\na_b_total 2\n# EOF\n",
        "a_b_total 2\n# EOF\n",
    ] {
        assert!(exposition::parse(bad).is_err(), "accepted {bad:?}");
    }
}
