# Interface texts of the settings area, language pt. Every id exists in all four languages (i18n.rs tests it).
