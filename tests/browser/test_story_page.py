"""The seeded story in a real browser: it must read on a phone and on a desktop without sideways scrolling."""

import pytest

from articles.media.renditions import generate_renditions

# No serialized rollback: an earlier transactional test's flush re-creates content types (post_migrate),
# and restoring the serialized copy on top of them collides.
pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("device", VIEWPORTS)
def test_seeded_story_fits_phone_and_desktop_widths(
    live_server, interview, chromium, settings, tmp_path, device
):
    settings.ROOT_URLCONF = "tests.helpers.browser_urls"
    page = chromium.new_page(viewport=VIEWPORTS[device])
    page.set_default_timeout(15_000)
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on(
        "request", lambda request: request.url.startswith(live_server.url) or problems.append(request.url)
    )

    generate_renditions(interview.lead_image_id)  # as the worker does after the seed
    response = page.goto(f"{live_server.url}{interview.get_absolute_url()}", wait_until="load")
    assert response.status == 200
    # Every picture decoded, so the screenshot shows the page as a reader sees it.
    page.evaluate("() => Promise.all([...document.images].map(img => img.decode()))")
    page.screenshot(path=tmp_path / f"story-{device}.png", full_page=True)

    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
        " wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1).map(e => e.tagName + '.' + e.className).slice(0, 5)})"
    )
    assert sizes["scroll"] <= sizes["inner"], sizes
    assert not sizes["wide"], sizes
    assert page.locator("h1").inner_text() == interview.headline
    assert page.evaluate("() => [...document.images].every(img => img.naturalWidth > 0)")
    # The seeded photo went through the media pipeline: the browser picks the first format it can show.
    assert page.evaluate("() => document.querySelector('figure.image img').currentSrc").endswith(".avif")
    assert not problems, problems  # no CSP refusals, no broken assets, nothing fetched from elsewhere

    # The first Tab lands on the skip link, which shows itself with a visible outline.
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();"
        " return {text: e.textContent, outline: s.outlineStyle, width: parseFloat(s.outlineWidth),"
        " visible: r.left >= 0 && r.right <= innerWidth}; }"
    )
    assert focused == {"text": "Skip to content", "outline": "solid", "width": 3, "visible": True}
