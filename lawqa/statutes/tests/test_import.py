from lawqa.statutes import services
from lawqa.statutes.models import Article, Law
from lawqa.statutes.tests.conftest import library_records


def test_import_library_creates_laws_and_articles(statutes):
    assert (statutes.created, statutes.articles) == (6, 15)
    assert Law.objects.get(slug="民法典").article_count == 5
    assert list(Law.objects.filter(name="公司法").order_by("slug").values_list("slug", "status")) == [
        ("公司法", "现行有效"),
        ("公司法(2018-10-26)", "已修订"),
    ]


def test_import_library_handles_known_defects(statutes):
    item = Article.objects.get(law__slug="劳动合同法", number=38)
    spaced = Article.objects.get(law__slug="刑法", number=128)
    assert item.paragraphs[0]["items"] == [
        "（一）未按照劳动合同约定提供劳动保护的；",
        "（二）未及时足额支付劳动报酬的；",
    ]
    assert spaced.text == "本条有排版缺陷。"
    assert Article.objects.filter(law__slug="刑法", number=133, sub=1).exists()
    assert statutes.problems["刑法（2020-01-01）"] == ["缺少 第一百三十条–第一百三十三条"]


def test_import_library_keeps_heading_path(statutes):
    article = Article.objects.get(law__slug="民法典", number=1038)
    assert article.headings == ["第四编 人格权", "第六章 隐私权和个人信息保护"]
    assert article.label == "第一千零三十八条"


def test_import_library_is_idempotent(statutes):
    again = services.import_library(records=library_records())
    assert (again.created, again.updated, again.unchanged, again.articles) == (0, 0, 6, 0)
    assert Article.objects.count() == 15


def test_import_library_updates_changed_and_deletes_stale(statutes):
    records = [r for r in library_records() if r["id"] != "criminal"]
    records[0] = dict(records[0], body=records[0]["body"] + "\n第一千二百五十九条 新增一条。")
    report = services.import_library(records=records)
    assert (report.updated, report.deleted) == (1, 1)
    assert Article.objects.filter(law__slug="民法典").count() == 6
    assert not Law.objects.filter(name="刑法").exists()


def test_import_library_reports_what_it_could_not_parse(db):
    records = library_records()
    records[2] = dict(records[2], body="第一条 甲。\n第三条 丙。")
    report = services.import_library(records=records)
    assert report.problems["刑法（2020-01-01）"] == ["缺少 第二条"]
