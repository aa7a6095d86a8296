//! Twilio's settings (R-I2, R-X8).

use crate::model::*;
use crate::{Backend, Result, Store};
use jiff::Timestamp;

impl Store {
    /// The company's Twilio settings, `None` until first saved. The status
    /// callback reads them on every delivery (one primary-key read).
    pub async fn twilio_settings(&self, company_id: CompanyId) -> Result<Option<TwilioSettings>> {
        read_tx!(self, company_id, m, c => m::twilio_settings(c, company_id).await)
    }

    /// Saves them, audited as `settings_changed` on `settings:twilio`.
    pub async fn put_twilio_settings(
        &self,
        company_id: CompanyId,
        put: &TwilioSettingsPut,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<TwilioSettings> {
        write_tx!(self, company_id, m, c => m::put_twilio_settings(c, company_id, put, actor, now).await)
    }
}
