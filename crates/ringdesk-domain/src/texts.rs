//! Every text Ringdesk writes into a record, in each of the company's locales
//! (R-T2, R-U6): task titles, "Unknown client", the reasons shown under a
//! call's `automation` (R-X5), and the names of a new company's default
//! statuses and lead type (R-M2, R-M6, R-X5).
//!
//! Keep true: every [`Text`] is in [`Text::ALL`] and has a non-empty string in
//! every [`Locale`]; API error messages are English and do not come from here.

use crate::company::Locale;
use serde::{Deserialize, Serialize};

/// A text that Ringdesk writes into records. Its [`Text::key`] is stable and
/// may be stored; [`text`] gives the words in a locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Text {
    /// R-A1: the title of a missed-call task.
    MissedCallTaskTitle,
    /// R-L4, R-P6: the client name of a lead from a caller who matches no client.
    UnknownClient,
    /// R-L4: the description of a lead made from a missed call.
    MissedCallLeadDescription,
    /// R-X5 reason: the rule is switched off.
    RuleOff,
    /// R-X5 reason (R-L2): no lead while the client has an open work order.
    ClientHasOpenOrder,
    /// R-X5 reason (R-L2): no lead while the client has an open lead.
    ClientHasOpenLead,
    /// R-X5 reason (R-L3): the unknown caller's open lead was reused.
    ReusedCallersOpenLead,
    /// R-C3a: why a missed-call rule's task or lead was cancelled, or skipped.
    CallWasAnswered,
    /// R-C3b: why a call was closed as `failed`.
    NoEndEvent,
    /// R-A2: a deactivated assignee was skipped.
    AssigneeDeactivatedSkipped,
    /// R-A2: no active assignee was left, the task went to the owner.
    NoActiveAssigneeGivenToOwner,
    /// A missed-call rule asked about a call that was not missed (R-C4).
    CallWasNotMissed,
    /// An answered-call rule asked about a call that was not answered.
    CallWasNotAnswered,
    /// §5's rules are for incoming calls only; this one was outbound.
    OutboundCall,
    /// Default lead status, group `new`.
    LeadStatusNew,
    /// Default lead status, group `in_progress`.
    LeadStatusInProgress,
    /// Default lead status, group `won`.
    LeadStatusWon,
    /// Default lead status, group `lost`.
    LeadStatusLost,
    /// System lead status `order_successful`, group `won` (R-M2, R-M6).
    LeadStatusOrderSuccessful,
    /// System lead status `cancelled`, group `lost` (R-M2, R-C3a).
    LeadStatusCancelled,
    /// Default work-order status, group `new`.
    OrderStatusNew,
    /// Default work-order status, group `in_progress`.
    OrderStatusInProgress,
    /// Default work-order status, group `closed_success`.
    OrderStatusClosedSuccess,
    /// Default work-order status, group `closed_failure`.
    OrderStatusClosedFailure,
    /// The lead type a new company starts with (R-X5).
    LeadTypeLead,
    /// R-X5 reason for `pending`: a missed-call rule waits for the settle time (R-C3a).
    WaitingForSettleTime,
    /// R-X5 reason for `pending`: the call has not ended (or been answered) yet.
    CallInProgress,
    /// R-L6: the notification of a new lead from a call.
    NotificationNewLead,
    /// R-L6: the notification of a lead whose manager one is.
    NotificationLeadAssigned,
    /// R-L6: someone else made one the manager of a lead.
    NotificationLeadAssignedByHand,
    /// R-L6, R-M4: one's lead is past its deadline.
    NotificationLeadOverdue,
    /// Issue 11: the name of the API token the first-run checklist makes for the phone system.
    PhoneSystemTokenName,
    /// R-M7: the word before the total in a work order converted from a quote.
    QuoteTotal,
    /// R-P7 reason: both ends of the call are the company's extensions.
    InternalCall,
    /// R-P7 reason: the call is from or to a number on the company's ignore list.
    IgnoredNumber,
    /// Issue 13 item 4: a missed call was not called back within the SLA
    /// (the notification's title, followed by the caller's number).
    NotificationCallbackSlaBreached,
    /// Issue 13 item 3: the start of a missed-call task's description,
    /// followed by the caller's number and client.
    MissedCallTaskCallBack,
}

impl Text {
    /// Every text, for tests and for listing.
    pub const ALL: [Text; 37] = [
        Self::MissedCallTaskTitle,
        Self::UnknownClient,
        Self::MissedCallLeadDescription,
        Self::RuleOff,
        Self::ClientHasOpenOrder,
        Self::ClientHasOpenLead,
        Self::ReusedCallersOpenLead,
        Self::CallWasAnswered,
        Self::NoEndEvent,
        Self::AssigneeDeactivatedSkipped,
        Self::NoActiveAssigneeGivenToOwner,
        Self::CallWasNotMissed,
        Self::CallWasNotAnswered,
        Self::OutboundCall,
        Self::LeadStatusNew,
        Self::LeadStatusInProgress,
        Self::LeadStatusWon,
        Self::LeadStatusLost,
        Self::LeadStatusOrderSuccessful,
        Self::LeadStatusCancelled,
        Self::OrderStatusNew,
        Self::OrderStatusInProgress,
        Self::OrderStatusClosedSuccess,
        Self::OrderStatusClosedFailure,
        Self::LeadTypeLead,
        Self::WaitingForSettleTime,
        Self::CallInProgress,
        Self::NotificationNewLead,
        Self::NotificationLeadAssigned,
        Self::NotificationLeadAssignedByHand,
        Self::NotificationLeadOverdue,
        Self::PhoneSystemTokenName,
        Self::QuoteTotal,
        Self::InternalCall,
        Self::IgnoredNumber,
        Self::NotificationCallbackSlaBreached,
        Self::MissedCallTaskCallBack,
    ];

    /// A stable snake_case name, the same as its serde form; safe to store.
    pub fn key(self) -> &'static str {
        match self {
            Self::MissedCallTaskTitle => "missed_call_task_title",
            Self::UnknownClient => "unknown_client",
            Self::MissedCallLeadDescription => "missed_call_lead_description",
            Self::RuleOff => "rule_off",
            Self::ClientHasOpenOrder => "client_has_open_order",
            Self::ClientHasOpenLead => "client_has_open_lead",
            Self::ReusedCallersOpenLead => "reused_callers_open_lead",
            Self::CallWasAnswered => "call_was_answered",
            Self::NoEndEvent => "no_end_event",
            Self::AssigneeDeactivatedSkipped => "assignee_deactivated_skipped",
            Self::NoActiveAssigneeGivenToOwner => "no_active_assignee_given_to_owner",
            Self::CallWasNotMissed => "call_was_not_missed",
            Self::CallWasNotAnswered => "call_was_not_answered",
            Self::OutboundCall => "outbound_call",
            Self::LeadStatusNew => "lead_status_new",
            Self::LeadStatusInProgress => "lead_status_in_progress",
            Self::LeadStatusWon => "lead_status_won",
            Self::LeadStatusLost => "lead_status_lost",
            Self::LeadStatusOrderSuccessful => "lead_status_order_successful",
            Self::LeadStatusCancelled => "lead_status_cancelled",
            Self::OrderStatusNew => "order_status_new",
            Self::OrderStatusInProgress => "order_status_in_progress",
            Self::OrderStatusClosedSuccess => "order_status_closed_success",
            Self::OrderStatusClosedFailure => "order_status_closed_failure",
            Self::LeadTypeLead => "lead_type_lead",
            Self::WaitingForSettleTime => "waiting_for_settle_time",
            Self::CallInProgress => "call_in_progress",
            Self::NotificationNewLead => "notification_new_lead",
            Self::NotificationLeadAssigned => "notification_lead_assigned",
            Self::NotificationLeadAssignedByHand => "notification_lead_assigned_by_hand",
            Self::NotificationLeadOverdue => "notification_lead_overdue",
            Self::PhoneSystemTokenName => "phone_system_token_name",
            Self::QuoteTotal => "quote_total",
            Self::InternalCall => "internal_call",
            Self::IgnoredNumber => "ignored_number",
            Self::NotificationCallbackSlaBreached => "notification_callback_sla_breached",
            Self::MissedCallTaskCallBack => "missed_call_task_call_back",
        }
    }

    /// The inverse of [`Text::key`].
    pub fn from_key(key: &str) -> Option<Text> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }

    /// The words in `locale`; the same as [`text`].
    pub fn in_locale(self, locale: Locale) -> &'static str {
        text(self, locale)
    }
}

/// The words of `t` in `locale` (R-T2, R-U6).
pub fn text(t: Text, locale: Locale) -> &'static str {
    use Locale::{En, Es, Pt, Ru};
    match (t, locale) {
        (Text::WaitingForSettleTime, En) => "waiting for the settle time",
        (Text::WaitingForSettleTime, Pt) => "a aguardar o tempo de estabilização",
        (Text::WaitingForSettleTime, Es) => "esperando el tiempo de estabilización",
        (Text::WaitingForSettleTime, Ru) => "ожидание времени стабилизации",

        (Text::CallInProgress, En) => "call still in progress",
        (Text::CallInProgress, Pt) => "chamada ainda em curso",
        (Text::CallInProgress, Es) => "llamada todavía en curso",
        (Text::CallInProgress, Ru) => "звонок ещё идёт",

        (Text::NotificationNewLead, En) => "New lead from a call",
        (Text::NotificationNewLead, Pt) => "Nova oportunidade a partir de uma chamada",
        (Text::NotificationNewLead, Es) => "Nuevo cliente potencial desde una llamada",
        (Text::NotificationNewLead, Ru) => "Новое обращение по звонку",

        (Text::NotificationLeadAssigned, En) => "A lead from a call was assigned to you",
        (Text::NotificationLeadAssigned, Pt) => {
            "Foi-lhe atribuída uma oportunidade a partir de uma chamada"
        }
        (Text::NotificationLeadAssigned, Es) => {
            "Se le asignó un cliente potencial desde una llamada"
        }
        (Text::NotificationLeadAssigned, Ru) => "Вам назначено обращение по звонку",

        (Text::NotificationLeadAssignedByHand, En) => "A lead was assigned to you",
        (Text::NotificationLeadAssignedByHand, Pt) => "Foi-lhe atribuída uma oportunidade",
        (Text::NotificationLeadAssignedByHand, Es) => "Se le asignó un cliente potencial",
        (Text::NotificationLeadAssignedByHand, Ru) => "Вам назначено обращение",

        (Text::NotificationLeadOverdue, En) => "Your lead is overdue",
        (Text::NotificationLeadOverdue, Pt) => "A sua oportunidade está atrasada",
        (Text::NotificationLeadOverdue, Es) => "Su cliente potencial está vencido",
        (Text::NotificationLeadOverdue, Ru) => "Ваше обращение просрочено",

        (Text::NotificationCallbackSlaBreached, En) => "Missed call not called back in time",
        (Text::NotificationCallbackSlaBreached, Pt) => "Chamada perdida sem retorno a tempo",
        (Text::NotificationCallbackSlaBreached, Es) => "Llamada perdida sin devolver a tiempo",
        (Text::NotificationCallbackSlaBreached, Ru) => "Пропущенный звонок: не перезвонили вовремя",
        (Text::MissedCallTaskCallBack, En) => "Call back",
        (Text::MissedCallTaskCallBack, Pt) => "Ligar de volta",
        (Text::MissedCallTaskCallBack, Es) => "Devolver la llamada",
        (Text::MissedCallTaskCallBack, Ru) => "Перезвонить",

        (Text::PhoneSystemTokenName, En) => "Phone system",
        (Text::PhoneSystemTokenName, Pt) => "Sistema telefónico",
        (Text::PhoneSystemTokenName, Es) => "Centralita telefónica",
        (Text::PhoneSystemTokenName, Ru) => "Телефонная система",

        (Text::MissedCallTaskTitle, En) => "Missed call",
        (Text::MissedCallTaskTitle, Pt) => "Chamada perdida",
        (Text::MissedCallTaskTitle, Es) => "Llamada perdida",
        (Text::MissedCallTaskTitle, Ru) => "Пропущенный звонок",

        (Text::UnknownClient, En) => "Unknown client",
        (Text::UnknownClient, Pt) => "Cliente desconhecido",
        (Text::UnknownClient, Es) => "Cliente desconocido",
        (Text::UnknownClient, Ru) => "Неизвестный клиент",

        (Text::MissedCallLeadDescription, En) => "Missed call",
        (Text::MissedCallLeadDescription, Pt) => "Não atendida",
        (Text::MissedCallLeadDescription, Es) => "Llamada perdida",
        (Text::MissedCallLeadDescription, Ru) => "Пропущенный",

        (Text::RuleOff, En) => "rule off",
        (Text::RuleOff, Pt) => "regra desativada",
        (Text::RuleOff, Es) => "regla desactivada",
        (Text::RuleOff, Ru) => "правило выключено",

        (Text::ClientHasOpenOrder, En) => "client has an open work order",
        (Text::ClientHasOpenOrder, Pt) => "o cliente tem uma ordem de serviço aberta",
        (Text::ClientHasOpenOrder, Es) => "el cliente tiene una orden de trabajo abierta",
        (Text::ClientHasOpenOrder, Ru) => "у клиента есть открытый заказ",

        (Text::ClientHasOpenLead, En) => "client has an open lead",
        (Text::ClientHasOpenLead, Pt) => "o cliente tem uma oportunidade aberta",
        (Text::ClientHasOpenLead, Es) => "el cliente tiene un cliente potencial abierto",
        (Text::ClientHasOpenLead, Ru) => "у клиента есть открытое обращение",

        (Text::ReusedCallersOpenLead, En) => "reused the caller's open lead",
        (Text::ReusedCallersOpenLead, Pt) => {
            "reutilizada a oportunidade aberta do autor da chamada"
        }
        (Text::ReusedCallersOpenLead, Es) => {
            "se reutilizó el cliente potencial abierto de quien llama"
        }
        (Text::ReusedCallersOpenLead, Ru) => "использовано открытое обращение звонящего",

        (Text::CallWasAnswered, En) => "call was answered",
        (Text::CallWasAnswered, Pt) => "a chamada foi atendida",
        (Text::CallWasAnswered, Es) => "la llamada fue atendida",
        (Text::CallWasAnswered, Ru) => "звонок был принят",

        (Text::NoEndEvent, En) => "no end event",
        (Text::NoEndEvent, Pt) => "sem evento de fim",
        (Text::NoEndEvent, Es) => "sin evento de finalización",
        (Text::NoEndEvent, Ru) => "нет события завершения",

        (Text::AssigneeDeactivatedSkipped, En) => "assignee deactivated, skipped",
        (Text::AssigneeDeactivatedSkipped, Pt) => "responsável desativado, ignorado",
        (Text::AssigneeDeactivatedSkipped, Es) => "responsable desactivado, omitido",
        (Text::AssigneeDeactivatedSkipped, Ru) => "исполнитель деактивирован, пропущен",

        (Text::NoActiveAssigneeGivenToOwner, En) => "no active assignee: given to the owner",
        (Text::NoActiveAssigneeGivenToOwner, Pt) => {
            "nenhum responsável ativo: atribuída ao proprietário"
        }
        (Text::NoActiveAssigneeGivenToOwner, Es) => {
            "ningún responsable activo: asignada al propietario"
        }
        (Text::NoActiveAssigneeGivenToOwner, Ru) => "нет активных исполнителей: передано владельцу",

        (Text::CallWasNotMissed, En) => "call was not missed",
        (Text::CallWasNotMissed, Pt) => "a chamada não foi perdida",
        (Text::CallWasNotMissed, Es) => "la llamada no fue perdida",
        (Text::CallWasNotMissed, Ru) => "звонок не был пропущен",

        (Text::CallWasNotAnswered, En) => "call was not answered",
        (Text::CallWasNotAnswered, Pt) => "a chamada não foi atendida",
        (Text::CallWasNotAnswered, Es) => "la llamada no fue atendida",
        (Text::CallWasNotAnswered, Ru) => "звонок не был принят",

        (Text::InternalCall, En) => "internal call between the company's extensions",
        (Text::InternalCall, Pt) => "chamada interna entre ramais da empresa",
        (Text::InternalCall, Es) => "llamada interna entre extensiones de la empresa",
        (Text::InternalCall, Ru) => "внутренний звонок между добавочными номерами компании",
        (Text::IgnoredNumber, En) => "the number is on the ignore list",
        (Text::IgnoredNumber, Pt) => "o número está na lista de números ignorados",
        (Text::IgnoredNumber, Es) => "el número está en la lista de números ignorados",
        (Text::IgnoredNumber, Ru) => "номер в списке игнорируемых",
        (Text::OutboundCall, En) => "outbound call",
        (Text::OutboundCall, Pt) => "chamada efetuada",
        (Text::OutboundCall, Es) => "llamada saliente",
        (Text::OutboundCall, Ru) => "исходящий звонок",

        (Text::LeadStatusNew, En) => "New",
        (Text::LeadStatusNew, Pt) => "Nova",
        (Text::LeadStatusNew, Es) => "Nuevo",
        (Text::LeadStatusNew, Ru) => "Новое",

        (Text::LeadStatusInProgress, En) => "In progress",
        (Text::LeadStatusInProgress, Pt) => "Em andamento",
        (Text::LeadStatusInProgress, Es) => "En curso",
        (Text::LeadStatusInProgress, Ru) => "В работе",

        (Text::LeadStatusWon, En) => "Won",
        (Text::LeadStatusWon, Pt) => "Ganha",
        (Text::LeadStatusWon, Es) => "Ganado",
        (Text::LeadStatusWon, Ru) => "Успешно",

        (Text::LeadStatusLost, En) => "Lost",
        (Text::LeadStatusLost, Pt) => "Perdida",
        (Text::LeadStatusLost, Es) => "Perdido",
        (Text::LeadStatusLost, Ru) => "Неуспешно",

        (Text::LeadStatusOrderSuccessful, En) => "Order successful",
        (Text::LeadStatusOrderSuccessful, Pt) => "Ordem de serviço bem sucedida",
        (Text::LeadStatusOrderSuccessful, Es) => "Orden de trabajo exitosa",
        (Text::LeadStatusOrderSuccessful, Ru) => "Заказ оформлен",

        (Text::LeadStatusCancelled, En) => "Cancelled",
        (Text::LeadStatusCancelled, Pt) => "Cancelada",
        (Text::LeadStatusCancelled, Es) => "Cancelado",
        (Text::LeadStatusCancelled, Ru) => "Отменено",

        (Text::OrderStatusNew, En) => "New",
        (Text::OrderStatusNew, Pt) => "Nova",
        (Text::OrderStatusNew, Es) => "Nueva",
        (Text::OrderStatusNew, Ru) => "Новый",

        (Text::OrderStatusInProgress, En) => "In progress",
        (Text::OrderStatusInProgress, Pt) => "Em andamento",
        (Text::OrderStatusInProgress, Es) => "En curso",
        (Text::OrderStatusInProgress, Ru) => "В работе",

        (Text::OrderStatusClosedSuccess, En) => "Closed successfully",
        (Text::OrderStatusClosedSuccess, Pt) => "Fechada com sucesso",
        (Text::OrderStatusClosedSuccess, Es) => "Cerrada con éxito",
        (Text::OrderStatusClosedSuccess, Ru) => "Закрыт успешно",

        (Text::OrderStatusClosedFailure, En) => "Closed unsuccessfully",
        (Text::OrderStatusClosedFailure, Pt) => "Fechada sem sucesso",
        (Text::OrderStatusClosedFailure, Es) => "Cerrada sin éxito",
        (Text::OrderStatusClosedFailure, Ru) => "Закрыт неуспешно",

        (Text::QuoteTotal, En) => "Total",
        (Text::QuoteTotal, Pt) => "Valor total",
        (Text::QuoteTotal, Es) => "Importe total",
        (Text::QuoteTotal, Ru) => "Итого",
        (Text::LeadTypeLead, En) => "Lead",
        (Text::LeadTypeLead, Pt) => "Oportunidade",
        (Text::LeadTypeLead, Es) => "Cliente potencial",
        (Text::LeadTypeLead, Ru) => "Обращение",
    }
}

/// One status a new company starts with: its name, its group (R-M2 / R-M6
/// group names, as in R-X5) and, for system statuses, its fixed `key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultStatus {
    pub name: Text,
    pub group: &'static str,
    pub key: Option<&'static str>,
}

/// The lead statuses of a new company, in display order: one per group
/// (R-X5) plus the system statuses of R-M2. The first is the "Lead" type's
/// initial status.
pub const DEFAULT_LEAD_STATUSES: [DefaultStatus; 6] = [
    DefaultStatus {
        name: Text::LeadStatusNew,
        group: "new",
        key: None,
    },
    DefaultStatus {
        name: Text::LeadStatusInProgress,
        group: "in_progress",
        key: None,
    },
    DefaultStatus {
        name: Text::LeadStatusWon,
        group: "won",
        key: None,
    },
    DefaultStatus {
        name: Text::LeadStatusOrderSuccessful,
        group: "won",
        key: Some("order_successful"),
    },
    DefaultStatus {
        name: Text::LeadStatusLost,
        group: "lost",
        key: None,
    },
    DefaultStatus {
        name: Text::LeadStatusCancelled,
        group: "lost",
        key: Some("cancelled"),
    },
];

/// The work-order statuses of a new company, one per group of R-M6.
pub const DEFAULT_ORDER_STATUSES: [DefaultStatus; 4] = [
    DefaultStatus {
        name: Text::OrderStatusNew,
        group: "new",
        key: None,
    },
    DefaultStatus {
        name: Text::OrderStatusInProgress,
        group: "in_progress",
        key: None,
    },
    DefaultStatus {
        name: Text::OrderStatusClosedSuccess,
        group: "closed_success",
        key: None,
    },
    DefaultStatus {
        name: Text::OrderStatusClosedFailure,
        group: "closed_failure",
        key: None,
    },
];

/// The lead type a new company starts with (R-X5).
pub const DEFAULT_LEAD_TYPE: Text = Text::LeadTypeLead;

#[cfg(test)]
mod tests {
    use super::*;

    const LOCALES: [Locale; 4] = [Locale::En, Locale::Pt, Locale::Es, Locale::Ru];

    #[test]
    fn every_text_is_written_in_all_four_locales_r_t2_r_u6() {
        for t in Text::ALL {
            let en = text(t, Locale::En);
            for l in LOCALES {
                let s = text(t, l);
                assert!(!s.trim().is_empty(), "{t:?} is empty in {l:?}");
                assert_eq!(s, s.trim(), "{t:?} has stray spaces in {l:?}");
                if l != Locale::En {
                    assert_ne!(s, en, "{t:?} in {l:?} is still the English text");
                }
            }
        }
    }

    #[test]
    fn all_lists_every_text_once_and_keys_round_trip() {
        let mut keys: Vec<&str> = Text::ALL.iter().map(|t| t.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Text::ALL.len());
        for t in Text::ALL {
            assert_eq!(Text::from_key(t.key()), Some(t));
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.key()));
        }
        assert_eq!(Text::from_key("nope"), None);
    }

    #[test]
    fn the_seed_texts_are_exact_r_a1_r_l4() {
        assert_eq!(text(Text::MissedCallTaskTitle, Locale::En), "Missed call");
        assert_eq!(
            text(Text::MissedCallTaskTitle, Locale::Pt),
            "Chamada perdida"
        );
        assert_eq!(
            text(Text::MissedCallTaskTitle, Locale::Es),
            "Llamada perdida"
        );
        assert_eq!(
            text(Text::MissedCallTaskTitle, Locale::Ru),
            "Пропущенный звонок"
        );
        assert_eq!(
            text(Text::UnknownClient, Locale::Pt),
            "Cliente desconhecido"
        );
        assert_eq!(text(Text::UnknownClient, Locale::Es), "Cliente desconocido");
        assert_eq!(text(Text::UnknownClient, Locale::Ru), "Неизвестный клиент");
        assert_eq!(
            text(Text::MissedCallLeadDescription, Locale::Pt),
            "Não atendida"
        );
        assert_eq!(
            text(Text::MissedCallLeadDescription, Locale::Es),
            "Llamada perdida"
        );
        assert_eq!(
            text(Text::MissedCallLeadDescription, Locale::Ru),
            "Пропущенный"
        );
    }

    #[test]
    fn a_new_company_has_a_status_in_every_group_and_the_system_statuses_r_m2_r_x5() {
        for group in ["new", "in_progress", "won", "lost"] {
            assert!(DEFAULT_LEAD_STATUSES.iter().any(|s| s.group == group));
        }
        for group in ["new", "in_progress", "closed_success", "closed_failure"] {
            assert!(DEFAULT_ORDER_STATUSES.iter().any(|s| s.group == group));
        }
        let system: Vec<_> = DEFAULT_LEAD_STATUSES
            .iter()
            .filter_map(|s| s.key.map(|k| (k, s.group, text(s.name, Locale::En))))
            .collect();
        assert_eq!(
            system,
            [
                ("order_successful", "won", "Order successful"),
                ("cancelled", "lost", "Cancelled")
            ]
        );
        assert_eq!(DEFAULT_LEAD_STATUSES[0].group, "new");
        assert_eq!(text(DEFAULT_LEAD_TYPE, Locale::En), "Lead");
    }
}
