//! A strict parser of the OpenMetrics text that `prometheus_client`'s
//! `encode` writes, for the tests. The README's table and the scenarios are
//! `backon-metrics-support`'s, shared with the OpenTelemetry crate.
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
