//! Publishing under the migration's publish mode: `legacy` sends the legacy event to the legacy
//! topic, `new` the new event to the new topic, `dual` both with the same idempotency key so
//! consumers (and the parity check) can pair them. The mode is read from Redis on every run.

use super::flags::{Flag, PublishMode};
use super::store::MigrationStore;
use crate::events::NumberedPlan;
use crate::model::catalog::{DataType, LEGACY_EMAIL_EVENT_TYPE};
use crate::model::envelope::attr;
use crate::model::events::EmailEvent;
use crate::model::legacy;
use crate::model::store::StoreError;
use crate::pubsub::names;
use std::collections::BTreeMap;

/// The legacy topic a data type moves from, if it has one.
pub fn legacy_topic(data_type: DataType) -> Option<&'static str> {
    match data_type {
        DataType::Email => Some("email-backfill"),
        DataType::Calendar => Some("calendar-updates"),
        DataType::Contact => Some("contact-updates"),
        _ => None,
    }
}

/// The publish mode of every data type that has a legacy topic (missing flag: `legacy`).
pub async fn read_modes(
    store: &dyn MigrationStore,
) -> Result<BTreeMap<DataType, PublishMode>, StoreError> {
    let mut modes = BTreeMap::new();
    for data_type in DataType::all().filter(|t| legacy_topic(*t).is_some()) {
        let flag = Flag::PublishMode {
            data_type: data_type.doc_type().to_string(),
        };
        let mode = match store.get(&flag.key()).await? {
            Some(value) => value.parse().unwrap_or(PublishMode::Legacy),
            None => PublishMode::Legacy,
        };
        modes.insert(data_type, mode);
    }
    Ok(modes)
}

/// Rewrites planned messages for the publish modes: drops, keeps or adds legacy copies.
/// Messages of data types without a legacy topic pass through unchanged.
pub fn route(
    plans: Vec<NumberedPlan>,
    project: &str,
    modes: &BTreeMap<DataType, PublishMode>,
) -> Vec<NumberedPlan> {
    let mut routed = Vec::with_capacity(plans.len());
    for plan in plans {
        let data_type = DataType::all().find(|t| t.topic() == plan.plan.topic);
        let (Some(data_type), Some(legacy)) = (data_type, data_type.and_then(legacy_topic)) else {
            routed.push(plan);
            continue;
        };
        let mode = modes
            .get(&data_type)
            .copied()
            .unwrap_or(PublishMode::Legacy);
        if mode.publishes_legacy() {
            let mut copy = plan.clone();
            copy.topic = names::topic(project, legacy);
            // Payloads are stored once, with the new message.
            copy.plan.parked.clear();
            if data_type == DataType::Email
                && let Ok(event) = serde_json::from_slice::<EmailEvent>(&copy.plan.message.data)
                && let Ok(body) = serde_json::to_vec(&legacy::downcast(&event))
            {
                copy.plan.message.data = body.into();
                copy.plan
                    .message
                    .attributes
                    .insert(attr::EVENT_TYPE.into(), LEGACY_EMAIL_EVENT_TYPE.into());
            }
            if !mode.publishes_new() {
                copy.plan.parked = plan.plan.parked.clone();
            }
            routed.push(copy);
        }
        if mode.publishes_new() {
            routed.push(plan);
        }
    }
    routed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{NumberedEvent, plan_all};
    use crate::model::claim_check::ClaimCheckConfig;
    use crate::model::envelope;

    fn email_plans() -> Vec<NumberedPlan> {
        let path = format!(
            "{}/tests/fixtures/events/valid/email.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let event = crate::model::validate::validate_bytes(
            std::fs::read_to_string(path).unwrap().as_bytes(),
        )
        .unwrap()
        .event;
        plan_all(
            vec![NumberedEvent { line: 1, event }],
            "p",
            None,
            &ClaimCheckConfig::default(),
            true,
        )
        .unwrap()
    }

    #[test]
    fn dual_mode_sends_a_legacy_copy_with_the_same_idempotency_key() {
        let modes = BTreeMap::from([(DataType::Email, PublishMode::Dual)]);
        let routed = route(email_plans(), "p", &modes);
        let topics: Vec<&str> = routed.iter().map(|p| p.topic.as_str()).collect();
        assert_eq!(
            topics,
            [
                "projects/p/topics/email-backfill",
                "projects/p/topics/emails"
            ]
        );
        let (legacy, new) = (&routed[0].plan.message, &routed[1].plan.message);
        assert_eq!(
            legacy.attributes[attr::IDEMPOTENCY_KEY],
            new.attributes[attr::IDEMPOTENCY_KEY]
        );
        assert_eq!(legacy.attributes[attr::EVENT_TYPE], "EmailBackfillEvent");
        // The legacy copy decodes (upcast) to the same event identity.
        let decoded = envelope::decode_message(&legacy.data, &legacy.attributes).unwrap();
        assert_eq!(
            decoded.source,
            crate::model::validate::SourceFormat::LegacyEmailBackfill
        );
    }

    #[test]
    fn legacy_and_new_modes_send_one_copy() {
        let legacy = route(
            email_plans(),
            "p",
            &BTreeMap::from([(DataType::Email, PublishMode::Legacy)]),
        );
        assert_eq!(legacy.len(), 1);
        assert_eq!(legacy[0].topic, "projects/p/topics/email-backfill");
        let new = route(
            email_plans(),
            "p",
            &BTreeMap::from([(DataType::Email, PublishMode::New)]),
        );
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].topic, "projects/p/topics/emails");
    }
}
