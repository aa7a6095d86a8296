# Ringdesk's interface texts, English. Every id here exists in pt, es and ru too
# (i18n.rs tests it). Texts written into records live in ringdesk-domain (texts.rs).

app-name = Ringdesk
skip-to-content = Skip to the content

## Sign-in
sign-in-title = Sign in to Ringdesk
email = E-mail
password = Password
sign-in-button = Sign in
wrong-email-or-password = Wrong e-mail or password.
# $minutes: whole minutes to wait
too-many-attempts = Too many failed sign-in attempts. Try again in { $minutes } min.
form-unreadable = The form could not be read; please send it again.
no-account-yet = No account yet?
sign-up-link = Sign your company up

## Sign-up (R-X3, R-X3a)
sign-up-title = Sign your company up
sign-up-closed = Sign-up is closed on this installation. Ask the administrator for an account, or sign in.
have-account = Already have an account?
sign-in-link = Sign in
company-name = Company name
country = Country
time-zone = Time zone
locale = Language
owner-name = Your name
sign-up-button = Create the company
choose = Choose…
field-company_name = Enter the company's name (up to 200 characters).
field-country = Choose the country the company's phone numbers belong to.
field-time_zone = Choose a time zone from the list (for example Europe/Lisbon).
field-locale = Choose one of the four languages.
field-owner_name = Enter your name (up to 200 characters).
field-email = Enter a valid e-mail address.
field-email-taken = This e-mail address already has an account.
field-password = The password must be 8 to 1000 characters long.
field-current_password = This is not your current password.
field-new_password = The new password must be 8 to 1000 characters long.
form-has-errors = Some fields need attention; see the notes beside them.

## Layout and navigation (R-U7)
nav-label = Main
nav-home = Home
nav-tasks = Tasks
nav-password = Password
sign-out = Sign out
signed-out = You have signed out.
language = Language
language-change = Change
signed-in-as = Signed in as
company = Company
your-permissions = Your permissions

## Permissions
permission-view_clients = See clients
permission-manage_settings = Manage settings
permission-view_all_calls = See all calls
permission-manage_employees = Manage employees
permission-post_call_events = Send call events

## Password change
password-title = Change your password
current-password = Current password
new-password = New password
password-button = Change the password
password-changed = Your password has been changed. Your other sessions have been signed out.

## Tasks (R-A3, R-M8)
tasks-title = My tasks
tasks-empty = You have no tasks.
task-title = Task
task-due = Due
task-status = Status
task-actions = Actions
task-overdue = overdue
task-no-due = no due date
task-complete = Complete
task-reopen = Reopen
task-status-open = Open
task-status-done = Done
task-status-cancelled = Cancelled
task-not-assignee = Only an assignee can complete this task.
task-not-open = This task is no longer open.
task-already-open = This task is already open.
task-completed = The task is done.
task-reopened = The task is open again.

## Navigation, home ("what needs me now"), first-run checklist, notifications
nav-calls = Calls
nav-clients = Clients
nav-leads = Leads
nav-orders = Work orders
nav-quotes = Quotes
nav-notifications = Notifications
nav-settings = Settings
badge-overdue = Overdue
badge-urgent = Urgent
home-tasks = My open tasks
home-tasks-none = No open tasks.
home-missed-none = Nobody is waiting for a callback.
home-leads = My new leads
home-leads-none = No new leads.
home-notifications = Unread notifications
home-notifications-none = Nothing unread.
first-run-title = Getting started
first-run-employees = Add employees and their extensions
first-run-phone-system = Connect the phone system
first-run-automation = Switch on the automation
first-run-clients = Add or import clients
first-run-done = (done)
first-run-todo = (to do)
first-run-webhook = Your phone system sends each call event to this address, with an API token that may post call events.
first-run-webhook-url = Webhook URL
first-run-make-token = Create a token for the phone system
first-run-token = API token
first-run-token-once = Copy the token now: it is shown only this once.
first-run-curl = Try it with curl
notification-mark-read = Mark read
notification-mark-read-of = Mark read: { $title }
notifications-title = Notifications
notifications-empty = No notifications yet.
notifications-unread = Unread
notifications-read = Read
notifications-when = When
notifications-what = What
notifications-state = State
notifications-choices = Which notifications I get
notify-new-lead = A new lead for me
notify-lead-assigned = A lead assigned to me
notify-lead-overdue = My lead is overdue
notifications-save = Save my choices
notifications-saved = Your choices are saved.
notification-was-read = Marked as read.

# The missed calls widget (R-U3) and recent calls (R-C8).
home-missed = Missed calls
home-missed-none-at-all = No missed calls.
home-missed-without-recovered = Without recovered
home-missed-recovered = Called back
home-missed-waiting = Waiting for a callback
home-recent = My recent calls
home-recent-none = You have not taken or made a call yet.
home-recent-talked = Completed
home-recent-not-reached = Not reached
