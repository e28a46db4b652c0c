from lawqa.statutes import services
from lawqa.statutes.models import Citation


def test_check_citations_statuses(statutes):
    checked = services.check_citations(
        "《民法典》第一千零三十八条；《婚姻法》第三十二条；《民法典》第1300条；《瑞士民法》第896条"
    )
    assert [(c.law, c.article, c.status) for c in checked] == [
        ("民法典", 1038, "ok"),
        ("婚姻法", 32, "repealed"),
        ("民法典", 1300, "not_found"),
        ("瑞士民法", 896, "unknown_law"),
    ]
    assert checked[0].url == "/laws/%E6%B0%91%E6%B3%95%E5%85%B8/1038/"
    assert checked[0].article_text.startswith("信息处理者不得泄露")


def test_check_citations_current_version_decides(statutes):
    (c,) = services.check_citations("《公司法》第二条")
    assert c.status == "not_found"


def test_render_answer_html_links_citation_with_article_text(statutes):
    html = services.render_answer_html("根据《民法典》第一千零三十八条，**不得泄露**。")
    assert '<a class="cite cite-ok" href="/laws/%E6%B0%91%E6%B3%95%E5%85%B8/1038/"' in html
    assert 'title="《中华人民共和国民法典》第一千零三十八条：信息处理者不得泄露' in html
    assert "<strong>不得泄露</strong>" in html
    assert '<details class="cite-details"><summary>《中华人民共和国民法典》第一千零三十八条</summary>' in html


def test_render_answer_html_warns_on_repealed_and_missing(statutes):
    html = services.render_answer_html("《婚姻法》第三十二条和《民法典》第一千三百条")
    assert '<span class="cite-warning"' in html
    assert "（已废止）" in html
    assert "已于2021年1月1日废止" in html
    assert "（条文不存在）" in html


def test_render_answer_html_escapes_user_markup(statutes):
    html = services.render_answer_html('<script>alert(1)</script>《民法典》第一条"><b>')
    assert "<script>" not in html
    assert "<b>" not in html


def test_render_answer_html_without_citations_is_plain_markdown(statutes):
    assert services.render_answer_html("你好") == "<p>你好</p>\n"


def test_record_citations_stores_rows(statutes, answer):
    answer.body = "《民法典》第一千零三十八条、第一千零三十九条，《婚姻法》第三十二条。"
    services.record_citations(answer=answer)
    rows = list(
        Citation.objects.filter(answer=answer).values_list("law_name", "number", "status", "article__number")
    )
    assert rows == [
        ("民法典", 1038, "ok", 1038),
        ("民法典", 1039, "ok", 1039),
        ("婚姻法", 32, "repealed", None),
    ]


def test_record_citations_replaces_earlier_rows(statutes, answer):
    answer.body = "《民法典》第一条"
    services.record_citations(answer=answer)
    answer.body = "没有引用"
    services.record_citations(answer=answer)
    assert Citation.objects.filter(answer=answer).count() == 0


def test_reimport_keeps_citation_article_links(statutes, answer):
    answer.body = "《民法典》第一千零三十八条"
    services.record_citations(answer=answer)
    from lawqa.statutes.tests.conftest import library_records

    records = library_records()
    records[0] = dict(records[0], body=records[0]["body"] + "\n第一千二百五十九条 新增。")
    services.import_library(records=records)
    assert Citation.objects.get(answer=answer).article.number == 1038
