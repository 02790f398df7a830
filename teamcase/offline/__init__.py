"""Working without a signal: the installable app, its service worker and what it keeps.

Serves:
    /sw.js                  the service worker (at the root, so that it serves every page)
    /manifest.webmanifest   the web app manifest: installing teamcase to the home screen
    /offline                what a page the tablet has not kept says without a connection
    /offline/snapshot       which pages a member's tablet keeps for her day, as JSON
"""


def blueprints():
    from teamcase.offline import views

    return [views.bp]
