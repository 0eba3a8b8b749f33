"""The quote rows of the story form, checked against their paragraphs as submitted with them."""

from django import forms


class QuoteInlineForm(forms.ModelForm):
    """A quote row whose paragraph may be edited in the same submit.

    The model's rule (rules.quote_problems, run by Quote.clean) compares the quote with its paragraph;
    here the paragraph is read as the editor sent it, not as it was saved, so changing both together
    is judged on what will be saved.
    """

    # The story form's body rows: Django names an inline's fields by the relation, here Block.article's.
    BLOCK_PREFIX = "blocks"

    def clean(self):
        cleaned = super().clean()
        block = cleaned.get("block")
        if block is not None and block.pk in (submitted := self._submitted_paragraphs()):
            kind, text = submitted[block.pk]
            block.type, block.text = kind or block.type, text
        return cleaned

    def _submitted_paragraphs(self):
        data, prefix = self.data, self.BLOCK_PREFIX
        try:
            total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
        except ValueError:
            return {}
        found = {}
        for n in range(min(total, 10_000)):
            pk = str(data.get(f"{prefix}-{n}-id") or "")
            if pk.isdigit() and f"{prefix}-{n}-text" in data:
                found[int(pk)] = (data.get(f"{prefix}-{n}-type"), data[f"{prefix}-{n}-text"])
        return found
