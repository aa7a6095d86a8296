# Interface texts of the work area, language pt. Every id exists in all four languages (i18n.rs tests it).
