//! One schema, two namings: the Prometheus and OpenTelemetry crates
//! document the same instruments, row for row.

const PROM: &str = include_str!("../../crates/backon-metrics-prom/README.md");
const OTEL: &str = include_str!("../../crates/backon-metrics-otel/README.md");

/// `[name, kind, unit, labels, meaning, recorded]` of each row of the
/// table under `## Instruments`.
fn rows(readme: &str) -> Vec<Vec<String>> {
    let section = readme
        .split("\n## Instruments\n")
        .nth(1)
        .expect("a ## Instruments section");
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|line| {
            let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
            inner.split('|').map(|c| c.trim().to_string()).collect()
        })
        .collect()
}

/// The Prometheus name of an OpenTelemetry instrument: underscores for
/// dots, `_total` on counters, the unit on histograms.
fn prometheus_name(otel: &str, kind: &str, unit: &str) -> String {
    let base = otel.trim_matches('`').replace('.', "_");
    match (kind, unit) {
        ("counter", _) => format!("`{base}_total`"),
        ("histogram", "`s`") => format!("`{base}_seconds`"),
        _ => format!("`{base}`"),
    }
}

#[test]
fn both_crates_document_one_schema() {
    let (prom, otel) = (rows(PROM), rows(OTEL));
    assert_eq!(prom.len(), otel.len());
    assert_eq!(prom.len(), 12);

    for (p, o) in prom.iter().zip(&otel) {
        assert_eq!(p[0], prometheus_name(&o[0], &o[1], &o[2]), "names");
        assert_eq!(p[1], o[1], "kind of {}", p[0]);
        assert_eq!(p[3], o[3], "labels of {}", p[0]);
        assert_eq!(p[4], o[4], "meaning of {}", p[0]);
        assert_eq!(p[5], o[5], "recorded of {}", p[0]);
    }
}
