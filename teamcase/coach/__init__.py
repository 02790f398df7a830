"""The regional coach's view of the teams that linked them: read-only, people
pseudonymised; and what a team asks of its coach.

Serves:
    /coach/...              the linked teams and their figures, what each asked of
                            her, the meetings she is invited to (views)
    /asks/                  the team's threads with its coach (asks)
    /asks/new               a member asks the coach (a question, mediation)
    /asks/<id>              one thread: the team's side for its members, the
                            coach's for the coach it is addressed to
    /asks/<id>/write        a member writes in the thread
    /asks/<id>/close        the team closes it
    /asks/<id>/answer       the coach answers, perhaps pointing to another of her teams
    /asks/<id>/side         the coach closes her side (nothing more to add)
    /asks/<id>/reply        the coach says whether she comes to the meeting
    /asks/meetings/<id>/invite   the team invites its coach to a planned meeting

The coach's read-only pages of one team live with the team's own pages:
/plan/teams/<id>, /board/teams/<id>, /decisions/teams/<id>, /learning/teams/<id>,
/measures/teams/<id> (the measures the team shares with her, which her page draws
small under each team's row; the team chooses them in /team/details).
Linking a coach is a team decision (/decisions/coach); only the command line
links one at set-up (`teamcase link-coach`).

What a member writes to the coach is checked first with teamcase.privacy, as a
support request is: a text that names someone in the team's care is sent back to
be written without them. Everything the coach does here writes one message of
hers and nothing else.
"""


def blueprints():
    from teamcase.coach import asks, views

    return [views.bp, asks.bp]
