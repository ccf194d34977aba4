//! The instrument table under a README's `## Instruments` heading.

use std::collections::BTreeSet;

/// How a table writes its `unit` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Units {
    /// A `code` span in every row, as OpenTelemetry's units: `s`, `{call}`.
    Code,
    /// Words as written, as Prometheus's, whose unit is part of the name:
    /// `seconds`, `calls`, `—`.
    Words,
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The instrument's name.
    pub name: String,
    /// `counter`, `histogram` or `gauge`.
    pub kind: String,
    /// The unit, read as [`Units`] says.
    pub unit: String,
    /// The label (attribute) keys.
    pub labels: Vec<String>,
    /// Whether the crate records it now: `yes`, not `pending: …`.
    pub recorded: bool,
}

/// Parses the table under `## Instruments` in `readme`.
///
/// # Panics
///
/// Panics when the section, the header or a row is not as expected, or a
/// `code` cell is empty.
pub fn instrument_table(readme: &str, units: Units) -> Vec<Row> {
    let section = readme
        .split("\n## Instruments\n")
        .nth(1)
        .expect("a ## Instruments section");
    let mut lines = section.lines().skip_while(|l| !l.starts_with('|'));

    let header = lines.next().expect("a table");
    assert_eq!(
        cells(header),
        ["name", "kind", "unit", "labels", "meaning", "recorded"]
    );
    assert!(lines.next().is_some_and(|l| l.starts_with("|---")));

    lines
        .take_while(|l| l.starts_with('|'))
        .map(|line| row(line, units))
        .collect()
}

/// The names of the rows recorded now, not pending.
pub fn recorded(rows: &[Row]) -> BTreeSet<String> {
    rows.iter()
        .filter(|r| r.recorded)
        .map(|r| r.name.clone())
        .collect()
}

fn row(line: &str, units: Units) -> Row {
    let c = cells(line);
    assert_eq!(c.len(), 6, "{line}");

    Row {
        name: ticked(&c[0]).pop().expect("a `name`"),
        kind: c[1].clone(),
        unit: match units {
            Units::Code => ticked(&c[2]).pop().expect("a `unit`"),
            Units::Words => c[2].clone(),
        },
        labels: ticked(&c[3]),
        recorded: match c[5].as_str() {
            "yes" => true,
            pending if pending.starts_with("pending: ") => false,
            other => panic!("recorded must be yes or pending: …, not {other}"),
        },
    }
}

fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

/// The `code` spans of a cell.
fn ticked(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const README: &str = "\
# x

## Instruments

| name | kind | unit | labels | meaning | recorded |
|---|---|---|---|---|---|
| `a.calls` | counter | `{call}` | `operation`, `outcome` | Calls. | yes |
| `a.later` | gauge | `{x}` | `operation` | Later. | pending: not yet |

## Next
";

    #[test]
    fn reads_each_row() {
        let rows = instrument_table(README, Units::Code);
        assert_eq!(
            rows[0],
            Row {
                name: "a.calls".into(),
                kind: "counter".into(),
                unit: "{call}".into(),
                labels: vec!["operation".into(), "outcome".into()],
                recorded: true,
            }
        );
        assert_eq!(rows.len(), 2);
        assert!(!rows[1].recorded);
        assert_eq!(recorded(&rows), BTreeSet::from(["a.calls".to_string()]));
        assert_eq!(instrument_table(README, Units::Words)[0].unit, "`{call}`");
    }

    #[test]
    #[should_panic(expected = "recorded must be yes or pending")]
    fn rejects_an_unknown_recorded_cell() {
        instrument_table(&README.replace("| yes |", "| maybe |"), Units::Code);
    }

    #[test]
    #[should_panic(expected = "a `unit`")]
    fn a_code_unit_must_be_a_code_span() {
        instrument_table(&README.replace("`{call}`", "calls"), Units::Code);
    }
}
