# The dashboard (R-U4).
nav-dashboard = Dashboard
dash-title = Call-centre dashboard
dash-from = From
dash-to = To
dash-show = Show
dash-period = { $from } to { $to }, in { $tz } time.
dash-bad-period = That period cannot be shown: choose a start day before the end day, at most 400 days apart. The last seven days are shown instead.
dash-forbidden = The dashboard shows the whole team's calls: it needs the "view all calls" permission.
dash-offered = Offered
dash-answered = Answered
dash-missed = Missed
dash-abandoned = Abandoned
dash-outbound = Outbound
dash-recovered = Missed, called back
dash-service-level = Service level
dash-within = within { $t } s
dash-asa = Average speed of answer
dash-p90 = 90th percentile speed of answer
dash-abandon-time = Average time to abandon
dash-abandonment = Abandonment rate
dash-seconds = { $n } s
dash-by-day = Calls by day
dash-by-hour = Calls by hour of the day
dash-operators = Operators
dash-operator = Operator
dash-talk = Average talk time
dash-callbacks = Callbacks
dash-recovery = Average time to call back
dash-queues = Queues
dash-queue = Queue
dash-lines = Lines dialled
dash-line = Line
dash-leads = Leads
dash-orders = Work orders
dash-won = Won
dash-campaigns = Leads by ad campaign
dash-campaign = Ad campaign
dash-no-campaign = No campaign
dash-conversion = Quote conversion
dash-conversion-text = { $calls } answered incoming calls → { $quotes } quotes made from them → { $orders } work orders.
dash-none = Nothing in this period.
dash-breaches = Callback SLA breaches

# Missed calls by caller (issue 13 item 3).
cases-title = Missed calls by caller
cases-about = One line per caller: their missed calls from the first until someone reached them (a callback they answered, or their call answered). A callback nobody answers leaves it open.
cases-open-only = Open only
cases-none = No missed calls.
cases-state = State
cases-open = Waiting
cases-reached-state = Reached
cases-count = Missed
cases-times = { $n ->
    [one] { $n } time
   *[other] { $n } times
}
cases-opened = First missed
cases-reached = Reached after
cases-took-hours = { $h } h { $m } min
cases-took-minutes = { $m } min
cases-took-seconds = { $s } s

# The calls list and a call's page: how long a callback took (R-C7, issue 13).
call-recovered-after = after { $took }
call-sla-breached = Callback SLA broken
