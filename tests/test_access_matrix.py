"""Every route, every role: the expected status comes from this matrix alone.

A route that is not in the matrix fails the test, so a new route cannot ship
without a decision about who may use it.
"""

import pytest

ROLES = ("anonymous", "a1", "b1", "coach_a", "coach_x", "office")

LOGIN = 302  # anonymous visitors are sent to the login page

# (endpoint, method): expected status per role, in the order of ROLES.
MATRIX = {
    ("auth.login", "GET"): (200, 302, 302, 302, 302, 302),
    ("auth.login", "POST"): (400, 302, 302, 302, 302, 302),
    ("auth.logout", "POST"): (303, 303, 303, 303, 303, 303),
    ("auth.home", "GET"): (LOGIN, 302, 302, 302, 302, 302),
    ("auth.password", "GET"): (LOGIN, 200, 200, 200, 200, 200),
    ("auth.password", "POST"): (LOGIN, 400, 400, 400, 400, 400),
    ("auth.choose_language", "POST"): (LOGIN, 400, 400, 400, 400, 400),
    ("caseload.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("clients.new", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("clients.new", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("clients.show", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("clients.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("clients.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("clients.history", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("contacts.new", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("contacts.new", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("contacts.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("contacts.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("contacts.delete", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("contacts.delete", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("about.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("about.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("about.versions", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("ecomap.svg", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("strengths.add", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("strengths.add", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("strengths.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("strengths.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("strengths.retire", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("strengths.retire", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("offers.add", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("offers.add", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("offers.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("offers.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("offers.retire", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("offers.retire", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("consents.add", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("consents.add", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("consents.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("consents.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("consents.retire", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("consents.retire", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("network.add", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("network.add", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("network.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("network.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("network.retire", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("network.retire", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("resources.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("resources.new", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("resources.new", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("resources.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("resources.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("resources.export_csv", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("resources.import_csv", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("resources.import_csv", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("resources.retire", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("resources.retire", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("neighbours.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("neighbours.new", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("neighbours.connect", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("neighbours.end", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("goals.add", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("goals.add", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("goals.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("goals.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("goals.add_step", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("goals.add_step", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("steps.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("steps.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("steps.done", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("steps.retire", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("steps.retire", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("admissions.add", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("admissions.add", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("admissions.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("admissions.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("admissions.retire", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("admissions.retire", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("selfreliance.add", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("selfreliance.add", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("selfreliance.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("selfreliance.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("selfreliance.retire", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("selfreliance.retire", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("omaha.add", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("omaha.add", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("omaha.rate", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("omaha.rate", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("omaha.strengths", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    # Nothing ticked is a choice (no strength helps); without the version read, a conflict.
    ("omaha.strengths", "POST"): (LOGIN, 409, 404, 403, 404, 404),
    ("omaha.end", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("omaha.end", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("omaha.again", "POST"): (LOGIN, 409, 404, 403, 404, 404),
    ("reports.profile", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("exports.person", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    # The whole team's records: its own members only; the coach the team linked 403.
    ("exports.team", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("closing.close", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("closing.close", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    # Person A's case is open: reopening sends a member back to the page (GET)
    # or answers that it is open (409), and there is no letter to print (404).
    ("closing.reopen", "GET"): (LOGIN, 303, 404, 403, 404, 404),
    ("closing.reopen", "POST"): (LOGIN, 409, 404, 403, 404, 404),
    ("closing.letter", "GET"): (LOGIN, 404, 404, 403, 404, 404),
    ("closing.transfer", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("closing.transfer", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("closing.withdraw", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("closing.closed", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("referrals.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("referrals.new", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("referrals.new", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("referrals.show", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("referrals.accept", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("referrals.meeting", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("referrals.decline", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("plan.week", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("plan.team_week", "GET"): (LOGIN, 200, 404, 200, 404, 404),
    ("plan.day", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("plan.new", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("plan.new", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("plan.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("plan.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("plan.done", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("plan.done", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("plan.take", "POST"): (LOGIN, 409, 404, 403, 404, 404),
    ("plan.hand_over", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("plan.cancel", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("plan.cancel_rest", "POST"): (LOGIN, 409, 404, 403, 404, 404),
    ("plan.hand_over_day", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("plan.hand_over_day", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("board.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("board.team", "GET"): (LOGIN, 200, 404, 200, 404, 404),
    ("board.add", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("board.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("board.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("board.ask", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("board.ask", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    # Only the colleague asked answers; nobody asked Anna (a1) about the cast's task.
    ("board.accept", "POST"): (LOGIN, 403, 404, 403, 404, 404),
    ("board.decline", "POST"): (LOGIN, 403, 404, 403, 404, 404),
    ("board.claim", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("board.hand_back", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("board.complete", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("team.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("team.details", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("team.details", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("team.new_member", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("team.new_member", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    # support_a made no account: refused, back to adding a colleague.
    ("team.add_made_account", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("team.invitation", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("team.withdraw_invitation", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("team.withdraw_invitation", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    # Anna deactivates Bram (a note is optional), or reactivates him.
    ("team.deactivate", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("team.deactivate", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("team.reactivate", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("team.new_role", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("team.new_role", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("team.hand_role", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("team.hand_role", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    # Without the holding she saw, ending a turn is refused: back to the page.
    ("team.end_role", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("team.retire_role", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("team.retire_role", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("team.revive_role", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    # A made-up token: the link works for nobody, logged in or not.
    ("join.accept", "GET"): (404, 404, 404, 404, 404, 404),
    ("join.accept", "POST"): (404, 404, 404, 404, 404, 404),
    ("decisions.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("decisions.team_log", "GET"): (LOGIN, 200, 404, 200, 404, 404),
    ("decisions.new", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("decisions.new", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("decisions.propose_coach", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("decisions.propose_coach", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("decisions.settings", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("decisions.settings", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("decisions.show", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("decisions.add_step", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("decisions.amend", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("decisions.resolve", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("decisions.adopt", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("decisions.withdraw", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("decisions.park", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("decisions.resume", "POST"): (LOGIN, 409, 404, 403, 404, 404),
    ("decisions.answer", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("learning.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("measures.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("measures.team_page", "GET"): (LOGIN, 200, 404, 200, 404, 404),
    ("measures.series_csv", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("measures.causes_csv", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("measures.cause_options", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("measures.rename_cause", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("learning.team_page", "GET"): (LOGIN, 200, 404, 200, 404, 404),
    ("learning.new_training", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("learning.new_training", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("learning.edit_training", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("learning.edit_training", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("learning.training_done", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("learning.new_experiment", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("learning.new_experiment", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("learning.edit_experiment", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("learning.edit_experiment", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("learning.experiment_outcome", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("learning.experiment_outcome", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    # Team meetings hold people's details: members of the team only, a linked coach 403.
    # Team A's next meeting is planned, so Anna is sent to it instead of planning one.
    ("meetings.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("meetings.new", "GET"): (LOGIN, 303, 200, 403, 403, 403),
    ("meetings.new", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("meetings.show", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("meetings.edit", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("meetings.edit", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("meetings.refresh", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("meetings.add_item", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("meetings.move", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("meetings.delete", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("meetings.delete", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("meetings.run", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("meetings.run", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    # Before the meeting has started, meeting mode sends everyone to who is here.
    ("meetings.run_item", "GET"): (LOGIN, 303, 404, 403, 404, 404),
    ("meetings.notes", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("meetings.add_task", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("meetings.propose", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("meetings.review", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("meetings.discussed", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("meetings.end", "GET"): (LOGIN, 303, 404, 403, 404, 404),
    ("meetings.end", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("meetings.minutes", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("meetings.pack", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("meetings.flag", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("meetings.flag", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("meetings.review_date", "GET"): (LOGIN, 200, 404, 403, 404, 404),
    ("meetings.review_date", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    # Support requests: between a team and the back office; a coach has no part in them.
    # A member of team A sees the cast's request of team A and makes the team's moves;
    # the back office sees every team's and makes its own. The cast's request is new:
    # confirming what is not done is refused (409); the back office takes it (303),
    # and then marking it done works (303).
    ("support.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("support.new", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("support.new", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("support.show", "GET"): (LOGIN, 200, 404, 403, 403, 200),
    ("support.answer", "POST"): (LOGIN, 400, 404, 403, 403, 403),
    ("support.confirm", "POST"): (LOGIN, 409, 404, 403, 403, 403),
    ("support.reopen", "POST"): (LOGIN, 400, 404, 403, 403, 403),
    # support_a asks for no new team: there is nobody to say goes to one.
    ("support.movers", "POST"): (LOGIN, 404, 404, 403, 403, 403),
    ("support.queue", "GET"): (LOGIN, 403, 403, 403, 403, 200),
    ("support.times_page", "GET"): (LOGIN, 403, 403, 403, 403, 200),
    ("support.take", "POST"): (LOGIN, 403, 404, 403, 403, 303),
    ("support.ask", "POST"): (LOGIN, 403, 404, 403, 403, 400),
    ("support.done", "POST"): (LOGIN, 403, 404, 403, 403, 303),
    # support_a asks for nothing the back office does from the request: refused.
    ("support.act", "POST"): (LOGIN, 403, 404, 403, 403, 409),
    ("support.attachment", "GET"): (LOGIN, 200, 404, 403, 403, 200),
    ("coach.home", "GET"): (LOGIN, 403, 403, 200, 200, 403),
    # What a team asks of its coach: its members and the coach it linked; the
    # coach only writes her own messages (answer, close her side, reply).
    ("asks.index", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("asks.new", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("asks.new", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("asks.invite", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("asks.show", "GET"): (LOGIN, 200, 404, 200, 404, 404),
    ("asks.write", "POST"): (LOGIN, 400, 404, 403, 404, 404),
    ("asks.close", "POST"): (LOGIN, 303, 404, 403, 404, 404),
    ("asks.answer", "POST"): (LOGIN, 403, 404, 400, 404, 404),
    ("asks.close_side", "POST"): (LOGIN, 403, 404, 303, 404, 404),
    ("asks.reply", "POST"): (LOGIN, 403, 404, 400, 404, 404),
    ("office.home", "GET"): (LOGIN, 403, 403, 403, 403, 200),
    ("health.healthz", "GET"): (200, 200, 200, 200, 200, 200),
    # Offline use: the worker, the manifest and the offline page hold nobody's data.
    ("offline.worker", "GET"): (200, 200, 200, 200, 200, 200),
    ("offline.manifest", "GET"): (200, 200, 200, 200, 200, 200),
    ("offline.page", "GET"): (200, 200, 200, 200, 200, 200),
    ("offline.snapshot", "GET"): (LOGIN, 200, 200, 403, 403, 403),
    ("static", "GET"): (200, 200, 200, 200, 200, 200),
}


def _routes(app):
    """Every (rule, method). Removing things and logging out come last, so one
    login and one of each record serve a whole role."""
    routes = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]

    def order(route):
        endpoint = route[0].endpoint
        if endpoint == "auth.logout":
            return 2
        destructive = endpoint == "contacts.delete" or endpoint.endswith((".retire", ".delete"))
        return 1 if destructive else 0

    return sorted(routes, key=order)


def _url(app, rule, cast):
    values = {
        "client_id": cast.person_a.id,
        "contact_id": cast.contact_a.id,
        "connection_id": cast.connection.id,
        "resource_id": cast.resource_a.id,
        "visit_id": cast.visit_a.id,
        "team_id": cast.team_a.id,
        "referral_id": cast.referral_a.id,
        "task_id": cast.task_a.id,
        "member_id": cast.a2.id,
        "role_id": cast.role_a.id,
        "invitation_id": cast.invitation_a.id,
        "token": "not-a-real-invitation-token",
        "decision_id": cast.decision_a.id,
        "step_id": cast.objection_a.id,
        "meeting_id": cast.meeting_a.id,
        "item_id": cast.item_a.id,
        "training_id": cast.training_a.id,
        "experiment_id": cast.experiment_a.id,
        "request_id": cast.support_a.id,
        "attachment_id": cast.support_file_a.id,
        "thread_id": cast.thread_a.id,
        "filename": "css/teamcase.css",
        "code": "failure",
        "section": "matters",
        "part_id": cast.parts.get(rule.endpoint.split(".")[0]),
    }
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})


def test_it_has_a_row_for_every_route(app):
    routes = {(rule.endpoint, method) for rule, method in _routes(app)}
    missing = routes - set(MATRIX)
    stale = set(MATRIX) - routes
    assert not missing, f"routes without an access decision: {sorted(missing)}"
    assert not stale, f"matrix rows for routes that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_each_role_as_the_matrix_says(app, cast, as_user, role):
    user = cast.by_role(role)
    failures = []
    client = as_user(user)
    for rule, method in _routes(app):
        url = _url(app, rule, cast)
        response = client.open(url, method=method, data={})
        response.close()
        expected = MATRIX[(rule.endpoint, method)][ROLES.index(role)]
        if response.status_code != expected:
            failures.append(f"{method} {url}: expected {expected}, got {response.status_code}")
        if response.status_code == 302 and expected == LOGIN and user is None:
            assert "/login" in response.headers["Location"]
    assert not failures, "\n".join(failures)


def test_a_member_of_another_team_cannot_reach_a_person_by_any_url(app, cast, as_user):
    client = as_user(cast.b1)
    for rule, method in _routes(app):
        if "client_id" in rule.arguments or "contact_id" in rule.arguments:
            response = client.open(_url(app, rule, cast), method=method, data={})
            response.close()
            assert response.status_code == 404, (rule.rule, method)
            assert b"Mies" not in response.data
