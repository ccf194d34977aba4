//! Just enough TOML reading for the xtask: the names in a manifest's
//! `[features]` table.

/// Returns the feature names of `[features]`, in the order written.
///
/// Handles keys that are bare or quoted, comments, and arrays spread over
/// several lines; that is all a `[features]` table holds.
pub(crate) fn features(manifest: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_table = false;
    let mut depth = 0usize;

    for line in manifest.lines() {
        let line = strip_comment(line).trim();

        if depth == 0 && line.starts_with('[') && !line.contains('=') {
            in_table = line == "[features]";
            continue;
        }
        if !in_table || line.is_empty() {
            continue;
        }

        if depth == 0 {
            if let Some((key, _)) = line.split_once('=') {
                names.push(key.trim().trim_matches('"').to_string());
            }
        }
        depth = (depth + line.matches('[').count()).saturating_sub(line.matches(']').count());
    }
    names
}

/// Drops a `#` comment, minding `#` inside strings.
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '#' if !in_string => return &line[..i],
            _ => {}
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::features;

    #[test]
    fn reads_the_feature_names() {
        let manifest = r#"
[package]
name = "x"

[features]
default = ["tokio"] # the usual one
# Async retry on tokio.
tokio = ["dep:backon-tokio", "async"]
"with-dash" = [
    "a",
    "b#c",
]
async = []

[dependencies]
tokio = { version = "1" }
"#;
        assert_eq!(
            features(manifest),
            ["default", "tokio", "with-dash", "async"]
        );
    }

    #[test]
    fn no_table_means_no_features() {
        assert!(features("[package]\nname = \"x\"\n").is_empty());
    }
}
