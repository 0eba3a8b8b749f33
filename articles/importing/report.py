"""What an import found, in lines a person reads."""

from __future__ import annotations

from .results import PARTIAL


def summary(story, speaker_status=None):
    """Lines a person reads after an import: what was found, what was dropped, what needs a look."""
    speaker_status = speaker_status or {}
    lines = [f"Headline: {story.headline}"]
    if story.kicker:
        lines.append(f"Kicker: {story.kicker}")
    if story.source_credit:
        lines.append(f"Source: {story.source_credit}")
    kinds = {}
    for block in story.blocks:
        kinds[block.type] = kinds.get(block.type, 0) + 1
    lines.append("Blocks: " + ", ".join(f"{count} {kind}" for kind, count in kinds.items()))
    for credit in story.credits:
        lines.append(f"Byline: {credit.name} ({credit.role.replace('_', ' ')})")
    lines.append(f"Quotes: {len(story.quotes)}")
    groups = {}
    for quote in story.quotes:
        groups.setdefault(quote.speaker.key if quote.speaker else None, []).append(quote)
    for speaker in story.speakers:
        quotes = groups.get(speaker.key, [])
        status = speaker_status.get(speaker.key, "")
        label = f"{speaker.name}, {speaker.title}" if speaker.title else speaker.name
        partial = sum(1 for q in quotes if q.kind == PARTIAL)
        lines.append(
            f"  {label}: {len(quotes)} ({len(quotes) - partial} full, {partial} partial)"
            + (f" [{status}]" if status else "")
        )
    if None in groups:
        lines.append(f"  no speaker found: {len(groups[None])}")
    for line in story.dropped:
        lines.append(f"Dropped: {line}")
    flags = [
        (f"block {quote.block + 1}", f"“{_short(quote.text)}”: {quote.review_note}")
        for quote in story.quotes
        if quote.needs_review
    ] + [(f"block {i + 1}", block.review_note) for i, block in enumerate(story.blocks) if block.needs_review]
    lines.append(f"Flags: {len(flags)}")
    lines.extend(f"  {where}: {note}" for where, note in flags)
    return lines


def _short(text, limit=60):
    return text if len(text) <= limit else text[: limit - 1] + "…"
