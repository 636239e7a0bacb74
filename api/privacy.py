"""The API's part of a person's data export and erasure (accounts.privacy; see ApiConfig.ready()).

The export lists the person's access tokens (never their hashes); erasure deletes them.
"""

from accounts.privacy import Export, Part, Subject, row_fields

from .models import ApiToken


def export(subject: Subject) -> Export:
    tokens = ApiToken.objects.filter(user=subject.user).order_by("created_at", "pk")
    return Export({"api_tokens.json": [row_fields(token, exclude={"key_hash", "user"}) for token in tokens]})


def erase(subject: Subject) -> None:
    ApiToken.objects.filter(user=subject.user).delete()


PART = Part(name="api", export=export, erase=erase)
