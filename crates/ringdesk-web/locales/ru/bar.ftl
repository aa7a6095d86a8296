# Interface texts of the bar area, language ru. Every id exists in all four languages (i18n.rs tests it).
