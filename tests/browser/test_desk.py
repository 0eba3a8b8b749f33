"""The desk in a real browser: a story written from nothing on the story page, filed, published, read.

Three paragraphs and a heading written in order (one inserted in place, one moved by dragging), a quote
proposed from the text and confirmed beside its paragraph, a picture dragged in from the desktop with
its file credits confirmed, then review, publication by an editor, and the story in the API.
"""

import base64
import json
import os
import shutil
import urllib.request
from pathlib import Path

import pytest
from django.db import connections

from articles.models import Article, Image
from tests.helpers.browser import login, pick
from tests.helpers.imagefiles import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORT = {"width": 1366, "height": 900}

FIRST = "“We will hold the line,” said Oleksandr Syrskyi, the commander of Ukraine’s ground forces."
SECOND = "Shelling continued through the night, officials in the region reported."
THIRD = "The city’s last bakery closed on Tuesday."
HEADING = "A city under fire"

DROP_FILE = """([selector, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const file = new File([bytes], "bunker.jpg", {type: "image/jpeg"});
  const transfer = new DataTransfer();
  transfer.items.add(file);
  const target = document.querySelector(selector);
  for (const type of ["dragenter", "dragover", "drop"]) {
    target.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: transfer}));
  }
}"""


def test_an_editor_writes_files_and_publishes_a_story_from_the_desk(live_server, desk, chromium, tmp_path):
    try:
        _write_file_publish_read(live_server, chromium, tmp_path)
    finally:
        connections.close_all()  # see tests/browser/test_workflow.py


def _keep(page, name, tmp_path):
    path = tmp_path / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    if os.environ.get("KEEP_SCREENSHOTS"):  # KEEP_SCREENSHOTS=1 refreshes docs/screenshots/
        shutil.copy(path, SCREENSHOTS / f"{name}.png")


def _texts(page):
    return page.eval_on_selector_all(
        ".desk-blocks > .desk-block:not(.removed)",
        "cards => cards.map(c => [c.dataset.type, (c.querySelector('textarea') || {}).value || ''])",
    )


def _write_file_publish_read(live_server, chromium, tmp_path):
    reporter = login(chromium, live_server, "olena")
    reporter.set_viewport_size(VIEWPORT)
    reporter.get_by_role("link", name="Write a story").click()
    reporter.fill("#id_headline", "Bakhmut’s defenders dig in")
    reporter.fill("#id_dek", "The ground forces’ commander says the city will hold.")

    # Paragraphs in order from the bar under the body; no position is ever typed.
    for number, text in enumerate([FIRST, THIRD, SECOND]):
        reporter.locator(".desk-add-bar [data-add=paragraph]").click()
        reporter.fill(f"#id_blocks-{number}-text", text)
    # A block added by mistake is removed again.
    reporter.locator(".desk-add-bar [data-add=embed]").click()
    reporter.locator(".desk-block[data-type=embed] .desk-discard").click()
    # The heading goes in place, under the first paragraph, from that block's own insert button.
    first = reporter.locator(".desk-blocks > .desk-block").first
    first.hover()
    first.locator(".desk-insert-toggle").click()
    first.locator("[data-insert=heading]").click()
    reporter.keyboard.type(HEADING)
    # The third paragraph was written too early: drag it below the second.
    handle = reporter.locator(".desk-block[data-prefix=blocks-1] .desk-handle")
    target = reporter.locator(".desk-block[data-prefix=blocks-2]")
    reporter.mouse.wheel(0, 300)  # both blocks well inside the window
    box = target.bounding_box()
    handle.drag_to(target, target_position={"x": 50, "y": box["height"] * 0.8}, steps=12)
    assert _texts(reporter) == [
        ["paragraph", FIRST],
        ["heading", HEADING],
        ["paragraph", SECOND],
        ["paragraph", THIRD],
    ]
    # Each block shows only its own fields.
    heading = reporter.locator(".desk-block[data-type=heading]")
    assert heading.locator("textarea").is_visible()
    assert not heading.locator("[data-for=image]").is_visible()

    # A picture dragged from the desktop onto the last paragraph: its file credits shown for confirmation.
    picture = base64.b64encode(jpeg((640, 400), iptc=True)).decode()
    reporter.evaluate(DROP_FILE, [".desk-blocks > .desk-block:last-child", picture])
    dialog = reporter.locator("#desk-picture-dialog")
    dialog.wait_for(state="visible")
    assert dialog.locator("[data-picture=caption]").input_value() == "IPTC caption"
    assert dialog.locator("[data-picture=credit]").input_value() == "Iptc Byline / Iptc Credit"
    dialog.locator("[data-picture=alt_text]").fill("Soldiers in a bunker")
    dialog.locator("[data-picture=caption]").fill("Defenders in a bunker east of the city.")
    dialog.get_by_role("button", name="Add the picture").click()
    reporter.locator(".desk-block[data-type=image] .desk-picture img").wait_for()

    reporter.locator(".add-row a", has_text="Add another Byline").click()
    pick(reporter, "#bylines-0", "Olena Reporter")
    _keep(reporter, "desk-body-editor", tmp_path)
    reporter.click("input[name=_continue]")
    reporter.wait_for_selector("text=1 quote found in the text")

    # The quote is proposed beside its paragraph; the reporter confirms it there.
    article = Article.objects.get(headline="Bakhmut’s defenders dig in")
    proposal = reporter.locator(".desk-quote", has_text="We will hold the line")
    assert "Oleksandr Syrskyi" in proposal.inner_text()
    _keep(reporter, "desk-quote-proposed", tmp_path)
    proposal.get_by_role("button", name="Confirm").click()
    reporter.locator(".desk-quote .desk-ok").wait_for()
    assert not article.quotes.filter(needs_review=True).exists()
    image = Image.objects.get()
    assert (image.caption, image.credit, image.alt_text) == (
        "Defenders in a bunker east of the city.",
        "Iptc Byline / Iptc Credit",
        "Soldiers in a bunker",
    )

    reporter.get_by_role("link", name="Submit for review").click()
    reporter.click("input[type=submit][value='Submit for review']")
    reporter.wait_for_selector("text=Submitted for review.")

    # An editor finds it on the desk home and publishes it.
    editor = login(chromium, live_server, "desk")
    editor.set_viewport_size(VIEWPORT)
    _keep(editor, "desk-home", tmp_path)
    editor.locator("#shelf-review").get_by_role("link", name="Bakhmut’s defenders dig in").click()
    editor.get_by_role("link", name="Publish now").click()
    editor.click("input[type=submit][value='Publish now']")
    editor.wait_for_selector("text=Published.")

    with urllib.request.urlopen(f"{live_server.url}/api/v1/articles/{article.slug}/", timeout=10) as response:
        story = json.load(response)
    assert [(b["type"], b.get("text", "")) for b in story["body"]] == [
        ("paragraph", FIRST),
        ("heading", HEADING),
        ("paragraph", SECOND),
        ("paragraph", THIRD),
        ("image", ""),
    ]
    assert [(q["text"], q["speaker"]["name"]) for q in story["quotes"]] == [
        ("We will hold the line,", "Oleksandr Syrskyi")
    ]
