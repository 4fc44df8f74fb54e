//! The single renderer: a [`Report`] as a table, JSON or YAML.
//!
//! JSON and YAML wrap the report with `format_version` so scripts can detect format changes.

use comfy_table::{ContentArrangement, presets};
use officectl::report::{FORMAT_VERSION, Report, Table};
use officectl::settings::OutputFormat;
use serde::Serialize;

#[derive(Serialize)]
struct Versioned<'a, R: Serialize> {
    format_version: u32,
    #[serde(flatten)]
    report: &'a R,
}

/// Renders `report` in `format`, ending with a newline.
pub fn render<R: Report>(report: &R, format: OutputFormat) -> anyhow::Result<String> {
    let versioned = Versioned {
        format_version: FORMAT_VERSION,
        report,
    };
    Ok(match format {
        OutputFormat::Json => serde_json::to_string_pretty(&versioned)? + "\n",
        OutputFormat::Yaml => officectl::yaml::to_string(&versioned)?,
        OutputFormat::Table => {
            let tables: Vec<String> = report.tables().iter().map(render_table).collect();
            tables.join("\n")
        }
    })
}

/// Column-aligned text without borders (greppable, like `kubectl get`), upper-case headers.
fn render_table(table: &Table) -> String {
    let mut out = String::new();
    if let Some(title) = &table.title {
        out.push_str(title);
        out.push('\n');
        if table.rows.is_empty() {
            // The title says what there is; a header over nothing says nothing.
            return out;
        }
    }
    let mut drawn = comfy_table::Table::new();
    drawn
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(table.headers.iter().map(|h| h.to_uppercase()));
    for row in &table.rows {
        drawn.add_row(row);
    }
    for column in drawn.column_iter_mut() {
        column.set_padding((0, 2));
    }
    for line in drawn.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Sample {
        items: Vec<&'static str>,
    }

    impl Report for Sample {
        fn tables(&self) -> Vec<Table> {
            let mut t = Table::new(["name", "state"]);
            for item in &self.items {
                t.push([*item, "ok"]);
            }
            vec![t.titled("Items")]
        }
    }

    #[test]
    fn a_titled_table_without_rows_is_its_title_only() {
        let text = render(&Sample { items: vec![] }, OutputFormat::Table).unwrap();
        assert_eq!(text, "Items\n");
        let text = render(&Sample { items: vec!["a"] }, OutputFormat::Table).unwrap();
        assert!(text.contains("NAME"), "{text}");
    }

    #[test]
    fn json_carries_the_format_version() {
        let text = render(&Sample { items: vec!["a"] }, OutputFormat::Json).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["format_version"], 1);
        assert_eq!(value["items"][0], "a");
    }

    #[test]
    fn yaml_carries_the_format_version() {
        let text = render(&Sample { items: vec!["a"] }, OutputFormat::Yaml).unwrap();
        assert!(text.starts_with("format_version: 1\n"), "{text}");
    }

    #[test]
    fn tables_are_aligned_without_borders() {
        let text = render(
            &Sample {
                items: vec!["alpha", "b"],
            },
            OutputFormat::Table,
        )
        .unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Items");
        assert!(lines[1].starts_with("NAME"), "{text}");
        assert!(
            lines[2].contains("alpha") && lines[2].contains("ok"),
            "{text}"
        );
        let state_col = lines[1].find("STATE").unwrap();
        assert_eq!(lines[3].find("ok"), Some(state_col), "{text}");
    }
}
