# Interface texts of the bar area, language en. Every id exists in all four languages (i18n.rs tests it).
