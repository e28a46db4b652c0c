from django.urls import reverse


def test_home_renders_areas(client, question):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "劳动纠纷" in response.content.decode()


def test_question_page_shows_answer_and_lawyer_card(client, answer):
    response = client.get(answer.question.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "执业律师" in html
    assert "已帮助 1 人解决法律问题" in html
