"""Support requests: the team asks, the back office answers (DESIGN.md: the back
office only helps when asked, and never sees client data).

Serves:
    /support/                       the team's requests, those waiting for it first
    /support/new                    a member files a request for the team
    /support/<id>                   one request and its thread: the team's side for
                                    its members, the back office's for the back office
    /support/<id>/answer            a member writes in the thread (answers a question)
    /support/<id>/movers            the team says again who goes to the new team it
                                    asks for, until the back office makes it
    /support/<id>/confirm           the team confirms it is done: closed
    /support/<id>/reopen            the team says it is not done yet, and why
    /support/<id>/take              the back office takes it on
    /support/<id>/ask               the back office asks the team a question
    /support/<id>/done              the back office marks it done
    /support/<id>/act               the back office does what a request of a kind asks
                                    (makes the account, or the team and moves the
                                    colleagues who go to it; deactivates, unlocks or
                                    gives a new first password): done
    /support/new?kind=<kind>        a request of a kind: an account for a new colleague,
                                    a new team, or a colleague's account deactivated,
                                    unlocked or given a new password
    /support/queue                  the back office's queue across all teams
    /support/times                  how the requests went, week by week, for the back
                                    office to learn from (the team's own: on /support/)
    /support/files/<id>             an attachment, downloaded

Everything the team writes here is checked first with teamcase.privacy: a text
that names someone in the team's care is sent back to be written without them.
"""


def blueprints():
    from teamcase.support import views

    return [views.bp]
