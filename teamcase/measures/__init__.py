"""How we are doing: the measures for learning: weekly figures and process
behaviour charts; the team's own measures, for learning, never targets.

Serves:
    /measures/              how we are doing: the team's charts (views)
    /measures/teams/<id>    the measures a team shares with its coach, for her (views)
    /measures/<code>.csv    one weekly series to download (views)
    /measures/causes.csv    failure demand per cause, week by week (views)
    /measures/causes        the team's causes, offered on the contact form (views)
    /measures/causes/rename rename or merge a failure demand cause (views)

`xmr` computes a process behaviour chart (XmR: individual values and their
moving ranges) from a series, with statprocon; `charts` draws one as SVG with a
table beside it, through the macro in `templates/measures/_chart.html`;
`outcomes` counts what happened to the people in the team's care, per month;
`selfreliance` counts who does what in people's lives (for the teams that keep
it), which `shares` draws as stacked shares over time; `omaha` sums the Omaha
System's ratings (for the teams that use it) per problem across the caseload; `weekly` reads the
team's weekly figures (teamcase/models/measures.py) as the series of the last 52
weeks, each with the experiments started from its chart.
"""


def blueprints():
    from teamcase.measures import views

    return [views.bp]
