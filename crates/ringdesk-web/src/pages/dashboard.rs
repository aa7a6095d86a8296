//! The dashboard page (R-U4, issue 13): the same figures as
//! `GET /api/v1/dashboard` (`api::dashboard::dashboard_for`) for a chosen
//! period, as tiles, tables and charts. The charts are SVG drawn here, by
//! our own code ([`bars`]), each with a title, a description and its figures
//! in a table beside it for screen readers and for copying.

use super::*;
use crate::api::dashboard::{dashboard_for, DashboardOut, VolumeOut};
use crate::extract::Query;
use crate::i18n::tr_args;
use axum::extract::State;
use fluent_bundle::FluentValue;

#[derive(Debug, Deserialize)]
pub struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// One bar group's values, in series order.
struct Group {
    label: String,
    values: Vec<i64>,
}

/// A grouped bar chart: one group per label, one bar per series (CSS class
/// `series-N`), scaled to the largest value. Pure SVG, no script.
fn bars(id: &str, title: &str, series: &[String], groups: &[Group]) -> Markup {
    let (w, h, left, bottom, top) = (720.0_f64, 240.0_f64, 40.0_f64, 28.0_f64, 10.0_f64);
    let max = groups
        .iter()
        .flat_map(|g| g.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_w = w - left - 8.0;
    let plot_h = h - bottom - top;
    let n = groups.len().max(1) as f64;
    let group_w = plot_w / n;
    let bar_w = (group_w * 0.8 / series.len().max(1) as f64).max(1.0);
    // Label every k-th group so that labels do not run into each other.
    let every = ((groups.len() as f64 * 42.0 / plot_w).ceil() as usize).max(1);
    let desc = groups
        .iter()
        .map(|g| {
            let parts: Vec<String> = series
                .iter()
                .zip(&g.values)
                .map(|(s, v)| format!("{s} {v}"))
                .collect();
            format!("{}: {}", g.label, parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let y = |v: i64| top + plot_h - (v as f64 / max as f64) * plot_h;
    html! {
        figure.chart {
            svg id=(id) viewBox=(format!("0 0 {w} {h}")) role="img" aria-labelledby=(format!("{id}-title {id}-desc")) preserveAspectRatio="xMidYMid meet" {
                title id=(format!("{id}-title")) { (title) }
                desc id=(format!("{id}-desc")) { (desc) }
                line.axis x1=(left) y1=(top + plot_h) x2=(w - 8.0) y2=(top + plot_h) {}
                text.tick x=(left - 6.0) y=(top + 4.0) text-anchor="end" { (max) }
                text.tick x=(left - 6.0) y=(top + plot_h) text-anchor="end" { "0" }
                @for (i, g) in groups.iter().enumerate() {
                    @let x0 = left + group_w * i as f64 + group_w * 0.1;
                    @for (k, v) in g.values.iter().enumerate() {
                        @if *v > 0 {
                            rect class=(format!("series-{k}")) x=(format!("{:.1}", x0 + bar_w * k as f64)) y=(format!("{:.1}", y(*v)))
                                width=(format!("{:.1}", bar_w)) height=(format!("{:.1}", top + plot_h - y(*v))) {
                                title { (g.label) " · " (series[k]) ": " (v) }
                            }
                        }
                    }
                    @if i % every == 0 {
                        text.tick x=(format!("{:.1}", left + group_w * (i as f64 + 0.5))) y=(h - 10.0) text-anchor="middle" { (g.label) }
                    }
                }
            }
            figcaption {
                @for (k, s) in series.iter().enumerate() {
                    span.legend { span class=(format!("swatch series-{k}")) aria-hidden="true" {} " " (s) } " "
                }
            }
        }
    }
}

fn volume_values(v: &VolumeOut) -> Vec<i64> {
    vec![v.answered, v.missed, v.abandoned, v.outbound]
}

fn seconds(l: Locale, v: Option<f64>) -> String {
    match v {
        Some(s) => tr_args(
            l,
            "dash-seconds",
            &[("n", FluentValue::from(format!("{s:.1}")))],
        ),
        None => "—".to_owned(),
    }
}

/// Whole seconds (a percentile: always a value that occurred).
fn whole_seconds(l: Locale, v: Option<i64>) -> String {
    match v {
        Some(s) => tr_args(
            l,
            "dash-seconds",
            &[("n", FluentValue::from(s.to_string()))],
        ),
        None => "—".to_owned(),
    }
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |x| format!("{:.1} %", x * 100.0))
}

fn tile(l: Locale, id: &str, label: &str, value: String) -> Markup {
    html! {
        div.tile id=(id) { span.tile-label { (tr(l, label)) } " " strong.tile-value { (value) } }
    }
}

fn markup(s: &Signed, d: &DashboardOut, p: &Period, error: Option<&str>) -> Markup {
    let l = s.locale;
    let title = tr(l, "dash-title");
    let series: Vec<String> = [
        "dash-answered",
        "dash-missed",
        "dash-abandoned",
        "dash-outbound",
    ]
    .iter()
    .map(|k| tr(l, k))
    .collect();
    let days: Vec<Group> = d
        .by_day
        .iter()
        .map(|x| Group {
            label: x.day.get(5..).unwrap_or(&x.day).to_owned(),
            values: volume_values(&x.volume),
        })
        .collect();
    let hours: Vec<Group> = d
        .by_hour
        .iter()
        .map(|x| Group {
            label: format!("{:02}", x.hour),
            values: volume_values(&x.volume),
        })
        .collect();
    let count = |n: i64| n.to_string();
    s.page(&title, "/dashboard", html! {
        h1 { (title) }
        form #dash-period .inline-form method="get" action="/dashboard" {
            label for="from" { (tr(l, "dash-from")) }
            input #from type="date" name="from" value=(p.from) aria-describedby=[error.map(|_| "period-error")];
            label for="to" { (tr(l, "dash-to")) }
            input #to type="date" name="to" value=(p.to);
            button type="submit" { (tr(l, "dash-show")) }
        }
        @if let Some(e) = error { p.error #period-error role="alert" { (e) } }
        p.muted #dash-period-shown { (tr_args(l, "dash-period", &[("from", FluentValue::from(d.by_day.first().map(|x| x.day.clone()).unwrap_or_default())), ("to", FluentValue::from(d.by_day.last().map(|x| x.day.clone()).unwrap_or_default())), ("tz", FluentValue::from(d.time_zone.clone()))])) }
        div.tiles {
            (tile(l, "dash-offered", "dash-offered", count(d.offered)))
            (tile(l, "dash-answered", "dash-answered", count(d.answered)))
            (tile(l, "dash-missed", "dash-missed", count(d.missed)))
            (tile(l, "dash-abandoned", "dash-abandoned", count(d.abandoned)))
            (tile(l, "dash-recovered", "dash-recovered", count(d.missed_recovered)))
            (tile(l, "dash-breaches", "dash-breaches", count(d.sla_breaches)))
            (tile(l, "dash-service-level", "dash-service-level", format!("{} ({})", percent(d.service_level), tr_args(l, "dash-within", &[("t", FluentValue::from(d.service_level_seconds))]))))
            (tile(l, "dash-asa", "dash-asa", seconds(l, d.average_speed_of_answer_seconds)))
            (tile(l, "dash-p90", "dash-p90", whole_seconds(l, d.p90_speed_of_answer_seconds)))
            (tile(l, "dash-abandon-time", "dash-abandon-time", seconds(l, d.average_time_to_abandon_seconds)))
            (tile(l, "dash-abandonment", "dash-abandonment", percent(d.abandonment_rate)))
        }
        section aria-labelledby="by-day-title" {
            h2 #by-day-title { (tr(l, "dash-by-day")) }
            (bars("chart-days", &tr(l, "dash-by-day"), &series, &days))
        }
        section aria-labelledby="by-hour-title" {
            h2 #by-hour-title { (tr(l, "dash-by-hour")) }
            (bars("chart-hours", &tr(l, "dash-by-hour"), &series, &hours))
        }
        section aria-labelledby="operators-title" {
            h2 #operators-title { (tr(l, "dash-operators")) }
            @if d.operators.is_empty() { p.empty { (tr(l, "dash-none")) } } @else {
                (list_table(l, "dash-operators-table", &tr(l, "dash-operators"), &["dash-operator", "dash-answered", "dash-missed", "dash-outbound", "dash-talk", "dash-callbacks", "dash-recovery", "dash-breaches"], html! {
                    @for o in &d.operators {
                        tr id=(format!("operator-{}", o.employee_id)) {
                            td { (o.name) } td { (o.answered) } td { (o.missed) } td { (o.outbound) }
                            td { (seconds(l, o.average_talk_seconds)) } td { (o.callbacks) } td { (seconds(l, o.average_recovery_seconds)) } td { (o.sla_breaches) }
                        }
                    }
                }))
            }
        }
        section aria-labelledby="queues-title" {
            h2 #queues-title { (tr(l, "dash-queues")) }
            @if d.queues.is_empty() { p.empty { (tr(l, "dash-none")) } } @else {
                (list_table(l, "dash-queues-table", &tr(l, "dash-queues"), &["dash-queue", "dash-offered", "dash-answered", "dash-missed", "dash-abandoned", "dash-asa"], html! {
                    @for q in &d.queues {
                        tr { td { (q.queue) } td { (q.offered) } td { (q.answered) } td { (q.missed) } td { (q.abandoned) } td { (seconds(l, q.average_speed_of_answer_seconds)) } }
                    }
                }))
            }
        }
        section aria-labelledby="lines-title" {
            h2 #lines-title { (tr(l, "dash-lines")) }
            @if d.lines.is_empty() { p.empty { (tr(l, "dash-none")) } } @else {
                (list_table(l, "dash-lines-table", &tr(l, "dash-lines"), &["dash-line", "dash-offered", "dash-answered", "dash-missed", "dash-leads", "dash-orders"], html! {
                    @for x in &d.lines {
                        tr { td { @if let Some(n) = &x.name { (n) " · " } (x.number) } td { (x.offered) } td { (x.answered) } td { (x.missed) } td { (x.leads) } td { (x.orders) } }
                    }
                }))
            }
        }
        section aria-labelledby="campaigns-title" {
            h2 #campaigns-title { (tr(l, "dash-campaigns")) }
            @if d.ad_campaigns.is_empty() { p.empty { (tr(l, "dash-none")) } } @else {
                (list_table(l, "dash-campaigns-table", &tr(l, "dash-campaigns"), &["dash-campaign", "dash-leads", "dash-won", "dash-orders"], html! {
                    @for c in &d.ad_campaigns {
                        tr { td { @match &c.name { Some(n) => { (n) } None => { (tr(l, "dash-no-campaign")) } } } td { (c.leads) } td { (c.won) } td { (c.orders) } }
                    }
                }))
            }
        }
        section #dash-conversion aria-labelledby="conversion-title" {
            h2 #conversion-title { (tr(l, "dash-conversion")) }
            p { (tr_args(l, "dash-conversion-text", &[("calls", FluentValue::from(d.quote_conversion.answered_inbound_calls)), ("quotes", FluentValue::from(d.quote_conversion.quotes)), ("orders", FluentValue::from(d.quote_conversion.orders))])) }
        }
    })
}

/// `GET /dashboard?from=YYYY-MM-DD&to=YYYY-MM-DD` (`to` inclusive on the
/// page: the form's last day; the API's `to` is exclusive).
pub async fn page(
    State(state): State<AppState>,
    s: Signed,
    Query(p): Query<Period>,
) -> Result<Response, AppError> {
    if !s
        .caller
        .may(ringdesk_domain::company::Permission::ViewAllCalls)
    {
        let l = s.locale;
        let markup = s.page(
            &tr(l, "dash-title"),
            "/dashboard",
            html! {
                h1 { (tr(l, "dash-title")) }
                p.error role="alert" { (tr(l, "dash-forbidden")) }
            },
        );
        return Ok((StatusCode::FORBIDDEN, Html(markup.into_string())).into_response());
    }
    let day_after = |d: &str| {
        d.parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| d.tomorrow().ok())
            .map(|d| d.to_string())
    };
    let from = Some(p.from.trim()).filter(|x| !x.is_empty());
    let to_inclusive = Some(p.to.trim()).filter(|x| !x.is_empty());
    let to = match to_inclusive {
        Some(t) => day_after(t),
        None => None,
    };
    let bad_to = to_inclusive.is_some() && to.is_none();
    let asked = if bad_to {
        Err(AppError::invalid("to", "not a day"))
    } else {
        dashboard_for(&state, &s.caller, from, to.as_deref()).await
    };
    match asked {
        Ok(d) => Ok(Html(markup(&s, &d, &p, None).into_string()).into_response()),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let d = dashboard_for(&state, &s.caller, None, None).await?;
            let text = tr(s.locale, "dash-bad-period");
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(markup(&s, &d, &p, Some(&text)).into_string()),
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::get;
    r.other("/dashboard", &["GET"], get(page))
}
