//! The first-run checklist (issue 11): what a new company still has to do
//! before calls turn into work. The web page gathers the facts; this decides
//! which steps are done and whether the checklist still shows.

/// What the store knows about a company's set-up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SetupFacts {
    /// Active employees with at least one extension: calls can be routed to them (R-C5).
    pub employees_with_extensions: usize,
    /// At least one call event has arrived from the phone system.
    pub has_calls: bool,
    /// Any automation rule is on (§4, §5).
    pub automation_on: bool,
    /// At least one client exists (added or imported).
    pub has_clients: bool,
}

/// A step of the checklist, in the order it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Add employees and their extensions.
    Employees,
    /// Connect the phone system (webhook URL and a token).
    PhoneSystem,
    /// Switch on the automation.
    Automation,
    /// Add or import clients.
    Clients,
}

impl Step {
    pub const ALL: [Step; 4] = [
        Step::Employees,
        Step::PhoneSystem,
        Step::Automation,
        Step::Clients,
    ];

    /// A stable name (used for page ids and text ids).
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Employees => "employees",
            Step::PhoneSystem => "phone-system",
            Step::Automation => "automation",
            Step::Clients => "clients",
        }
    }

    /// Whether the facts show this step done.
    pub fn done(self, f: &SetupFacts) -> bool {
        match self {
            Step::Employees => f.employees_with_extensions > 0,
            Step::PhoneSystem => f.has_calls,
            Step::Automation => f.automation_on,
            Step::Clients => f.has_clients,
        }
    }
}

/// Each step with whether it is done; `None` once every step is done (the
/// checklist no longer shows).
pub fn checklist(f: &SetupFacts) -> Option<Vec<(Step, bool)>> {
    let steps: Vec<(Step, bool)> = Step::ALL.iter().map(|s| (*s, s.done(f))).collect();
    steps.iter().any(|(_, done)| !done).then_some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_company_has_every_step_to_do() {
        let steps = checklist(&SetupFacts::default()).unwrap();
        assert_eq!(steps.len(), 4);
        assert!(steps.iter().all(|(_, done)| !done));
    }

    #[test]
    fn each_fact_ticks_its_own_step_and_all_of_them_hide_the_list() {
        let f = SetupFacts {
            employees_with_extensions: 1,
            has_calls: false,
            automation_on: true,
            has_clients: false,
        };
        let steps = checklist(&f).unwrap();
        assert_eq!(
            steps,
            vec![
                (Step::Employees, true),
                (Step::PhoneSystem, false),
                (Step::Automation, true),
                (Step::Clients, false)
            ]
        );
        let all = SetupFacts {
            employees_with_extensions: 2,
            has_calls: true,
            automation_on: true,
            has_clients: true,
        };
        assert_eq!(checklist(&all), None);
    }
}
