"""Finding the Speaker a story's words belong to among those already known, or adding them."""

from django.db.models import Count, Q
from django.utils.text import slugify

from ..models import Speaker
from .slugs import unique_slug

# The status of a surname that matched several speakers; the quote is flagged for an editor to choose.
AMBIGUOUS = "ambiguous"


def speakers_match(refs, *, among=None):
    """Find each imported speaker among the Speaker records (or the queryset `among`), reading only.

    Returns {key: (Speaker or None, status)}. Named speakers match by slug, by name, then by surname
    alone; unnamed sources never match, since two stories' "senior officials" are not one person.
    Callers acting for a person pass the speakers that person may reach, so a match never reveals a
    speaker known only from stories they cannot open.
    """
    speakers = Speaker.objects.all() if among is None else among
    found = {}
    for ref in refs:
        if ref.is_anonymous:
            found[ref.key] = (None, "new, unnamed source")
            continue
        speaker = (
            speakers.filter(slug=slugify(ref.name)).first() or speakers.filter(name__iexact=ref.name).first()
        )
        if speaker is not None:
            found[ref.key] = (speaker, f"existing: {speaker.name}")
            continue
        found[ref.key] = _match_by_surname(speakers, ref.name)
    return found


def _match_by_surname(speakers, name):
    """Return (Speaker or None, status) for `name` matched by surname alone, the most quoted first."""
    words = name.split()
    surname = words[-1]
    candidates = speakers.filter(is_anonymous=False)
    if len(words) == 1:
        candidates = candidates.filter(Q(name__iexact=surname) | Q(name__iendswith=f" {surname}"))
    else:
        candidates = candidates.filter(name__iexact=surname)
    candidates = list(candidates.annotate(quoted=Count("quotes")).order_by("-quoted", "name")[:3])
    if len(candidates) == 1:
        return candidates[0], f"existing, by surname: {candidates[0].name}"
    if candidates:
        others = ", ".join(c.name for c in candidates[1:])
        return candidates[0], f"{AMBIGUOUS}: {candidates[0].name} (also {others})"
    return None, "new"


def speaker_get_or_create(*, ref, among=None):
    """Return the Speaker an imported or typed reference names: matched as the importer matches, or new."""
    speaker, _ = speakers_match([ref], among=among)[ref.key]
    if speaker is None:
        speaker = Speaker.objects.create(
            name=ref.name[:200],
            slug=unique_slug(Speaker, ref.name),
            title=ref.title[:200],
            is_anonymous=ref.is_anonymous,
        )
    return speaker
