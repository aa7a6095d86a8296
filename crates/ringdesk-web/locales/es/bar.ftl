# Interface texts of the bar area, language es. Every id exists in all four languages (i18n.rs tests it).
