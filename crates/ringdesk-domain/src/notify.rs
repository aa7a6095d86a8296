//! R-L6: who hears of a lead event. One definition for the leads the call
//! rules make, the leads made or reassigned by hand and overdue leads.

use crate::texts::Text;

/// The kinds of notification (`notification.kind`), one per lead event an
/// employee may choose to hear of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationKind {
    /// "New lead for me": a call rule named me among those it notifies.
    NewLead,
    /// "Lead assigned to me": I became a lead's manager.
    LeadAssigned,
    /// "My lead overdue" (R-M4).
    LeadOverdue,
    /// Issue 13 item 4: a missed call was not called back within the SLA.
    /// Not a choice: the operator and the managers are always told.
    CallbackSlaBreached,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 4] = [
        Self::NewLead,
        Self::LeadAssigned,
        Self::LeadOverdue,
        Self::CallbackSlaBreached,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NewLead => "new_lead",
            Self::LeadAssigned => "lead_assigned",
            Self::LeadOverdue => "lead_overdue",
            Self::CallbackSlaBreached => "callback_sla_breached",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Which lead events notify an employee (R-L6); all on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotificationPrefs {
    pub new_lead: bool,
    pub lead_assigned: bool,
    pub lead_overdue: bool,
}

impl Default for NotificationPrefs {
    fn default() -> Self {
        NotificationPrefs {
            new_lead: true,
            lead_assigned: true,
            lead_overdue: true,
        }
    }
}

impl NotificationPrefs {
    pub fn wants(&self, kind: NotificationKind) -> bool {
        match kind {
            NotificationKind::NewLead => self.new_lead,
            NotificationKind::LeadAssigned => self.lead_assigned,
            NotificationKind::LeadOverdue => self.lead_overdue,
            NotificationKind::CallbackSlaBreached => true,
        }
    }
}

/// Something that happened to a lead that someone may hear of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadEvent<'a> {
    /// A call rule made the lead (R-L4): its manager is told it is assigned
    /// to them, the block's notified employees that there is a new lead.
    MadeByRule {
        manager_id: Option<i64>,
        notify_ids: &'a [i64],
    },
    /// The lead got a manager by hand, when made or by a change: they are
    /// told, unless they are its manager already or did it themselves (`by`).
    ManagerSetByHand {
        manager_id: i64,
        previous_manager_id: Option<i64>,
        by: Option<i64>,
    },
    /// R-M4: the lead's deadline passed while it was open; its manager is told.
    Overdue { manager_id: Option<i64> },
}

impl LeadEvent<'_> {
    /// The employees the event may concern, whose facts the caller gathers.
    pub fn named_employees(&self) -> Vec<i64> {
        match *self {
            LeadEvent::MadeByRule {
                manager_id,
                notify_ids,
            } => manager_id
                .into_iter()
                .chain(notify_ids.iter().copied())
                .collect(),
            LeadEvent::ManagerSetByHand { manager_id, .. } => vec![manager_id],
            LeadEvent::Overdue { manager_id } => manager_id.into_iter().collect(),
        }
    }
}

/// One notification to write: to whom, of which kind, with which title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    pub employee_id: i64,
    pub kind: NotificationKind,
    pub title: Text,
}

/// R-L6: the notifications a lead event sends. Each employee hears of it
/// once (as its manager first), only while active, and only if they chose to
/// hear of that kind; one who chose not to is not told in another role either.
/// `recipient`: an active employee's choices; `None` for anyone else.
pub fn lead_notices(
    event: &LeadEvent<'_>,
    recipient: &dyn Fn(i64) -> Option<NotificationPrefs>,
) -> Vec<Notice> {
    let candidates: Vec<(i64, NotificationKind, Text)> = match *event {
        LeadEvent::MadeByRule {
            manager_id,
            notify_ids,
        } => manager_id
            .map(|m| {
                (
                    m,
                    NotificationKind::LeadAssigned,
                    Text::NotificationLeadAssigned,
                )
            })
            .into_iter()
            .chain(
                notify_ids
                    .iter()
                    .map(|&e| (e, NotificationKind::NewLead, Text::NotificationNewLead)),
            )
            .collect(),
        LeadEvent::ManagerSetByHand {
            manager_id,
            previous_manager_id,
            by,
        } if Some(manager_id) != previous_manager_id && Some(manager_id) != by => vec![(
            manager_id,
            NotificationKind::LeadAssigned,
            Text::NotificationLeadAssignedByHand,
        )],
        LeadEvent::ManagerSetByHand { .. } => vec![],
        LeadEvent::Overdue { manager_id } => manager_id
            .map(|m| {
                (
                    m,
                    NotificationKind::LeadOverdue,
                    Text::NotificationLeadOverdue,
                )
            })
            .into_iter()
            .collect(),
    };
    let mut considered: Vec<i64> = Vec::new();
    let mut out = Vec::new();
    for (employee_id, kind, title) in candidates {
        let Some(prefs) = recipient(employee_id) else {
            continue;
        };
        if considered.contains(&employee_id) {
            continue;
        }
        considered.push(employee_id);
        if prefs.wants(kind) {
            out.push(Notice {
                employee_id,
                kind,
                title,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1…9 active with every choice on; 5 chose no "lead assigned", 6 no
    /// "new lead"; 10 deactivated; others not employees.
    fn staff(id: i64) -> Option<NotificationPrefs> {
        match id {
            5 => Some(NotificationPrefs {
                lead_assigned: false,
                ..NotificationPrefs::default()
            }),
            6 => Some(NotificationPrefs {
                new_lead: false,
                ..NotificationPrefs::default()
            }),
            1..=9 => Some(NotificationPrefs::default()),
            _ => None,
        }
    }

    fn who(event: LeadEvent<'_>) -> Vec<(i64, NotificationKind)> {
        lead_notices(&event, &staff)
            .into_iter()
            .map(|n| (n.employee_id, n.kind))
            .collect()
    }

    use NotificationKind::*;

    #[test]
    fn a_rule_lead_tells_its_manager_of_the_assignment_and_the_others_of_a_new_lead_r_l6() {
        let notices = lead_notices(
            &LeadEvent::MadeByRule {
                manager_id: Some(2),
                notify_ids: &[3, 4],
            },
            &staff,
        );
        assert_eq!(
            notices,
            [
                Notice {
                    employee_id: 2,
                    kind: LeadAssigned,
                    title: Text::NotificationLeadAssigned
                },
                Notice {
                    employee_id: 3,
                    kind: NewLead,
                    title: Text::NotificationNewLead
                },
                Notice {
                    employee_id: 4,
                    kind: NewLead,
                    title: Text::NotificationNewLead
                },
            ]
        );
    }

    #[test]
    fn a_manager_also_named_to_be_notified_hears_once_as_manager_r_l6() {
        assert_eq!(
            who(LeadEvent::MadeByRule {
                manager_id: Some(2),
                notify_ids: &[2, 3, 3]
            }),
            [(2, LeadAssigned), (3, NewLead)]
        );
        assert!(
            who(LeadEvent::MadeByRule {
                manager_id: Some(5),
                notify_ids: &[5]
            })
            .is_empty(),
            "a manager who chose not to hear of assignments is not told as a notified employee"
        );
    }

    #[test]
    fn deactivated_or_unknown_employees_hear_nothing_r_l6() {
        assert_eq!(
            who(LeadEvent::MadeByRule {
                manager_id: Some(10),
                notify_ids: &[10, 77, 3]
            }),
            [(3, NewLead)]
        );
        assert!(who(LeadEvent::Overdue {
            manager_id: Some(10)
        })
        .is_empty());
    }

    #[test]
    fn each_employee_hears_only_of_the_events_they_chose_r_l6() {
        assert_eq!(
            who(LeadEvent::MadeByRule {
                manager_id: Some(5),
                notify_ids: &[6, 7]
            }),
            [(7, NewLead)]
        );
    }

    #[test]
    fn a_manager_set_by_hand_is_told_unless_they_did_it_or_already_were_r_l6() {
        let set = |previous_manager_id, by| LeadEvent::ManagerSetByHand {
            manager_id: 2,
            previous_manager_id,
            by,
        };
        assert_eq!(who(set(None, Some(1))), [(2, LeadAssigned)]);
        assert_eq!(who(set(Some(3), None)), [(2, LeadAssigned)]);
        assert!(who(set(None, Some(2))).is_empty(), "made it themselves");
        assert!(who(set(Some(2), Some(1))).is_empty(), "already its manager");
        assert_eq!(
            lead_notices(&set(None, None), &staff)[0].title,
            Text::NotificationLeadAssignedByHand
        );
    }

    #[test]
    fn an_overdue_lead_tells_its_manager_and_no_manager_means_no_one_r_m4_r_l6() {
        assert_eq!(
            who(LeadEvent::Overdue {
                manager_id: Some(4)
            }),
            [(4, LeadOverdue)]
        );
        assert!(who(LeadEvent::Overdue { manager_id: None }).is_empty());
    }

    #[test]
    fn the_kinds_have_the_names_stored_in_notifications() {
        for k in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(LeadAssigned.as_str(), "lead_assigned");
    }
}
