//! Typed command reports and the neutral table shape they offer to the renderer.
//!
//! Every command that reports returns a value that is both `Serialize` (for JSON/YAML) and
//! [`Report`] (for tables). The binary owns the single renderer that turns either into text.

use serde::Serialize;

/// Version of the JSON/YAML report format; bumped on incompatible changes.
pub const FORMAT_VERSION: u32 = 1;

/// A table as data: the renderer draws it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Optional heading shown above the table.
    pub title: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers and no rows.
    pub fn new<I, S>(headers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            title: None,
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Sets the heading.
    pub fn titled(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Appends a row.
    pub fn push<I, S>(&mut self, row: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.rows.push(row.into_iter().map(Into::into).collect());
    }
}

/// A command's result, renderable as tables or serialized as JSON/YAML.
pub trait Report: Serialize {
    /// The tables that show this report to a person.
    fn tables(&self) -> Vec<Table>;
}
