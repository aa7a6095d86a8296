# Interface texts of the settings area, language en. Every id exists in all four languages (i18n.rs tests it).

## Index and shared
settings-title = Settings
settings-refused = Not allowed
settings-not-found = Not found
settings-back = Back to settings
settings-save = Save
settings-saved = The settings are saved.
settings-none = (none)
settings-revoke = Revoke
settings-actions = Actions
settings-prefix = Starts with
settings-created = Created
settings-shown-once = Copy it now: it is shown only this once.

## Sections
settings-telephony-title = Telephony › Automation
settings-telephony-about = Tasks for missed calls, leads for answered and missed calls, call recovery and timing.
settings-employees-title = Employees
settings-employees-about = Who works here: extensions, permissions, passwords.
settings-signing-title = Webhook signing
settings-signing-about = Signatures on the call events your phone system sends.
settings-tokens-title = API tokens
settings-tokens-about = Tokens let a phone system or a script act through the API with the rights you give them.
settings-audit-title = Audit log
settings-audit-about = Sign-ins, token and employee changes, settings changes.

## Telephony > Automation (R-U5)
settings-rule-missed_call_task = Task for a missed incoming call
settings-rule-answered_call_lead = Lead for an answered incoming call
settings-rule-missed_call_lead = Lead for a missed incoming call
settings-rule-enabled = Rule on
settings-assignees = Assign the task to
settings-task-mode = Task per assignee
settings-task-mode-shared = One task shared by all of them
settings-task-mode-each = One task for each of them
settings-due-in = Due after the missed call
settings-days = Days
settings-hours = Hours
settings-minutes = Minutes
settings-link-order = Link the client's open work order
settings-link-lead = Link the client's open lead
settings-lead-type = Lead type
settings-manager = Manager of the lead
settings-notify = Notify
settings-even-if-open-order = Even if the client has an open work order
settings-even-if-open-lead = Even if the client has an open lead
settings-recovery = Calls and recovery
settings-recovery-window-days = Recovery window (days)
settings-recover-only-answered = Only an answered callback recovers a missed call
settings-inbound-answer-recovers = An answered incoming call from the same number recovers it too
settings-reuse-unknown-caller-lead = Reuse an unknown caller's open lead
settings-settle-seconds = Wait before acting on a missed call (seconds)
settings-stale-call-hours = Close a call without an end after (hours)
settings-preview = Preview
settings-preview-hint = Preview shows what these settings would have made of the last { $days } days' calls, without saving anything.
settings-preview-title = Preview
settings-preview-summary = With these settings, the last { $days } days' calls would have made { $tasks ->
        [one] { $tasks } task
       *[other] { $tasks } tasks
    } and { $leads ->
        [one] { $leads } lead
       *[other] { $leads } leads
    } ({ $calls ->
        [one] { $calls } call
       *[other] { $calls } calls
    } looked at). Nothing was saved.
settings-preview-call = Call
settings-preview-call-link = Call #{ $id }
settings-preview-tasks = Tasks
settings-preview-leads = Leads by rule
settings-err-number = Enter a whole number from { $min } to { $max }.
settings-err-assignees-required = Choose at least one employee while the rule is on.
settings-err-employee = Choose active employees of this company, each once.
settings-err-lead-type = Choose a lead type of this company; it is needed while the rule is on.

## Employees
settings-employee-add = Add an employee
settings-employee-add-button = Add the employee
settings-employee-added = The employee is added.
settings-employee-saved = The employee is saved.
settings-employee-password-reset = The password is set; that employee's sessions have ended.
settings-employee-edit = Employee { $name }
settings-employee-name = Name
settings-employee-email = E-mail
settings-employee-password = Password
settings-employee-extensions = Extensions
settings-employee-extensions-hint = Phone extensions or SIP logins, separated by commas.
settings-employee-permissions = Permissions
settings-employee-state = State
settings-employee-active = Active
settings-employee-inactive = Deactivated
settings-employee-owner = Owner (every permission)
settings-employee-reset-title = Reset the password
settings-employee-reset-about = Sets a new password for this employee and signs them out everywhere; their API tokens keep working.
settings-employee-new-password = New password
settings-employee-reset-button = Set the password
settings-employee-own-password = Change your own password
settings-err-name = Enter a name (up to 200 characters).
settings-err-extension = An extension is not valid: { $problem }

## Webhook signing (R-I1, R-X8)
settings-signing-no-secret = No signing secret is set.
settings-signing-has-secret = A signing secret is set.
settings-signing-required = Unsigned events are refused.
settings-signing-optional = Unsigned events are accepted.
settings-signing-require = Refuse call events without a valid signature
settings-signing-needs-secret = Create a secret before requiring signatures.
settings-secrets = Secrets
settings-secret-new = New signing secret
settings-secret-create = Create a secret
settings-secret-rotate-hint = To rotate: create a new secret, put it in the phone system, then revoke the old one.
settings-secret-revoked = The secret is revoked.
settings-secret-last = This is the last secret while signatures are required: switch signing off or add a secret first.
settings-secret-revoke-label = Revoke the secret { $prefix }

## API tokens (R-T5)
settings-tokens-empty = No tokens yet.
settings-token-name = Name
settings-token-employee = Employee
settings-token-used = Last used
settings-token-never-used = Never
settings-token-all-rights = All of the employee's
settings-token-revoked-at = Revoked
settings-token-revoked = The token is revoked.
settings-token-revoke-label = Revoke the token { $name }
settings-token-create = New token
settings-token-create-button = Create the token
settings-token-new = Your new token
settings-err-token-name = Enter a name of 1 to 100 characters.

## Audit log
settings-audit-empty = Nothing recorded yet.
settings-audit-at = When
settings-audit-action = What
settings-audit-who = Who
settings-audit-subject = Subject
settings-audit-address = Address
settings-audit-system = System
settings-audit-token = (token #{ $id })
settings-audit-pages = Pages of the audit log
settings-audit-newest = Newest
settings-audit-older = Older

## Numbering, ad campaigns and locations
settings-lists-title = Numbering and lists
settings-lists-about = Numbering templates of leads, work orders and quotes; ad campaigns and locations.
settings-numbering-title = Numbering templates
settings-numbering-hint = { "{N}" } or { "{N:5}" } exactly once for the sequence; { "{YYYY}" }, { "{YY}" }, { "{MM}" }, { "{DD}" } for the date; any other text as it is.
settings-numbering-lead = Leads
settings-numbering-order = Work orders
settings-numbering-quote = Quotes
settings-err-numbering = Use { "{N}" } (or { "{N:width}" }, width 1 to 12) exactly once, only the date placeholders, at most 60 characters.
settings-campaigns-title = Ad campaigns
settings-locations-title = Locations
settings-item-name = Name
settings-item-add = Add
settings-item-added = Added.
settings-item-changed = Changed.
settings-item-inactive = not offered for new leads
settings-item-activate = Offer again
settings-item-deactivate = Stop offering
settings-err-item-name = Enter a name of 1 to 100 characters.
settings-err-item-taken = This name is already in the list.
audit-action-sign-in = Signed in
audit-action-sign-out = Signed out
audit-action-password-changed = Password changed
audit-action-permissions-changed = Permissions changed
audit-action-employee-created = Employee added
audit-action-employee-activated = Employee activated
audit-action-employee-deactivated = Employee deactivated
audit-action-settings-changed = Settings changed
audit-action-token-created = API token created
audit-action-token-revoked = API token revoked
audit-action-webhook-secret-created = Webhook signing secret created
audit-action-webhook-secret-revoked = Webhook signing secret revoked
audit-action-contact-changed = Call linked to another client

## Lead types, statuses and status transfer rules (R-M2, R-M6)
settings-lead-types-title = Lead types
settings-lead-types-about = Kinds of leads, the status each starts in and the fields each carries.
settings-statuses-title = Statuses
settings-statuses-about = The statuses of leads and work orders, and their groups.
settings-transfers-title = Status transfer rules
settings-transfers-about = Which status a lead may move to from which.
settings-lead-types-hint = Each lead has a type. A new lead starts in its type's initial status and carries the type's own form fields.
settings-lead-types-empty = No lead types yet.
settings-lead-type-initial-status = Initial status
settings-lead-type-fields = Form fields
settings-lead-type-new = New lead type
settings-lead-type-add = Add the lead type
settings-lead-type-added = The lead type is added. Add its form fields here.
settings-lead-type-title = Lead type “{ $name }”
settings-lead-type-fields-hint = The fields every lead of this type carries, besides the usual ones. Fill in an empty row to add a field; to add more than two, save and add again.
settings-field-row = Field { $n }
settings-field-new = New field
settings-field-key = Key
settings-field-key-hint = Key: the name the value is stored under, 1 to 40 lowercase letters (a–z), digits or _, each key once.
settings-field-label = Label
settings-field-kind = Kind
settings-field-kind-text = Text
settings-field-kind-number = Number
settings-field-kind-date = Date
settings-field-kind-choice = Choice from a list
settings-field-kind-yes-no = Yes or no
settings-field-required = Required
settings-field-options = Options (choice only)
settings-field-options-hint = Options: one per line, or separated by commas; only a choice field has them.
settings-field-remove = Remove this field
settings-err-initial-status = Choose a lead status of this company.
settings-err-field-kind = Choose one of the kinds.
settings-err-field-key = Use 1 to 40 lowercase letters (a–z), digits or _, and each key only once.
settings-err-field-label = Enter a label.
settings-err-field-options-needed = A choice field needs its options.
settings-err-field-options-only-choice = Only a choice field has options: clear them or choose the kind “Choice from a list”.
settings-statuses-hint = A status's group decides whether its leads and work orders are still open. A system status keeps its role whatever you rename it to.
settings-lead-statuses = Lead statuses
settings-order-statuses = Work-order statuses
settings-status-group = Group
settings-status-rename = Rename
settings-status-rename-label = New name for “{ $name }”
settings-status-system = system
settings-status-new-name = Name of a new status
settings-status-add = Add the status
settings-status-added = The status is added.
settings-status-renamed = The status is renamed.
settings-err-status-group = Choose one of the groups.
settings-order-group-new = New
settings-order-group-in-progress = In progress
settings-order-group-closed-success = Closed successfully
settings-order-group-closed-failure = Closed unsuccessfully
settings-transfers-none = No rules are set: a lead may move from any status to any other.
settings-transfers-some = { $statuses ->
        [one] Moves out of { $statuses } status are restricted.
       *[other] Moves out of { $statuses } statuses are restricted.
    }
settings-transfers-hint-free = A status whose row has no ticked box is free: its leads may move to any status. With no box ticked at all, every change of status is allowed.
settings-transfers-hint-restrict = Tick boxes in a row to let leads in that status move only to the ticked statuses; any other change is refused with a message. Staying in the same status is always allowed, so ticking only a status's own box keeps its leads there.
settings-transfers-hint-system = Moves Ringdesk makes by itself to a system status ignore these rules: when a work order is linked to a lead, and when a missed call's lead is cancelled because the call was answered after all.
settings-transfers-caption = Allowed moves: a row for the status a lead is in, a column for the status it moves to.
settings-transfers-from-to = From ↓ to →
settings-transfer-label = From “{ $from }” to “{ $to }”
settings-transfers-save = Save the rules

## Twilio (R-I2, R-X8)
settings-twilio-title = Twilio
settings-twilio-about = Call status callbacks from your Twilio account, checked by their signature, and click to call through Twilio.
settings-twilio-console = What to paste into Twilio's console
settings-twilio-callback = Status callback URL for this company
settings-twilio-callback-hint = Set it as your Twilio number's "Call status changes" webhook (HTTP POST), and as statusCallback on the Number, Client and Sip nouns of your Dial, with the events initiated, ringing, answered and completed. It must be exactly the public URL below: Twilio signs the whole URL.
settings-twilio-token-set = An auth token is set. Leave the field empty to keep it.
settings-twilio-token-unset = No auth token is set yet.
settings-twilio-enabled = Receive Twilio's call status callbacks
settings-twilio-token = Auth token (from your Twilio console)
settings-twilio-public-url = Public URL, exactly as entered in Twilio's console
settings-twilio-public-url-hint = The address Twilio posts to, as seen from the internet (behind a proxy, the proxy's address).
settings-twilio-account-sid = Account SID (for click to call)
settings-twilio-caller-id = Caller ID: your Twilio number that click-to-call calls come from
## Asterisk (AMI) connection (R-I3, R-X8)
ami-title = Asterisk (AMI)
ami-about = Connect the Asterisk PBX's manager interface: calls arrive as they happen.
ami-enabled = Connect to the PBX
ami-host = Host
ami-port = Port
ami-username = AMI user
ami-secret = Secret
ami-secret-set = A secret is set; leave empty to keep it
ami-secret-unset = No secret set
ami-channel-template = Click-to-call channel ({"{"}extension{"}"} is replaced)
ami-originate-context = Click-to-call context
ami-internal-contexts = Contexts of your own phones (comma-separated)
ami-auth-type = Login
ami-auth-md5 = MD5 challenge
ami-auth-plain = Plain secret
ami-status-off = Not connected (off).
ami-status-connecting = Connecting…
ami-status-connected = Connected.
ami-status-down = Connection lost; retrying.
ami-status-login-refused = The PBX refused the login: check the user and the secret.
ami-field-invalid = Check this value.
ami-needs-secret = Set the secret to connect.
ami-gaps = Gaps
ami-gaps-about = Times when the PBX could not be reached: calls that began and ended then are not in Ringdesk.
ami-no-gaps = No gaps.
ami-gap-from = From
ami-gap-to = To
calls-ami-gap = No data from the PBX between { $from } and { $to }.

# Issue 13 item 4: business hours and the callback SLA.
settings-sla = Business hours and callback target
settings-business-hours-hint = Open hours per weekday in the company's time zone, up to four intervals a day; a day with no interval is closed. An end of 00:00 means the end of the day. The callback target counts only these hours.
settings-day-mon = Monday
settings-day-tue = Tuesday
settings-day-wed = Wednesday
settings-day-thu = Thursday
settings-day-fri = Friday
settings-day-sat = Saturday
settings-day-sun = Sunday
settings-hours-from = From
settings-hours-to = to
settings-callback-sla-minutes = Call a missed call back within (business minutes, 0 for no target)
settings-service-level-seconds = Service level: answered within (seconds)
settings-err-hours = Enter each interval as two times, the end after the start, in order and not overlapping, at most four a day.
