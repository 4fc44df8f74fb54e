//! What `events validate` found: counts per event type and every invalid line's problems.

use super::InputLine;
use crate::model::validate::{Problem, SourceFormat};
use crate::report::{Report, Table};
use serde::Serialize;
use std::collections::BTreeMap;

/// A line that failed validation, with every problem found.
#[derive(Debug, Clone, Serialize)]
pub struct InvalidLine {
    pub line: usize,
    pub problems: Vec<Problem>,
}

/// What `events validate` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ValidationReport {
    /// The input's name (a path or `-`).
    pub input: String,
    /// Non-blank lines read.
    pub lines: usize,
    pub valid: usize,
    pub invalid: usize,
    /// Valid lines that were legacy `EmailBackfillEvent`s (upcast to `EmailEvent`).
    pub legacy: usize,
    /// Valid events per `event_type` (after upcast).
    pub by_event_type: BTreeMap<String, usize>,
    pub invalid_lines: Vec<InvalidLine>,
}

impl ValidationReport {
    /// An empty report for `input`.
    pub fn new(input: impl Into<String>) -> Self {
        Self {
            input: input.into(),
            ..Self::default()
        }
    }

    /// Counts one line.
    pub fn record(&mut self, line: &InputLine) {
        self.lines += 1;
        match &line.outcome {
            Ok(validated) => {
                self.valid += 1;
                if validated.source == SourceFormat::LegacyEmailBackfill {
                    self.legacy += 1;
                }
                let event_type = validated.event.data_type().event_type();
                *self
                    .by_event_type
                    .entry(event_type.to_string())
                    .or_default() += 1;
            }
            Err(problems) => {
                self.invalid += 1;
                self.invalid_lines.push(InvalidLine {
                    line: line.line,
                    problems: problems.clone(),
                });
            }
        }
    }
}

impl Report for ValidationReport {
    fn tables(&self) -> Vec<Table> {
        let mut tables = Vec::new();
        if !self.invalid_lines.is_empty() {
            let mut problems = Table::new(["line", "path", "problem"])
                .titled(format!("Invalid lines in `{}`", self.input));
            for invalid in &self.invalid_lines {
                for problem in &invalid.problems {
                    problems.push([
                        invalid.line.to_string(),
                        problem.path.clone(),
                        problem.message.clone(),
                    ]);
                }
            }
            tables.push(problems);
        }
        let mut summary = Table::new(["event type", "valid"]).titled(format!(
            "{} lines: {} valid ({} legacy, upcast), {} invalid",
            self.lines, self.valid, self.legacy, self.invalid
        ));
        for (event_type, count) in &self.by_event_type {
            summary.push([event_type.clone(), count.to_string()]);
        }
        tables.push(summary);
        tables
    }
}
