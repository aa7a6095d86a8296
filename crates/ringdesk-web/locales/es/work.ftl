# Interface texts of the work area, language es. Every id exists in all four languages (i18n.rs tests it).
