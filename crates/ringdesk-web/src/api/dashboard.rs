//! `GET /api/v1/dashboard` (R-U4, issue 13) and the company's lines
//! (`GET|PUT /api/v1/settings/lines`). The figures come from the store's
//! roll-ups (`ringdesk_domain::dashboard`), put together here in the
//! company's time zone: the period's totals under R-U4's names, then by
//! direction, hour of the day, day, operator, queue, dialled line and ad
//! campaign, and quote conversion. The team's figures need `view_all_calls`.

use crate::auth::Caller;
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::extract::Query;
use crate::json::JsonLater;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use ringdesk_domain::call::Direction;
use ringdesk_domain::company::Permission;
use ringdesk_domain::dashboard::{answered_within, average, percentile, ratio, Dim, Metrics};
use ringdesk_domain::phone;
use ringdesk_store::{DashboardData, LineSetting};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// The longest period one request may ask for.
pub const MAX_PERIOD_DAYS: i64 = 400;
/// The most lines a company names.
pub const MAX_LINES: usize = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// Start (inclusive): an RFC 3339 instant, or a day `YYYY-MM-DD` in the
    /// company's time zone (from its start). Default: six days before today.
    #[param(
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$"
    )]
    pub from: Option<String>,
    /// End (exclusive), as `from`. Default: the end of today.
    #[param(
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$"
    )]
    pub to: Option<String>,
}

/// Counts of one slice of calls.
#[derive(Debug, Serialize, Deserialize, ToSchema, Default, PartialEq)]
pub struct VolumeOut {
    /// Inbound calls that started (offered).
    pub offered: i64,
    pub answered: i64,
    pub missed: i64,
    pub abandoned: i64,
    /// Outbound calls that started (manual and automatic).
    pub outbound: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct HourOut {
    /// The hour of the day in the company's time zone, 0–23.
    pub hour: i64,
    #[serde(flatten)]
    pub volume: VolumeOut,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct DayOut {
    /// The day in the company's time zone.
    pub day: String,
    #[serde(flatten)]
    pub volume: VolumeOut,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct DirectionOut {
    /// `inbound`, `outbound_manual` or `outbound_auto`.
    pub direction: String,
    pub calls: i64,
    pub answered: i64,
    pub missed: i64,
    pub abandoned: i64,
    pub average_talk_seconds: Option<f64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct OperatorOut {
    pub employee_id: i64,
    pub name: String,
    /// Inbound calls they answered.
    pub answered: i64,
    /// Missed inbound calls routed to them (R-C4).
    pub missed: i64,
    /// Outbound calls they made.
    pub outbound: i64,
    /// Over every call they talked on, both directions.
    pub average_talk_seconds: Option<f64>,
    /// Their calls that recovered at least one missed call (R-C7).
    pub callbacks: i64,
    /// The missed calls those callbacks recovered, and the average recovery time.
    pub recovered_calls: i64,
    pub average_recovery_seconds: Option<f64>,
    /// Their missed calls that broke the callback SLA (issue 13 item 4).
    pub sla_breaches: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct QueueOut {
    pub queue: String,
    pub offered: i64,
    pub answered: i64,
    pub missed: i64,
    pub abandoned: i64,
    pub average_speed_of_answer_seconds: Option<f64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct LineOut {
    /// The number that was dialled (E.164 when it could be read).
    pub number: String,
    /// Its name and ad campaign from `/settings/lines`, if set.
    pub name: Option<String>,
    pub ad_campaign_id: Option<i64>,
    pub offered: i64,
    pub answered: i64,
    pub missed: i64,
    /// Leads made in the period from calls to this line, and the work orders made from those leads.
    pub leads: i64,
    pub orders: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CampaignOut {
    /// null: leads with no ad campaign.
    pub ad_campaign_id: Option<i64>,
    pub name: Option<String>,
    pub leads: i64,
    /// Leads now in a `won` status.
    pub won: i64,
    pub orders: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ConversionOut {
    /// Answered inbound calls → quotes made from them → work orders made from those quotes.
    pub answered_inbound_calls: i64,
    pub quotes: i64,
    pub orders: i64,
}

/// R-U4's dashboard for a period (see SPEC R-U4 for each definition).
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct DashboardOut {
    pub from: String,
    pub to: String,
    pub time_zone: String,
    /// T of the service level.
    pub service_level_seconds: i64,
    pub offered: i64,
    pub answered: i64,
    pub abandoned: i64,
    pub missed: i64,
    /// Missed calls of the period recovered so far (R-C7).
    pub missed_recovered: i64,
    /// Missed calls of the period that broke the callback SLA.
    pub sla_breaches: i64,
    pub average_speed_of_answer_seconds: Option<f64>,
    /// The nearest-rank 90th percentile.
    pub p90_speed_of_answer_seconds: Option<i64>,
    pub average_time_to_abandon_seconds: Option<f64>,
    /// abandoned ÷ offered, 0…1.
    pub abandonment_rate: Option<f64>,
    /// Answered within T seconds ÷ offered, 0…1.
    pub service_level: Option<f64>,
    pub by_direction: Vec<DirectionOut>,
    /// 24 entries, the hours of the day in the company's time zone.
    pub by_hour: Vec<HourOut>,
    /// Every day of the period.
    pub by_day: Vec<DayOut>,
    pub operators: Vec<OperatorOut>,
    pub queues: Vec<QueueOut>,
    pub lines: Vec<LineOut>,
    pub ad_campaigns: Vec<CampaignOut>,
    pub quote_conversion: ConversionOut,
}

/// `YYYY-MM-DD` exactly (a day in `tz`, from its start) or an RFC 3339 instant.
fn instant(field: &str, s: &str, tz: &TimeZone) -> Result<Timestamp, AppError> {
    let b = s.as_bytes();
    let is_day = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if is_day {
        let d: Date = s
            .parse()
            .map_err(|_| AppError::invalid(field, format!("{s:?} is not a day that exists")))?;
        return d
            .to_zoned(tz.clone())
            .map(|z| z.timestamp())
            .map_err(|e| AppError::invalid(field, format!("{s:?}: {e}")));
    }
    ringdesk_domain::time::rfc3339(s).ok_or_else(|| {
        AppError::invalid(
            field,
            format!("{s:?} is neither a day (2026-06-19) nor an RFC 3339 time with an offset (2026-06-19T13:00:00Z)"),
        )
    })
}

/// The period asked for, by default the last seven days up to the end of today.
pub(crate) fn period(
    from: Option<&str>,
    to: Option<&str>,
    tz: &TimeZone,
    now: Timestamp,
) -> Result<(Timestamp, Timestamp), AppError> {
    let today = now.to_zoned(tz.clone()).date();
    let day_start = |d: Date| {
        d.to_zoned(tz.clone())
            .map(|z| z.timestamp())
            .map_err(|e| AppError::internal(format!("day start: {e}")))
    };
    let to = match to {
        Some(s) => instant("to", s, tz)?,
        None => day_start(today.checked_add(1.day()).unwrap_or(today))?,
    };
    let from = match from {
        Some(s) => instant("from", s, tz)?,
        None => day_start(today.checked_sub(6.days()).unwrap_or(today))?,
    };
    if from >= to {
        return Err(AppError::invalid("to", "must be after from"));
    }
    if to.duration_since(from) > SignedDuration::from_hours(24 * MAX_PERIOD_DAYS) {
        return Err(AppError::invalid(
            "to",
            format!("the period may be at most {MAX_PERIOD_DAYS} days"),
        ));
    }
    Ok((from, to))
}

fn volume(m: &BTreeMap<Direction, Metrics>) -> VolumeOut {
    let inbound = m.get(&Direction::Inbound).copied().unwrap_or_default();
    let outbound: i64 = [Direction::OutboundManual, Direction::OutboundAuto]
        .iter()
        .filter_map(|d| m.get(d))
        .map(|x| x.calls)
        .sum();
    VolumeOut {
        offered: inbound.calls,
        answered: inbound.answered,
        missed: inbound.missed,
        abandoned: inbound.abandoned,
        outbound,
    }
}

/// Puts the store's figures together (R-U4's definitions).
pub(crate) fn report(
    data: &DashboardData,
    tz: &TimeZone,
    time_zone: &str,
    (from, to): (Timestamp, Timestamp),
    t: i64,
    names: &BTreeMap<i64, String>,
    campaign_names: &BTreeMap<i64, String>,
) -> DashboardOut {
    let f = &data.figures;
    let dirs = f.by_key(Dim::Direction);
    let inbound = dirs.get("inbound").copied().unwrap_or_default();
    // By hour of the day and by day, from the direction rows per bucket.
    let mut hours: BTreeMap<i64, BTreeMap<Direction, Metrics>> = BTreeMap::new();
    let mut days: BTreeMap<Date, BTreeMap<Direction, Metrics>> = BTreeMap::new();
    for ((bucket, dim, key), m) in &f.rows {
        if *dim != Dim::Direction {
            continue;
        }
        let Some(d) = Direction::parse(key) else {
            continue;
        };
        let local = bucket.to_zoned(tz.clone());
        hours
            .entry(i64::from(local.hour()))
            .or_default()
            .entry(d)
            .or_default()
            .add(m, 1);
        days.entry(local.date())
            .or_default()
            .entry(d)
            .or_default()
            .add(m, 1);
    }
    let first_day = from.to_zoned(tz.clone()).date();
    let last_day = (to - SignedDuration::from_millis(1))
        .to_zoned(tz.clone())
        .date();
    let mut by_day = Vec::new();
    let mut d = first_day;
    while d <= last_day {
        by_day.push(DayOut {
            day: d.to_string(),
            volume: days.get(&d).map(volume).unwrap_or_default(),
        });
        match d.checked_add(1.day()) {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    let by_hour = (0..24)
        .map(|h| HourOut {
            hour: h,
            volume: hours.get(&h).map(volume).unwrap_or_default(),
        })
        .collect();
    let by_direction = Direction::ALL
        .iter()
        .map(|d| {
            let m = dirs.get(d.as_str()).copied().unwrap_or_default();
            DirectionOut {
                direction: d.as_str().to_owned(),
                calls: m.calls,
                answered: m.answered,
                missed: m.missed,
                abandoned: m.abandoned,
                average_talk_seconds: average(m.talk_seconds, m.talked),
            }
        })
        .collect();
    // Operators: inbound and outbound rows by employee.
    let ins = f.by_key(Dim::OperatorIn);
    let outs = f.by_key(Dim::OperatorOut);
    let mut ids: Vec<i64> = ins
        .keys()
        .chain(outs.keys())
        .filter_map(|k| k.parse().ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let operators = ids
        .into_iter()
        .map(|id| {
            let i = ins.get(&id.to_string()).copied().unwrap_or_default();
            let o = outs.get(&id.to_string()).copied().unwrap_or_default();
            let mut both = i;
            both.add(&o, 1);
            OperatorOut {
                employee_id: id,
                name: names.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
                answered: i.answered,
                missed: i.missed,
                outbound: o.calls,
                average_talk_seconds: average(both.talk_seconds, both.talked),
                callbacks: both.callbacks,
                recovered_calls: both.callback_recoveries,
                average_recovery_seconds: average(
                    both.callback_recovery_seconds,
                    both.callback_recoveries,
                ),
                sla_breaches: i.sla_breaches,
            }
        })
        .collect();
    let queues = f
        .by_key(Dim::Queue)
        .into_iter()
        .map(|(queue, m)| QueueOut {
            queue,
            offered: m.calls,
            answered: m.answered,
            missed: m.missed,
            abandoned: m.abandoned,
            average_speed_of_answer_seconds: average(m.answer_seconds, m.answered),
        })
        .collect();
    let line_calls = f.by_key(Dim::Line);
    let mut line_keys: Vec<String> = line_calls.keys().cloned().collect();
    for l in &data.extras.lines {
        line_keys.push(l.line.clone());
    }
    for l in &data.lines {
        line_keys.push(l.number_key.clone());
    }
    line_keys.sort();
    line_keys.dedup();
    let lines = line_keys
        .into_iter()
        .map(|key| {
            let m = line_calls.get(&key).copied().unwrap_or_default();
            let named = data.lines.iter().find(|l| l.number_key == key);
            let leads = data.extras.lines.iter().find(|l| l.line == key);
            LineOut {
                name: named.map(|l| l.name.clone()),
                ad_campaign_id: named.and_then(|l| l.ad_campaign_id),
                number: key,
                offered: m.calls,
                answered: m.answered,
                missed: m.missed,
                leads: leads.map_or(0, |l| l.leads),
                orders: leads.map_or(0, |l| l.orders),
            }
        })
        .collect();
    let ad_campaigns = data
        .extras
        .campaigns
        .iter()
        .map(|c| CampaignOut {
            ad_campaign_id: c.ad_campaign_id,
            name: c
                .ad_campaign_id
                .and_then(|id| campaign_names.get(&id).cloned()),
            leads: c.leads,
            won: c.won,
            orders: c.orders,
        })
        .collect();
    DashboardOut {
        from: from.to_string(),
        to: to.to_string(),
        time_zone: time_zone.to_owned(),
        service_level_seconds: t,
        offered: inbound.calls,
        answered: inbound.answered,
        abandoned: inbound.abandoned,
        missed: inbound.missed,
        missed_recovered: inbound.recovered,
        sla_breaches: inbound.sla_breaches,
        average_speed_of_answer_seconds: average(inbound.answer_seconds, inbound.answered),
        p90_speed_of_answer_seconds: percentile(&f.histogram, 90),
        average_time_to_abandon_seconds: average(inbound.abandon_seconds, inbound.abandoned),
        abandonment_rate: ratio(inbound.abandoned, inbound.calls),
        service_level: ratio(answered_within(&f.histogram, t), inbound.calls),
        by_direction,
        by_hour,
        by_day,
        operators,
        queues,
        lines,
        ad_campaigns,
        quote_conversion: ConversionOut {
            answered_inbound_calls: inbound.answered,
            quotes: data.extras.quotes_from_answered_calls,
            orders: data.extras.orders_from_those_quotes,
        },
    }
}

/// Reads the figures for a period and puts them together (the API and the page).
pub(crate) async fn dashboard_for(
    state: &AppState,
    caller: &Caller,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<DashboardOut, AppError> {
    caller.require(Permission::ViewAllCalls)?;
    let company = state.store.company(caller.company_id).await?;
    let tz = TimeZone::get(&company.time_zone).unwrap_or(TimeZone::UTC);
    let (from, to) = period(from, to, &tz, Timestamp::now())?;
    let data = state.store.dashboard(caller.company_id, from, to).await?;
    let names: BTreeMap<i64, String> = state
        .store
        .employees(caller.company_id)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let campaigns: BTreeMap<i64, String> = state
        .store
        .named_items(caller.company_id, ringdesk_store::NamedList::AdCampaigns)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let t = state
        .store
        .telephony_settings(caller.company_id)
        .await?
        .service_level_seconds;
    Ok(report(
        &data,
        &tz,
        &company.time_zone,
        (from, to),
        i64::from(t),
        &names,
        &campaigns,
    ))
}

#[utoipa::path(get, path = "/api/v1/dashboard", tag = "calls", security(("bearer" = [])),
    params(DashboardQuery),
    responses((status = 200, body = DashboardOut, description = "R-U4's figures for the period, in the company's time zone"),
        (status = 403, body = ErrorBody, description = "Needs `view_all_calls`"),
        (status = 422, body = ErrorBody, description = "`from`/`to` unreadable, not in order, or more than 400 days apart")))]
pub async fn dashboard(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<DashboardQuery>,
) -> ApiResult<Json<DashboardOut>> {
    Ok(Json(
        dashboard_for(&state, &caller, q.from.as_deref(), q.to.as_deref()).await?,
    ))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineIn {
    /// The company's number as it is dialled, in any form its country reads (R-P2).
    #[schema(schema_with = crate::openapi::phone_number)]
    pub number: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub ad_campaign_id: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LineSettingOut {
    pub number: String,
    /// The number normalised: what calls are matched by.
    pub normalised: String,
    pub name: String,
    pub ad_campaign_id: Option<i64>,
}

fn line_out(l: LineSetting) -> LineSettingOut {
    LineSettingOut {
        number: l.number,
        normalised: l.number_key,
        name: l.name,
        ad_campaign_id: l.ad_campaign_id,
    }
}

#[utoipa::path(get, path = "/api/v1/settings/lines", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = Vec<LineSettingOut>), (status = 403, body = ErrorBody)))]
pub async fn get_lines(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<LineSettingOut>>> {
    caller.require(Permission::ManageSettings)?;
    let lines = state.store.lines(caller.company_id).await?;
    Ok(Json(lines.into_iter().map(line_out).collect()))
}

/// Reads a typed list of lines, or names the entry in error (`[i].field`).
pub(crate) fn parse_lines(
    body: Vec<LineIn>,
    country: &phone::Country,
) -> Result<Vec<LineSetting>, AppError> {
    if body.len() > MAX_LINES {
        return Err(AppError::invalid(
            "body",
            format!("at most {MAX_LINES} lines"),
        ));
    }
    let mut out: Vec<LineSetting> = Vec::with_capacity(body.len());
    for (i, l) in body.into_iter().enumerate() {
        if l.number.chars().count() > 64 {
            return Err(AppError::invalid(
                &format!("[{i}].number"),
                "at most 64 characters",
            ));
        }
        let n = phone::normalise(l.number.trim(), country)
            .map_err(|e| AppError::invalid(&format!("[{i}].number"), e))?;
        let name_len = l.name.chars().count();
        if name_len == 0 || name_len > 100 || l.name.trim().is_empty() {
            return Err(AppError::invalid(
                &format!("[{i}].name"),
                "must be 1 to 100 characters",
            ));
        }
        let key = n.key.as_str().to_owned();
        if out.iter().any(|o| o.number_key == key) {
            return Err(AppError::invalid(
                &format!("[{i}].number"),
                format!("{key} is listed twice"),
            ));
        }
        out.push(LineSetting {
            number_key: key,
            number: l.number,
            name: l.name,
            ad_campaign_id: l.ad_campaign_id,
        });
    }
    Ok(out)
}

#[utoipa::path(put, path = "/api/v1/settings/lines", tag = "settings", security(("bearer" = [])),
    request_body = Vec<LineIn>,
    responses((status = 200, body = Vec<LineSettingOut>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "Names the entry and field (`[0].number`), or an ad campaign the company does not have")))]
pub async fn put_lines(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<Vec<LineIn>>,
) -> ApiResult<Json<Vec<LineSettingOut>>> {
    caller.require(Permission::ManageSettings)?;
    let body = body.parse()?;
    let company = state.store.company(caller.company_id).await?;
    let lines = parse_lines(body, &company.country)?;
    state
        .store
        .set_lines(caller.company_id, &lines, &caller.actor(), Timestamp::now())
        .await?;
    let lines = state.store.lines(caller.company_id).await?;
    Ok(Json(lines.into_iter().map(line_out).collect()))
}
