"""Documents rendered for people: roadmap .docx, robustness charts, the indicator pages."""
