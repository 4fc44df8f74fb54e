//! `consume --types`: the data types of a run, checked against what the consumer reads.

use officectl::consume::layout::Consumer;
use officectl::model::catalog::DataType;

/// `--types`, checked against what the consumer reads.
pub fn selected(consumer: &Consumer, given: &[String]) -> anyhow::Result<Vec<DataType>> {
    let reads = consumer.data_types();
    if given.is_empty() {
        return Ok(reads);
    }
    let mut types = Vec::new();
    for name in given {
        let data_type = DataType::from_doc_type(name.trim()).ok_or_else(|| {
            officectl::exit::Failure::Usage(format!(
                "--types: unknown data type `{name}` (expected: {})",
                reads
                    .iter()
                    .map(|t| t.doc_type())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        if !reads.contains(&data_type) {
            return Err(officectl::exit::Failure::Usage(format!(
                "--types: consumer `{}` does not read `{name}`",
                consumer.name
            ))
            .into());
        }
        if !types.contains(&data_type) {
            types.push(data_type);
        }
    }
    Ok(types)
}
