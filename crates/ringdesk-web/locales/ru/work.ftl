# Interface texts of the work area, language ru. Every id exists in all four languages (i18n.rs tests it).
