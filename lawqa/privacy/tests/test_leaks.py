"""A question holding a phone number and an ID number: neither ever leaves the asker's browser.

Checked in the preview, the page HTML, the API, the search index, the database, the logs and the
notification e-mails (to routed lawyers and to the asker).
"""

import io
import json
import logging
import re

import pytest
from django.core import mail
from django.urls import reverse

from lawqa.privacy.tests.test_accounts_data import _rows_with_text
from lawqa.questions.models import Question
from lawqa.search import engine, index
from lawqa.search.segmentation import analyze_query

PHONE = "13812348000"
RESIDENT_ID = "11010519491231002X"
TITLE = f"电话{PHONE}的人欠钱不还怎么办？"
DETAIL = f"借款人身份证号{RESIDENT_ID}，手机{PHONE}，借了我五万元一直不还，我该怎么起诉？"


def leaked(text: str) -> list[str]:
    """The secrets (or any 8-digit piece of them) found in `text`."""
    flat = re.sub(r"[\s\-+]", "", text)
    found = [s for s in (PHONE, RESIDENT_ID, RESIDENT_ID.lower()) if s in flat]
    found += [run for run in re.findall(r"[0-9Xx]{8,}", flat) if run in PHONE or run in RESIDENT_ID]
    return found


@pytest.fixture
def search_index(settings, tmp_path):
    settings.LAWQA_INDEX_DIR = tmp_path / "index"
    index.reset_reader()
    yield
    index.reset_reader()


@pytest.fixture
def log_output():
    """Whatever the configured logging handlers write during the test."""
    handlers = {*logging.getLogger().handlers, *logging.getLogger("django").handlers}
    streams = {h: h.setStream(io.StringIO()) for h in handlers if type(h) is logging.StreamHandler}
    written = io.StringIO()
    yield written
    for handler, stream in streams.items():
        written.write(handler.stream.getvalue())
        handler.setStream(stream)


@pytest.fixture
def published(client, asker, make_lawyer, area, search_index, django_capture_on_commit_callbacks, log_output):
    """Asker previews and publishes; routing e-mails lawyers; a lawyer answers; the asker is e-mailed."""
    lawyers = [make_lawyer(), make_lawyer()]
    for n, lawyer in enumerate(lawyers):
        lawyer.email = f"lawyer{n}@example.com"
        lawyer.save()
    asker.email = "asker@example.com"
    asker.save()
    client.force_login(asker)
    logging.getLogger("lawqa.questions").info("ask form posted: %s %s", TITLE, DETAIL)
    form = {"title": TITLE, "detail": DETAIL, "category": area.slug, "province": ""}
    preview = client.post(reverse("questions:ask"), form)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("questions:ask"), {**form, "masking_seen": "1"})
    assert response.status_code == 302
    question = Question.objects.get()
    client.force_login(lawyers[0])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("questions:answer", args=[question.pk]),
            {"body": f"可以起诉。您提到的{PHONE}不要公开。", "masking_seen": "1"},
        )
    index.apply_outbox()
    index.reset_reader()
    return {"question": question, "preview": preview}


def test_preview_shows_only_masked_numbers(published):
    html = published["preview"].content.decode()

    assert "138****8000" in html
    assert "110105********002X" in html
    assert leaked(html) == []


def test_question_page_html_has_no_number(client, published):
    html = client.get(published["question"].get_absolute_url()).content.decode()

    assert "138****8000" in html
    assert leaked(html) == []


def test_api_output_has_no_number(client, published):
    question = published["question"]

    detail = client.get(f"/api/v1/questions/{question.pk}").content.decode()
    listing = client.get("/api/v1/questions").content.decode()

    assert json.loads(detail)["id"] == question.pk
    assert leaked(detail) == []
    assert leaked(listing) == []


def test_search_for_the_numbers_finds_nothing(client, published):
    question = published["question"]
    searcher = index.searcher()

    assert [h.question_id for h in engine.search(searcher, analyze_query("欠钱不还")).hits] == [question.pk]
    for secret in (PHONE, RESIDENT_ID, "20348000", "19491231"):
        assert engine.search(searcher, analyze_query(secret)).hits == []
    # The site's search page echoes the visitor's own query but must not find the question.
    page = client.get("/search/", {"q": PHONE}).content.decode()
    assert f'href="{question.get_absolute_url()}"' not in page
    assert (
        f'href="{question.get_absolute_url()}"' in client.get("/search/", {"q": "欠钱不还"}).content.decode()
    )


def test_database_holds_no_number(published):
    assert _rows_with_text([PHONE, RESIDENT_ID, RESIDENT_ID[6:14] + RESIDENT_ID[14:]]) == []


def test_notification_emails_have_no_number(published):
    recipients = sorted(addr for message in mail.outbox for addr in message.to)

    assert "asker@example.com" in recipients
    assert {"lawyer0@example.com", "lawyer1@example.com"} & set(recipients)
    for message in mail.outbox:
        assert leaked(message.subject + message.body) == []


def test_logs_have_no_number(published, log_output, caplog):
    logging.getLogger("lawqa.anything").warning("late record %s", PHONE)

    assert leaked(caplog.text) == []


def test_configured_log_handlers_wrote_no_number(published, log_output):
    logging.getLogger("django.request").error("request body had %s", DETAIL)
    # log_output is filled when the fixture tears down; check the handlers' buffers now.
    handlers = {*logging.getLogger().handlers, *logging.getLogger("django").handlers}
    written = "".join(h.stream.getvalue() for h in handlers if type(h) is logging.StreamHandler)

    assert "ask form posted" in written
    assert leaked(written) == []
