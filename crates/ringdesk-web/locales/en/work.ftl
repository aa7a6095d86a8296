# Interface texts of the work area, language en. Every id exists in all four languages (i18n.rs tests it).
