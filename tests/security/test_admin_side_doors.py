"""Admin side doors: every admin URL × role × story state, built from the admin site's own registry.

The editorial twin of the public leak matrix. Each story of the world carries a marker in everything
it uses (tests/helpers/world.py, plus an embed, an audit entry, a correction and two revisions here); a
marker in a response means the page showed that story or something only it uses. Every URL the admin
site answers must be classified below, so a new admin page or model fails here until someone decides
what each role may see and change through it.
"""

import json

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, reverse
from reversion import add_to_revision, create_revision

from articles import revisions
from articles.models import Article, AuditEntry, Block, Correction, Embed, Image, Speaker, Tag
from articles.services.workflow import MOVES
from tests import factories
from tests.helpers.admin import form_data
from tests.helpers.world import STATES as WORLD_STATES
from tests.helpers.world import build_world, marker

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "non_staff", "owner", "other_reporter", "editor", "admin"]
STATES = ["draft", "in_review", "scheduled", "published", "killed"]
DESK = {"editor", "admin"}
REPORTERS = {"owner", "other_reporter"}
PUBLIC = {"published"}

# Objects that belong to one story, or are shared by stories: how to find each for a story of the world.
SUBJECTS = {
    "articles.article": lambda objs: objs["article"],
    "articles.block": lambda objs: objs["article"].blocks.get(position=0),
    "articles.quote": lambda objs: objs["quote"],
    "articles.correction": lambda objs: objs["correction"],
    "articles.auditentry": lambda objs: objs["audit"],
    "articles.image": lambda objs: Image.objects.get(pk=objs["image_id"]),
    "articles.embed": lambda objs: objs["embed"],
    "articles.speaker": lambda objs: Speaker.objects.get(slug=objs["speaker_slug"]),
    "articles.section": lambda objs: objs["section"],
    "articles.tag": lambda objs: Tag.objects.get(slug=objs["tag_slug"]),
}
SHARED = {"articles.image", "articles.embed", "articles.speaker", "articles.section", "articles.tag"}
# Objects whose names carry no marker ("Paragraph 0"): a list of them can only be checked for leaks.
UNMARKED_NAMES = {"articles.block"}
# Public record and evidence: nobody rewrites them through their pages.
RECORDS = {"articles.correction", "articles.auditentry"}
# A field each subject's change form posts, changed to prove whether a change went through.
EDITED_FIELD = {
    "articles.article": "dek",
    "articles.block": "text",
    "articles.quote": "occasion",
    "articles.correction": "note",
    "articles.auditentry": "note",
    "articles.image": "caption",
    "articles.embed": "title",
    "articles.speaker": "title",
    "articles.section": "name",
    "articles.tag": "name",
}

# Models not tied to a story, and the roles whose list page opens (the rest get 403).
OTHER_MODELS = {
    "auth.group": {"admin"},
    "auth.user": {"admin"},
    # Superusers only: the admin role holds the permissions that existed when the roles were made.
    "axes.accessattempt": set(),
    "axes.accesslog": set(),
    "axes.accessfailurelog": set(),
    "django_tasks_database.dbtaskresult": set(),
    # Sign-in devices: superusers only, like the lock-out records.
    "otp_totp.totpdevice": set(),
    "otp_static.staticdevice": set(),
    "knox.authtoken": {"admin"},
    "articles.webhook": {"admin"},
    "articles.webhookdelivery": {"admin"},
    # The people credited on stories: a directory every desk role reads; editors keep it.
    "contributors.contributor": {"owner", "other_reporter", "editor", "admin"},
}

# Each model admin's standard pages, by the suffix of their URL name.
STANDARD = ["changelist", "add", "history", "delete", "change"]
# The story admin's own pages; each is checked in test_story_pages_obey_roles.
CUSTOM_VIEWS = {
    "articles_article_import",
    "articles_article_move",
    "articles_article_preview",
    "articles_article_preview_link",
    "articles_article_revoke_preview_links",
    "articles_article_presence",
    "articles_article_quotes",
    "articles_article_compare",
    "articles_article_restore",
    "articles_article_revision",
    "articles_article_recover",
    "articles_article_recoverlist",
}
# Pages of models not tied to a story, beyond the standard ones.
OTHER_CUSTOM_VIEWS = {
    "auth_user_password_change",
    "otp_totp_totpdevice_config",
    "otp_totp_totpdevice_qrcode",
    "articles_image_drop",  # checked in test_picture_drop_needs_staff_who_may_add_pictures
}
# The admin site's own pages: none shows a story; all but the login page need a staff account.
SITE_VIEWS = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "app_list",
}


def sees(role, model, state):
    """Whether `role` may see `model`'s object of a story in `state` through any admin page."""
    if role in DESK:
        return True
    if role not in REPORTERS or model == "articles.auditentry":
        return False
    if role == "owner":  # every story of the world is the owner's
        return True
    return model in SHARED and state in PUBLIC


def changes(role, model, state):
    """Whether `role` may change it: only those who may edit every story it belongs to or shows in."""
    if model in RECORDS or not sees(role, model, state):
        return False
    return role in DESK or (role == "owner" and state == "draft")


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.name


def admin_routes():
    return list(walk(admin.site.get_urls()))


def _label(model):
    return model._meta.label_lower


def test_every_admin_url_is_classified():
    unclassified = []
    for model in admin.site._registry:
        if _label(model) not in SUBJECTS and _label(model) not in OTHER_MODELS:
            unclassified.append(f"model {_label(model)}")
    prefixes = {f"{m._meta.app_label}/{m._meta.model_name}/": m for m in admin.site._registry}
    for route, name in admin_routes():
        model = next((m for p, m in prefixes.items() if route.startswith(p)), None)
        if model is None:
            known = name in SITE_VIEWS or (name is None and route == "(?P<url>.*)$")
        else:
            stem = f"{model._meta.app_label}_{model._meta.model_name}_"
            standard = name is not None and name.startswith(stem) and name[len(stem) :] in STANDARD
            # The bare object address only redirects to its change page.
            redirect = name is None and route.endswith("<path:object_id>/")
            known = standard or redirect or name in CUSTOM_VIEWS | OTHER_CUSTOM_VIEWS
        if not known:
            unclassified.append(f"{route} ({name})")
    assert unclassified == [], "Classify these admin URLs in this matrix: " + ", ".join(unclassified)


@pytest.fixture
def world(db):
    world = build_world()
    extras = {}
    for state in WORLD_STATES:
        mark = marker(state)
        story = world.stories[state]
        article = story.article
        # The quote stands in its paragraph, as the validation rules require.
        paragraph = article.blocks.get(position=0)
        paragraph.text = f"Paragraph {mark}: “Quote {mark}”, the source said."
        paragraph.save()
        embed = Embed.objects.create(
            url=f"https://video.example/{mark}", title=f"Embed {mark}", fallback_text=f"Fallback {mark}"
        )
        Block.objects.create(article=article, position=2, type=Block.Type.EMBED, embed=embed)
        correction = article.corrections.first() or Correction.objects.create(
            article=article, note=f"Correction {mark}"
        )
        audit = AuditEntry.objects.create(
            article=article, action=AuditEntry.Action.UPDATED, headline=article.headline, note=f"Note {mark}"
        )
        for _ in range(2):
            with create_revision():
                add_to_revision(article)
        extras[state] = {
            "article": article,
            "quote": story.quote,
            "image_id": story.image_id,
            "speaker_slug": story.speaker_slug,
            "tag_slug": story.tag_slug,
            "embed": embed,
            "section": article.section,
            "correction": correction,
            "audit": audit,
        }
    world.objects = extras
    non_staff = factories.UserFactory(username="not-staff", is_staff=False, role="reporter")
    chief = factories.UserFactory(username="desk-admin", is_staff=True, role="admin")
    world.users = {**world.users, "non_staff": non_staff, "admin": chief}
    return world


@pytest.fixture
def clients(world):
    clients = {"anonymous": Client()}
    for role in ROLES[1:]:
        clients[role] = Client()
        clients[role].force_login(world.users[role])
    return clients


def _markers(content, states=WORLD_STATES):
    return {state for state in states if marker(state) in content}


def _hidden(response, mark, where):
    assert response.status_code in (302, 403, 404), where
    assert mark not in response.content.decode(), where
    assert mark not in response.get("Location", ""), where


def _object_url(label, kind, obj):
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{kind}", args=[obj.pk])


def test_anonymous_and_non_staff_reach_no_admin_page(world, clients):
    objs = world.objects["draft"]
    urls = [reverse("admin:index"), reverse("admin:password_change"), reverse("admin:jsi18n")]
    for label, find in SUBJECTS.items():
        app, model = label.split(".")
        obj = find(objs)
        urls.append(reverse(f"admin:{app}_{model}_changelist"))
        urls.append(reverse(f"admin:{app}_{model}_add"))
        urls += [_object_url(label, kind, obj) for kind in ("change", "history", "delete")]
        content_type = ContentType.objects.get_for_model(obj)
        urls.append(reverse("admin:view_on_site", args=[content_type.pk, obj.pk]))
    article = objs["article"]
    urls += [reverse(f"admin:{name}", args=[article.pk]) for name in ("articles_article_preview",)]
    urls.append(reverse("admin:articles_article_move", args=[article.pk, "publish"]))
    urls.append(reverse("admin:autocomplete") + "?app_label=articles&model_name=article&field_name=tags")
    for role in ("anonymous", "non_staff"):
        for url in urls:
            for method in ("get", "post"):
                response = getattr(clients[role], method)(url)
                assert response.status_code == 302, (role, method, url)
                assert response["Location"].startswith(reverse("admin:login")), (role, method, url)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_lists_show_each_role_only_what_it_may_see(world, clients):
    for role in ["owner", "other_reporter", "editor", "admin"]:
        for label in SUBJECTS:
            app, model = label.split(".")
            response = clients[role].get(reverse(f"admin:{app}_{model}_changelist"))
            if label == "articles.auditentry" and role not in DESK:
                assert response.status_code == 403, (role, label)
                continue
            assert response.status_code == 200, (role, label)
            shown = _markers(response.content.decode())
            assert all(_sees_any_state(role, label, s) for s in shown), (role, label, shown)
            # Each of the five states this matrix follows is shown exactly when the role may see it.
            assert shown & set(STATES) == {s for s in STATES if sees(role, label, s)}, (role, label, shown)
        for label, allowed in OTHER_MODELS.items():
            app, model = label.split(".")
            response = clients[role].get(reverse(f"admin:{app}_{model}_changelist"))
            assert response.status_code == (200 if role in allowed else 403), (role, label)


def _sees_any_state(role, label, state):
    # Beyond the five followed states, a reporter sees shared objects only of public stories.
    if state in STATES:
        return sees(role, label, state)
    if role in DESK or role == "owner":
        return sees(role, label, "draft")
    return False


def autocomplete_fields():
    """Every (model, field) with an autocomplete box, from the registry's admins and their inlines."""
    found = []
    for model, model_admin in admin.site._registry.items():
        holders = [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]
        for holder in holders:
            for field in holder.autocomplete_fields:
                found.append((holder.model, field))
    return found


def test_autocomplete_offers_each_role_only_what_it_may_see(world, clients):
    fields = autocomplete_fields()
    assert fields, "no autocomplete fields found"
    for role in ["owner", "other_reporter", "editor", "admin"]:
        for source, field in fields:
            target = source._meta.get_field(field).remote_field.model
            label = _label(target)
            response = clients[role].get(
                reverse("admin:autocomplete"),
                {
                    "app_label": source._meta.app_label,
                    "model_name": source._meta.model_name,
                    "field_name": field,
                    "term": "mk",
                },
            )
            where = (role, source.__name__, field)
            if label not in SUBJECTS:
                assert response.status_code in (200, 403), where
                continue
            if response.status_code == 403:
                assert not any(sees(role, label, s) for s in STATES), where
                continue
            shown = _markers(json.dumps(response.json()))
            if label in UNMARKED_NAMES:
                assert shown == set(), (*where, shown)
                continue
            assert shown & set(STATES) == {s for s in STATES if sees(role, label, s)}, (*where, shown)
            assert all(_sees_any_state(role, label, s) for s in shown), (*where, shown)


def test_object_pages_show_each_role_only_what_it_may_see(world, clients):
    for state in STATES:
        mark = marker(state)
        for label, find in SUBJECTS.items():
            obj = find(world.objects[state])
            content_type = ContentType.objects.get_for_model(obj)
            for role in ["owner", "other_reporter", "editor", "admin"]:
                client, where = clients[role], (role, label, state)
                page = client.get(_object_url(label, "change", obj))
                if not sees(role, label, state):
                    _hidden(page, mark, (*where, "change"))
                    _hidden(client.get(_object_url(label, "history", obj)), mark, (*where, "history"))
                    _hidden(client.get(_object_url(label, "delete", obj)), mark, (*where, "delete"))
                    on_site = client.get(reverse("admin:view_on_site", args=[content_type.pk, obj.pk]))
                    _hidden(on_site, mark, (*where, "view on site"))
                    continue
                assert page.status_code == 200, (*where, "change")
                editable = 'name="_save"' in page.content.decode()
                assert editable == changes(role, label, state), (*where, "change")
                assert client.get(_object_url(label, "history", obj)).status_code == 200, (*where, "history")
                delete = client.get(_object_url(label, "delete", obj))
                deletable = changes(role, label, state) and role in DESK
                if deletable and label == "articles.image":
                    # A picture in use is never deleted: the page sends the editor back, saying where.
                    assert delete.status_code == 302, (*where, "delete")
                elif deletable:
                    assert delete.status_code == 200, (*where, "delete")
                else:
                    assert delete.status_code == 403, (*where, "delete")


def test_story_pages_obey_roles(world, clients):
    for state in STATES:
        mark = marker(state)
        article = world.objects[state]["article"]
        versions = list(revisions.history(article))
        for role in ["owner", "other_reporter", "editor", "admin"]:
            client, where = clients[role], (role, state)
            visible = sees(role, "articles.article", state)
            editable = changes(role, "articles.article", state)
            pages = {
                "preview": client.get(reverse("admin:articles_article_preview", args=[article.pk])),
                "presence": client.post(reverse("admin:articles_article_presence", args=[article.pk])),
                "compare": client.get(
                    reverse("admin:articles_article_compare", args=[article.pk]),
                    {"old": versions[1].pk, "new": versions[0].pk},
                ),
                "history": client.get(reverse("admin:articles_article_history", args=[article.pk])),
            }
            for name, response in pages.items():
                if visible:
                    assert response.status_code == 200, (*where, name)
                else:
                    _hidden(response, mark, (*where, name))
            # Preview links leave the desk: only roles that may publish make or revoke them, never for a kill.
            link = client.get(reverse("admin:articles_article_preview_link", args=[article.pk]))
            if role in DESK and state != "killed":
                assert link.status_code == 200, (*where, "preview link")
            else:
                _hidden(link, mark, (*where, "preview link"))
            revoke = client.post(reverse("admin:articles_article_revoke_preview_links", args=[article.pk]))
            if role in DESK:
                assert revoke.status_code == 302, (*where, "revoke")
                assert mark not in revoke["Location"], (*where, "revoke")
            else:
                _hidden(revoke, mark, (*where, "revoke"))
            restore = client.get(reverse("admin:articles_article_restore", args=[article.pk, versions[1].pk]))
            if editable:
                assert restore.status_code == 200, (*where, "restore")
            else:
                _hidden(restore, mark, (*where, "restore"))
            # The quote panel beside each paragraph judges quotes only for those who may edit the story.
            panel = client.post(
                reverse("admin:articles_article_quotes", args=[article.pk]),
                {"action": "confirm", "quote": world.objects[state]["quote"].pk},
            )
            if editable:
                assert panel.status_code == 200, (*where, "quote panel")
            else:
                _hidden(panel, mark, (*where, "quote panel"))
            for verb in MOVES:
                move = client.get(reverse("admin:articles_article_move", args=[article.pk, verb]))
                allowed = role in DESK or (role == "owner" and verb == "submit" and state == "draft")
                if allowed:
                    assert move.status_code == 200, (*where, verb)
                else:
                    _hidden(move, mark, (*where, verb))
            # The library's own revision and recovery pages only redirect to ours, or refuse.
            revision = client.get(
                reverse("admin:articles_article_revision", args=[article.pk, versions[1].pk])
            )
            _hidden(revision, mark, (*where, "revision"))
            _hidden(client.get(reverse("admin:articles_article_recoverlist")), mark, (*where, "recover"))
            recover = client.get(reverse("admin:articles_article_recover", args=[versions[1].pk]))
            _hidden(recover, mark, (*where, "recover"))
        article.refresh_from_db()
        assert article.status == world.stories[state].article.status


def test_picture_drop_needs_staff_who_may_add_pictures(clients):
    url = reverse("admin:articles_image_drop")
    for role in ["anonymous", "non_staff"]:
        response = clients[role].post(url)
        assert response.status_code == 302 and "/login/" in response["Location"], role
    for role in ["owner", "other_reporter", "editor", "admin"]:
        assert clients[role].get(url).status_code == 405, role
        assert clients[role].post(url).status_code == 400, role  # no file: a reason, nothing stored


def test_import_page_opens_for_every_role_that_files_stories(clients):
    for role in ["owner", "other_reporter", "editor", "admin"]:
        assert clients[role].get(reverse("admin:articles_article_import")).status_code == 200, role


def _fingerprint(label, obj):
    fresh = type(obj).objects.get(pk=obj.pk)
    return getattr(fresh, EDITED_FIELD[label])


def test_changes_through_object_pages_obey_story_rules(world, clients):
    for state in STATES:
        article = world.objects[state]["article"]
        for label, find in SUBJECTS.items():
            if label in RECORDS:
                continue
            field = EDITED_FIELD[label]
            for role in ROLES:
                obj = find(world.objects[state])
                url = _object_url(label, "change", obj)
                data = form_data(clients["admin"].get(url))
                before, version = _fingerprint(label, obj), Article.objects.get(pk=article.pk).version
                audits = AuditEntry.objects.filter(article=article, action=AuditEntry.Action.UPDATED).count()
                data[field] = f"{before} {role}"
                clients[role].post(url, data)
                after = _fingerprint(label, obj)
                where = (role, label, state)
                assert (after != before) == changes(role, label, state), where
                article.refresh_from_db()
                live_change = after != before and state in PUBLIC
                # A change to anything a live story shows is a published change of that story.
                assert article.version == version + (1 if live_change else 0), where
                updates = AuditEntry.objects.filter(article=article, action=AuditEntry.Action.UPDATED).count()
                assert updates == audits + (1 if live_change else 0), where
