"""The LaTeX appendix. Heavy parts (matplotlib, Jinja2) live in submodules imported on use."""

BODY, DOCUMENT, TIMINGS = "appendix-body.tex", "appendix.tex", "appendix-timings.tex"
