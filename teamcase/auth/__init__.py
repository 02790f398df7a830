"""Signing in and out, where each role starts, and one's own password.

Serves:
    /                       where a signed-in user starts: the caseload, the coach's
                            or the back office's page
    /login                  log in (throttled per account and per address)
    /logout                 log out
    /account/password       change one's own password (and the first one); the language
    /account/language       choose the language teamcase speaks to one (POST)
"""


def blueprints():
    from teamcase.auth import views

    return [views.bp]
