"""One waiting invitation per e-mail address and team, kept by the database: two
colleagues inviting the same person at once give one link, not two."""

import datetime

from peewee import *


def up(migrator, db):
    class Invitation(Model):
        team_id = IntegerField()
        email = CharField(max_length=254)
        created_at = DateTimeField()
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)
        withdrawn_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "invitation"

    waiting = Invitation.used_at.is_null() & Invitation.withdrawn_at.is_null()
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
    # Should two waiting links for one address be left from before, the older ones
    # count as withdrawn (they ran out, or the newer one replaced them).
    newer = Invitation.alias("newer")
    has_newer = newer.select(SQL("1")).where(
        newer.team_id == Invitation.team_id,
        newer.email == Invitation.email,
        newer.used_at.is_null(),
        newer.withdrawn_at.is_null(),
        newer.id > Invitation.id,
    )
    Invitation.update(withdrawn_at=now).where(waiting, fn.EXISTS(has_newer)).execute()
    migrator.migrate(
        migrator.add_index(
            "invitation",
            ("team_id", "email"),
            unique=True,
            where=SQL("used_at IS NULL AND withdrawn_at IS NULL"),
            name="invitation_one_waiting_per_email",
        )
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_index("invitation", "invitation_one_waiting_per_email"))
