"""How we are doing: the measures for learning: weekly figures and process
behaviour charts; the team's own measures, for learning, never targets.

`xmr` computes a process behaviour chart (XmR: individual values and their
moving ranges) from a series, with statprocon; `charts` draws one as SVG with a
table beside it, through the macro in `templates/measures/_chart.html`;
`outcomes` counts what happened to the people in the team's care, per month.
"""
