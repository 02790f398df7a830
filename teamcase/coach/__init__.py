"""The regional coach's view of the teams that linked them: read-only, people
pseudonymised.

Serves:
    /coach/...              the linked teams and their figures (views)

The coach's read-only pages of one team live with the team's own pages:
/plan/teams/<id>, /board/teams/<id>, /decisions/teams/<id>, /learning/teams/<id>.
"""


def blueprints():
    from teamcase.coach import views

    return [views.bp]
