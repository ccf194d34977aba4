//! A strict parser of the OpenMetrics text that `prometheus_client`'s
//! `encode` writes, and the README's instrument table, for the tests.
//!
//! It rejects what it does not understand instead of skipping it, so a
//! change in the encoding fails the tests rather than passing them
//! vacuously.

#![allow(dead_code, unreachable_pub)]

use backon::prometheus::PromMetrics;
use prometheus_client::encoding::text::encode;
use prometheus_client::registry::Registry;
use std::collections::BTreeMap;

/// One metric family: its `# TYPE`, `# UNIT`, `# HELP` and samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    pub name: String,
    pub kind: String,
    pub unit: Option<String>,
    pub help: String,
    pub samples: Vec<Sample>,
}

/// One sample line.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

/// A parsed exposition.
#[derive(Debug, Clone, PartialEq)]
pub struct Exposition {
    pub families: Vec<Family>,
}

/// Encodes `registry` and parses the text.
pub fn scrape(registry: &Registry) -> Exposition {
    let mut text = String::new();
    encode(&mut text, registry).expect("the registry encodes");
    parse(&text).unwrap_or_else(|err| panic!("{err}\nin:\n{text}"))
}

/// Parses OpenMetrics text: metadata lines, then samples, then `# EOF`.
pub fn parse(text: &str) -> Result<Exposition, String> {
    let mut families: Vec<Family> = Vec::new();
    let mut eof = false;

    for (n, line) in text.lines().enumerate() {
        let at = |msg: &str| format!("line {}: {msg}: {line:?}", n + 1);
        if eof {
            return Err(at("text after # EOF"));
        }
        if line == "# EOF" {
            eof = true;
            continue;
        }

        if let Some(meta) = line.strip_prefix("# ") {
            let (keyword, rest) = meta.split_once(' ').ok_or_else(|| at("bad metadata"))?;
            let (name, arg) = rest.split_once(' ').ok_or_else(|| at("bad metadata"))?;
            check_name(name).map_err(|e| at(&e))?;

            // A family's metadata comes together, HELP first.
            let new = families.last().is_none_or(|f| f.name != name);
            if new {
                if keyword != "HELP" {
                    return Err(at("family does not start with # HELP"));
                }
                families.push(Family {
                    name: name.to_string(),
                    kind: String::new(),
                    unit: None,
                    help: arg.to_string(),
                    samples: Vec::new(),
                });
                continue;
            }
            let family = families.last_mut().expect("pushed above");
            match keyword {
                "TYPE" if family.kind.is_empty() => family.kind = arg.to_string(),
                "UNIT" if family.unit.is_none() => family.unit = Some(arg.to_string()),
                _ => return Err(at("unexpected or repeated metadata")),
            }
            continue;
        }
        if line.starts_with('#') {
            return Err(at("unknown comment"));
        }

        let sample = parse_sample(line).map_err(|e| at(&e))?;
        let family = families
            .last_mut()
            .ok_or_else(|| at("sample before any family"))?;
        let suffix = sample
            .name
            .strip_prefix(&family.name)
            .ok_or_else(|| at("sample outside its family"))?;
        let allowed: &[&str] = match family.kind.as_str() {
            "counter" => &["_total", "_created"],
            "gauge" => &[""],
            "histogram" => &["_bucket", "_sum", "_count", "_created"],
            _ => return Err(at("unknown family type")),
        };
        if !allowed.contains(&suffix) {
            return Err(at("sample suffix does not fit the family type"));
        }
        family.samples.push(sample);
    }

    if !eof {
        return Err("no # EOF".to_string());
    }
    Ok(Exposition { families })
}

fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
    if ok {
        Ok(())
    } else {
        Err(format!("bad name {name:?}"))
    }
}

fn parse_sample(line: &str) -> Result<Sample, String> {
    let name_end = line
        .find(['{', ' '])
        .ok_or_else(|| "sample without a value".to_string())?;
    let name = &line[..name_end];
    check_name(name)?;

    let rest = &line[name_end..];
    match rest.strip_prefix('{') {
        Some(labels) => parse_labels(name, BTreeMap::new(), labels),
        None => finish_sample(name, BTreeMap::new(), rest),
    }
}

/// Parses `key="value"` pairs up to the closing brace, then the value.
fn parse_labels(
    name: &str,
    mut labels: BTreeMap<String, String>,
    text: &str,
) -> Result<Sample, String> {
    let eq = text.find("=\"").ok_or("label without =\"")?;
    let key = &text[..eq];
    check_name(key)?;

    let mut value = String::new();
    let mut chars = text[eq + 2..].char_indices();
    let end = loop {
        match chars.next().ok_or("open label value")? {
            (i, '"') => break eq + 2 + i,
            (_, '\\') => match chars.next().ok_or("open escape")?.1 {
                '\\' => value.push('\\'),
                '"' => value.push('"'),
                'n' => value.push('\n'),
                other => return Err(format!("bad escape \\{other}")),
            },
            (_, c) => value.push(c),
        }
    };
    if labels.insert(key.to_string(), value).is_some() {
        return Err(format!("label {key} repeated"));
    }

    match text[end + 1..].chars().next() {
        Some(',') => parse_labels(name, labels, &text[end + 2..]),
        Some('}') => finish_sample(name, labels, &text[end + 2..]),
        _ => Err("label set not closed".to_string()),
    }
}

fn finish_sample(
    name: &str,
    labels: BTreeMap<String, String>,
    rest: &str,
) -> Result<Sample, String> {
    let value = rest
        .strip_prefix(' ')
        .ok_or_else(|| "no space before the value".to_string())?;
    if value.contains(' ') {
        return Err("timestamps and exemplars are not expected".to_string());
    }
    let value = parse_value(value)?;
    Ok(Sample {
        name: name.to_string(),
        labels,
        value,
    })
}

fn parse_value(text: &str) -> Result<f64, String> {
    match text {
        "+Inf" => Ok(f64::INFINITY),
        "-Inf" => Ok(f64::NEG_INFINITY),
        "NaN" => Ok(f64::NAN),
        _ => text.parse().map_err(|_| format!("bad value {text:?}")),
    }
}

impl Exposition {
    /// The family of this name.
    pub fn family(&self, name: &str) -> &Family {
        self.families
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no family {name}"))
    }

    /// The value of the one sample with exactly these labels.
    pub fn value(&self, sample: &str, labels: &[(&str, &str)]) -> f64 {
        let want: BTreeMap<String, String> = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let found: Vec<f64> = self
            .families
            .iter()
            .flat_map(|f| &f.samples)
            .filter(|s| s.name == sample && s.labels == want)
            .map(|s| s.value)
            .collect();
        match found.as_slice() {
            [value] => *value,
            _ => panic!("{} samples {sample}{want:?} in {self:#?}", found.len()),
        }
    }

    /// The cumulative bucket counts of one histogram series, by `le`.
    pub fn buckets(&self, histogram: &str, labels: &[(&str, &str)]) -> Vec<(String, f64)> {
        let family = self.family(histogram);
        let bucket = format!("{histogram}_bucket");
        family
            .samples
            .iter()
            .filter(|s| s.name == bucket)
            .filter(|s| {
                s.labels.len() == labels.len() + 1
                    && labels
                        .iter()
                        .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(v))
            })
            .map(|s| (s.labels["le"].clone(), s.value))
            .collect()
    }

    /// The values of `label` over every sample of a family.
    pub fn label_values(&self, family: &str, label: &str) -> Vec<String> {
        let mut values: Vec<String> = self
            .family(family)
            .samples
            .iter()
            .filter_map(|s| s.labels.get(label).cloned())
            .collect();
        values.sort();
        values.dedup();
        values
    }
}

/// A registry with the instruments registered.
pub fn registry() -> (Registry, PromMetrics) {
    let mut registry = Registry::default();
    let metrics = PromMetrics::register(&mut registry);
    (registry, metrics)
}

/// One row of the README's instrument table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub name: String,
    pub kind: String,
    pub unit: String,
    pub labels: Vec<String>,
    pub recorded: bool,
}

/// Parses the table under `## Instruments` in a README.
pub fn instrument_table(readme: &str) -> Vec<Row> {
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
        .map(|line| {
            let c = cells(line);
            assert_eq!(c.len(), 6, "{line}");
            Row {
                name: ticked(&c[0]).pop().expect("a `name`"),
                kind: c[1].clone(),
                unit: c[2].clone(),
                labels: ticked(&c[3]),
                recorded: match c[5].as_str() {
                    "yes" => true,
                    pending if pending.starts_with("pending: ") => false,
                    other => panic!("recorded must be yes or pending: …, not {other}"),
                },
            }
        })
        .collect()
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

/// Hedged calls on tokio's paused clock, with `listener` on their policies:
/// a hedge that wins, a primary that wins alone, and a budget that refuses
/// a hedge. In all: 2 hedges launched, wins 3 by index 0 and 1 by index 1,
/// 1 hedge refused by the budget.
pub fn hedge_a_few<L>(listener: L)
where
    L: backon::Listener<&'static str> + Clone,
{
    use backon::budget::TokenBudget;
    use backon::prelude::*;
    use std::time::Duration;

    let ms = Duration::from_millis;
    // Attempt `i` answers after `took(i)`.
    async fn answer(took: Duration, i: u32) -> Result<u32, &'static str> {
        tokio::time::sleep(took).await;
        Ok(i)
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a paused current-thread runtime builds");

    runtime.block_on(async {
        // The primary is stuck for a second; hedge 1, launched at 50 ms,
        // answers at 60 ms, before hedge 2 is due.
        let policy = HedgePolicy::new(ms(50)).extra(2).listen(listener.clone());
        let slow_primary = |i: u32| answer(if i == 0 { ms(1000) } else { ms(10) }, i);
        assert_eq!(slow_primary.hedge(&policy).await, Ok(1));

        // A primary that answers at once: no hedge.
        assert_eq!((|i: u32| answer(ms(0), i)).hedge(&policy).await, Ok(0));

        // One token: the first call's hedge takes it, the second call's
        // hedge is refused. Both primaries win at 100 ms.
        let budget = TokenBudget::builder()
            .capacity(1.0)
            .refund(0.0)
            .build()
            .unwrap();
        let budgeted = HedgePolicy::new(ms(10))
            .extra(1)
            .budget(budget)
            .listen(listener);
        for _ in 0..2 {
            assert_eq!((|i: u32| answer(ms(100), i)).hedge(&budgeted).await, Ok(0));
        }
    });
}

/// Trips a real breaker on virtual time, with `listener` attached: two
/// failures open it, two calls are rejected, a failed probe re-opens it, a
/// third call is rejected, and a good probe closes it. In all: transitions
/// closed→open 1, open→half_open 2, half_open→open 1, half_open→closed 1;
/// rejections 3; the breaker ends closed.
pub fn trip_a_breaker<L>(listener: L)
where
    L: backon::breaker::BreakerListener + 'static,
{
    use backon::breaker::{Breaker, BreakerOpen};
    use backon::testing::VirtualTime;
    use std::time::Duration;

    #[derive(Debug)]
    enum Error {
        Down,
        Open,
    }
    impl From<BreakerOpen> for Error {
        fn from(_: BreakerOpen) -> Self {
            Error::Open
        }
    }

    let time = VirtualTime::new();
    let breaker = Breaker::builder()
        .clock(time.clone())
        .consecutive_failures(2)
        .open_for(Duration::from_secs(5))
        .probes(1)
        .successes_to_close(1)
        .listen(listener)
        .build()
        .expect("the breaker builds");
    let fail = || breaker.call(|| Err::<(), _>(Error::Down));
    let succeed = || breaker.call(|| Ok::<(), Error>(()));

    assert!(matches!(fail(), Err(Error::Down)));
    assert!(matches!(fail(), Err(Error::Down)));
    assert!(matches!(succeed(), Err(Error::Open)));
    assert!(matches!(succeed(), Err(Error::Open)));
    time.advance(Duration::from_secs(5));
    assert!(matches!(fail(), Err(Error::Down)), "the probe runs");
    assert!(matches!(succeed(), Err(Error::Open)));
    time.advance(Duration::from_secs(5));
    assert!(matches!(succeed(), Ok(())), "the probe runs");
    assert!(matches!(succeed(), Ok(())), "closed again");
}
